"""``RecommenderService``: the recommender tool over the shop's catalog (models trained by
``shopagent recsys train --model all``), with filters, de-duplication and a reason on every item."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from core.errors import ShopagentError
from tools.recommend.base import ItemModel
from tools.recommend.blend import Blender, Scored
from tools.recommend.models import (
    RecommendRequest, RecommendResponse, Recommendation, ScoreRequest, ScoreResponse, SimilarRequest,
)
from tools.recommend.train import MODEL_CLASSES, catalog_models_dir, trained_models

log = logging.getLogger(__name__)


class RecommenderService:
    """Loaded models + the catalog they were trained on. Open with ``RecommenderService.open(settings)``."""

    def __init__(self, catalog: object, models: dict[str, ItemModel]) -> None:
        from tools.search.filters import FilterIndex

        if not models:
            raise ShopagentError("no recommender models given")
        self.catalog = catalog
        self.models = models
        vocab = next(iter(models.values())).item_ids
        for name, m in models.items():
            if m.item_ids != vocab:
                raise ShopagentError(f"the {name} model was trained on other items than the others: "
                                     "run `shopagent recsys train --model all`")
        self.item_ids = vocab
        self.index = {item: i + 1 for i, item in enumerate(vocab)}
        frame = catalog.frame()  # type: ignore[attr-defined]
        self.frame = frame
        self.filters = FilterIndex(frame)
        # catalog row -> item index (0 = the product is newer than the models)
        self.row_index = np.asarray([self.index.get(pid, 0) for pid in frame["id"].tolist()], dtype=np.int64)
        titles = [""] * (len(vocab) + 1)
        for pid, title in zip(frame["id"].tolist(), frame["title"].tolist()):
            if pid in self.index:
                titles[self.index[pid]] = str(title)
        self.in_catalog = np.zeros(len(vocab) + 1, dtype=bool)
        self.in_catalog[self.row_index[self.row_index > 0]] = True
        self.blender = Blender(models, titles)
        self.histories = self._histories()

    @classmethod
    def open(cls, settings: object | None = None, catalog: object | None = None) -> "RecommenderService":
        """The trained models over ``catalog`` (the process's open catalog, else opened here)."""
        from core.config import get_settings
        from tools.catalog.store import Catalog

        settings = settings or get_settings()
        data_dir = Path(settings.data_dir)  # type: ignore[attr-defined]
        catalog = catalog or Catalog.open(data_dir)
        directory = catalog_models_dir(data_dir)
        models = {n: MODEL_CLASSES[n].load(directory / n) for n in trained_models(data_dir)}
        if not models:
            raise ShopagentError(f"no trained recommender in {directory}: run `shopagent recsys train --model all`")
        log.info("recommender loaded from %s: %s", directory, ", ".join(models))
        return cls(catalog, models)

    def _histories(self) -> dict[str, np.ndarray]:
        inter = self.catalog.interaction_frame()  # type: ignore[attr-defined]
        out: dict[str, np.ndarray] = {}
        if len(inter):
            idx = np.asarray([self.index.get(i, 0) for i in inter["item_id"].tolist()], dtype=np.int64)
            for user, rows in inter.groupby("user_id", sort=False).indices.items():
                h = idx[rows]
                out[str(user)] = h[h > 0]
        return out

    # --- helpers ---
    def _allowed(self, filters: object) -> np.ndarray:
        allowed = self.in_catalog.copy()
        rows = self.filters.mask(filters)  # raises InvalidFilterError on contradictions
        if rows is not None:
            keep = np.zeros_like(allowed)
            keep[self.row_index[rows & (self.row_index > 0)]] = True
            allowed &= keep
        return allowed

    def _item_index(self, product_id: str) -> int:
        """Index of a catalog product (0 if it is newer than the models); unknown ids raise naming the id."""
        self.catalog.index_of(product_id)  # type: ignore[attr-defined]  # raises UnknownProductError
        return self.index.get(product_id, 0)

    def _response(self, scored: list[Scored], path: str, message: str = "") -> RecommendResponse:
        items = [Recommendation(product_id=self.item_ids[s.index - 1], title=self.blender.titles[s.index],
                                score=round(s.score, 4), because=s.because, model=s.model) for s in scored]
        if not items and not message:
            message = "no product matches the filters: loosen them (price range, category, in stock)"
        return RecommendResponse(items=items, message=message, path=path)

    # --- the tool ---
    def recommend(self, request: RecommendRequest) -> RecommendResponse:
        """Next items for a shopper; unknown users get the cold-start path, never an error."""
        notes = []
        history = np.zeros(0, dtype=np.int64)
        if request.user_id is not None:
            known = self.histories.get(request.user_id)
            if known is None:
                notes.append(f"new shopper {request.user_id!r}: no history yet")
            else:
                history = known
        extra = [self._item_index(pid) for pid in request.history]
        if extra:
            if any(i == 0 for i in extra):
                notes.append("some history items are newer than the models and were used by content only")
            history = np.concatenate([history, np.asarray([i for i in extra if i], dtype=np.int64)])
        allowed = self._allowed(request.filters)
        scored, path = self.blender.recommend(history, request.k, allowed, request.filters.category)
        if path == "popular":
            notes.append("showing what is popular" + (f" in {request.filters.category}" if request.filters.category
                                                      else ""))
        return self._response(scored, path, "; ".join(notes))

    def score_items(self, request: ScoreRequest) -> ScoreResponse:
        """The sequential model's (SASRec's) score of each item for this shopper's history (their purchases and the
        session's items); empty for a shopper with no history or when SASRec is not trained."""
        model = self.models.get("sasrec")
        history = self.histories.get(request.user_id, np.zeros(0, dtype=np.int64)) if request.user_id else \
            np.zeros(0, dtype=np.int64)
        extra = [i for i in (self.index.get(pid, 0) for pid in request.history) if i]
        if extra:
            history = np.concatenate([history, np.asarray(extra, dtype=np.int64)])
        if model is None or not len(history):
            return ScoreResponse(message="no sequential model" if model is None else "no history for this shopper")
        row = model.score([history])[0]
        scores = {pid: float(row[i]) for pid in request.item_ids if (i := self.index.get(pid, 0))}
        return ScoreResponse(scores=scores, model="sasrec")

    def similar(self, request: SimilarRequest) -> RecommendResponse:
        """Items like ``item_id`` (content + bought-together); unknown ids raise an error naming the id."""
        index = self._item_index(request.item_id)
        vector = None
        if index == 0:  # a product newer than the models: embed its text now
            from tools.recommend.text import embed_texts
            from tools.recommend.train import catalog_texts

            row = self.catalog.index_of(request.item_id)  # type: ignore[attr-defined]
            vector = embed_texts([catalog_texts(self.catalog)[row]])[0]
        allowed = self._allowed(request.filters)
        scored = self.blender.similar(index, request.k, allowed, vector=vector)
        if index == 0:
            title = self.frame["title"].iloc[self.catalog.index_of(request.item_id)]  # type: ignore[attr-defined]
            for s in scored:
                s.because = f"similar to '{title[:60]}'"
        return self._response(scored, "similar")
