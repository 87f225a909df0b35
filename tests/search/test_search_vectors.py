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
    for allowed, kind in ((np.flatnonzero(category), "slices"), (np.flatnonzero(category & cheap), "gather"),
                          (np.flatnonzero(rng.random(n) < 0.01), "gather")):
        plan = gv.plan(allowed)
        assert plan.kind == kind
        expected = allowed[top(matrix[allowed] @ qv, 50)]
        assert np.array_equal(gv.top_among(qv, plan, 50), expected)
    assert np.array_equal(gv.top_all(qv, 30, cheap), np.flatnonzero(cheap)[top(matrix[cheap] @ qv, 30)])
    rows = rng.integers(0, n, 25)
    assert np.allclose(gv.scores(rows, qv), matrix[rows] @ qv)
