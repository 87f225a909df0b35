"""Shopper and catalog language, read once for the whole project: prices and price bounds (``price-parser``),
number words (``text2num``), the text normaliser and singular/plural (``inflect``)."""

from tools.language.bounds import CORRECTION, LABELS, UNITS, PriceBounds, PriceMention, parse_bounds
from tools.language.numbers import small_number, words_to_digits
from tools.language.prices import (AMOUNT, MAX_PRICE, MONEY, LocaleDetection, Money, PriceLocale, currency,
                                   decimal_mark, detect_locale, find_money, parse_price, resolve_locale)
from tools.language.text import fold, normalise, plural, singular, singular_phrase

__all__ = ["AMOUNT", "CORRECTION", "LABELS", "MAX_PRICE", "MONEY", "LocaleDetection", "Money", "PriceBounds",
           "PriceLocale", "PriceMention", "UNITS", "currency", "decimal_mark", "detect_locale", "find_money", "fold",
           "normalise", "parse_bounds", "parse_price", "plural", "resolve_locale", "singular", "singular_phrase",
           "small_number", "words_to_digits"]
