"""``GroupedVectors``: the local vector mirror held grouped by category path, for exact scans that read memory in
order.

An exact scan over the rows a filter allows costs what it reads. Gathering 28k scattered rows of a million
(a category) reads them one by one; held grouped by category path, the same rows are a few contiguous slices that
a matrix-vector product streams through, several times faster. Rows a filter allows that lie in short runs
(a category, a category and a price range) are scanned slice by slice; scattered ones (a brand, a price range
alone) are gathered. Callers speak catalog row numbers throughout.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

GAP = 256  # allowed rows closer than this in grouped order are scanned as one slice (the rows between masked out)


def top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest scores, best first."""
    n = min(n, len(scores))
    if n <= 0:
        return np.array([], dtype=np.int64)
    idx = np.argpartition(-scores, n - 1)[:n]
    return idx[np.argsort(-scores[idx], kind="stable")]


class GroupedVectors:
    def __init__(self, matrix: np.ndarray, group_codes: np.ndarray) -> None:
        order = np.argsort(group_codes, kind="stable")
        self.n, self.dim = matrix.shape if matrix.ndim == 2 else (0, 384)
        self._identity = bool(np.array_equal(order, np.arange(len(order))))
        self.perm = order  # grouped position -> catalog row
        self.pos = np.empty_like(order)  # catalog row -> grouped position
        self.pos[order] = np.arange(len(order))
        self.vectors = np.ascontiguousarray(matrix if self._identity else matrix[order], dtype=np.float32)

    @cached_property
    def catalog_order(self) -> np.ndarray:
        """The vectors in catalog row order (a copy unless they already are; for benchmarks and tools)."""
        if self._identity:
            return self.vectors
        out = np.empty_like(self.vectors)
        out[self.perm] = self.vectors
        return out

    def scores(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        """Dot products of catalog ``rows`` with ``qv``."""
        return self.vectors[self.pos[rows]] @ qv

    def top_all(self, qv: np.ndarray, n: int, mask: np.ndarray | None = None) -> np.ndarray:
        """The best n catalog rows of all (or of ``mask``) in one pass over every vector."""
        s = self.vectors @ qv
        if mask is not None:
            s[~mask[self.perm]] = -np.inf
            n = min(n, int(mask.sum()))
        return self.perm[top(s, n)]

    def plan(self, allowed: np.ndarray) -> "ScanPlan":
        """How to scan catalog rows ``allowed``: as slices of grouped order when they lie in runs (a category), else
        gathered one by one (a brand, a price range alone)."""
        g = np.sort(self.pos[allowed])
        if not len(g):
            return ScanPlan(g, g, g, "gather", 0)
        breaks = np.flatnonzero(np.diff(g) > GAP)
        starts = np.concatenate([g[:1], g[breaks + 1]])
        ends = np.concatenate([g[breaks], g[-1:]]) + 1
        covered = int((ends - starts).sum())
        kind = "slices" if len(starts) <= 256 and covered <= 2 * len(g) else "gather"
        return ScanPlan(g, starts, ends, kind, covered)

    def top_among(self, qv: np.ndarray, plan: "ScanPlan", n: int) -> np.ndarray:
        """The best n catalog rows of those ``plan`` covers."""
        g = plan.positions
        if plan.kind == "slices" and plan.covered == len(g):  # every row of the slices is allowed: read them whole
            s = np.concatenate([self.vectors[a:b] @ qv for a, b in zip(plan.starts.tolist(), plan.ends.tolist())])
        elif plan.kind == "slices":
            s = np.empty(len(g), dtype=np.float32)
            for a, b in zip(plan.starts.tolist(), plan.ends.tolist()):
                i0, i1 = np.searchsorted(g, a), np.searchsorted(g, b)
                s[i0:i1] = (self.vectors[a:b] @ qv)[g[i0:i1] - a]
        else:
            s = self.vectors[g] @ qv
        return self.perm[g[top(s, n)]]


class ScanPlan:
    """Grouped positions to score, and whether they are read as slices (``covered`` rows) or gathered."""

    def __init__(self, positions: np.ndarray, starts: np.ndarray, ends: np.ndarray, kind: str, covered: int) -> None:
        self.positions, self.starts, self.ends, self.kind, self.covered = positions, starts, ends, kind, covered
