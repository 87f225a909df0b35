"""Price limits said at length or in slang (branch lang8): a "not" a verb or two before the cue ("rather not go
above"), and hundreds named by slang ("3 bills"). Every message here is invented for the test."""

from __future__ import annotations

import pytest

from tools.language import parse_bounds


@pytest.mark.parametrize(("message", "low", "high"), [
    ("I'd rather not go above 35 for a kettle", None, 35.0),
    ("we don't want to pay more than sixty", None, 60.0),
    ("I shall not spend over ninety dollars", None, 90.0),
    ("a lamp, nothing over 120", None, 120.0),
    ("not priced under 30", 30.0, None),
    ("over 50 but not more than 80", 50.0, 80.0),
])
def test_a_limit_negated_a_verb_or_two_before_the_cue(message: str, low: float | None, high: float | None) -> None:
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (low, high)


@pytest.mark.parametrize(("message", "high"), [("speakers under 3 bills", 300.0), ("a couple of c-notes max", 200.0),
                                               ("keep it below four benjamins", 400.0)])
def test_hundreds_named_by_slang(message: str, high: float) -> None:
    assert parse_bounds(message).max_price == high


def test_bills_with_no_count_are_no_price() -> None:
    assert parse_bounds("which card pays my bills").max_price is None


@pytest.mark.parametrize("message", ["is this a knockoff of the $300 ones?", "the 45 dollar one, is it loud?"])
def test_products_pointed_at_by_price_are_no_bound(message: str) -> None:
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (None, None)
