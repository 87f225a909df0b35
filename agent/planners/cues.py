"""Kinds of message that no catalog word decides: code, pasted reviews, questions about the shop's service,
requests for a personal pick, questions about one shown product. Plain regular expressions on the raw message."""

from __future__ import annotations

import re

_CODE = re.compile(
    r";\s*--|\bdrop\s+table\b|\bselect\b.+\bfrom\b|\binsert\s+into\b|<\s*/?\s*(script|img|iframe|div|svg)\b|"
    r"\bimport\s+\w+\s*(;|$|\n)|\bos\.\w+\(|\bdef\s+\w+\s*\(|\bfunction\s*\w*\s*\(|=>|\brm\s+-rf\b|\{\{.*\}\}|"
    r"\bwrite\s+(me\s+)?(a|an|some)?\s*(python|javascript|sql|bash|java|c\+\+|rust)?\s*(code|script|function|"
    r"program|query|regex)\b|\b(python|javascript|sql|bash)\s+(code|script|function|program)\b", re.I)

_REVIEW_MARKS = [
    r"\b(\d|one|two|three|four|five)\s*(/\s*5|stars?)\b",
    r"\bwould(\s+not|n'?t)?\s+(buy|recommend|order|purchase)(\s+(it|this|them|these))?(\s+again)?\b",
    r"\b(best|worst)\s+(purchase|buy)\b", r"\bwaste\s+of\s+money\b", r"\breturned\s+(it|them|this)\b",
    r"\b(broke|stopped working|fell apart|clumped|irritated|smells?\s+(awful|terrible|great))\b",
    r"\bafter\s+(one|1|a|two|2|three|3)\s+(use|uses|wash|washes|week|weeks|day|days|month|months)\b",
    r"!{2,}", r"\b(love|loved|hate|hated)\s+(these|this|it|them|my)\b", r"\b(arrived|came)\s+(late|broken|damaged)\b",
    r"\bnever\s+(again|buying)\b", r"\bgave\s+me\s+(a\s+)?(headache|rash|blisters)\b",
    r"\b(horrible|terrible|awful|lovely|strong|weird)\s+(smell|scent|texture|quality|fit)\b", r"\b(terrible|awful|amazing|excellent|perfect)\s+(product|quality|purchase|\w+)\b[.!]",
]
_REQUEST = re.compile(r"\b(show|find|search|looking|look for|need|want|get me|do you (have|sell|carry)|any|"
                      r"recommend (me|a|some)|suggest|compare|similar|cheaper)\b|\?\s*$", re.I)

_SERVICE = re.compile(
    r"\b(ship|ships|shipping|deliver|delivers|delivery|return policy|returns?|refund|exchange|pay|payment|"
    r"credit card|(do|does|can)\s+(you|the\s+(shop|store))\s+(accept|take)|"
    r"track(ing)?\s+(my\s+)?(order|package|parcel)|order status|opening hours|store hours|open on|"
    r"coupon|discount code|promo code|gift card|warranty|customer service|your address|phone number)\b", re.I)

_PERSONAL = re.compile(
    r"\b(something|anything|stuff|things?|what|one|ones|\w+s?)\s+(that\s+)?(i'?d|i\s+would|i'?ll|i\s+will|i\s+might|"
    r"i'?m\s+going\s+to)\s+(like|love|enjoy)(?=\s*([?.!,]|$|please\b|too\b))|\bsuits?\s+me\b|\bmy\s+(taste|style)\b|\bfits?\s+my\b|"
    r"\bbased\s+on\s+(what\s+i|my)\b|\bsurprise\s+me\b|\bfor\s+someone\s+like\s+me\b|\bpick\s+(something\s+)?"
    r"(out\s+)?for\s+me\b|\bwhat\s+(should|shall)\s+i\s+(buy|get|try)\b", re.I)

_ITEM_QUESTION = re.compile(
    r"^\s*(how|what|what'?s|whats|is|does|do|can|will|would|are|which|where|who|when)\b|\?\s*$|"
    r"\b(how\s+(big|heavy|long|large|much|well|many)|weigh|weight|made\s+of|waterproof|ingredients?|size|"
    r"dimensions?|battery|warranty|smell|last)\b", re.I)


_OFF_TOPIC = re.compile(
    r"\b(recipes?|how (do|can|should) i (cook|bake)|jokes?|poems?|weather|forecast|"
    r"homework|translate|capital of|who (won|is the president)|news today|lottery|horoscope|meaning of life|"
    r"sports? scores?|stock market|bitcoin)\b", re.I)


def is_off_topic(message: str) -> bool:
    """Requests that no shop answers with a product: recipes, jokes, poems, the weather, homework, the news."""
    return bool(_OFF_TOPIC.search(message))


def is_code(message: str) -> bool:
    """Program text or a request to write code."""
    return bool(_CODE.search(message))


def is_pasted_review(message: str) -> bool:
    """Review-like text (an opinion of a product already owned): two review marks, or one in a long message that
    asks for nothing."""
    marks = sum(bool(re.search(p, message, re.I)) for p in _REVIEW_MARKS)
    if marks >= 2:
        return True
    return marks == 1 and len(message.split()) >= 8 and not _REQUEST.search(message)


def is_service_question(message: str) -> bool:
    """Shipping, returns, payment, order tracking: questions about the shop, not its products."""
    return bool(_SERVICE.search(message))


def wants_personal_pick(message: str) -> bool:
    """"something I'd like", "what suits me", "based on what I bought": a recommendation for this shopper."""
    return bool(_PERSONAL.search(message))


def asks_about_item(message: str) -> bool:
    """A question about a product's properties (how heavy, what is it made of, is it waterproof)."""
    return bool(_ITEM_QUESTION.search(message))
