"""Price bounds in a shopper's message: "under $1,500", "between 10 and 20 bucks", "2k max", "nothing over 120",
"around fifty dollars"; figures that are not prices ("16 oz", "spf 50", "size 10", "4.5 stars") are left alone."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from tools.language.numbers import words_to_digits
from tools.language.prices import MONEY as _MONEY, PriceLocale, parse_price
from tools.language.text import singular

AROUND_BAND = 0.2  # "about $40" reads as 32..48

# words after a figure that make it a quantity, not a price
UNITS = frozenset({"oz", "ounce", "ounces", "fl", "ml", "l", "liter", "liters", "litre", "litres", "g", "gram", "grams", "kg",
          "lb", "lbs", "pound", "pounds", "mg", "mm", "cm", "m", "meter", "meters", "ft", "foot", "feet", "in", "inch",
          "inches", "pack", "packs", "pk", "count", "ct", "pcs", "pc", "piece", "pieces", "pair", "pairs", "person",
          "people", "persons", "seater", "hour", "hours", "hr", "hrs", "h", "minute", "minutes", "min", "mins", "day",
          "days", "week", "weeks", "month", "months", "year", "years", "yr", "yrs", "w", "watt", "watts", "v",
          "volt", "volts", "mah", "gb", "tb", "mb", "mp", "hz", "star", "stars", "percent", "x", "cup", "cups",
          "quart", "quarts", "gallon", "gallons", "spf", "k", "p", "sheets", "ply", "shades", "colors", "colours"})
# a figure after "the" that is still a bound: "keep it under the $50 limit", "the 40 dollar budget"
_BOUND_NOUN = r"\s*(?:dollars?|bucks|usd)?\s*(?:budget|limit|ceiling|cap|max|mark|range|price)"
# what follows "in" when it means inches ("a 15 in screen", "12 in x 8 in"); any other word makes it a preposition
_INCHES_AFTER = re.compile(r"\s*(?:$|[^\w\s]|\d|x\b|(?:wide|long|tall|high|deep|screen|display|diameter|across|"
                           r"blade|skillet|pan|laptop|tv)\b)")
# what follows a figure that makes it a rate of something done ("20k a week", "twice a day"), not a price
_RATE = re.compile(r"\s*(?:a|an|per|each|every)\s+(?:day|night|week|weekend|month|year|hour|session|run|workout)s?\b")
# words before a figure that make it a label, not a price
LABELS = {"spf", "size", "sz", "model", "gen", "generation", "version", "series", "number", "no", "item", "option",
           "product", "step", "level", "grade", "type", "ip", "ipx", "iphone", "galaxy", "pixel", "ps", "xbox",
           "windows", "ios", "android", "rated", "rating", "of", "top", "the", "first", "last", "age", "ages", "aged",
           "vitamin", "b", "c", "e", "#", "x", "pack", "set"}
# words after a figure that are not nouns it counts ("under 50 thanks")
_NOT_COUNTED = {"bucks", "dollars", "euros", "thanks", "please", "pls", "plus", "tops", "max", "maximum", "each",
                "ish", "is", "as", "us", "yes", "or", "and", "upwards"}
# "nothing over 120", "not priced under 30", "nothing much above 50"; a word that says what the thing is
# ("nothing flashy below 45") makes the figure the limit of that thing, no negated bound
# "get rid of anything over 90", "drop the ones above 40": what is removed is the other side of the bound
_REMOVAL = (r"(?:get rid of|rid of|remove|drop|exclude|ditch|hide|filter out|take out|toss|skip|cut out|lose)\s+"
            r"(?:(?:anything|everything|all|the ones|ones|stuff|things|items|products|those|whatever|any)\s+)?"
            r"(?:(?:priced|costing|that costs?|thats|that is|that are|which are)\s+)?")
# "prefer not to spend more than 40", "don't want to pay over 60": a verb or two between the "not" and the cue
_NEGATION = (r"(?:(?:not|no|nothing|never|none|don'?t|doesn'?t|won'?t|wouldn'?t|can'?t|cannot)\s+(?:(?:priced|costing|"
             r"costs?|much|way|far|anything|something|one|ones|going|spending|paying|that|thats|which|more|less|at|"
             r"too|really|even|to|want|wanna|go|spend|pay|be|exceed)\s+){0,3}|" + _REMOVAL + ")")
_MAX_CUE = (r"under|below|less than|cheaper than|lower than|at most|max(?:imum)?|up to|upto|within|budget(?: is| of)?|"
            r"(?:(?:spend(?:ing)?|price) )?(?<!speed )limit(?: is| of)?|"  # "secret santa, limit is 25"
            r"spend(?: at most| only)?|priced under|south of|sub|<=?|≤|beneath|"
            # a ceiling put on the price: "cap it at 20", "tops out at 60", "a ceiling of 45"
            r"cap (?:it|them|this|that|the price|prices|things|spending|everything) at|capped at|tops? out at|"
            r"ceiling (?:of|at)|"
            # a budget raised to a figure: "i can stretch to 60", "could go up to 80", "can do 45"
            r"stretch(?: it)? to|go (?:as high as|up to)|can do|could do")
_MIN_CUE = (r"over|above|more than|at least|min(?:imum)?|starting at|starting from|higher than|beyond|exceeding|"
            r"north of|upwards of|in excess of|>=?|≥")
# ("what about 200 and up?", "how about 30": the "about" of a suggestion, no approximation)
_AROUND_CUE = r"around|(?<!\bwhat )(?<!\bhow )about|approximately|approx|roughly|~|close to|near|somewhere around"
_CUE_BEFORE = re.compile(rf"(?P<neg>\b{_NEGATION})?(?P<cue>\b(?:{_MAX_CUE}|{_MIN_CUE}|{_AROUND_CUE}|from)\b|[<>~≤≥]=?)"
                         rf"(?:\s*-\s*|\s*)(?:of\s+|like\s+)?$")  # "sub-40"
_MAX_AFTER = re.compile(r"^\s*(?:or less|or under|or below|or lower|or cheaper|and under|and below|and less|max(?:imum)?"
                        r"|tops|at most|at the most|or so max"
                        # "a 1.5k budget", "70 is my limit": the figure is the most the shopper will spend
                        r"|(?:is\s+)?(?:my\s+|the\s+|our\s+)?(?:budget|limit|ceiling)(?!\s+(?:options?|picks?|ones|"
                        r"brands?|stuff|items?|versions?|range|products?|things)\b))\b")
# a self-correction: what the shopper says after it replaces what came before ("under 20, sorry, under 25")
# "actually" and "wait" only where they open a clause ("that actually works" is no correction)
CORRECTION = re.compile(r"(?:(?:^|[,.;:!?(-]|\.\.\.)\s*|\b(?:no|oh|um|hmm|er|uh)\s+)(?:actually|wait)\b|"
                        r"\b(?:sorry|i mean|i meant|no wait|wait no|scratch that|make (?:that|it)|correction|or rather|"
                        r"on second thoughts?|change (?:that|it) to|no\s*,)(?=\W|$)")
_MIN_AFTER = re.compile(r"^\s*(?:\+|or more|or higher|or above|and up|and above|and over|and higher|plus|minimum|"
                        r"at least|or better|up(?:wards?)?(?!\s+to\b))(?!\w)")  # "from 300 up"
_WORD = re.compile(r"\s*([a-z]+)")  # the word after a figure and its bound ("30 or higher spf")
_AROUND_AFTER = re.compile(r"^\s*(?:-?ish|or so)\b")
# "25-ish to 40", "50 till 80"
_RANGE_JOIN = re.compile(r"\s*(?:-?\s*ish\s*)?(?:and|to|till|til|until|-|–|—|or)\s*")
_RANGE_LEAD = re.compile(r"\b(?:between|from|in the range of|range|budget(?: is| of)?|spend(?:ing)?|pay(?:ing)?|"
                         rf"priced(?: at)?|price range(?: is| of)?|{_AROUND_CUE}|like)\s*(?:[:,-]\s*)?$")

Kind = Literal["max", "min", "around", "range", "bare"]


class PriceMention(BaseModel):
    """One price phrase of the text: its bound kind, the amount(s), where it is (in ``PriceBounds.text``)."""

    kind: Kind
    low: float | None = None
    high: float | None = None
    start: int
    end: int


class PriceBounds(BaseModel):
    """The price band a message asks for, and the message without its price phrases."""

    min_price: float | None = None
    max_price: float | None = None
    mentions: list[PriceMention] = []
    text: str  # lower-cased message, number words as digits
    rest: str  # ``text`` with every price phrase blanked


def _amount(m: re.Match[str], locale: PriceLocale | str | None) -> float | None:
    value = parse_price(m.group("num"), locale)
    if value is not None and m.group("k"):
        value = round(value * 1000, 2)
    return value


def _explicit(m: re.Match[str]) -> bool:
    return bool(m.group("pre") or (m.group("post") or "").strip())


def _is_quantity(text: str, m: re.Match[str], after_cue: bool = False) -> bool:
    """A figure that measures or counts ("16 oz", "2-person", "30 pieces") or is labelled ("spf 50", "size 10")."""
    after = re.match(r"\s*-?\s*([a-z%#]+)", text[m.end():])
    word = after.group(1) if after else ""
    if word == "in" and not _INCHES_AFTER.match(text[m.end() + after.end():]):
        word = ""  # "got any below 70 in there", "under 40 in black": a preposition, not inches
    if word in UNITS or text[m.end():].lstrip().startswith(("%", '"', "”", "'", "″")):
        return True
    if _RATE.match(text[m.end():]):
        return True  # "she swims 5k a week", "3 a day": a rate of something done, not a price
    if word and word not in _NOT_COUNTED and len(word) >= 4 and word.endswith("s") and singular(word) != word \
            and not m.group("k"):
        return True  # "30 samples", "under 20 brushes": counts a noun
    if after_cue:
        return False  # "north of 250": the word before is the price cue's, not a label ("pack of 3")
    before = re.search(r"([a-z#]+)\s*$", text[:m.start()])
    return bool(before and before.group(1) in LABELS)


def _bare_range(text: str, m: re.Match[str], nxt: re.Match[str], join: re.Match[str], low: float,
                high: float) -> bool:
    """Two plain figures joined by a dash or "to" with no price word, standing alone as a phrase of their own
    ("floral, 30-60", "pink, 15 to 25 please"): a price range, rising, unless either is a quantity or a label
    ("2-3 person", "size 8-10"). A part number ("78-23545-0111"), a count ("can i order 10-12?") or positions
    ("1 to 3") are not alone."""
    if re.sub(r"^-?\s*ish\s*", "", join.group(0).strip()) not in ("-", "–", "—", "to") or \
            _is_quantity(text, m) or _is_quantity(text, nxt):
        return False
    alone = re.search(r"(?:^|[,;:(]|\b(?:for|in|at|about|around|like|maybe|say))\s*$", text[:m.start()]) and \
        re.match(r"\s*(?:$|[,;.!?)]|(?:please|pls|thanks|ish|range)\b)", text[nxt.end():])
    return bool(alone) and 1 <= low < high and high >= 10


def _shared_multiplier(low: float, high: float) -> float:
    """"between two and three hundred": the multiplier said once belongs to both figures (200, not 2)."""
    if low < 10 and high >= 100 and high % 100 == 0:
        scale = 10 ** (len(str(int(high))) - 1)
        if low * scale < high:
            return low * scale
    return low


def _bound_kind(cue: str, negated: bool) -> Kind:
    cue = cue.strip()
    if re.fullmatch(_AROUND_CUE, cue) or cue == "~":
        return "around"
    if cue == "from":
        return "min"
    kind: Kind = "max" if re.fullmatch(_MAX_CUE, cue) else "min"
    if negated:  # "nothing over 120", "no less than 50", "not under 30"
        kind = "min" if kind == "max" else "max"
    return kind


def _corrects(before: str) -> bool:
    """Whether a self-correction ends the text before a figure ("... sorry, make it 70")."""
    return bool(re.search(rf"(?:{CORRECTION.pattern})[\s,.!-]*(?:(?:to|at|like|say)\s+)?$", before))


def _after_corrections(text: str, mentions: list[PriceMention]) -> list[PriceMention]:
    """The price phrases the shopper still means: those said before a self-correction that is followed by a new
    figure are withdrawn ("over 100, I mean under 100" is under 100; "under 20 - actually under 30" is under 30)."""
    cut = None
    for c in CORRECTION.finditer(text):
        if any(m.end <= c.start() for m in mentions) and any(m.start >= c.start() for m in mentions):
            cut = c.start()
    return mentions if cut is None else [m for m in mentions if m.start >= cut]


# a price paid or seen elsewhere, no bound: "it cost me $38 at the mall", "fed up with paying 9 bucks a cup", "i paid
# 30", "the wholesaler charges me $6 a tub"
_PAID_BEFORE = re.compile(r"\b(?:paid|spent|was|were|cost me|cost us|used to pay|charg(?:es|ed|ing) (?:me|us)|"
                          r"(?:of|with|stop|quit|keep|kept)\s+(?:paying|spending))\s*$")
_SEEN_AT_AFTER = re.compile(r"\s*(?:dollars?|bucks|usd)?\s*(?:(?:for (?:it|them|one|that|this)|each|a (?:pop|month|"
                            r"week|time|visit|bottle))\s+)?at\s+(?!(?:most|least|max|the (?:most|least))\b)[a-z]")
# another country's money named after a figure (the shop prices in dollars): "1500 rupees", "300 pesos"
_FOREIGN_AFTER = re.compile(r"\s*(?:reais|rupees?|rupiah|pesos?|yen|yuan|rmb|baht|ringgit|dirhams?|rand|lira|"
                            r"zloty|naira|shillings?|colones)\b", re.I)


# nothing more after a figure but a courtesy and the end: "... from 80 please?"
_ENDS = re.compile(r"\s*(?:please|pls|thanks|thx)?\s*[?.!]*\s*$")
# the currency sign as a voice assistant writes it down: "under dollar sign seventy"
_SPOKEN_SIGN = re.compile(r"\b(?:the )?dollar sign\s+(?=\d)")


def parse_bounds(message: str, locale: PriceLocale | str | None = None) -> PriceBounds:
    """The price band of ``message``: a range, a minimum and/or a maximum, an "about" band (±20%), or a lone
    currency figure read as a maximum ("a $50 gift")."""
    text = _SPOKEN_SIGN.sub("$", words_to_digits(message))
    # "500 reais, so about 100 dollars": a sum in another country's money is no bound in the shop's dollars
    found = [m for m in _MONEY.finditer(text) if not _FOREIGN_AFTER.match(text, m.end())]
    mentions: list[PriceMention] = []
    used: set[int] = set()
    for i, m in enumerate(found):
        if i in used:
            continue
        value = _amount(m, locale)
        if value is None:
            continue
        before, after = text[:m.start()], text[m.end():]
        # a range: "between 10 and 20", "$10-$20", "10 to 20 bucks"
        if i + 1 < len(found):
            nxt = found[i + 1]
            join = _RANGE_JOIN.fullmatch(text[m.end():nxt.start()])
            lead = _RANGE_LEAD.search(before)
            other = _amount(nxt, locale)
            if join and other is not None and (lead or _explicit(m) or _explicit(nxt) or _corrects(before) or
                                               _bare_range(text, m, nxt, join, value, other)) \
                    and not (lead is None and "or" in join.group(0)):
                if not (_is_quantity(text, nxt) and not _explicit(nxt)):
                    lo, hi = sorted((_shared_multiplier(value, other), other))
                    start = lead.start() if lead else m.start()
                    mentions.append(PriceMention(kind="range", low=lo, high=hi, start=start, end=nxt.end()))
                    used.add(i + 1)
                    continue
        cue = _CUE_BEFORE.search(before[-40:])
        start = m.start() - (len(before[-40:]) - cue.start()) if cue else m.start()
        kind: Kind | None = _bound_kind(cue.group("cue"), bool(cue.group("neg"))) if cue else None
        if kind is None and mentions and mentions[-1].kind != "range" and _corrects(before):
            kind = mentions[-1].kind  # "under 60, no make it 70": the new figure takes the corrected one's place
        end = m.end()
        tail = _MAX_AFTER.match(after) or _MIN_AFTER.match(after) or _AROUND_AFTER.match(after)
        if kind is None and tail:
            kind = "max" if _MAX_AFTER.match(after) else ("min" if _MIN_AFTER.match(after) else "around")
            end += tail.end()
        elif kind == "max" and cue and _MIN_AFTER.match(after) and re.match(r"(spend|budget|pay)", cue.group("cue")):
            kind = "min"  # "ready to spend 90+ on a good one": at least that much
            tail = _MIN_AFTER.match(after)
            end += tail.end()
        explicit = _explicit(m)
        unit = _WORD.match(after[tail.end():]) if tail else None
        if not explicit and unit and unit.group(1) in UNITS:
            continue  # "30 or higher spf", "8 or more hours": the bound of a quantity, not of a price
        if not explicit and kind == "min" and re.match(r"\s*\+\s*(?!(?:only|please|pls|plz|thanks|is|are|ok|okay|fine|"
                                                       r"and|or|dollars?|bucks|this|for|on|per|each|if|but|so)\b)[a-z]",
                                                       after):
            continue  # "40+ skin", "50+ women": an age, not a price (but "90+ only")
        if kind is None and re.match(r"\s*(?:more|less|extra|cheaper|pricier|dearer|over|on top)\s+(?:than|for|"
                                     r"to|vs)\b|\s*(?:more|less|extra|cheaper|pricier|dearer)\s*[?.!,]?\s*$", after):
            continue  # "worth nine bucks more than the white pair", "$20 cheaper": a difference, no bound
        if kind is None and re.search(r"\b(?:the|that|this|those|these)\s*$", before) \
                and re.match(r"\s*(?:dollars?|bucks|usd)?\s*[a-z]", after) \
                and not re.match(_BOUND_NOUN, after):
            continue  # "a dupe for the $400 ones", "the $12 tube": products pointed at by their price, no bound
        if kind is None and (_PAID_BEFORE.search(before) or _SEEN_AT_AFTER.match(after)):
            continue  # "rather than paying $60 at the spa": what it costs elsewhere, no bound
        if kind is None and re.search(r"\b(?:extra|additional)\s*$", before):
            continue  # "is it worth an extra $15 over the plain one": a difference, no bound
        cue_of = bool(cue and cue.group("cue").endswith(" of"))
        if not explicit and (_is_quantity(text, m, after_cue=cue_of) or kind is None):
            continue
        if kind == "min" and cue and cue.group("cue") == "from" and not explicit and not _MIN_AFTER.match(after) \
                and not (10 <= value and not 1950 <= value <= 2099 and _ENDS.match(after)):
            continue  # "from 2 sellers", "from 2019" (but "from 300 up"; "a straightener from 80" ending the message)
        if kind == "around" and not explicit and cue and cue.group("cue") in ("about", "near") and value < 10:
            continue  # "what about 2?" names a position
        mentions.append(PriceMention(kind=kind or "bare", low=value, high=value, start=start, end=end))
    said = mentions
    mentions = _after_corrections(text, mentions)
    lo = hi = None
    for mention in mentions:
        if mention.kind == "range" and lo is None and hi is None:
            lo, hi = mention.low, mention.high
        elif mention.kind == "max" and hi is None:
            hi = mention.high
        elif mention.kind == "min" and lo is None:
            lo = mention.low
    if lo is None and hi is None:
        for mention in mentions:
            if mention.kind == "around":
                lo = round(mention.low * (1 - AROUND_BAND), 2)
                hi = round(mention.low * (1 + AROUND_BAND), 2)
                break
            if mention.kind == "bare":
                hi = mention.high
                break
    rest = text
    for mention in sorted(said, key=lambda x: -x.start):
        rest = rest[:mention.start] + " " + rest[mention.end:]
    return PriceBounds(min_price=lo, max_price=hi, mentions=mentions, text=text, rest=rest)
