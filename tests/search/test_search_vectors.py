"""Exact scans over vectors held grouped by category: the same answers as a plain scan in catalog order."""

from __future__ import annotations

import numpy as np

from tools.search.vectors import GroupedVectors, top


def test_slices_and_gathers_rank_exactly_like_a_plain_scan() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    codes = rng.integers(0, 40, n)
    matrix = rng.standard_normal((n, 16)).astype(np.float32)
    gv = GroupedVectors(matrix, codes)
    assert np.array_equal(gv.catalog_order, matrix)
    qv = rng.standard_normal(16).astype(np.float32)
    category = np.isin(codes, [3, 17])
    cheap = rng.random(n) < 0.3
    most = rng.random(n) < 0.9
    for allowed, kind in ((np.flatnonzero(category), "slices"), (np.flatnonzero(category & most), "slices"),
                          (np.flatnonzero(category & cheap), "gather"),
                          (np.flatnonzero(rng.random(n) < 0.01), "gather")):
        plan = gv.plan(allowed)
        assert plan.kind == kind
        expected = allowed[top(matrix[allowed] @ qv, 50)]
        assert np.array_equal(gv.top_among(qv, plan, 50), expected)
    assert np.array_equal(gv.top_all(qv, 30, cheap), np.flatnonzero(cheap)[top(matrix[cheap] @ qv, 30)])
    rows = rng.integers(0, n, 25)
    assert np.allclose(gv.scores(rows, qv), matrix[rows] @ qv)


def test_the_rows_of_one_category_at_any_level_are_one_run_of_the_grouped_order() -> None:
    import pandas as pd

    from tools.search.filters import FilterIndex
    from tools.search.models import SearchFilters

    rng = np.random.default_rng(3)
    paths = ["Outdoors > Camping > Tents", "Kitchen > Pans", "Outdoors > Hiking > Boots", "Outdoors > Camping & Hiking",
             "Outdoors > Camping > Stoves", "Kitchen > Pans > Woks", "Outdoors > Camping"]
    n = 5_000
    frame = pd.DataFrame({"price": rng.uniform(1, 100, n), "rating": 4.0, "in_stock": True, "rating_count": 1,
                          "brand": "B", "category_path": rng.choice(paths, n)})
    f = FilterIndex(frame)
    gv = GroupedVectors(rng.standard_normal((n, 8)).astype(np.float32), f.tree_order)
    for category, runs in (("Outdoors > Camping", 1), ("Kitchen", 1), ("Pans", 1), ("Outdoors", 1)):
        allowed = np.flatnonzero(f.mask(SearchFilters(category=category)))
        plan = gv.plan(allowed)
        assert (plan.kind, len(plan.starts), plan.covered) == ("slices", runs, len(allowed)), category
