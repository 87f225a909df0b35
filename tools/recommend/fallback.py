"""``CatalogPopularity``: what recommends before `shopagent recsys train` has run — the catalog's own ratings.

Popular = rating x log(1 + review count); a shopper with purchases gets their categories first (never what they
bought again); similar = the same category at a close price. The same requests, filters and responses as
``RecommenderService``, so every caller works before the models exist.
"""

from __future__ import annotations

import numpy as np

from tools.catalog.store import Catalog
from tools.recommend.models import (Recommendation, RecommendRequest, RecommendResponse, ScoreRequest, ScoreResponse,
                                    SimilarRequest)
from tools.search.filters import FilterIndex

NOT_TRAINED = "recommender models are not trained: run `shopagent recsys train`"


class CatalogPopularity:
    name = "catalog-popularity"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.frame = catalog.frame()
        self.filters = FilterIndex(self.frame)
        self.ids = self.frame["id"].to_numpy()
        self.rating = np.nan_to_num(self.frame["rating"].to_numpy(dtype=float), nan=3.0)
        self.popularity = self.rating * np.log1p(self.frame["rating_count"].to_numpy(dtype=float))

    def _items(self, rows: np.ndarray, scores: np.ndarray, k: int, because: str) -> list[Recommendation]:
        order = rows[np.argsort(-scores[rows], kind="stable")][:k]
        titles = self.frame["title"].to_numpy()
        return [Recommendation(product_id=str(self.ids[i]), title=str(titles[i]), score=round(float(scores[i]), 4),
                               because=because, model="popular") for i in order]

    def recommend(self, request: RecommendRequest) -> RecommendResponse:
        for pid in request.history:
            self.catalog.get(pid)  # unknown ids raise UnknownProductError, naming the id
        mask = self.filters.mask(request.filters)
        mask = np.ones(len(self.ids), dtype=bool) if mask is None else mask.copy()
        history = (self.catalog.profile(request.user_id).history if request.user_id else []) + list(request.history)
        scores, because = self.popularity.copy(), "popular with shoppers"
        if history:
            categories = {self.catalog.get(i).category for i in history if i in self.catalog}
            scores += 10.0 * self.frame["category"].isin(categories).to_numpy()
            mask &= ~self.frame["id"].isin(set(history)).to_numpy()
            # the session's viewed products are no purchases: say which the shopper gave
            because = ("popular in categories you looked at" if request.history else
                       "popular in categories you bought from")
        items = self._items(np.flatnonzero(mask), scores, request.k, because)
        return RecommendResponse(items=items, path="popular", message=NOT_TRAINED)

    def score_items(self, request: ScoreRequest) -> ScoreResponse:
        """No sequential model before training: no scores (search keeps its own order)."""
        return ScoreResponse(message=NOT_TRAINED)

    def similar(self, request: SimilarRequest) -> RecommendResponse:
        anchor = self.catalog.get(request.item_id)
        mask = self.filters.mask(request.filters)
        same = (self.frame["category"] == anchor.category).to_numpy() & (self.ids != request.item_id)
        if mask is not None:
            same &= mask
        price = np.nan_to_num(self.frame["price"].to_numpy(dtype=float), nan=0.0)
        closeness = -np.abs(price - (anchor.price or 0)) / max(anchor.price or 1, 1)
        items = self._items(np.flatnonzero(same), closeness + 0.05 * self.rating, request.k,
                            f"also {anchor.category}, similar price")
        return RecommendResponse(items=items, path="similar")
