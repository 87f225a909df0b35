"""Slots from a shopper's message: price bounds, brand, category, positions, user id, the search words."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from agent.planners.title_leaves import stem
from agent.planners.vocab import (Vocabulary, common_words, english_words, join_initials, sound_key, spoken_letters,
                                  typo_of)
from tools.language import (AMOUNT, CORRECTION, LABELS, MONEY, UNITS, normalise, parse_bounds, singular,
                            words_to_digits)
from tools.search.keyword import STOPWORDS

_POS_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
              "fifth": 5, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# words that carry no search meaning of their own: what is left of a message without them names the need
FILLER = frozenset("""a an the i im i'm me my we you your it its is are am be to for of in on at by with and or
but please pls show find get give need want looking look search something some any anything one ones them these
those that this what which can could would do does have has under below over above less more than cheaper
price priced cost costs budget max maximum min minimum least most around about between up from dollars dollar
usd bucks euros euro only just also like really good best nice new buy buying shopping shop store hi hey
hello thanks thank got there here how much many let lets see item items product products sort kind type of
recommend recommendation suggest suggestions nothing none except exclusively strictly
then but though same ok okay right""".split())  # the last: how a follow-up is joined on ("same but in X then")


@dataclass
class Slots:
    min_price: float | None = None
    max_price: float | None = None
    brand: str | None = None
    category: str | None = None
    # a leaf only the product titles point to (no category word said): a search's category, no sign of intent
    title_category: str | None = None
    positions: list[int] = field(default_factory=list)
    all_shown: bool = False
    cheaper: bool = False
    user_id: str | None = None
    query: str = ""
    # a brand the shopper rules out ("not Korra", "anything but Velmora"): no brand to filter by
    ruled_out: str | None = None
    # the message takes back something said before it ("X... wait no, Y"): it corrects, it asks nothing new
    corrected: bool = False
    # the one position is the product the conversation's last reply was about (no word of the message names it)
    referred: bool = False
    # the kind named is another one to go with a shown product ("socks to match the red shoes"): a new search
    companion: bool = False
    # a product met elsewhere and asked for here ("my sister swears by 'X', do you stock it?"): a search for it
    elsewhere: bool = False
    # the kind named is none of the shown products' ("a kettle as good as my old one"): nothing shown to be like
    unshown_kind: bool = False
    # the brand named is none of the shown products' and nothing was said before ("<brand> under 60", none of theirs
    # on screen): that brand's products to find, not a narrowing of what is shown
    unshown_brand: bool = False
    # the kind named is the shown products', pointed at by "the"/"these"/"those" ("the blenders cost too much")
    shown_kind: bool = False
    # the few words left to search by are none the product titles use ("a work party thing"): chatter, no product
    idle_query: bool = False
    # a bare "like" names a shown product as the model ("perfumes like <name>", "like <name> but cheaper")
    like_shown: bool = False
    # a thing no title names asked for first, then only its price ("toaster under 40"): a search for it
    thing_asked: bool = False
    # the thing before "for" is a word no title uses ("a guitar for beginners"): a thing asked for, maybe not sold
    unknown_thing: bool = False
    # the kind was named only as a thing of the shopper's story ("the printer at work keeps jamming, I need..."):
    # "the"/"our"/"their" before it in a long message
    story_kind: bool = False


# a figure reached after a while or along a way ("sore after about 5k", "every 10k", "after anything over 10k",
# "running a 5k"): a distance, not a price; a couple of words may stand between the word of distance and the figure
_DISTANCE = re.compile(r"\b(?:after|every|past|beyond|within|by|run|runs|ran|running|walk|walking|race|racing|ride|"
                       r"riding)\s+(?:(?!under\b|below\b|less\b|max\b)\w+\s+){0,2}"
                       r"(?:about\s+|around\s+|roughly\s+|maybe\s+)?"
                       r"\d+(?:\.\d+)?\s?k\b(?!\s*(?:dollars?|bucks|usd|budget))", re.I)


def _unmoneyed(text: str) -> str:
    """``text`` without the figures written as money (``tools.language``'s money pattern): a currency sign, code or
    word, thousands as "k", or cents ("2.5k", "$7", "14.50")."""
    def blank(m: re.Match[str]) -> str:
        money = m.group("pre") or (m.group("post") or "").strip() or m.group("k") or "." in m.group("num")
        return " " if money else m.group(0)
    return MONEY.sub(blank, text)


def parse_prices(text: str) -> tuple[float | None, float | None, str]:
    """(min, max, text without the price phrases), as ``tools.language.parse_bounds`` reads them."""
    bounds = parse_bounds(_DISTANCE.sub(" ", text))
    return bounds.min_price, bounds.max_price, bounds.rest


_COUNT = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
_TIME_WORDS = {"time", "year", "week", "month", "night", "day", "days", "weekend", "season", "game", "match", "hour",
               "minute", "summer", "winter", "spring", "autumn", "fall", "christmas", "order", "purchase", "visit",
               # an outing or an event gone by: "my last trip", "the last race", "last holiday"
               "trip", "holiday", "vacation", "outing", "race", "run", "hike", "camp", "tour", "journey", "event",
               # a first of the shopper's life: "a first interview on monday", "my first job", "our first flat"
               "date", "job", "interview", "wedding", "anniversary", "birthday", "baby", "apartment", "flat", "house",
               "home", "marathon", "class", "semester", "term", "season",
               # a day of the week: "ordered last thursday", "the first monday of the month"
               *(d.lower() for d in calendar.day_name)}

# words after "last"/"final" that make it no position: "my last few orders", "is it final sale"
_NOT_LAST = {"few", "couple", "several", "bunch", "sale", "answer", "decision", "offer", "word", "call", "straw"}
# words after an ordinal that make it a pointer at a product ("on the 3rd one"), not a date
_POINTED = {"one", "ones", "item", "product", "option", "pick", "pair", "listing", "please", "pls", "thanks", ""}

# "last" as a verb: after a subject or a modal, or before how long
_LAST_VERB_BEFORE = {"would", "will", "wont", "does", "doesnt", "do", "dont", "did", "didnt", "wouldnt", "to", "it",
                     "they", "can", "cant", "could", "should", "might", "may", "must", "which", "that", "really",
                     "actually", "longer",
                     # an adverb of how often or how well: "the cheap ones never last"
                     "never", "always", "usually", "rarely", "seldom", "ever", "barely", "hardly", "ones"}
_LAST_VERB_AFTER = {"long", "longer", "longest", "forever", "through", "beyond", "ages", "all", "years", "months",
                    "weeks", "hours", "more"}


def _past_shown(figures: str, n_shown: int) -> bool:
    """Whether a figure of ``figures`` is beyond the ``n_shown`` positions on screen (none are when nothing is)."""
    return bool(n_shown) and any(int(x) > n_shown for x in re.findall(r"\d+", figures))


# positions said as words in a list ("the difference between three and for") or after "number" / "item", with the
# words a voice typist hears for them ("number to", "item for"): written as digits before the positions are read
_SPOKEN_POSITION = {"one": "1", "two": "2", "to": "2", "too": "2", "three": "3", "four": "4", "for": "4"}
_SAID_LIST = re.compile(r"\b(?:one|two|three|four)(?:\s+(?:one|two|three|four|to|too|for))*\s+(?:and|or|vs|versus|with)"
                        r"\s+(?:one|two|three|four|to|too|for)\b"
                        r"(?!\s+(?:of|people|persons?|pack|pairs?|more|hundred|thousand|grand|dollars|bucks)\b)")
# a list of number words is positions only where shown products are set side by side ("sleeps two or three" counts)
_SIDE_BY_SIDE = re.compile(r"\b(compare|comparing|difference|differ|vs|versus|better)\b")
_SAID_NUMBER = re.compile(r"(?<!phone )(?<!order )(?<!tracking )(?<!card )(?<!account )(?<!contact )(?<!reference )"
                          r"\b(number|item|no)\s+(to|too|for)\b(?!\s+(?:me|you|us|him|her|them|the|a|my)\b)")


def spoken_positions(text_norm: str) -> str:
    """``text_norm`` with positions said as words in a list beside words that set products side by side, or after
    "number"/"item", written as digits ("which is better, three or for" -> "which is better, 3 or 4", "item for" ->
    "item 4"); other number words left as they are."""
    text_norm = _SAID_NUMBER.sub(lambda m: f"{m.group(1)} {_SPOKEN_POSITION[m.group(2)]}", text_norm)
    if not _SIDE_BY_SIDE.search(text_norm):
        return text_norm
    return _SAID_LIST.sub(lambda m: " ".join(_SPOKEN_POSITION.get(w, w) for w in m.group(0).split()), text_norm)


# "first" closing a clause after a thing or a verb is an order of business, not the first product: "boots first.",
# "tents first", "can you say if you post abroad first?" (but "the first?", "and first", "first?" alone point)
_FIRST_OF_ALL = re.compile(r"(?<=\w )(?<!\bthe )(?<!\bthat )(?<!\bthis )(?<!\bnumber )(?<!\bitem )(?<!\band )"
                           r"(?<!\bor )(?<!\bvs )(?<!\bthan )\bfirst(?=\s*([.?!;,]|$))", re.I)


def without_first_of_all(text: str) -> str:
    """``text`` without a "first" that orders the shopper's business ("boots first.", "tents first")."""
    return _FIRST_OF_ALL.sub("", text)


_STOCKING = re.compile(r"\bstocking (?:fillers?|stuffers?)\b", re.I)
_POSSESSIVES = frozenset(("my", "our", "their", "his", "her", "your"))
# a price asked of the shop's shipping, not of what is shown: "the cheapest express shipping"
_SHIPPING_PRICE = re.compile(r"\b(cheap|cheaper|cheapest|lowest cost)( \w+)? (shipping|delivery|postage|courier)\b")
# "pay in 3", "split into 4": a count of instalments after these words
_PAY_IN = frozenset(("pay", "paying", "payable", "split", "spread", "paid"))
# month names as typed ("dec 2nd", "the 3rd of june", "sept 3rd"): an ordinal beside one is a date
_MONTHS = frozenset(m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:])) | {"sept"}


def parse_positions(text_norm: str, n_shown: int) -> tuple[list[int], bool]:
    """1-based positions named in the text; ``all_shown`` for "these", "all of them", "both"."""
    text_norm = spoken_positions(text_norm)
    words = text_norm.split()
    found: list[int] = []
    # a list of figures with one beyond what is shown ("for twins aged 3 and 9", "sizes 3 or 7") counts or measures
    beyond = {i for m in re.finditer(r"\b\d+(?:\s+(?:and|or|to|vs|versus)\s+\d+)+\b", text_norm)
              if _past_shown(m.group(0), n_shown)
              for i in range(len(text_norm[:m.start()].split()), len(text_norm[:m.end()].split()))}
    for i, w in enumerate(words):
        if i in beyond:
            continue
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        value = None
        if w in ("first", "1st", "second", "2nd", "third", "3rd", "fourth", "4th", "fifth", "5th") and \
                singular(nxt) in _TIME_WORDS | {"timer", "buyer", "customer", "shopper", "party"}:
            continue  # "my first order", "first time buyers", "third parties": an occasion or others, not a product
        if w in ("last", "final") and nxt == "one" and (words[i + 2:i + 3] in (["i"], ["we"], ["ive"], ["weve"])
                                                       or words[i + 2:i + 4] in (["that", "i"], ["that", "we"])):
            continue  # "the last one i bought leaked": the shopper's own, not the last product shown
        if prev in _POSSESSIVES and (w in _POS_WORDS and not w.isdigit() and w not in ("one", "two", "three", "four",
                                                                                  "five") or w in ("last", "final")):
            continue  # "my first marathon", "her last one broke": someone's own, not a shown product
        lead = re.search(r"\b(on|since|by|until|till|before|after|its|is|was) (only |just |already |now |still )?the$",
                         " ".join(words[max(0, i - 3):i]))
        if re.fullmatch(r"\d+(st|nd|rd|th)", w) and lead and (lead.group(1) == "on" and nxt not in _POINTED or (
                not nxt and (lead.group(2) or lead.group(1) in ("since", "until", "till")))):
            continue  # "ordered on the 3rd", "but its only the 3rd": a date, not the third product
        if w in _POS_WORDS and not w.isdigit() and (prev in _MONTHS and (prev != "may" or w[0].isdigit())
                                                    or nxt == "of" and i + 2 < len(words) and words[i + 2] in _MONTHS):
            continue  # "open on dec 2nd", "by the 3rd of june": a date ("you may first want": the verb)
        if w in ("top", "bottom") and prev in ("the", "that", "this") and nxt == "one" and n_shown:
            found += [p for p in [1 if w == "top" else n_shown] if p not in found]
            continue  # "like the top one", "the bottom one": the first or the last on screen
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
        elif w == "last" and prev in ("that", "this") and nxt in ("one", "item", "product", "option", "pick", "pair"):
            value = n_shown or None  # "that last one": a demonstrative and "one" point at the last product
        elif w == "last" and (prev in _LAST_VERB_BEFORE or nxt in _LAST_VERB_AFTER
                              or prev != "the" and re.search(r"\bhow long\b", " ".join(words[:i]))):
            # "which would last longer", "does it last all day", "how long will the red one last": the verb, not the
            # last position
            continue
        elif w in ("last", "final") and singular(nxt) not in _TIME_WORDS | _NOT_LAST and not (
                i + 2 < len(words) and singular(words[i + 2]) in _TIME_WORDS):  # "my last camping trip"
            value = n_shown or None  # but "my last few orders", "final sale": no last product
        elif w.isdigit() and nxt not in ("in", "x", "m", "h", "w") and nxt in UNITS:
            continue  # "1 litre", "2 person"
        elif w.isdigit() and prev in ("in", "into", "over") and i >= 2 and words[i - 2] in _PAY_IN:
            continue  # "pay in 3", "split into 4": instalments, not a shown product
        elif w.isdigit() and 1 <= int(w) <= max(n_shown, 5) and (
                prev in ("number", "no", "item", "product", "option", "and", "vs", "versus", "compare", "with", "or",
                         "to", "about", "")
                # "info 2", "details on 3", "more like 4": a terse pointer at a shown product
                or prev in ("info", "details", "detail", "specs", "like", "on") and (
                    not nxt or nxt in ("please", "pls", "thanks", "one", "but", "from", "in", "only"))
                # "is 3 any good", "does 2 come in blue": a shown product asked after by its place alone
                or prev in ("is", "are", "does", "do") and i == 1 and nxt in (
                    "good", "any", "ok", "okay", "worth", "better", "nice", "right", "suitable", "available", "still",
                    "come", "fit", "work", "last", "have")
                or prev == "the" and (not nxt or nxt in ("one", "please", "pls"))  # "how big is the 3"
                # "in the vein of 2", "is there any alcohol in 3?": a place closing the message
                or not nxt and (prev == "of" and i >= 2 and words[i - 2] in ("lines", "vein", "style")
                                or prev == "in" and words[0] in ("is", "are", "whats", "what", "any", "does"))
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
    for m in re.finditer(r"\b\d(?:\s+\d)*\s+(?:and|or|vs|versus|with|to)\s+\d+\b", text_norm):
        if re.match(r"\s*(dollars?|usd|bucks|euros?)\b", text_norm[m.end():]) or _past_shown(m.group(0), n_shown):
            continue
        for w in re.findall(r"\d", m.group(0)):
            if 1 <= int(w) <= top and int(w) not in found:
                found.append(int(w))
    all_shown = bool(re.search(r"\b(these|all of them|all (four|three|two)|both|"
                               r"them all(?! (the )?(time|day|night|year|week))|those|on (the |my )?screen|"
                               # "what you just showed", "the ones shown" (but "it never showed up")
                               r"(you|ones|items|products|options|what) (just )?(showed|shown|listed)|"
                               r"(showed|shown|listed) (me|us|here|above|earlier|before))\b", text_norm))
    return found, all_shown


# "cheaper" in the shopper's words: a price said to be too high for them, or a wish to pay less
_CHEAPER = re.compile(
    r"\b(cheaper|cheapest|less expensive|lower price[sd]?|lower priced|cost too much|costs too much|more affordable|"
    r"budget option|less money|for less(?! than)|less costly|less pricey|more (cheap|cheaply|inexpensive|economical)|"
    r"(spend|pay|paying|spending|cost|costs|costing)( \w+){0,3} less|"
    # the price words of everyday speech too: "a bit exy", "less spendy", "too pricy"
    r"(bit|little|rather|quite|way|too|so|very) (steep|pricey|pricy|expensive|exy|spendy|costly|dear|rich)|"
    r"less (spendy|exy|pricy|dear)|(bit|way|far|much) too much|"
    r"(a|the) (bit|little|tad|touch) much|"
    r"(it|that|this|these|those|they|theyre|its|thats|is|are|costs?|was|were) too much|"
    # "those are a lot for a first bike", "that's a fortune", "one for half the price": a price said to be high
    r"((these|those|they|that|this|it) (are|is|s|seem|seems|look|looks|feel|feels)|theyre|thats|its) (quite |"
    r"a bit |kinda |really |still )?(a lot|a fortune|loads|a lot of money)(?=\W*$| (for|to|tbh|honestly|though|"
    r"considering|just|imo|of money|of cash|when|if|since|as)\b)|"
    r"(for|at|about|around) (like |about |around |maybe )?half (that|the price|of that|as much)|"
    r"(pricier|costlier|dearer|more expensive) than (i|we|my|what)|"
    r"(over|above|beyond|more than|out of|outside)( \w+){0,4} (budget|price range|range|in mind|wanted|planned|hoped|"
    r"expected|afford|can spend)|"
    r"(wont|doesnt|dont|not|without) break(ing)? the bank|"
    r"(friendlier|lower|better|nicer|kinder|smaller|gentler|easier) (price|price tag|price point)s?|"
    # "can we go a little lower", "lower in cost", "a more pocket friendly pick"
    r"(go|come|get|going|aim|look) (a bit |a little |much |way )?lower|lower (on|in) (the )?(price|cost)|"
    r"(budget|wallet|purse|pocket)[ -]?friendl(y|ier)|easier on (the|my) (wallet|pocket|purse|budget)|"
    # a budget said to be small ("money's tight", "a smaller budget") or a wish for the low end ("the budget ones")
    r"(budget|money|funds|cash)( is|s| are)? (tight|tighter|smaller|limited|lower|low)|"
    r"(tight|tighter|smaller|limited|lower|low|small) budget|(on|with) a budget|"
    r"budget (stuff|ones|options|picks|brands|items|range|versions?|things|products|alternatives?)|"
    r"(price|prices|pricing|price tags?|costs?) (are|r|is|s|seem|seems|look|looks)?\s*(so |way |kinda |a bit )?"
    r"(crazy|insane|nuts|ridiculous|wild|absurd|outrageous|steep|high)(?! (good|cheap|low)))\b")

# words that tell the planner to narrow the list, not what to search for ("whittle these down to", "limit them to")
_INSTRUCTION = re.compile(r"\b(narrow|cut|pare|whittle)(ed|ing)?( \w+)? down( to)?\b|"
                          r"\b(limit|restrict)(ed|ing)? (it|them|this|these|that|the list|the results|results)( to)?\b|"
                          r"\b(limit|restrict)(ed|ing)? to\b|\b(stick|stay)(ing)? (with|to)\b|"
                          r"\bnarrow(ed|ing)? (it|them|this|these|things|the list|results) to\b|"
                          r"\bkeep (it|them|things|this|the list) to\b")

_WITH = re.compile(r"\b[wW]/(?![oO]\b)\s*(?=\w)")
_WITHOUT = re.compile(r"\b[wW]/[oO]\b")  # "w/o fragrance": without
# "fragrance free", "without alcohol", "no perfume", "nothing shimmery": a kind of product ruled out of what is
# wanted names no kind
_FREE_OF = re.compile(r"\b[\w']+[- ](free|less)\b|\b(without|sans|zero|no|non|minus|nothing|not|never)[- ]"
                      r"(added |too |with |that is |containing |a |an |the |any )?[\w']+\b", re.I)

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


# words that rule out what follows them: "not korra", "anything but velmora", "no more solara"
# "that arent harmonix", "nothing from solara", "not a fan of korra", "anything besides velmora"
_RULE_OUT = re.compile(r"\b(?:not a fan of|not|no|except|excluding|exclude|other than|anything but|but not|minus|"
                       r"without|no more|skip|drop|lose|ditch|hide|remove|filter out|get rid of|take out|"
                       r"(?:nothing|none)(?!\s+(?:but|other than|except)\b)|"
                       r"arent|isnt|aint|avoid|besides|apart from|hate|dislike|sick of|tired of|done with)\s+"
                       r"(?:the\s+|any\s+|from\s+|by\s+|of\s+)?")
# the shopper's own product of a brand, to be replaced by something else ("my old korra pan is worn, a steel one
# this time", "my solara cream was discontinued, any brand will do"): that brand is what they have, not what they ask
# for; "my korra kettle broke, need a new one" asks for the same again and keeps it
_OWNED = r"\bmy (?:old |current |usual |last |previous |broken |dead |worn |trusty |regular |favou?rite )?{name}\b"
_REPLACED = re.compile(r"\b(any brand|another brand|other brands?|different brand|any other|this time|switch(ing)? "
                       r"to|discontinued|no longer (made|sold|available|stocked))\b")


def _owned_replaced(norm: str, brand: str) -> bool:
    """Whether ``brand`` is named only as the shopper's own product that the message asks to replace."""
    name = re.escape(normalise(brand).split()[0])
    owned = len(re.findall(_OWNED.format(name=name), norm))
    return bool(owned) and owned == len(re.findall(rf"\b{name}\b", norm)) and bool(_REPLACED.search(norm))


def _ruled_out(norm: str, brand: str, vocab: Vocabulary) -> str | None:
    """The words that name ``brand`` right after a ruling-out word, or None when the brand is not ruled out."""
    for m in _RULE_OUT.finditer(norm):
        words = norm[m.end():].split()
        for k in (1, 2, 3):  # the fewest words that name it
            said = " ".join(words[:k])
            if len(words) >= k and not (CORRECTION.search(said) or _RULE_OUT.search(said)) \
                    and vocab.find_brand(said) == brand:
                return f"{norm[m.start():m.end()]}{said}"
    return None


def _correction_tail(message: str) -> str | None:
    """The words after the shopper's last self-correction ("korra shoes, wait no, I meant solara"), if any."""
    last = None
    for last in CORRECTION.finditer(message.lower()):
        pass
    return message.lower()[last.end():] if last is not None and normalise(message[last.end():]) else None


def _correct(slots: Slots, message: str, vocab: Vocabulary, n_shown: int) -> None:
    """What is said after a self-correction replaces what was said before it: the last brand and the last kind of
    product named win ("maybelline lipstick, no sorry, revlon" is Revlon; "a duvet, I mean a pillow" a pillow)."""
    tail = _correction_tail(message)
    if tail is None:
        return
    slots.corrected = True
    later = parse_slots(tail, vocab, n_shown, corrections=False)
    if later.brand and later.brand != slots.brand:
        old = set(normalise(slots.brand or "").split())
        slots.query = " ".join(w for w in slots.query.split() if w not in old)
        slots.brand = later.brand
    if later.category and later.category != slots.category:
        slots.category, slots.title_category = later.category, None
        slots.query = later.query or slots.query


# the words of price talk a phone keyboard slips on ("undr 40", "cheapr", "belo 30"): respelt before they are read
_PRICE_WORDS = frozenset({"under", "below", "above", "between", "cheaper", "cheapest", "budget"})


def _respell_price_words(message: str) -> str:
    """``message`` with a word one slip (two in a long word) from a word of price talk written as that word, when
    the word is no English word of its own ("undr", "cheeper"; but "order", "chapter" stay)."""
    known = english_words()

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < 4 or low in _PRICE_WORDS or low in known:
            return word
        return typo_of(low, set(_PRICE_WORDS)) or word

    # "no more then 45", "less then 20": the "than" of a price comparison typed as "then"
    message = re.sub(r"\b(more|less|fewer|higher|lower|cheaper)\s+then\b(?=\s*[$£€]?\s*\d)", r"\1 than", message,
                     flags=re.I)
    return re.sub(r"[A-Za-z]+", fix, message)


# a rising pair of plain figures that ends the message right after a kind of product ("desk lamps 25-45",
# "teapots 20 to 35 please"): a price range, as a bare range standing alone is
# (the figures are read by ``parse_bounds``, as the same range standing alone: "laptops 1,200-1,500")
_TAIL_RANGE = re.compile(rf"^(?P<head>.*?[a-z]{{3,}})\s+(?P<range>(?:{AMOUNT})\s*(?:-|–|—|to)\s*(?:{AMOUNT}))"
                         r"\s*(?:please|pls|plz|thanks|thx)?\W*$")


def _range_after_kind(message: str, vocab: Vocabulary) -> tuple[float, float, str] | None:
    m = _TAIL_RANGE.match(words_to_digits(message).lower().strip())  # "hiking boots thirty to fifty five" too
    if m is None:
        return None
    bounds = parse_bounds(m.group("range"))
    low, high = bounds.min_price, bounds.max_price
    if low is None or high is None:
        return None
    head = normalise(m.group("head")).split()
    kinds = vocab.every_kind_word
    if not (1 <= low < high and high >= 10) or not head:
        return None
    named = {head[-1], singular(head[-1])} & kinds and vocab.find_category(" ".join(head[-3:])) is not None
    # "acme hill walkers 65-110": the words after a brand name its kind, whatever they are (but "acme size 8-10")
    branded = head[-1] not in LABELS and vocab.find_brand(" ".join(head)) is not None
    if not (named or branded or singular(head[-1]) in _ANY_PRODUCT):  # "teacher gifts 15-20": a present's budget
        return None
    return low, high, m.group("head")


_STORY_LENGTH = 14  # words: a message this long tells a story around what it asks for


def _story_kind(norm: str, kind_text: str, vocab: Vocabulary) -> bool:
    """Whether every word that named the kind stands after "the"/"our"/"their" in a long message: a thing of the
    shopper's story ("between the phones and the printer I can't think"), not the kind asked for ("a printer")."""
    found = vocab.find_category(kind_text)
    if found is None or len(norm.split()) < _STORY_LENGTH:
        return False
    said = {singular(w) for w in normalise(found).split()} | vocab.path_words.get(found, frozenset())
    words = norm.split()
    hits = {i for i, w in enumerate(words) if singular(w) in said or vocab.respell(w) in said}

    def determined(i: int) -> bool:  # the word before the run of kind words is "the"/"our"/"their"
        while i - 1 in hits:
            i -= 1
        return i > 0 and words[i - 1] in ("the", "our", "their")

    return bool(hits) and all(determined(i) for i in hits)


# words that stand for any product, whose kind the use names ("a gift for a coffee lover")
_ANY_PRODUCT = frozenset("gift present idea treat surprise stuffer thing".split())


_FOR = re.compile(r"\bfor\b")  # what is asked for comes before it, its use or its person after


def _unknown_head(kind_text: str, vocab: Vocabulary) -> bool:
    """Whether the noun before "for" (the head of what is asked for, its use after) is an English word no product
    title uses and no kind: the shop may not sell it, and the use's words name no kind of it."""
    head = _FOR.split(kind_text, maxsplit=1)
    if len(head) < 2:
        return False
    words = [w for w in head[0].split() if w.isalpha() and w not in FILLER]
    last = words[-1] if words else ""
    if singular(last) in _ANY_PRODUCT | _FAMILY_WORDS:
        return False  # "a leaving present for ...", "gear for camping": any product, or a family of them
    if len(last) >= 4 and last in english_words() and vocab.unnamed_by_titles(last):
        return True
    # "a sleeping bag for scout camp": a compound no title holds, its first word one no title uses
    first = words[-2] if len(words) >= 2 else ""
    return len(first) >= 4 and first in english_words() and vocab.unnamed_by_titles(first) \
        and vocab.title_leaves is not None and vocab.title_leaves.df(f"{stem(first)} {stem(singular(last))}") == 0


# a thing named first and then only its price: "toaster under 40", "hammock below 60"
_THING_FIRST = re.compile(r"^[a-z]{4,}(?: [a-z]{4,})? (?:under|below|less than|max|up to|over|from|between|around|"
                          r"about) \d")
# words said before a bound that name no thing ("ok under 40", "sorry, under 40 then")
_REMARKS = frozenset("okay sorry sure great cool yeah yes nope fine well maybe actually also still even then hmm "
                     "alright right perfect lovely".split())
# words for a whole family of products, not one kind: "camping gear", "hiking stuff"
_FAMILY_WORDS = frozenset("gear stuff equipment kit things supplies essentials".split())


def _family_of(kind_text: str, found: str | None, vocab: Vocabulary) -> str | None:
    """The branch above a leaf named only by its modifier right before a word for a family of products ("camping
    gear": Outdoor Recreation, not Camping Tents), or, with no kind found, above the leaf a closed compound ends in
    ("saucepan": Cookware, the family of Frying Pans); ``found`` otherwise (None when nothing names one)."""
    words = kind_text.split()
    said = {singular(w) for w in words}
    modifiers = {a for a, b in zip(words, words[1:]) if singular(b) in _FAMILY_WORDS}
    if modifiers:  # the leaf found, or with none found any leaf the modifier names
        candidates = list(vocab.leaf_paths) if found is None else [found] if found in vocab.leaf_paths else []
        named = [leaf for leaf in candidates if len(normalise(leaf).split()) == 2  # a modifier and a head
                 and normalise(leaf).split()[0] in modifiers and singular(normalise(leaf).split()[-1]) not in said
                 and len(vocab.leaf_paths[leaf]) == 1 and len(next(iter(vocab.leaf_paths[leaf]))) >= 2]
        if len(named) == 1:
            return next(iter(vocab.leaf_paths[named[0]]))[-2]
    head = _FOR.split(kind_text, maxsplit=1)[0].split()  # "a saucepan for the kids' porridge": the head
    if found is not None or len(head) > 4:  # a compound in a long story is a word of the story ("like sandpaper")
        return found
    for w in head:
        parents = {path[-2] for leaf, paths in vocab.leaf_paths.items() for path in paths if len(path) >= 2
                   and len(w) >= len(tail := singular(normalise(leaf).split()[-1])) + 4 and w.endswith(tail)
                   and len(tail) >= 3 and w not in vocab.kind_words}
        if len(parents) == 1:
            return parents.pop()
    return None


def _kind_before_use(kind_text: str, found: str | None, vocab: Vocabulary) -> str | None:
    """The kind named before "for" over one its use names after it ("a concealer for my dark circle problem": a
    concealer, not a dark circle treatment), unless the use's kind is a leaf under it (an eye gel asked "for the dark
    circle look") or says its word ("cream for cracked hands": Hand Creams)."""
    parts = _FOR.split(kind_text, maxsplit=1)
    if found is None or len(parts) < 2:
        return found
    head = vocab.find_category(parts[0])
    if head is None or head == found or head in vocab.ancestors.get(found, set()):
        return found
    said = {singular(w) for w in parts[0].split()}
    if not said & {singular(w) for w in normalise(head).split()}:
        return found  # "want to look bronzed for ...": a state, no kind said before the use
    return found if said & {singular(w) for w in normalise(found).split()} else head


# a code or an id of letters and digits ("beauty15", "sa000003", "a77120"): no word of a kind
_CODE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{5,}\b")


def parse_slots(message: str, vocab: Vocabulary, n_shown: int = 0, corrections: bool = True) -> Slots:
    """Every slot the message fills, with brands/categories only as the catalog spells them."""
    message = _WITH.sub("with ", message)  # "gel w/ aloe": the "with" that ends a compound
    message = _WITHOUT.sub("without", message)
    message = _respell_price_words(message)
    lo, hi, rest = parse_prices(message)
    if lo is None and hi is None:
        tail = _range_after_kind(message, vocab)
        if tail is not None:
            lo, hi, rest = tail
    norm = normalise(message)
    slots = Slots(min_price=lo, max_price=hi)
    slots.brand = vocab.find_brand(norm)
    kind_text = normalise(_FREE_OF.sub(" ", rest))  # "a cream, fragrance free": the cream is the kind
    kind_text = _CODE.sub(" ", kind_text)  # "code TENTS20": a code's letters name no kind
    kind_text = _STOCKING.sub(" ", kind_text)  # "stocking fillers": small presents, not the kind "Fillers"
    slots.category = _kind_before_use(kind_text, vocab.find_category(kind_text), vocab)
    shared = _shared_filters(_STOCKING.sub(" ", message), vocab)
    if shared is not None:  # the search tool's own parser fills what ours leaves open
        theirs_brand = vocab.canonical_brand(shared.brand)
        inside = slots.brand and set(normalise(theirs_brand or "").split()) < set(normalise(slots.brand).split())
        if theirs_brand and not inside:
            slots.brand = theirs_brand  # but "Golden Harbor" over a "Golden" inside it
        theirs = vocab.canonical_category(shared.category)
        if theirs and (slots.category is None or theirs in vocab.leaves and slots.category not in vocab.leaves):
            slots.category = theirs  # a leaf ("Cleansers") is more specific than a parent ("Face")
    slots.category = _family_of(kind_text, slots.category, vocab)
    if slots.brand:  # the search tool's parser too may take an ordinary word for a brand
        slots.brand = vocab.marked_over(slots.brand, norm)
    unbranded: set[str] = set()
    if slots.brand and not vocab.brand_evidenced(slots.brand, norm):
        # "a clear top coat", "organic shampoo": an ordinary word, not the brand; nor is it evidence of a kind where
        # the titles using it are mostly that brand's ("track my pulse" is no kind the brand Pulse makes)
        if vocab.brand_owns_word(slots.brand):
            unbranded = set(normalise(slots.brand).split())
        word, slots.brand = slots.brand, None
        # another, shorter brand named beside that word ("acme lipstick, classic red" where Classic is a brand too)
        other = " ".join(w for w in norm.split() if w not in set(normalise(word).split()))
        found = vocab.find_brand(other)
        if found and found != word and vocab.brand_evidenced(found, norm):
            slots.brand = found
    if slots.brand and _owned_replaced(norm, slots.brand):
        slots.ruled_out, slots.brand = slots.brand, None
    said = _ruled_out(norm, slots.brand, vocab) if slots.brand else None
    if said:  # "not korra, solara": the brand ruled out is no filter; another one named is
        slots.ruled_out, slots.brand = slots.brand, None
        other = normalise(f" {norm} ".replace(f" {said} ", " "))
        theirs = _shared_filters(other, vocab)
        found = vocab.find_brand(other) or (vocab.canonical_brand(theirs.brand) if theirs is not None else None)
        if found and found != slots.ruled_out and vocab.brand_evidenced(found, other):
            slots.brand = found
    # the words that named a brand, also as said apart ("trail peak" for "Trailpeak"), are no evidence of a kind
    skip = FILLER | vocab.brand_words_said(slots.brand, norm) | set(normalise(slots.ruled_out or "").split()) \
        | unbranded
    if slots.brand and slots.category and not vocab.stocks(slots.brand, slots.category) and vocab.find_category(
            " ".join(w for w in kind_text.split() if w not in skip)) is None:
        slots.category = None  # "doodle paint": a word of the brand's own name, a kind it makes none of
    slots.category = vocab.leaf_by_stems(kind_text, slots.category)  # "strengthen my nails": "Nail Strengthening"
    by_titles = vocab.category_by_titles(kind_text, slots.category, skip)
    if slots.category and by_titles == slots.category and vocab.modifies_unknown(kind_text, slots.category, skip):
        slots.category = by_titles = None  # "hair <a thing no title names>": that thing, not the hair treatments
    slots.story_kind = _story_kind(norm, kind_text, vocab) if slots.category else False
    # "a warm <word no title uses> for winter walks": the kind asked for is that word, not the use's titles
    head_unknown = _unknown_head(kind_text, vocab)
    head_text = _FOR.split(kind_text, maxsplit=1)[0]
    if slots.category in vocab.branches and head_text != kind_text and vocab.find_category(head_text) is None:
        # "a radio for the garden": a thing no title names, the garden its place; "a saucepan for our cabin
        # kitchen": the family the compound before "for" names
        family = _family_of(head_text, None, vocab)
        if family is not None or head_unknown:
            slots.category = by_titles = family
    slots.unknown_thing = slots.category is None and head_unknown
    if slots.category is None:
        slots.title_category = None if slots.unknown_thing else by_titles
    else:
        slots.category = vocab.leaf_under_by_stem(kind_text, by_titles)  # "puffy eyes": Puffiness Treatments
    if slots.brand and slots.category:
        kind = vocab.brand_kind(slots.brand, slots.category, normalise(rest))
        if vocab.stray_brand_word(slots.brand, kind, norm):
            slots.brand = None  # "a hair dryer instead of the salon": the word, where the brand Instead makes no dryers
        else:
            slots.category = kind
    elif slots.brand and not slots.title_category:
        slots.title_category = vocab.brand_kind_by_word(slots.brand, normalise(rest)) \
            or vocab.line_leaf(kind_text, skip | STOPWORDS)  # "<brand> <line name>": where that line is filed
    if slots.category is None and slots.title_category is None and not slots.unknown_thing:  # "cologne for him": a branch
        slots.title_category = vocab.kind_by_titles(kind_text, skip)
    # a figure written as money ("2.5k", "$7", "14.50") names no position: "up to 2.5k" is no second product
    unmoneyed = without_first_of_all(_unmoneyed(re.sub(r"#\s*(\d)", r" number \1", message)))
    slots.positions, slots.all_shown = parse_positions(normalise(unmoneyed), n_shown)
    if slots.positions and _SIDE_BY_SIDE.search(norm) and not MONEY.search(
            message) and {v for v in (slots.min_price, slots.max_price) if v is not None} <= set(slots.positions):
        slots.min_price = slots.max_price = None  # "the difference between three and for": positions, no price range
    # "anything less $$$": dollar signs said for the price
    slots.cheaper = bool(_CHEAPER.search(_SHIPPING_PRICE.sub(" ", norm))
                         or re.search(r"\b(?:less|fewer|lower|cheaper)\s*\${2,}", message))
    slots.user_id = parse_user(message, vocab)
    # "wait no", "i meant": no words to search by; "en why ex" is the one word it spells
    said_words = spoken_letters(CORRECTION.sub(" ", normalise(rest)), vocab.brands)
    if said:  # nor "not" before the brand ruled out
        said_words = f" {' '.join(said_words.split())} ".replace(f" {said} ", " ")
    words = [w for w in _INSTRUCTION.sub(" ", said_words).split() if w not in FILLER and not w.isdigit()]
    if slots.brand:  # "elf" is the brand "e.l.f." typed: its joined initials are its words too
        bw = set(normalise(slots.brand).split()) | set(join_initials(normalise(slots.brand)).split())
        words = [w for w in words if w not in bw]
        heard = {sound_key(w) for w in bw if len(w) >= 5}  # "harmonics" said for "Harmonix": the brand, heard
        words = [w for w in words if len(w) < 5 or sound_key(w) not in heard]
    if slots.user_id:
        words = [w for w in words if w != slots.user_id.lower()]
    slots.query = " ".join(words)
    slots.idle_query = 0 < len(words) <= 3 and vocab.title_leaves is not None and not any(
        vocab.title_leaves.df(stem(w)) >= 3 or singular(w) in vocab.kind_words for w in words)
    if slots.idle_query and _THING_FIRST.match(norm) and words[0] in common_words() and words[0] not in _REMARKS:
        slots.idle_query, slots.thing_asked = False, True  # "toaster under 40": a thing no title names, a budget
    if corrections:
        _correct(slots, message, vocab, n_shown)
    return slots
