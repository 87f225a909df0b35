"""Price strings as catalogs write them, read once for the loaders, the search tool and the planner."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from tools.language import LocaleDetection, PriceLocale, detect_locale, parse_price, resolve_locale

# (string, locale, value): catalog price fields, US and European
CATALOG_STRINGS = [
    ("$25.00", None, 25.0), ("$329.00", None, 329.0), ("$5.40", None, 5.4), ("$99.99", None, 99.99),
    ("$1,250.00", None, 1250.0), ("$1,500", None, 1500.0), ("$ 5", None, 5.0), ("USD 12.50", None, 12.5),
    ("12.50 USD", None, 12.5), ("US$ 19.99", None, 19.99), ("£1,299.99", None, 1299.99), ("¥1299", None, 1299.0),
    ("12.5€", None, 12.5), ("12,50 €", None, 12.5), ("€1.299,00", None, 1299.0), ("1.299,00 €", None, 1299.0),
    ("1 299 kr", None, 1299.0), ("1 299,50 €", None, 1299.5), ("1\u00a0299,00 €", None, 1299.0),
    ("CHF 1'299.00", None, 1299.0), ("1,299.00 zł", None, 1299.0), ("Rs. 1,299", None, 1299.0),
    ("$10.00 - $20.00", None, 10.0), ("$7.14", None, 7.14), ("0.99", None, 0.99), ("15", None, 15.0),
    ("1,5", None, 1.5), ("9,99 €", None, 9.99), ("EUR 45,00", None, 45.0), ("45,00 EUR", None, 45.0),
    ("12,500", None, 12500.0), ("$12,500.00", None, 12500.0), ("1.299.000", None, 1299000.0),
    ("12,50", PriceLocale.COMMA, 12.5), ("1.299", PriceLocale.COMMA, 1299.0), ("1.299", PriceLocale.POINT, 1.299),
    ("12,500", PriceLocale.COMMA, 12.5), ("12,500", PriceLocale.POINT, 12500.0), ("1 299 kr", "sv_SE", 1299.0),
    ("1.299,00 €", "de_DE", 1299.0), ("1,299.00", "en_US", 1299.0), ("49,90", "fr", 49.9), ("49.90", "en", 49.9),
    ("1 299,00 €", "comma", 1299.0), ("$1,299.00", "point", 1299.0), (12.5, None, 12.5), (0, None, 0.0),
    (1299, PriceLocale.COMMA, 1299.0),
]
# strings that are no price, or that must be rejected rather than misread
REJECTED = [
    ("1e308", None), ("1E+308", None), ("2.5e3", None), ("inf", None), ("nan", None), ("-12.00", None),
    ("-$5", None), ("$-5", None), ("free", None), ("", None), ("N/A", None), (None, None), (True, None),
    (float("inf"), None), (float("nan"), None), (-3.0, None), (1e12, None), ("1,000,000,000,000", None),
    ("12,50 €", PriceLocale.POINT), ("1.299,00 €", "en_US"), ("$10.00 - $20.00", PriceLocale.COMMA),
    ("CHF 1'299.00", "de_CH"),
]


@pytest.mark.parametrize(("text", "locale", "value"), CATALOG_STRINGS)
def test_catalog_price_strings_are_read_with_their_decimal_mark(text, locale, value):
    assert parse_price(text, locale) == pytest.approx(value)


@pytest.mark.parametrize(("text", "locale"), REJECTED)
def test_prices_that_cannot_be_read_right_are_rejected(text, locale):
    assert parse_price(text, locale) is None


def test_locale_tags_name_the_decimal_mark():
    assert resolve_locale("de_DE") is PriceLocale.COMMA
    assert resolve_locale("fr-CA") is PriceLocale.COMMA
    assert resolve_locale("en_GB") is PriceLocale.POINT
    assert resolve_locale("comma") is PriceLocale.COMMA
    assert resolve_locale(None) is None
    with pytest.raises(ValueError, match="unknown price locale"):
        resolve_locale("12")


def test_a_catalog_of_decimal_commas_is_detected_and_reported():
    found = detect_locale(["12,50 €", "1.299,00 €", "3 €", None, "9,99 €"])
    assert found == LocaleDetection(locale=PriceLocale.COMMA, point=0, comma=3, undecided=1)
    assert detect_locale(["$1.50", "$2,000.00", "$3"]).locale is PriceLocale.POINT


def test_a_catalog_whose_strings_disagree_is_left_undecided():
    found = detect_locale(["12,50", "12.50", "1,500"])
    assert found.locale is None and found.ambiguous
    assert detect_locale(["1,500", "12"]).locale is None  # no string says which


def test_every_gift_card_catalog_price_reads_as_its_dollar_figure(shared_datasets: Path):
    """The 2018 Amazon gift-card metadata: every "$d,ddd.dd" price string equals its figure."""
    seen = 0
    with gzip.open(shared_datasets / "amazon-giftcards-2018" / "meta_Gift_Cards.json.gz", "rt") as fh:
        for line in fh:
            price = json.loads(line).get("price")
            if isinstance(price, str) and re.fullmatch(r"\$\d{1,3}(?:,\d{3})*\.\d\d", price):
                assert parse_price(price) == pytest.approx(float(price[1:].replace(",", ""))), price
                seen += 1
    assert seen > 100
