"""``SearchEngine``: hybrid dense + keyword search with in-memory filters over the catalog.

Per query: filters -> a boolean mask over product rows (catalog table, in memory); the query embedding; dense
scores over the allowed rows, searched exactly (a matrix-vector product over the local mirror of the Chroma
embeddings) or through Chroma (over-fetch, then post-filter), whichever the cost model measured at open says is
cheaper; BM25 scores of all rows in one sparse pass; candidates = top-N of each side; convex fusion of min-max
normalised scores with a per-query-type weight.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Callable, TypeVar

import numpy as np

from core.config import Settings
from core.errors import ShopagentError
from tools.catalog.store import Catalog
from tools.search import store
from tools.search.embed import Embedder, shared_embedder
from tools.search.filters import FilterIndex
from tools.search.fusion import FusionWeights, fuse
from tools.search.index import index_dir, index_stale
from tools.search.keyword import KeywordIndex
from tools.search.models import ReviewSnippet, SearchHit, SearchRequest, SearchResponse
from tools.search.text import best_snippet, product_sentences, product_text
from tools.search.vectors import GroupedVectors, ScanPlan, top as _top

log = logging.getLogger(__name__)

CANDIDATES = 100  # top-N taken from each side before fusion
OVERFETCH = 4  # Chroma is asked for at most this many times the candidates it should give: an HNSW query's cost
# grows with the number asked for (1M products: 2.1 ms for 100, 5.6 for 400, 11.4 for 1,200), so a narrow price range
# gets the dense neighbours that survive its filter among 4x, not a query that costs as much as the rest of a search


def _top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest positive scores, best first (a sparse score vector: only its non-zeros ranked)."""
    nz = np.flatnonzero(scores > 0)
    return nz[_top(scores[nz], n)]


STORE_DOWN = ("the vector store (Chroma) did not answer: these results come from the local copy of the product "
              "vectors (check `chroma run` / SHOPAGENT_CHROMA_HOST)")


class CostModel:
    """Measured costs of the dense paths on this machine and this index (seconds): a contiguous exact scan per
    row, a gathered exact scan per row, one Chroma (HNSW) query of ``CANDIDATES``."""

    def __init__(self, exact_per_row: float, chroma_query: float, gather_per_row: float | None = None) -> None:
        self.exact_per_row = exact_per_row
        self.gather_per_row = exact_per_row if gather_per_row is None else gather_per_row
        self.chroma_query = chroma_query

    @classmethod
    def measure(cls, matrix: np.ndarray, col) -> "CostModel":  # noqa: ANN001
        rng = np.random.default_rng(0)
        q = rng.standard_normal(matrix.shape[1]).astype(np.float32)
        def best_of(fn, reps: int = 7) -> float:  # noqa: ANN001 - the minimum: robust to a busy machine
            fn()
            times = []
            for _ in range(reps):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            return min(times)

        per_row = best_of(lambda: _top(matrix @ q, CANDIDATES)) / max(1, len(matrix))
        sample = np.sort(rng.choice(len(matrix), min(len(matrix), 20_000), replace=False)) if len(matrix) else []
        gather = best_of(lambda: matrix[sample] @ q, reps=3) / max(1, len(sample))
        chroma = float("inf")
        if col is not None and len(matrix):
            try:
                chroma = best_of(lambda: col.query(query_embeddings=[q.tolist()],
                                                   n_results=min(CANDIDATES, len(matrix)), include=[]))
            except Exception as exc:  # a broken store must not stop exact search
                log.warning("Chroma query failed while measuring costs (%s): exact search only", exc)
        return cls(per_row, chroma, gather)

    def exact(self, n_total: int, n_allowed: int, plan: ScanPlan | None) -> float:
        """An exact scan: every row (no filter, or a broad one), the slices of a plan, or its gathered rows."""
        if plan is None:
            return self.exact_per_row * n_total
        if plan.kind == "slices":
            return self.exact_per_row * plan.covered
        return self.gather_per_row * n_allowed

    def use_chroma(self, n_allowed: int, n_total: int, exact_cost: float | None = None) -> bool:
        """Chroma, over-fetching by 1/selectivity and filtering after, costs about chroma_query * fetch factor;
        the exact scan costs ``exact_cost`` (default: gathering the allowed rows)."""
        if not np.isfinite(self.chroma_query):
            return False
        selectivity = max(n_allowed / max(n_total, 1), 1e-6)
        fetch_factor = max(1.0, min(10.0, 1.0 / selectivity))  # what n survivors would need (the query is capped)
        if exact_cost is None:
            exact_cost = self.gather_per_row * n_allowed
        return self.chroma_query * fetch_factor < exact_cost


KEYWORD_ONLY = "keyword search over the catalog (run `shopagent index build` for hybrid search)"


class SearchEngine:
    """Hybrid search; with no ``embedder`` (no index built yet) the same filters and responses over BM25 alone."""

    def __init__(self, catalog: Catalog, embedder: Embedder | None, matrix: np.ndarray, keyword: KeywordIndex,
                 products_col=None, weights: FusionWeights | None = None,  # noqa: ANN001
                 reviews: tuple[np.ndarray, list[str], list[str]] | None = None) -> None:
        self.catalog = catalog
        self.embedder = embedder
        self.keyword = keyword
        self.products_col = products_col
        self.weights = weights or FusionWeights()
        self.filters = FilterIndex(catalog.frame())
        self.ids = catalog.ids
        self.vectors = GroupedVectors(matrix, self.filters.tree_order)
        del matrix
        self.costs = (CostModel.measure(self.vectors.vectors, products_col) if embedder is not None
                      else CostModel(0.0, np.inf))
        self._reviews = reviews
        self._review_rows: dict[str, list[int]] = {}
        if reviews is not None:
            for i, pid in enumerate(reviews[2]):
                self._review_rows.setdefault(pid, []).append(i)

    @property
    def hybrid(self) -> bool:
        """False for the keyword-only engine that answers before an index is built."""
        return self.embedder is not None

    @property
    def name(self) -> str:
        return "search-engine" if self.hybrid else "catalog-keyword"

    @property
    def matrix(self) -> np.ndarray:
        """The product vectors in catalog row order (row i = ``ids[i]``)."""
        return self.vectors.catalog_order

    @classmethod
    def keyword_only(cls, catalog: Catalog) -> "SearchEngine":
        """BM25 over the product texts, built in memory: what answers before `shopagent index build` has run."""
        keyword = KeywordIndex.build([product_text(p) for p in catalog.products()])
        return cls(catalog, None, np.zeros((len(catalog), 0), dtype=np.float32), keyword)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None,
             catalog: Catalog | None = None) -> "SearchEngine":
        """The hybrid engine over the built index (``catalog``: the process's open catalog, else opened here)."""
        catalog = catalog or Catalog.open(settings.data_dir)
        d = index_dir(settings)
        stale = index_stale(settings, catalog)
        if stale:
            raise ShopagentError(stale)
        col = store.collection(store.chroma_client(settings), store.PRODUCTS)
        matrix = _load_mirror(d / "products.npy", col, catalog.ids)
        reviews = None
        if (d / "reviews.json").exists():
            rmeta = _index_file(d / "reviews.json", lambda: json.loads((d / "reviews.json").read_text()))
            rcol = store.collection(store.chroma_client(settings), store.REVIEWS)
            rmatrix = _load_mirror(d / "reviews.npy", rcol, rmeta["ids"])
            reviews = (rmatrix, rmeta["ids"], rmeta["product_ids"])
        keyword = _index_file(d / "bm25", lambda: KeywordIndex.load(d / "bm25"))
        weights = _index_file(d / "fusion.json", lambda: FusionWeights.load(d / "fusion.json"))
        return cls(catalog, embedder or shared_embedder(settings.models_dir), matrix, keyword, col, weights, reviews)

    # --- the hot path ---
    def search(self, request: SearchRequest) -> SearchResponse:
        f = request.filters
        mask = self.filters.mask(f)  # raises InvalidFilterError on contradictions
        if f.category and not len(self.filters.category_matches(f.category)):
            closest = self.filters.closest_categories(f.category)
            return SearchResponse(message=f"no category matches {f.category!r}; closest: {', '.join(closest)}")
        if f.brand and not len(self.filters.brand_matches(f.brand)):
            return SearchResponse(message=f"no brand matches {f.brand!r} in this catalog")
        allowed = None if mask is None else np.flatnonzero(mask)
        n_allowed = len(self.ids) if allowed is None else len(allowed)
        if n_allowed == 0:
            return SearchResponse(message="no product passes these filters; relax the price, rating or stock limits")
        query = request.query.strip()
        if not query:
            rows = allowed if allowed is not None else np.arange(len(self.ids))
            pop = self.filters.popularity[rows]
            top = rows[_top(pop, request.k)]
            return self._response(top, pop[_top(pop, request.k)], "", n_allowed, "popular",
                                  "no query: the most popular products within the filters")
        if self.embedder is None:
            return self._keyword_only(query, mask, allowed, n_allowed, request.k)
        rows, scores, path = self.rank(query, mask, allowed, request.k, request.mode)
        note = STORE_DOWN if path == "exact-store-down" else ""
        return self._response(rows, scores, query, n_allowed, path, note)

    def _keyword_only(self, query: str, mask: np.ndarray | None, allowed: np.ndarray | None, n_allowed: int,
                      k: int) -> SearchResponse:
        kw = self.keyword.scores(query)
        if kw is not None and mask is not None:
            kw = kw * mask
        if kw is not None and (kw > 0).any():
            # BM25 ties among products that all match the words (same title words) go to the better-liked one
            liked = np.log1p(self.filters.popularity) / max(float(np.log1p(self.filters.popularity).max()), 1e-9)
            scores = np.where(kw > 0, kw + 0.1 * liked, 0.0)
            top = _top(scores, k)
            top = top[scores[top] > 0]
            return self._response(top, scores[top], query, n_allowed, "keyword", KEYWORD_ONLY)
        rows = allowed if allowed is not None else np.arange(len(self.ids))
        pop = self.filters.popularity[rows]
        order = _top(pop, k)
        return self._response(rows[order], pop[order], "", n_allowed, "popular",
                              "no product matches the words; showing the most popular within the filters")

    def rank(self, query: str, mask: np.ndarray | None, allowed: np.ndarray | None, k: int,
             mode: str = "hybrid") -> tuple[np.ndarray, np.ndarray, str]:
        """Row indices and scores of the best k rows among ``allowed`` (None = all)."""
        n_allowed = len(self.ids) if allowed is None else len(allowed)
        kw = None
        if mode in ("hybrid", "keyword"):
            kw = self.keyword.scores(query)
            if kw is not None and mask is not None:
                kw = kw * mask
        if mode == "keyword":
            if kw is None:
                return np.array([], dtype=np.int64), np.array([]), "keyword"
            top = _top_positive(kw, k)
            return top, kw[top], "keyword"
        qv = self.embedder.query(query)
        if mode == "dense":
            dense_rows, path = self._dense_candidates(qv, mask, allowed, n_allowed, k, k)
            return dense_rows, self.vectors.scores(dense_rows, qv), path
        cand, dense_s, kw_s, path = self.candidates(qv, kw, mask, allowed, max(k, CANDIDATES), least=k)
        fused = fuse(dense_s, kw_s, self.weights.weight(query))
        order = _top(fused, k)
        return cand[order], fused[order], path

    def candidates(self, qv: np.ndarray, kw: np.ndarray | None, mask: np.ndarray | None,
                   allowed: np.ndarray | None, n: int = CANDIDATES, least: int | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str]:
        """Union of the top-n rows of each side, with both sides' scores for every candidate (the dense side through
        Chroma may give fewer, down to ``least``, default n)."""
        n_allowed = len(self.ids) if allowed is None else len(allowed)
        dense_rows, path = self._dense_candidates(qv, mask, allowed, n_allowed, n, n if least is None else least)
        cand = dense_rows
        if kw is not None:
            cand = np.unique(np.concatenate([dense_rows, _top_positive(kw, n)]))
        return cand, self.vectors.scores(cand, qv), None if kw is None else kw[cand], path

    def _dense_candidates(self, qv: np.ndarray, mask: np.ndarray | None, allowed: np.ndarray | None,
                          n_allowed: int, n: int, least: int) -> tuple[np.ndarray, str]:
        fallback = "exact"
        n_total = len(self.ids)
        # broad or no filter: one pass over every vector; selective: the allowed rows, as slices or gathered
        plan = None if allowed is None or n_allowed * 4 > n_total else self.vectors.plan(allowed)
        if self.costs.use_chroma(n_allowed, n_total, self.costs.exact(n_total, n_allowed, plan)):
            try:
                rows = self._chroma_candidates(qv, mask, n_allowed, n, least)
            except Exception as exc:  # noqa: BLE001 - said in the response: the local mirror answers instead
                log.warning("Chroma query failed (%s): exact search over the local mirror", exc)
                rows, fallback = None, "exact-store-down"
            if rows is not None:
                return rows, "chroma"
        if plan is None:
            return self.vectors.top_all(qv, n, mask), fallback
        return self.vectors.top_among(qv, plan, n), fallback

    def _chroma_candidates(self, qv: np.ndarray, mask: np.ndarray | None, n_allowed: int, n: int,
                           least: int) -> np.ndarray | None:
        """The best n rows among the allowed through HNSW: 1.5/selectivity times n asked for (at most ``OVERFETCH``
        times), filtered after; None (search exactly) when fewer than ``least`` survive."""
        over = min(1.5 * max(1.0, len(self.ids) / max(n_allowed, 1)), float(OVERFETCH))
        fetch = min(len(self.ids), int(n * over))
        res = self.products_col.query(query_embeddings=[qv.tolist()], n_results=fetch, include=[])
        # ids not in this catalog version (an index build for a newer version is running) are left out
        rows = np.array([self.catalog.index_of(i) for i in res["ids"][0] if i in self.catalog], dtype=np.int64)
        if mask is not None:
            rows = rows[mask[rows]]
        if len(rows) < min(least, n_allowed):
            return None  # not enough survived the post-filter: the caller searches exactly
        return rows[:n]

    def _response(self, rows: np.ndarray, scores: np.ndarray, query: str, n_allowed: int, path: str,
                  message: str) -> SearchResponse:
        hits = []
        for r, s in zip(rows.tolist(), np.asarray(scores).tolist()):
            p = self.catalog.get(self.ids[r])
            hits.append(SearchHit(product=p, score=round(float(s), 4),
                                  snippet=best_snippet(query, product_sentences(p)) if query else p.title))
        if not hits and not message:
            message = "nothing in the catalog matches this query; try other words or fewer filters"
        return SearchResponse(hits=hits, message=message, n_candidates=n_allowed, path=path)

    # --- grounding ---
    def review_snippets(self, product_id: str, query: str = "", k: int = 3) -> list[ReviewSnippet]:
        """The k reviews of ``product_id`` closest to ``query`` (the most recent when no query)."""
        reviews = {r.id: r for r in self.catalog.reviews(product_id)}  # raises UnknownProductError
        if not reviews:
            return []
        rows = self._review_rows.get(product_id, [])
        if self._reviews is None or not rows or not query.strip():
            chosen = sorted(reviews.values(), key=lambda r: -(r.timestamp or 0))[:k]
            return [ReviewSnippet(review_id=r.id, product_id=product_id, text=r.text, rating=r.rating, score=0.0)
                    for r in chosen]
        rmatrix, rids, _ = self._reviews
        s = rmatrix[rows] @ self.embedder.query(query)
        out = []
        for j in _top(s, k):
            r = reviews.get(rids[rows[j]])
            if r is not None:
                out.append(ReviewSnippet(review_id=r.id, product_id=product_id, text=r.text, rating=r.rating,
                                         score=round(float(s[j]), 4)))
        return out


T = TypeVar("T")


def _index_file(path: Path, read: Callable[[], T]) -> T:
    """``read()``, with any failure to read an index file as one line naming it and the command that rebuilds it."""
    try:
        return read()
    except ShopagentError:
        raise
    except Exception as exc:  # noqa: BLE001 - numpy, json, bm25s, pydantic each raise their own kinds
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise ShopagentError(f"search index file {path} is unreadable ({reason}): run `shopagent index build`") \
            from None


def _load_mirror(path: Path, col, ids: list[str]) -> np.ndarray:  # noqa: ANN001
    """The local embedding mirror, or (when missing or out of step) the embeddings read back from Chroma."""
    if path.exists():
        try:
            m = np.load(path)
        except (OSError, ValueError) as exc:  # truncated: Chroma, the store of record, has every vector
            log.warning("local vector mirror %s is unreadable (%s): re-reading from Chroma", path, exc)
            m = np.zeros((0, 0), dtype=np.float32)
        if len(m) == len(ids):
            return m
    log.info("re-reading %d embeddings from Chroma", len(ids))
    got = store.embeddings_for(col, ids)
    missing = [i for i in ids if i not in got]
    if missing:
        raise ShopagentError(f"{len(missing)} products are not in the Chroma index: run `shopagent index build`")
    m = np.stack([got[i] for i in ids]) if ids else np.zeros((0, 384), dtype=np.float32)
    np.save(path, m)
    return m
