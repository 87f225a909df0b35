"""Adapters from the agent's tools to the shop's engines, with catalog-only fallbacks.

``tools.search.SearchEngine``, ``tools.recommend.RecommenderService`` and ``tools.describe.describe_product`` are
used when they are installed and their indexes/models are built; otherwise a small catalog-only version answers
(logged once), so the agent always runs.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from agent.toolbox.registry import Hit

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    out = []
    for t in _TOKEN.findall(text.lower()):
        out.append(t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t)
    return out


@dataclass
class Filters:
    """Search filters (mirrors ``tools.search.SearchFilters``)."""

    min_price: float | None = None
    max_price: float | None = None
    brand: str | None = None
    category: str | None = None
    min_rating: float | None = None
    in_stock: bool | None = None


class SearchBackend(Protocol):
    name: str

    def search(self, query: str, filters: Filters, k: int) -> tuple[list[Hit], str | None]: ...


class RecommendBackend(Protocol):
    name: str

    def recommend(self, user_id: str | None, k: int, filters: Filters) -> list[Hit]: ...

    def similar(self, item_id: str, k: int) -> list[Hit]: ...


_PARTS: dict[int, list[frozenset[str]]] = {}


def _path_parts(frame: Any) -> list[frozenset[str]]:
    """Lower-cased category path parts per row (cached per frame)."""
    key = id(frame)
    if key not in _PARTS:
        _PARTS[key] = [frozenset(x.strip() for x in p.lower().split(">")) for p in frame["category_path"].fillna("")]
    return _PARTS[key]


def filter_mask(frame: Any, f: Filters) -> np.ndarray:
    """Rows of the catalog frame that satisfy ``f`` (brand/category case-insensitive; category = any path part)."""
    mask = np.ones(len(frame), dtype=bool)
    price = frame["price"].to_numpy(dtype=float)
    if f.min_price is not None:
        mask &= np.nan_to_num(price, nan=-1) >= f.min_price
    if f.max_price is not None:
        mask &= np.nan_to_num(price, nan=math.inf) <= f.max_price
    if f.brand:
        mask &= frame["brand"].fillna("").str.lower().to_numpy() == f.brand.lower()
    if f.category:
        cat = f.category.lower()
        parts = _path_parts(frame)
        mask &= np.fromiter((cat in p for p in parts), dtype=bool, count=len(parts))
    if f.min_rating is not None:
        mask &= np.nan_to_num(frame["rating"].to_numpy(dtype=float), nan=0) >= f.min_rating
    if f.in_stock:
        mask &= frame["in_stock"].to_numpy(dtype=bool)
    return mask


class CatalogSearch:
    """Keyword search over titles, brands and categories (idf-weighted overlap) with exact filters."""

    name = "catalog-keyword"

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.frame = catalog.frame()
        text = (self.frame["title"].fillna("") + " " + self.frame["brand"].fillna("") + " "
                + self.frame["category_path"].fillna(""))
        self.docs = [set(tokens(t)) for t in text.tolist()]
        df: dict[str, int] = {}
        for d in self.docs:
            for t in d:
                df[t] = df.get(t, 0) + 1
        n = len(self.docs)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        rating = np.nan_to_num(self.frame["rating"].to_numpy(dtype=float), nan=3.0)
        self.prior = 0.01 * rating + 0.001 * np.log1p(self.frame["rating_count"].to_numpy(dtype=float))

    def search(self, query: str, filters: Filters, k: int) -> tuple[list[Hit], str | None]:
        mask = filter_mask(self.frame, filters)
        q = [t for t in tokens(query) if t in self.idf]
        scores = self.prior.copy()
        matched = np.zeros(len(self.docs), dtype=bool)
        for i in np.flatnonzero(mask):
            s = sum(self.idf[t] for t in q if t in self.docs[i])
            if s:
                matched[i] = True
                scores[i] += s
        rows = np.flatnonzero(mask & matched) if q else np.flatnonzero(mask)
        message = None
        if len(rows) == 0 and mask.any():
            rows, message = np.flatnonzero(mask), "no product matches the words; showing the best within the filters"
        order = rows[np.argsort(-scores[rows], kind="stable")][:k]
        ids = self.frame["id"].to_numpy()
        return [Hit(id=str(ids[i]), score=round(float(scores[i]), 4), why="matches your search") for i in order], message


class EngineSearch:
    """``tools.search.SearchEngine`` behind the agent's search interface."""

    name = "search-engine"

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def search(self, query: str, filters: Filters, k: int) -> tuple[list[Hit], str | None]:
        from tools.search import SearchFilters, SearchRequest

        sf = SearchFilters(**{k_: v for k_, v in vars(filters).items() if v is not None})
        response = self.engine.search(SearchRequest(query=query or "", filters=sf, k=k))
        hits = [Hit(id=h.product.id, score=float(h.score), why=(h.snippet or "matches your search")[:160])
                for h in response.hits]
        return hits, getattr(response, "message", None)


class CatalogRecommender:
    """Popularity within the user's categories (or overall for a new user); similar = same leaf, near price."""

    name = "catalog-popularity"

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.frame = catalog.frame()
        rating = np.nan_to_num(self.frame["rating"].to_numpy(dtype=float), nan=3.0)
        self.pop = rating * np.log1p(self.frame["rating_count"].to_numpy(dtype=float))

    def recommend(self, user_id: str | None, k: int, filters: Filters) -> list[Hit]:
        mask = filter_mask(self.frame, filters)
        history = self.catalog.profile(user_id).history if user_id else []
        why = "popular with shoppers"
        scores = self.pop.copy()
        if history:
            cats = {self.catalog.get(i).category for i in history if i in self.catalog}
            same = self.frame["category"].isin(cats).to_numpy()
            scores = scores + 10.0 * same
            mask &= ~self.frame["id"].isin(set(history)).to_numpy()
            why = "popular in categories you bought from"
        rows = np.flatnonzero(mask)
        order = rows[np.argsort(-scores[rows], kind="stable")][:k]
        ids = self.frame["id"].to_numpy()
        return [Hit(id=str(ids[i]), score=round(float(scores[i]), 4), why=why) for i in order]

    def similar(self, item_id: str, k: int) -> list[Hit]:
        p = self.catalog.get(item_id)
        same = (self.frame["category"] == p.category).to_numpy() & (self.frame["id"] != item_id).to_numpy()
        price = np.nan_to_num(self.frame["price"].to_numpy(dtype=float), nan=0)
        closeness = -np.abs(price - (p.price or 0)) / max(p.price or 1, 1)
        scores = closeness + 0.05 * np.nan_to_num(self.frame["rating"].to_numpy(dtype=float), nan=3)
        rows = np.flatnonzero(same)
        order = rows[np.argsort(-scores[rows], kind="stable")][:k]
        ids = self.frame["id"].to_numpy()
        return [Hit(id=str(ids[i]), score=round(float(scores[i]), 4), why=f"also {p.category}, similar price")
                for i in order]


class ServiceRecommender:
    """``tools.recommend.RecommenderService`` behind the agent's interface."""

    name = "recommender-service"

    def __init__(self, service: Any) -> None:
        self.service = service

    def recommend(self, user_id: str | None, k: int, filters: Filters) -> list[Hit]:
        from tools.recommend.models import RecommendRequest

        kwargs: dict[str, Any] = {"user_id": user_id, "k": k}
        if any(v is not None for v in vars(filters).values()):
            try:
                from tools.search import SearchFilters

                kwargs["filters"] = SearchFilters(**{a: v for a, v in vars(filters).items() if v is not None})
            except ImportError:
                pass
        response = self.service.recommend(RecommendRequest(**kwargs))
        return [Hit(id=r.product_id, score=float(r.score), why=str(r.because or "")[:160]) for r in response.items]

    def similar(self, item_id: str, k: int) -> list[Hit]:
        from tools.recommend.models import SimilarRequest

        response = self.service.similar(SimilarRequest(item_id=item_id, k=k))
        return [Hit(id=r.product_id, score=float(r.score), why=str(r.because or "")[:160]) for r in response.items]


@dataclass
class ToolContext:
    """What the tools run over: the catalog and the engines (real or fallback)."""

    catalog: Any
    search: SearchBackend
    recommender: RecommendBackend
    describer: Any = None  # callable(product_id) -> (text, facts) or None for catalog facts only
    engine: Any = None
    notes: list[str] = field(default_factory=list)


def open_context(settings: Any, endpoint: Any = None, catalog: Any = None, use_engines: bool = True,
                 describe_with_llm: bool = False) -> ToolContext:
    """Open the catalog and the best engines available for ``settings`` (fallbacks logged, never fatal)."""
    from tools.catalog.store import Catalog

    catalog = catalog or Catalog.open(settings.data_dir)
    notes: list[str] = []
    search: SearchBackend = CatalogSearch(catalog)
    engine = None
    recommender: RecommendBackend = CatalogRecommender(catalog)
    if use_engines:
        try:
            from tools.search import SearchEngine

            engine = SearchEngine.open(settings)
            search = EngineSearch(engine)
        except Exception as exc:  # noqa: BLE001 - missing module or index: the catalog search answers
            notes.append(f"search: catalog keyword fallback ({str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__})")
        try:
            from tools.recommend.service import RecommenderService

            recommender = ServiceRecommender(RecommenderService.open(settings))
        except Exception as exc:  # noqa: BLE001
            notes.append(f"recommend: catalog popularity fallback ({str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__})")
    describer = None
    if describe_with_llm and endpoint is not None:
        try:
            from agent.toolbox.products import llm_describer

            describer = llm_describer(endpoint, catalog, engine)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"describe: catalog facts only ({type(exc).__name__})")
    for n in notes:
        log.info(n)
    return ToolContext(catalog=catalog, search=search, recommender=recommender, describer=describer, engine=engine,
                       notes=notes)
