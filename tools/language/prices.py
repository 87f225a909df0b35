"""Prices read from catalog fields and shopper text, on ``price-parser``, with the decimal mark explicit.

A catalog's locale is a load option: ``PriceLocale.POINT`` reads "1,299.00", ``PriceLocale.COMMA`` reads
"1.299,00"; ``None`` decides per string when the string says it ("12,50 €" has a decimal comma, "$1,500" a
thousands comma, "€1.299,00" both) and reads the rest the way price-parser does. ``detect_locale`` tells from a
column of price strings which mark a catalog uses, when its strings agree."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from enum import Enum

from price_parser import Price
from pydantic import BaseModel

MAX_PRICE = 100_000_000.0  # a figure above this is a parse error or a placeholder, never a shop price


class PriceLocale(str, Enum):
    """How a catalog writes its decimal mark."""

    POINT = "point"  # 1,299.00 (en-US, en-GB, en-IN, ja, zh, ...)
    COMMA = "comma"  # 1.299,00 / 1 299,00 (de, fr, es, it, nl, pt, sv, da, nb, fi, pl, cs, ru, tr, ...)


# an amount as shoppers type it: "1,500", "1.299,00", "12.5", "2k"; currency before or after
AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_PRE = r"[$€£]|usd|eur|gbp|us\$"
_POST = r"\$|€|£|usd|eur|gbp|dollars?|bucks|euros?|quid|dolars?|dollers?|dlls?|dls"  # "35 dlls", "80 dolars"
MONEY = re.compile(rf"(?<![\w.,])(?P<pre>(?:{_PRE})\s*)?(?P<num>{AMOUNT})(?![\d])(?P<k>\s?k\b)?"
                    rf"(?P<post>\s*(?:{_POST})(?![a-z]))?", re.I)
_COMMA_LANGUAGES = {"de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "nn", "no", "fi", "pl", "cs", "sk", "ru",
                    "uk", "tr", "el", "hu", "ro", "bg", "hr", "sl", "sr", "lt", "lv", "et", "id", "vi"}
_SCIENTIFIC = re.compile(r"\d\s*[eE]\s*[+-]?\d")
_NEGATIVE = re.compile(r"^\s*[-−]\s*\D{0,4}\d|^\D{0,4}[-−]\s*\d")
_DIGIT = re.compile(r"\d")
# a decimal mark named by the string itself: both marks ("1.299,00" / "1,299.00": the last is decimal), or one
# mark followed by one or two digits at the end of the number ("12,50", "9.5")
_BOTH_MARKS = re.compile(r"\d[.,' \u00a0\u202f]\d{3}([.,])\d{1,2}(?!\d)")
_SHORT_TAIL = re.compile(r"\d([.,])\d{1,2}(?![\d.,])")


def resolve_locale(locale: PriceLocale | str | None) -> PriceLocale | None:
    """``PriceLocale``, its value ("comma"), a locale tag ("de_DE", "fr-CA", "en") or None."""
    if locale is None or isinstance(locale, PriceLocale):
        return locale
    if locale in (m.value for m in PriceLocale):
        return PriceLocale(locale)
    language = re.split(r"[-_]", locale.strip().lower())[0]
    if not language.isalpha():
        raise ValueError(f"unknown price locale {locale!r}: use 'point', 'comma' or a locale tag such as 'de_DE'")
    return PriceLocale.COMMA if language in _COMMA_LANGUAGES else PriceLocale.POINT


def decimal_mark(text: str) -> PriceLocale | None:
    """The decimal mark ``text`` shows unambiguously, else None ("1,500" and "1.299" could be either)."""
    m = _BOTH_MARKS.search(text) or _SHORT_TAIL.search(text)
    if not m:
        return None
    return PriceLocale.COMMA if m.group(1) == "," else PriceLocale.POINT


def parse_price(text: str | float | None, locale: PriceLocale | str | None = None) -> float | None:
    """One price: "$1,500" -> 1500.0, "12,50 €" -> 12.5, "€1.299,00" -> 1299.0, "1 299 kr" -> 1299.0,
    "$10.00 - $20.00" -> 10.0 (the lower bound). None for no figure, a negative or non-finite one, scientific
    notation ("1e308") or one above ``MAX_PRICE``. ``locale`` fixes the decimal mark (see ``PriceLocale``); a
    string whose own marks contradict it ("1.299,00" under ``POINT``) is rejected (None), not misread."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
        return value if math.isfinite(value) and 0 <= value <= MAX_PRICE else None
    if not isinstance(text, str) or not _DIGIT.search(text) or _SCIENTIFIC.search(text) or _NEGATIVE.search(text):
        return None
    shown, chosen = decimal_mark(text), resolve_locale(locale)
    if chosen is not None and shown is not None and shown is not chosen:
        return None  # "12,50 €" in a catalog loaded as POINT: rejected, never read as 1250
    mark = chosen or shown
    separator = None if mark is None else ("," if mark is PriceLocale.COMMA else ".")
    amount = Price.fromstring(text, decimal_separator=separator).amount_float
    if amount is None or not math.isfinite(amount) or not 0 <= amount <= MAX_PRICE:
        return None
    return amount


def currency(text: str) -> str | None:
    """The currency symbol or code a price string names ("€", "USD", "kr"), else None."""
    return Price.fromstring(text).currency


class LocaleDetection(BaseModel):
    """Which decimal mark a column of price strings uses, with the counts that decided it (for the load report)."""

    locale: PriceLocale | None  # None: no string says, or they disagree
    point: int  # strings that show a decimal point
    comma: int  # strings that show a decimal comma
    undecided: int  # strings with a figure that show neither ("1,500", "12", "1.299")

    @property
    def ambiguous(self) -> bool:
        return self.point > 0 and self.comma > 0


def detect_locale(values: Iterable[object]) -> LocaleDetection:
    """The decimal mark of a catalog's price strings: the one every string that shows a mark agrees on."""
    counts = {PriceLocale.POINT: 0, PriceLocale.COMMA: 0}
    undecided = 0
    for value in values:
        if not isinstance(value, str) or not _DIGIT.search(value):
            continue
        mark = decimal_mark(value)
        if mark is None:
            undecided += 1
        else:
            counts[mark] += 1
    point, comma = counts[PriceLocale.POINT], counts[PriceLocale.COMMA]
    locale = None if (point and comma) or not (point or comma) else (PriceLocale.POINT if point else
                                                                      PriceLocale.COMMA)
    return LocaleDetection(locale=locale, point=point, comma=comma, undecided=undecided)


class Money(BaseModel):
    """A figure with its currency in free text ("$1,299.00", "1,500 dollars", "12,50 €")."""

    value: float
    start: int
    end: int
    text: str


def find_money(text: str, locale: PriceLocale | str | None = None) -> list[Money]:
    """Every figure ``text`` writes with a currency sign, code or word, in order."""
    out = []
    for m in MONEY.finditer(text):
        if not (m.group("pre") or (m.group("post") or "").strip()):
            continue
        value = parse_price(m.group("num"), locale)
        if value is not None and m.group("k"):
            value = round(value * 1000, 2)
        if value is not None:
            out.append(Money(value=value, start=m.start(), end=m.end(), text=m.group(0).strip()))
    return out
