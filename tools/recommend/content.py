"""Content-based model: items as their text embeddings (title, brand, category with all-MiniLM-L6-v2).

Covers what behaviour cannot: brand-new items (no interactions yet) and users with at most one interaction.
A user's profile is the recency-weighted mean of their last few items' vectors."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ShopagentError
from tools.recommend.base import ItemModel, normalise_rows
from tools.recommend.data import SequenceData


class ContentModel(ItemModel):
    name = "content"

    def __init__(self, item_ids: list[str], last_n: int = 5, decay: float = 0.7) -> None:
        super().__init__(item_ids)
        self.last_n = last_n
        self.decay = decay
        self.vectors: np.ndarray | None = None  # (N+1, d), row 0 zero

    def fit(self, data: SequenceData, texts: list[str] | None = None, vectors: np.ndarray | None = None,
            **_: Any) -> dict:
        start = time.monotonic()
        if vectors is None:
            if texts is None:
                raise ShopagentError("the content model needs item texts (titles): none were found for this data")
            from tools.recommend.text import embed_texts

            vectors = embed_texts(texts)
        if len(vectors) != self.n_items:
            raise ValueError(f"{len(vectors)} item vectors for {self.n_items} items")
        self.vectors = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), normalise_rows(vectors)])
        self.meta.update({"config": {"last_n": self.last_n, "decay": self.decay},
                          "train_s": round(time.monotonic() - start, 2)})
        return {"train_s": self.meta["train_s"]}

    def profile(self, history: np.ndarray) -> np.ndarray:
        assert self.vectors is not None, "fit or load first"
        h = np.asarray(history, dtype=np.int64)[-self.last_n:]
        if not len(h):
            return np.zeros(self.vectors.shape[1], np.float32)
        w = self.decay ** np.arange(len(h) - 1, -1, -1, dtype=np.float32)
        return (w[:, None] * self.vectors[h]).sum(0)

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        assert self.vectors is not None, "fit or load first"
        if len(histories) == 1:  # one shopper: a plain loop beats a threaded BLAS call on a busy machine
            return np.einsum("ij,j->i", self.vectors, self.profile(histories[0]))[None, :].astype(np.float32)
        prof = np.stack([self.profile(h) for h in histories]) if histories else np.zeros((0, self.vectors.shape[1]))
        return (prof @ self.vectors.T).astype(np.float32)

    def item_vectors(self) -> np.ndarray | None:
        return self.vectors

    def _save_state(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", self.vectors)

    def _load_state(self, directory: Path) -> None:
        self.vectors = np.load(directory / "vectors.npy")
        cfg = self.meta.get("config", {})
        self.last_n, self.decay = cfg.get("last_n", self.last_n), cfg.get("decay", self.decay)
