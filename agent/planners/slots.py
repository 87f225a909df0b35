"""Slots from a shopper's message: price bounds, brand, category, positions, user id, the search words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.planners.vocab import Vocabulary, normalize

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}


_UNIT_RE, _TEEN_RE, _TENS_RE = ("|".join(words) for words in (_UNITS, _TEENS, _TENS))
_BELOW_100 = rf"(?:(?:{_TENS_RE})(?: (?:{_UNIT_RE}))?|{_TEEN_RE}|{_UNIT_RE})"
# every number phrase up to 999 a shopper may type: "five", "seventy five" (hyphens are turned into spaces first),
# "two hundred and fifty", "a hundred"
_NUMBER_PHRASE = re.compile(rf"\b((?:a|{_UNIT_RE}) hundred(?: (?:and )?{_BELOW_100})?|hundred|{_BELOW_100})\b")
_WORD_VALUES = {**_UNITS, **_TEENS, **_TENS, "a": 1}


def _phrase_value(phrase: str) -> int:
    """The value of a phrase ``_NUMBER_PHRASE`` matched: units, teens and tens add up; "hundred" multiplies."""
    total = 0
    for word in phrase.split():
        if word == "hundred":
            total = max(total, 1) * 100
        elif word != "and":
            total += _WORD_VALUES[word]
    return total


_NUM = r"(\d+(?:[.,]\d{1,2})?)\s*(k\b)?"
_CUR = r"(?:\$|usd\s*|€|£)?"
_UNIT_AFTER = r"(?!\s*(?:-|\s)?(?:ml|l\b|g\b|kg|oz|mm|cm|m\b|person|people|pack|pairs?|hours?|h\b|w\b|watts?|cups?|"\
              r"inch|in\b|%|percent|star|stars|gb|tb|spf|year|years|days?|mins?|minutes?|x\b|pcs|pieces|lit(?:er|re)s?|"\
              r"lbs?\b))"
_PRICE_WORDS = r"(?:dollars?|usd|bucks|euros?)"
_UNIT_NUMBER = re.compile(r"\d(?:[.,]\d+)?\s*(?:-|\s)?(?:ml|l|g|kg|oz|mm|cm|m|liters?|litres?|lbs?|pounds?|inch(?:es)?|in|"
                          r"person|people|pack|pairs?|hours?|h|w|watts?|cups?|%|percent|stars?|gb|tb|spf|years?|"
                          r"days?|mins?|minutes?|x|pcs|pieces)\b")
# "nothing over 120", "not above $90", "no higher than 50": a maximum
_NEGATED_MIN = r"(?:nothing|not|no|never)\s+(?:over|above|more than|higher than|beyond|exceeding)"
_POS_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
              "fifth": 5, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_STOP = set("""a an the i im i'm me my we you your it its is are am be to for of in on at by with and or but
please pls show find get give need want looking look search something some any anything one ones them these
those that this what which can could would do does have has under below over above less more than cheaper
price priced cost costs budget max maximum min minimum least most around about between up from dollars dollar
usd bucks euros euro only just also like really good best nice new buy buying shopping shop store hi hey
hello thanks thank got there here how much many let see item items product products sort kind type of
recommend recommendation suggest suggestions""".split())


@dataclass
class Slots:
    min_price: float | None = None
    max_price: float | None = None
    brand: str | None = None
    category: str | None = None
    positions: list[int] = field(default_factory=list)
    all_shown: bool = False
    cheaper: bool = False
    user_id: str | None = None
    query: str = ""


def _num(text: str, k: str | None) -> float:
    value = float(text.replace(",", "."))
    return value * 1000 if k else value


_ANY_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted({*_UNITS, *_TEENS, *_TENS, "hundred"})) + r")\b")
_PRICE_CONTEXT_BEFORE = re.compile(r"\b(under|below|over|above|than|around|about|max|upto|up to|between|from|and|"
                                   r"to|budget(?: is| of)?|at most|at least|within)\s*$")


def _replace_number_words(text: str) -> str:
    """Number words written as digits where they can be prices: before a currency word or the end of a clause,
    or after a price word ("under five", "between ten and twenty"). "the second one" and "two of them" stay."""
    if not _ANY_NUMBER_WORD.search(text):
        return text
    text = re.sub(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|seven|"
                  r"eight|nine)\b", r"\1 \2", text)

    def digits(m: re.Match) -> str:
        before, after = text[:m.start()], text[m.end():]
        if re.match(rf"\s*{_PRICE_WORDS}|\s*$|\s*[,.!?]", after) or _PRICE_CONTEXT_BEFORE.search(before):
            return str(_phrase_value(m.group(1)))
        return m.group(0)

    return _NUMBER_PHRASE.sub(digits, text)


def parse_prices(text: str) -> tuple[float | None, float | None, str]:
    """(min, max, text without the price phrases). Bare numbers with units (size 10, 2-person) are not prices."""
    t = _replace_number_words(text.lower())
    lo = hi = None
    spans: list[tuple[int, int]] = []
    rng = re.search(rf"(?:between|from)\s*{_CUR}{_NUM}\s*(?:{_PRICE_WORDS})?\s*(?:and|to|-)\s*{_CUR}{_NUM}", t) or \
        re.search(rf"{_CUR}{_NUM}\s*(?:-|to)\s*{_CUR}{_NUM}\s*(?:{_PRICE_WORDS})?(?=\s|$|[,.!?])", t)
    if rng and (rng.group(0).strip().startswith(("between", "from")) or "$" in rng.group(0)
                or re.search(_PRICE_WORDS, rng.group(0))):
        lo, hi = _num(rng.group(1), rng.group(2)), _num(rng.group(3), rng.group(4))
        if lo > hi:
            lo, hi = hi, lo
        spans.append(rng.span())
    else:
        for m in re.finditer(rf"(under|below|less than|cheaper than|no more than|not more than|at most|max(?:imum)?|"
                             rf"up to|upto|within|budget(?: is| of)?|<|<=|for less than|{_NEGATED_MIN})\s*(?:of\s*)?"
                             rf"{_CUR}{_NUM}{_UNIT_AFTER}", t):
            hi = _num(m.group(2), m.group(3))
            spans.append(m.span())
        for m in re.finditer(rf"(over|above|more than|at least|min(?:imum)?|starting at|from|>|>=|no less than)\s*"
                             rf"{_CUR}{_NUM}{_UNIT_AFTER}", t):
            if re.search(r"\b(nothing|not|no|never)\s*$", t[:m.start()]):
                continue  # "nothing over 120" is a maximum
            if m.group(1) == "from" and "$" not in m.group(0) and not re.search(
                    rf"{re.escape(m.group(0))}\s*{_PRICE_WORDS}", t):
                continue
            lo = _num(m.group(2), m.group(3))
            spans.append(m.span())
        for m in re.finditer(rf"(around|about|approximately|roughly|~)\s*{_CUR}{_NUM}{_UNIT_AFTER}", t):
            if hi is None and lo is None and ("$" in m.group(0) or re.search(_PRICE_WORDS, t[m.end():m.end() + 9])):
                v = _num(m.group(2), m.group(3))
                lo, hi = round(v * 0.8, 2), round(v * 1.2, 2)
                spans.append(m.span())
        if hi is None and lo is None:
            m = re.search(rf"\$\s*{_NUM}|{_NUM}\s*{_PRICE_WORDS}", t)
            if m:
                value = _num(m.group(1), m.group(2)) if m.group(1) else _num(m.group(3), m.group(4))
                hi = value
                spans.append(m.span())
    rest = t
    for a, b in sorted(spans, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    return lo, hi, rest


_COUNT = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
_TIME_WORDS = {"time", "year", "week", "month", "night", "day", "days", "weekend", "season", "game", "match", "hour",
               "minute", "summer", "winter", "spring", "autumn", "fall", "christmas", "order", "purchase", "visit"}


def parse_positions(text_norm: str, n_shown: int) -> tuple[list[int], bool]:
    """1-based positions named in the text; ``all_shown`` for "these", "all of them", "both"."""
    words = text_norm.split()
    found: list[int] = []
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        value = None
        if w in ("first", "1st", "second", "2nd", "third", "3rd", "fourth", "4th", "fifth", "5th"):
            if w in ("first", "last") and _COUNT.get(nxt, 0) >= 2 and n_shown:  # "the first three"
                count = min(_COUNT[nxt], n_shown)
                found += [i for i in range(1, count + 1) if i not in found]
                continue
            value = _POS_WORDS[w]
        elif w in ("last", "final") and _COUNT.get(nxt, 0) >= 2 and n_shown:  # "the last two"
            count = min(_COUNT[nxt], n_shown)
            found += [i for i in range(n_shown - count + 1, n_shown + 1) if i not in found]
            continue
        elif w in ("last", "final") and nxt not in _TIME_WORDS:
            value = n_shown or None
        elif w.isdigit() and nxt not in ("in", "x", "m", "h", "w") and _UNIT_NUMBER.match(f"{w} {nxt}"):
            continue  # "1 litre", "2 person"
        elif w.isdigit() and 1 <= int(w) <= max(n_shown, 5) and (
                prev in ("number", "no", "item", "product", "option", "and", "vs", "versus", "compare", "with", "or",
                         "to", "about", "")
                or nxt in ("and", "vs", "versus", "or")):
            if nxt in ("dollars", "usd", "bucks") or prev in ("under", "below", "over", "than"):
                continue
            value = int(w)
        elif w in ("one", "two", "three", "four") and prev in ("number", "item", "option", "product"):
            value = _POS_WORDS[w]
        if value and value not in found:
            found.append(value)
    # a list of small numbers ("1, 2 and 4", "2 3 or 4"): every one of them is a position
    top = max(n_shown, 5)
    for m in re.finditer(r"\b\d(?:\s+\d)*\s+(?:and|or|vs|versus|with|to)\s+\d\b", text_norm):
        if re.match(r"\s*(dollars?|usd|bucks|euros?)\b", text_norm[m.end():]):
            continue
        for w in re.findall(r"\d", m.group(0)):
            if 1 <= int(w) <= top and int(w) not in found:
                found.append(int(w))
    all_shown = bool(re.search(r"\b(these|all of them|all (four|three|two)|both|them all|those)\b", text_norm))
    return found, all_shown


_USER_RE = re.compile(r"\b(?:user(?:\s*id)?|id|customer|account)\s*(?:is|:|#|number)?\s*([A-Za-z]*\d[\w-]*)", re.I)


def parse_user(text: str, vocab: Vocabulary) -> str | None:
    for m in _USER_RE.finditer(text):
        cand = m.group(1)
        for form in (cand, cand.upper()):
            if form in vocab.users:
                return form
    for token in re.findall(r"[A-Za-z0-9_-]{4,}", text):
        if token in vocab.users:
            return token
    return None


def _shared_filters(message: str, vocab: Vocabulary):  # noqa: ANN202 - tools.search.SearchFilters | None
    if vocab.catalog is None:
        return None
    try:
        from tools.search import parse_query
    except ImportError:
        return None
    try:
        return parse_query(message, vocab.catalog).filters
    except Exception:  # noqa: BLE001 - the shared parser is a help, never a failure
        return None


def parse_slots(message: str, vocab: Vocabulary, n_shown: int = 0) -> Slots:
    """Every slot the message fills, with brands/categories only as the catalog spells them."""
    lo, hi, rest = parse_prices(message)
    norm = normalize(message)
    slots = Slots(min_price=lo, max_price=hi)
    slots.brand = vocab.find_brand(norm)
    slots.category = vocab.find_category(normalize(rest))
    shared = _shared_filters(message, vocab)
    if shared is not None:  # the search tool's own parser fills what ours leaves open
        slots.brand = vocab.canonical_brand(shared.brand) or slots.brand
        theirs = vocab.canonical_category(shared.category)
        if theirs and (slots.category is None or theirs in vocab.leaves and slots.category not in vocab.leaves):
            slots.category = theirs  # a leaf ("Cleansers") is more specific than a parent ("Face")
        if (shared.min_price is not None or shared.max_price is not None) and lo is None and hi is None and \
                not _UNIT_NUMBER.search(message.lower()):
            # ours knows negations ("nothing over 120") and units ("around 40 liters"); theirs fills the rest
            slots.min_price, slots.max_price = shared.min_price, shared.max_price
    slots.positions, slots.all_shown = parse_positions(normalize(re.sub(r"#\s*(\d)", r" number \1", message)),
                                                       n_shown)
    slots.cheaper = bool(re.search(r"\b(cheaper|less expensive|lower price|lower priced|too expensive|cost too much|"
                                   r"costs too much|too pricey|more affordable|budget option|cheapest|less money|"
                                   r"for less(?! than)|spend less|less costly|less pricey)\b", norm))
    slots.user_id = parse_user(message, vocab)
    words = [w for w in normalize(rest).split() if w not in _STOP and not w.isdigit()]
    if slots.brand:
        bw = set(normalize(slots.brand).split())
        words = [w for w in words if w not in bw]
    if slots.user_id:
        words = [w for w in words if w != slots.user_id.lower()]
    slots.query = " ".join(words)
    return slots
