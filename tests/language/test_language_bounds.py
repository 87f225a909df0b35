"""Price bounds in shopper messages: one reading for the planner and the search tool."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tools.language import parse_bounds

# (message, min_price, max_price)
SHOPPER_BOUNDS = [
    ("headphones under $1,500", None, 1500.0), ("headphones under 1,500 dollars", None, 1500.0),
    ("a laptop under $1,299.99", None, 1299.99), ("tv below $2,000", None, 2000.0),
    ("under fifteen hundred dollars", None, 1500.0), ("a thousand bucks max", None, 1000.0),
    ("no more than a thousand", None, 1000.0), ("under a grand", None, 1000.0), ("under two grand", None, 2000.0),
    ("under 2k", None, 2000.0), ("under $1.5k", None, 1500.0), ("2k max for a bike", None, 2000.0),
    ("under two hundred and fifty dollars", None, 250.0), ("under seventy-five bucks", None, 75.0),
    ("under fifty", None, 50.0), ("less than twenty dollars", None, 20.0),
    ("between 10 and 20 bucks", 10.0, 20.0), ("between $10 and $20", 10.0, 20.0),
    ("between ten and twenty dollars", 10.0, 20.0), ("from $15 to $40", 15.0, 40.0), ("$10-$20", 10.0, 20.0),
    ("$10 - 20", 10.0, 20.0), ("10 to 20 dollars", 10.0, 20.0), ("between 20 and 10 dollars", 10.0, 20.0),
    ("in the range of 100 to 200", 100.0, 200.0), ("somewhere between 30 and 60", 30.0, 60.0),
    ("16 oz shampoo under 20", None, 20.0), ("size 10 running shoes under $90", None, 90.0),
    ("a blouse, $30 tops", None, 30.0), ("30 tops", None, 30.0), ("30 bucks tops", None, 30.0),
    ("nothing over 120", None, 120.0), ("nothing above $90 please", None, 90.0), ("no more than 50", None, 50.0),
    ("not more than $45", None, 45.0), ("no higher than 60", None, 60.0), ("not under 30 dollars", 30.0, None),
    ("upwards of $80", 80.0, None), ("north of 250 dollars", 250.0, None), ("south of $60", None, 60.0),
    ("in excess of 500", 500.0, None), ("under a hundred and sixty", None, 160.0), ("two forty or less", None, 240.0),
    ("no less than $25", 25.0, None), ("at least 100", 100.0, None), ("over $200", 200.0, None),
    ("more than 80 dollars", 80.0, None), ("$100+", 100.0, None), ("$50 and up", 50.0, None),
    ("50 dollars or more", 50.0, None), ("starting at $300", 300.0, None), ("above 40 bucks", 40.0, None),
    ("20 bucks or less", None, 20.0), ("$35 or under", None, 35.0), ("$60 max", None, 60.0),
    ("at most $25", None, 25.0), ("up to 70", None, 70.0), ("within $40", None, 40.0),
    ("my budget is 80", None, 80.0), ("budget of $120", None, 120.0), ("cheaper than $15", None, 15.0),
    ("<$30", None, 30.0), ("<= 30", None, 30.0), ("over 4 stars under 50", None, 50.0),
    ("around fifty dollars", 40.0, 60.0), ("about $40", 32.0, 48.0), ("roughly 100 dollars", 80.0, 120.0),
    ("~$25", 20.0, 30.0), ("$40-ish", 32.0, 48.0), ("a $50 gift card", None, 50.0), ("€30 sunscreen", None, 30.0),
    ("serum under 25 euros", None, 25.0), ("under £60", None, 60.0), ("under 12,50 €", None, 12.5),
    ("under €1.299,00", None, 1299.0), ("tents for 2 people under 300", None, 300.0),
    ("30 samples under 20", None, 20.0), ("under 5", None, 5.0), ("under $9.99", None, 9.99),
    ("between 1,000 and 1,500 dollars", 1000.0, 1500.0), ("over $1,000 under $2,000", 1000.0, 2000.0),
    ("4k tv under 500", None, 500.0), ("spf 50 under $20", None, 20.0),
    ("a $40 candle at most", None, 40.0), ("a $20 balm at the top of my list", None, 20.0),
    ("a hair dryer from 60", 60.0, None), ("boots from 90 please?", 90.0, None),
]
# figures that are not prices
NOT_PRICES = [
    "spf 50 sunscreen", "16 oz shampoo", "size 10 running shoes", "4.5 stars", "over 4 stars", "what about 2?",
    "compare 1 and 2", "1 or 2", "about 40 liters backpack", "a 2-person tent", "a tent for 4 people",
    "a 3 pack of razors", "pack of 12", "100 ml travel size", "a 12 inch pan", "30 pieces", "4k tv", "iphone 13 case",
    "vitamin c 20% serum", "the first one", "the second and third", "show me 5 options", "a 32 gb card",
    "over 100 reviews", "for ages 3 and up", "a 1.7 oz perfume", "at least 8 hours of battery", "a 5\" ruler",
    "under 10 lbs", "more than 3 colors", "night cream for 40+ skin", "from 2 sellers", "number 3 please", "option 2",
    # a price paid or seen elsewhere: what it costs there, no bound here
    "sick of paying $30 a month at the spa", "i paid 25 dollars for mine", "it was $19.99 at the pharmacy",
    "a nail kit so i stop spending $40 at the salon", "fed up with paying 9 bucks a cup",
    # a year or a count after "from": no minimum price
    "a gift from 2019", "shipped from 3 warehouses",
]


@pytest.mark.parametrize(("message", "low", "high"), SHOPPER_BOUNDS)
def test_shopper_price_bounds(message, low, high):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (low, high)


@pytest.mark.parametrize("message", NOT_PRICES)
def test_figures_that_are_not_prices_set_no_bound(message):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (None, None)


def test_the_price_phrase_is_taken_out_of_the_rest():
    bounds = parse_bounds("Running shoes under $90 in blue")
    assert bounds.rest.split() == ["running", "shoes", "in", "blue"]
    assert "spf" in parse_bounds("spf 50 sunscreen under $20").rest


def test_a_decimal_comma_locale_reads_a_shoppers_figure():
    assert parse_bounds("unter 12,500 €", locale="comma").max_price == 12.5  # a lone currency figure: a maximum
    assert parse_bounds("under 12,500 €", locale="comma").max_price == 12.5
    assert parse_bounds("under 12,500 €").max_price == 12500.0


def test_real_product_questions_with_figures_set_no_price_bound(shared_datasets: Path):
    """Amazon product questions (ePQA) that carry a figure but no currency: model numbers, sizes, years, volts."""
    with open(shared_datasets / "amazon-pqa" / "ePQA_dev.csv", newline="") as fh:
        questions = sorted({row["question"] for row in csv.DictReader(fh)})
    with_figures = [q for q in questions if re.search(r"\d", q) and "$" not in q]
    assert len(with_figures) > 200
    priced = [q for q in with_figures if parse_bounds(q).max_price is not None or parse_bounds(q).min_price]
    assert priced == []


@pytest.mark.parametrize(("message", "low", "high"), [
    ("a lamp, my budget is fifteen to thirty", 15.0, 30.0),  # a range after a budget word needs no "between"
    ("I'd pay 60 to 90 for a jacket", 60.0, 90.0),
    ("a tent under 3 hundred", None, 300.0),  # a digit then "hundred"
    ("4 hundred and twenty dollars max", None, 420.0),
])
def test_ranges_after_a_price_word_and_digit_hundreds(message, low, high):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (low, high)


@pytest.mark.parametrize("message", ["a lip balm with 30 or higher spf", "a power bank, 10 or more hours",
                                     "spf 15 to 30 day cream"])
def test_the_bound_of_a_quantity_is_no_price(message):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (None, None)


@pytest.mark.parametrize(("message", "low", "high"), [
    ("a silk scarf, blue or green, 40-70", 40.0, 70.0),  # a bare rising range standing as its own phrase
    ("desk lamp for 15 to 35 please", 15.0, 35.0),
    ("roughly 120-150 for a rain jacket", 120.0, 150.0),  # after an "about" word: a range, not a band around 120
    ("a teapot, maybe 30-ish to 45", 30.0, 45.0),
    ("a rug between four and six hundred", 400.0, 600.0),  # the multiplier said once belongs to both figures
    ("a sub-70 tripod", None, 70.0),
    ("sub 25 bucks earrings", None, 25.0),
    ("a phone case for under a tenner", None, 10.0),  # the nicknames of notes
    ("stickers, a fiver or less", None, 5.0),
])
def test_bare_ranges_shared_multipliers_and_sub(message, low, high):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (low, high)


@pytest.mark.parametrize("message", ["can we get 12-14 of them?", "fits the 3-8 year old", "part 55-1120-7 fit?",
                                     "swap 1 to 2 in the list", "a 2-4 person dome", "shoes in size 9-10"])
def test_figures_joined_by_a_dash_that_are_no_range_of_prices(message):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (None, None)


@pytest.mark.parametrize(("message", "low", "high"), [
    ("ok how about 80 and above?", 80.0, None),  # the "about" of a suggestion: the bound said after it holds
    ("what about something under 25", None, 25.0),
    ("a scarf for about 30", 24.0, 36.0),  # "about" alone still approximates
])
def test_what_about_and_how_about_suggest_no_approximate_price(message, low, high):
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (low, high)
