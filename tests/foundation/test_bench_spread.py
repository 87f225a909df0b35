"""The one helper every ratio-reporting bench uses: median, min, max and verdict of per-round ratios."""

from __future__ import annotations

import json

import pytest

from shopagent.bench.spread import MIN_ROUNDS, Spread, alternate, ratio_of


def test_median_min_max_of_the_rounds_in_their_order() -> None:
    s = Spread.of([1.8, 0.9, 1.36, 1.1, 1.2])
    assert s.rounds == 5 and s.ratios == [1.8, 0.9, 1.36, 1.1, 1.2]  # run order kept, not sorted
    assert (s.median, s.min, s.max) == (1.2, 0.9, 1.8)
    assert s.enough


def test_even_count_median_is_the_mean_of_the_middle_two() -> None:
    assert Spread.of([1.0, 2.0, 4.0, 3.0, 10.0, 0.5]).median == 2.5


@pytest.mark.parametrize(("ratios", "verdict"), [
    ([0.9, 1.36, 1.8, 1.2, 1.1], "no difference"),   # the range straddles 1
    ([1.0, 1.2, 1.3, 1.4, 1.5], "no difference"),    # touching 1 counts as containing it
    ([0.7, 0.8, 0.9, 1.0, 0.95], "no difference"),
    ([1.01, 1.2, 1.9, 1.5, 1.4], "faster"),
    ([0.5, 0.6, 0.99, 0.7, 0.8], "slower"),
])
def test_verdict_is_no_difference_exactly_when_the_range_contains_one(ratios: list[float], verdict: str) -> None:
    assert Spread.of(ratios).verdict == verdict


def test_a_high_median_with_one_round_below_one_is_still_no_difference() -> None:
    s = Spread.of([2.0, 2.1, 0.98, 2.2, 1.9])
    assert s.median == 2.0 and s.verdict == "no difference"


def test_rounding_and_text_and_json() -> None:
    s = Spread.of([1.234567, 1.5, 1.1, 1.3, 1.4], digits=3)
    assert s.ratios[0] == 1.235 and s.min == 1.1 and s.max == 1.5 and s.median == 1.3
    assert s.text() == "1.30× (1.10–1.50, 5 rounds): faster"
    dumped = json.loads(s.model_dump_json())
    assert set(dumped) == {"rounds", "ratios", "median", "min", "max", "verdict"}
    assert dumped["verdict"] == "faster"


def test_too_few_rounds_are_marked_not_a_claim_and_none_is_an_error() -> None:
    s = Spread.of([1.5, 1.6, 1.7])
    assert not s.enough and MIN_ROUNDS == 5
    assert "not a claim" in s.text()
    with pytest.raises(ValueError):
        Spread.of([])


def test_ratio_of_and_alternate() -> None:
    assert ratio_of(3.0, 2.0) == 1.5
    assert ratio_of(1.0, 0.0) == float("inf") and ratio_of(0.0, 0.0) == 1.0
    assert [alternate(i, "a", "b") for i in range(4)] == [("a", "b"), ("b", "a"), ("a", "b"), ("b", "a")]
