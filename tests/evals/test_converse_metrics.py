"""hit@k, average turns (a miss counts as turns + 1) and the bootstrap interval."""

from __future__ import annotations

import pytest

from evals.converse.metrics import avg_turns, bootstrap_ci, figures, hit_at


def test_hit_at_counts_hits_within_k_turns() -> None:
    hits = [1, 3, None, 5, 2]
    assert hit_at(hits, 5) == [0.2, 0.4, 0.6, 0.6, 0.8]


def test_avg_turns_counts_a_miss_as_turns_plus_one() -> None:
    assert avg_turns([1, None, 3], 5) == pytest.approx((1 + 6 + 3) / 3, abs=1e-4)


def test_bootstrap_interval_contains_the_mean_and_narrows_with_more_shoppers() -> None:
    small = [1.0] * 20 + [0.0] * 20
    large = small * 25
    lo, hi = bootstrap_ci(small, seed=0)
    lo2, hi2 = bootstrap_ci(large, seed=0)
    assert lo < 0.5 < hi and lo2 < 0.5 < hi2
    assert hi2 - lo2 < (hi - lo) / 3
    assert bootstrap_ci([1.0] * 10, seed=0) == [1.0, 1.0]


def test_bootstrap_is_seeded() -> None:
    values = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert bootstrap_ci(values, seed=4) == bootstrap_ci(values, seed=4)


def test_figures_hold_every_key_of_the_json() -> None:
    f = figures([1, None, 2, None], turns=5, seed=0)
    assert f.hit_at == [0.25, 0.5, 0.5, 0.5, 0.5]
    assert f.avg_turns == pytest.approx((1 + 6 + 2 + 6) / 4)
    assert len(f.hit5_ci95) == 2 and f.hit5_ci95[0] <= 0.5 <= f.hit5_ci95[1]
    assert f.shoppers == 4
