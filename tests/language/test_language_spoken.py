"""Spoken and self-corrected prices: figures said as words, a budget named after its figure, a figure withdrawn."""

import pytest

from tools.language import parse_bounds, words_to_digits


@pytest.mark.parametrize("text, digits", [
    ("a kettle from one hundred and two hundred", "a kettle from 100 and 200"),
    ("four thousand to five thousand", "4000 to 5000"),
    ("a hundred or two hundred", "100 or 200"),
    ("three hundred and twenty", "320"),  # one figure, not two
])
def test_each_multiplied_figure_is_its_own_number(text: str, digits: str) -> None:
    assert words_to_digits(text) == digits


@pytest.mark.parametrize("text, lo, hi", [
    ("a rug priced between four hundred and six hundred dollars", 400, 600),
    ("stand mixer, 2.5k budget", None, 2500),
    ("desk lamp, 35 is my limit", None, 35),
    ("show me 3 budget options", None, None),  # "budget options" is no limit
])
def test_spoken_ranges_and_budgets_after_the_figure(text: str, lo: float | None, hi: float | None) -> None:
    bounds = parse_bounds(text)
    assert (bounds.min_price, bounds.max_price) == (lo, hi)


@pytest.mark.parametrize("text, lo, hi", [
    ("yoga mat under 15, sorry, under 18", None, 18),
    ("toaster above 60 i mean below 60", None, 60),
    ("candles under 12 - actually make it under 16", None, 16),
    ("rain jacket under eighty, no, make it ninety", None, 90),
    ("between 20 and 40, wait no, 30 to 50", 30, 50),
    ("actually i want a scarf under 25", None, 25),  # nothing said before it to withdraw
])
def test_the_last_stated_price_wins(text: str, lo: float | None, hi: float | None) -> None:
    bounds = parse_bounds(text)
    assert (bounds.min_price, bounds.max_price) == (lo, hi)
