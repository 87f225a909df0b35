"""Products on screen named by their own words: "the aurora", "the summit boots", "summit or trailblazer",
"does the cream sting": a brand or a title word of a shown product stands for its position."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from tools.language import AMOUNT, normalise, parse_price, singular

# words of a title that name no one product
_GENERIC = set("""a an the and or of for with by in on to from new set pack kit size oz ml fl g lb inch x
for men women unisex mens womens kids one two three four pair pairs count ct piece pieces""".split())
# words a title shares with everyday talk that name no product ("over" of "Over-Ear" in "worth it over the other")
_FUNCTION = set("""over under above below into onto than then that this these those your their them they what when
with without about after before very more most less just only also""".split())
_GENERIC |= _FUNCTION
_DEFINITE = re.compile(r"\b(the|that|this|those|these|your)\s+((?:\w+\s+){0,2}?)$")


# words before a kind that pick shown products by it: "the two serums", "both jackets", "which (of the) lamps"
# ("similar serums": the shown ones of that kind are the ones to be like)
_PICK = re.compile(r"\b(?:both(?: of the| the)?|(?:the|these|those) (?:two|three|2|3)|"
                   r"which(?: of (?:the|these|those))?|"
                   r"^\W*(?:more |any |some )?similar|"
                   r"(?:two|three|2|3) of the)\s+(?:\w+\s+)?(?:(?:pairs?|sets?|kinds?|types?|bottles?|tubes?|jars?|"
                   r"packs?) of\s+)?$")  # "both pairs of boots"
_COUNT = {"both": 2, "two": 2, "2": 2, "three": 3, "3": 3}
# words after those that name no kind ("which of the ones", "both items")
_NO_KIND = _GENERIC | set("ones them these those items products things options choices picks is are was were".split())


class _Shown(Protocol):
    position: int
    id: str
    title: str
    brand: str | None
    price: float | None


def _words(product: _Shown, kind_words: Collection[str] = ()) -> tuple[set[str], set[str]]:
    """(brand words, title words) of a shown product, normalised and in the singular; a three-letter title word
    counts when it names a kind of product ("the gel", "the gum")."""
    brand = {singular(w) for w in normalise(product.brand or "").split() if len(w) >= 3 and w not in _GENERIC}
    title = {singular(w) for w in normalise(product.title).split()
             if (len(w) >= 4 or len(w) == 3 and singular(w) in kind_words) and w.isalpha() and w not in _GENERIC}
    return brand, title | brand


def name_positions(message: str, shown: Sequence[_Shown], kind_words: Collection[str] = (),
                   said_kind: Collection[str] = ()) -> tuple[list[int], bool]:
    """Positions of shown products that the message names by a brand or title word, in the order they are named,
    and whether each naming is definite ("the korra", "that serum") rather than a bare word ("korra or velocita").
    A word every shown product shares ("shoes" on a page of shoes) names none of them alone, nor does a word of
    ``said_kind`` said without "the"/"that" (the words of the kind of product the message names: "hair and scalp
    treatments that are X" names a kind, not the shown products whose titles say "scalp" or "treatment"). Two words in a row of one product's
    title, neither its brand nor a kind of product (``kind_words``), name it by its own name ("midnight orchid") as
    surely as "the" does."""
    if not shown:
        return [], False
    words = normalise(message).split()
    per = [_words(p, kind_words) for p in shown]
    found: list[int] = []
    brands_at = {p.position: brand for p, (brand, _) in zip(shown, per)}
    sure: set[int] = set()  # positions named definitely at least once
    last: tuple[int, list[int]] | None = None  # (word index, hits) of the previous naming word
    run: tuple[int, list[int]] | None = None  # (word index, hits) of the previous word that named any
    for i, w in enumerate(words):
        sw = singular(w)
        before = " ".join(words[max(0, i - 3):i]) + " "
        # "palette vs gel": each side of a "vs" points at a shown product as "the" does
        said_definitely = bool(_DEFINITE.search(before)) or "vs" in words[max(0, i - 1):i + 2] \
            or "versus" in words[max(0, i - 1):i + 2]
        if sw in said_kind and not said_definitely:  # "serums that are ..." is a kind; "the serum" is the one shown
            continue
        hits = [p.position for p, (brand, title) in zip(shown, per) if sw in brand]
        if not hits:
            hits = [p.position for p, (brand, title) in zip(shown, per) if sw in title]
        if not hits or len(hits) == len(shown) and len(shown) > 1:
            continue
        if said_definitely and run is not None and run[0] >= i - 2 and set(hits) < set(run[1]):
            # "the eau de toilette": a later word of one naming narrows what its first words named to fewer
            found = [p for p in found if p not in run[1] or p in hits]
        run = (i, hits)
        # two words in a row of one product's own title ("midnight orchid") name it as surely as "the"
        own = len(hits) == 1 and sw not in kind_words and sw not in brands_at[hits[0]]
        if own and last is not None and last[0] == i - 1 and last[1] == hits \
                and not (i >= 2 and words[i - 2] in ("a", "an", "any", "another")):  # "is there a trail tent"
            sure.update(hits)
        last = (i, hits) if own else None
        new = [h for h in hits if h not in found]
        if len(new) < len(hits):
            if said_definitely and not new:
                sure.update(hits)  # "is grey nice on the ridge": named again, now definitely
            continue  # the rest of a naming already read ("the summit boots": "boots" adds no product)
        if not said_definitely and len(hits) > 1:
            continue  # a bare word several shown products share ("running shoes") names none of them
        if said_definitely:
            sure.update(new)
        found += new
    return found, bool(found) and all(p in sure for p in found)


def kind_positions(message: str, shown: Sequence[_Shown], kind_leaves: Callable[[str], set[str]],
                   leaf_of: Callable[[str], str | None]) -> list[int]:
    """Shown products picked by their kind ("the two fragrances", "which of the serums"): the positions whose
    catalog leaf the kind word names, when that is some of the shown products but not all (and as many as said)."""
    words = normalise(message).split()
    for i, w in enumerate(words):
        if len(w) < 3 or not w.isalpha() or w in _NO_KIND or not _PICK.search(" ".join(words[:i]) + " "):
            continue
        leaves = kind_leaves(w)
        if not leaves:
            continue
        hits = [p.position for p in shown if leaf_of(p.id) in leaves]
        said = next((_COUNT[x] for x in reversed(words[max(0, i - 3):i]) if x in _COUNT), None)
        if hits and len(hits) < len(shown) and said in (None, len(hits)):
            return hits
    return []


# words that point back at a product without naming it: "is it vegan", "more like that", "does this one fold"
_POINTER = re.compile(r"\b(it|its|they|them|that|this|that one|this one|the one)\b")


def history_position(message: str, history: Sequence[dict[str, str]], shown: Sequence[_Shown]) -> int | None:
    """The shown product the conversation's last reply was about, when the message points back at one without
    naming it ("is it waterproof?" after a reply about the second product): the one shown product most of whose
    title words that reply uses, and no other comes close."""
    if not shown or not _POINTER.search(normalise(message)):
        return None
    reply = next((m.get("content", "") for m in reversed(history) if m.get("role") == "assistant"), "")
    marked = marked_positions(reply, len(shown))
    if len(marked) == 1:
        return marked[0]  # "the Acme balm (#2) is unscented": the one it marks by its place
    said = {singular(w) for w in normalise(reply).split()}
    if not said:
        return None
    shares = []
    for p in shown:
        _, title = _words(p)
        shares.append((len(title & said) / max(len(title), 1), p.position))
    shares.sort(reverse=True)
    best, position = shares[0]
    runner_up = shares[1][0] if len(shares) > 1 else 0.0
    return position if best >= 0.6 and best - runner_up >= 0.3 else None


# "the $24 one", "the 30 dollar pair", "the cheapest one", "the one on the right", "the 100 ml bottle": a shown product
# picked by its price, its place on screen or its size, not by a word of its name
_ONE = r"(?:one|ones|pair|option|item|bottle|tube|jar|set|thing|version)"
_FIGURE = rf"({AMOUNT})"  # its value read by ``parse_price`` ("the $1,299 one")
_BY_PRICE = re.compile(rf"\b(?:the|that|this)\s+\$\s?{_FIGURE}\s*(?:dollars?|bucks)?\s+{_ONE}\b|"
                       rf"\b(?:the|that|this)\s+{_FIGURE}\s*(?:dollars?|bucks|usd)\s+{_ONE}\b|"
                       # "the 19.99 one": a figure with cents is a price even with no currency said
                       rf"\b(?:the|that|this)\s+(\d+\.\d\d)\s+{_ONE}\b", re.I)
# the words of price that pick or set shown products against each other, in one place
_CHEAPER = r"cheaper|less expensive|lower[- ]priced|more affordable"
_DEARER = r"pricier|more expensive|dearer|costlier|higher[- ]priced"
_CHEAPEST = r"cheapest|least expensive|lowest[- ]priced|most affordable"
_DEAREST = r"priciest|most expensive|dearest|highest[- ]priced|costliest"
_EXTREME = re.compile(rf"\bthe\s+(?:({_CHEAPEST})|({_DEAREST}))(?:\s+(?!ones\b){_ONE}\b|\s*[,-]|"
                      rf"\s+(?:looks?|seems?|is|was|sounds?|and|or|with|vs)\b)", re.I)
# "the cheap pair", "the pricey one": the cheapest or dearest shown, said without a superlative
_PLAIN_EXTREME = re.compile(r"\b(?:the|that|this)\s+(?:(cheap|cheapo|inexpensive|affordable|budget)|"
                            r"(expensive|pricey|pricy|posh|spendy|dear))\s+(?:one|pair|option|set)\b", re.I)
# "the two cheapest", "the 2 most expensive ones": that many shown products, picked by price
_EXTREME_SOME = re.compile(rf"\bthe\s+(two|2|three|3)\s+(?:({_CHEAPEST})|({_DEAREST}))\b", re.I)
# the second of two set side by side, ending the message: "which is better, the cheapest or the priciest?"
_EXTREME_PAIRED = re.compile(rf"\b(?:with|and|or|vs|versus|to)\s+the\s+(?:({_CHEAPEST})|({_DEAREST}))\s*[?.!]*\s*$",
                             re.I)
_SIDE = re.compile(r"\b(?:the\s+(?:one|ones|pair)\s+(?:on|at|to)\s+the\s+(?:far\s+)?(left|right)|"
                   # "for the right pair" is the suitable one, no side
                   r"(?<!\bfor )the\s+(left|right)(?:most)?(?:[- ]hand)?\s+(?:one|pair|item)|"
                   r"the\s+(leftmost|rightmost)\b)", re.I)
_BY_SIZE = re.compile(rf"\bthe\s+(\d+(?:\.\d+)?)\s*-?\s*(oz|ounces?|ml|millilit(?:er|re)s?|l|lit(?:er|re)s?|g|grams?|"
                      rf"inch(?:es)?|in)\s+{_ONE}\b", re.I)
_UNIT_FORMS = {"oz": ("oz", "ounce"), "ml": ("ml", "millilit"), "l": ("l", "lit"), "g": ("g", "gram"),
               "in": ("in", "inch")}


def _unit(word: str) -> str:
    w = word.lower()
    return next((u for u, forms in _UNIT_FORMS.items() if w == u or any(w.startswith(f) and len(f) > 2
                                                                          for f in forms)), w)


def _has_size(title: str, figure: float, unit: str) -> bool:
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*-?\s*([a-z]+)", title.lower()):
        if abs(float(m.group(1)) - figure) < 1e-6 and _unit(m.group(2)) == unit:
            return True
    return False


def described_positions(message: str, shown: Sequence[_Shown]) -> list[int]:
    """Positions of shown products picked by their price ("the $24 one": the one whose price is that figure, cents
    left off), by being the cheapest or dearest shown ("the cheapest one"), by their place on screen ("the one on the
    left"), by their size ("the 100 ml one") or by their id ("does BR0003 run small"), in the order they are picked;
    [] when nothing picks one alone."""
    if not shown:
        return []
    picked: list[tuple[int, int]] = []  # (where in the message, position)
    for m in _BY_PRICE.finditer(message):
        figure = parse_price(m.group(1) or m.group(2) or m.group(3))
        if figure is None:
            continue
        hits = [p.position for p in shown if p.price is not None
                and (abs(p.price - figure) < 0.01 or figure.is_integer() and figure in (int(p.price), round(p.price)))]
        if len(hits) == 1:
            picked.append((m.start(), hits[0]))
    priced = [p for p in shown if p.price is not None]
    for m in [*_EXTREME.finditer(message), *_EXTREME_PAIRED.finditer(message), *_PLAIN_EXTREME.finditer(message)]:
        if priced and not re.search(r"\bwhich\b", message, re.I):  # "which is the cheapest one": an order asked
            pick = min(priced, key=lambda p: p.price) if m.group(1) else max(priced, key=lambda p: p.price)
            picked.append((m.start(), pick.position))
    for m in _EXTREME_SOME.finditer(message):
        if len(priced) > (count := _COUNTS[m.group(1).lower()]) and not re.search(r"\bwhich\b", message, re.I):
            by_price = sorted(priced, key=lambda p: p.price, reverse=bool(m.group(3)))
            picked += [(m.start(), p.position) for p in sorted(by_price[:count], key=lambda p: p.position)]
    for m in _SIDE.finditer(message):
        side = (m.group(1) or m.group(2) or m.group(3)).lower()
        picked.append((m.start(), shown[0].position if side.startswith("left") else shown[-1].position))
    for p in shown:  # "does BR0003 run small": the shown product whose id the shopper quotes
        m = re.search(rf"(?<![\w-]){re.escape(p.id)}(?![\w-])", message, re.I) if len(p.id) >= 5 else None
        if m:
            picked.append((m.start(), p.position))
    for m in _BY_SIZE.finditer(message):
        hits = [p.position for p in shown if _has_size(p.title, float(m.group(1)), _unit(m.group(2)))]
        if len(hits) == 1:
            picked.append((m.start(), hits[0]))
    found: list[int] = []
    for _, position in sorted(picked):
        if position not in found:
            found.append(position)
    return found


def shared_name_positions(message: str, shown: Sequence[_Shown], kind_words: Collection[str] = ()) -> list[int]:
    """Shown products named together by a name they share ("the trail lite vs the trail lite": two shown products
    whose titles both say "trail lite"): the positions whose own title words (no kind of product, no brand) the message
    says, when those words pick more than one shown product but not all of them."""
    if len(shown) < 3:
        return []
    words = {singular(w) for w in normalise(message).split()}
    per = [_words(p, kind_words) for p in shown]
    picked: set[int] | None = None
    for w in words:
        if w in kind_words:
            continue
        hits = {p.position for p, (brand, title) in zip(shown, per) if w in title and w not in brand}
        if 2 <= len(hits) < len(shown):
            picked = hits if picked is None else picked & hits
    return sorted(picked) if picked and len(picked) >= 2 else []
# "the pricier bottle", "the less expensive pair of boots": a comparative that sets two shown products of one kind
# side by side (a comparison of those two), not a wish for cheaper ones
_COMPARATIVE = re.compile(rf"\bthe\s+(?:{_CHEAPER}|{_DEARER})\s+((?:\w+\s+){{0,2}}\w+)", re.I)
_SET_AGAINST = re.compile(r"\b(vs|versus|compar\w*|against|difference|or|than)\b", re.I)


def comparative_positions(message: str, shown: Sequence[_Shown], kind_leaves: Callable[[str], set[str]],
                          leaf_of: Callable[[str], str | None]) -> list[int]:
    """The two shown products of the kind named after a comparative of price ("the dearer jacket vs the other"):
    both of them, when exactly two of the shown products are of that kind and the message sets them against each
    other; [] otherwise."""
    if not _SET_AGAINST.search(message):
        return []  # "the cheaper boots please": a pick of one, not a comparison
    for m in _COMPARATIVE.finditer(message):
        for w in normalise(m.group(1)).split():
            if len(w) < 3 or not w.isalpha() or w in _NO_KIND:
                continue
            leaves = kind_leaves(w)
            hits = [p.position for p in shown if leaves and leaf_of(p.id) in leaves]
            if len(hits) == 2:
                return hits
    return []


# "the cheaper of the two jackets", "the pricier of those": one of the shown products picked by its price among
# those of the kind named (or among all of them when none is named)
_OF_THE = re.compile(rf"\bthe\s+(?:({_CHEAPER}|cheapest)|({_DEARER}|priciest|dearest))\s+(?:one\s+)?of\s+(?:the|"
                     rf"these|those|them|both)\b(?:\s+(two|2|three|3|four|4))?((?:\s+\w+){{0,2}})", re.I)
_COUNTS = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}


def priced_pick(message: str, shown: Sequence[_Shown], kind_leaves: Callable[[str], set[str]],
                leaf_of: Callable[[str], str | None]) -> list[int]:
    """[the position] of the cheaper (or dearer) shown product of the kind named after "the cheaper of the two";
    [] when nothing is picked so (no such words, no number said, not that many shown of that kind)."""
    m = _OF_THE.search(message)
    if m is None or re.search(r"\bwhich\b", message, re.I):  # "which is the cheaper of the two": an order asked
        return []
    among = list(shown)
    for w in normalise(m.group(4)).split():
        if len(w) >= 3 and w.isalpha() and w not in _NO_KIND and (leaves := kind_leaves(w) or kind_leaves(singular(w))):
            among = [p for p in shown if leaf_of(p.id) in leaves]
            break
    said = _COUNTS.get((m.group(3) or "").lower()) or (2 if re.search(r"\bof\s+both\b", m.group(0), re.I) else None)
    priced = [p for p in among if p.price is not None]
    if len(priced) < 2 or said is None or len(among) != said:  # "of the two" with four of them shown; "the
        # cheapest of these" with no number asks for the list ordered, not one of it
        return []
    pick = min(priced, key=lambda p: p.price) if m.group(1) else max(priced, key=lambda p: p.price)
    return [pick.position]


_TALKED_CHEAPER = re.compile(rf"\bthe\s+(?:({_CHEAPER})|({_DEARER}))\s+(?:one|pair|option)\b(?!\s+of\b)", re.I)
_OTHER = re.compile(r"\bthe other \w+", re.I)


def talked_about(history: Sequence[dict[str, str]], shown: Sequence[_Shown]) -> list[int]:
    """Positions of the shown products the last exchange named, by brand or by most of their title's words ("compare
    the camp tent and the brisa boot" / "The Camp Trail Tent is $120 and the Brisa Ridge Hiking Boot is $95")."""
    said_text = " ".join(m.get("content", "") for m in history[-2:])
    said = {singular(w) for w in normalise(said_text).split()}
    padded = f" {normalise(said_text)} "
    found = []
    for p in shown:
        _, title = _words(p)
        by_brand = bool(p.brand) and f" {normalise(p.brand)} " in padded
        if by_brand or title and len(title & said) / len(title) >= 0.6:
            found.append(p.position)
    return found


def history_pick(message: str, history: Sequence[dict[str, str]], shown: Sequence[_Shown],
                 kind_leaves: Callable[[str], set[str]], leaf_of: Callable[[str], str | None]) -> list[int]:
    """[the position] the message picks among the shown products the last exchange was about: "the cheaper one" of
    the two it named, "the other tint" beside the one it named; [] when it picks none so."""
    if not history:
        return []
    m = _TALKED_CHEAPER.search(message)
    if m:
        named = [p for p in shown if p.position in talked_about(history, shown) and p.price is not None]
        if len(named) != 2:
            return []
        pick = min(named, key=lambda p: p.price) if m.group(1) else max(named, key=lambda p: p.price)
        return [pick.position]
    m = _OTHER.search(message)
    if m:
        word = normalise(m.group(0)).split()[-1]
        leaves = kind_leaves(word) or kind_leaves(singular(word))
        of_kind = [p.position for p in shown if leaves and leaf_of(p.id) in leaves]
        named = talked_about(history, shown)
        rest = [p for p in of_kind if p not in named]
        if len(named) == 1 and named[0] in of_kind and len(rest) == 1:
            return rest
    return []


# a reply's pointer at a shown product by its place on screen: "(2)", "[2]", "#2", "number 2", "in position 2"
_REPLY_MARK = re.compile(r"\((\d)(?=\)|,)|\[(\d)\]|#(\d)\b|\b(?:number|position|spot|slot) (\d)\b")


def marked_positions(reply: str, n_shown: int) -> list[int]:
    """The shown positions a reply marks by their place on screen, in the order it marks them."""
    marked = [int(next(g for g in m.groups() if g)) for m in _REPLY_MARK.finditer(reply)]
    return list(dict.fromkeys(p for p in marked if 1 <= p <= n_shown))


def reply_positions(history: Sequence[dict[str, str]], shown: Sequence[_Shown]) -> list[int]:
    """Positions of the shown products the assistant's last reply was about, in the order it named them: those it
    marks by their place ("the Tempo Pro (2) has the thicker midsole"), else those it names by brand or by most of
    their title's words (a brand named outweighs a title's words: a maker's line shares its words with another's);
    [] when the history ends with no reply."""
    if not history or history[-1].get("role") != "assistant":
        return []
    reply = history[-1].get("content", "")
    marked = marked_positions(reply, len(shown))
    if marked:
        return marked
    padded = f" {normalise(reply)} "
    named_at = {p.position: padded.find(f" {normalise(p.brand)} ") for p in shown if p.brand}
    by_brand = sorted((pos for pos, at in named_at.items() if at >= 0), key=lambda pos: named_at[pos])
    return by_brand or talked_about([{"role": "assistant", "content": reply}], shown)
