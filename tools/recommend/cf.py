"""Item-item collaborative filtering (``implicit``'s BM25-weighted nearest neighbours).

The user's score for an item is the similarity-weighted sum over their history, recent items weighted more
(each step back in time multiplies the weight by ``decay``)."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from tools.recommend.base import ItemModel
from tools.recommend.data import SequenceData


class ItemKNN(ItemModel):
    name = "cf"

    def __init__(self, item_ids: list[str], neighbours: int = 100, decay: float = 0.8) -> None:
        super().__init__(item_ids)
        self.neighbours = neighbours
        self.decay = decay
        self.sim: sp.csr_matrix | None = None  # (N+1, N+1)

    def fit(self, data: SequenceData, split: str = "train", **_: Any) -> dict:
        from implicit.nearest_neighbours import BM25Recommender

        start = time.monotonic()
        hist = data.histories(split)
        rows = np.repeat(np.arange(len(hist)), [len(h) for h in hist])
        cols = np.concatenate(hist) if hist else np.zeros(0, dtype=np.int64)
        ui = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)),
                           shape=(len(hist), self.n_items + 1))
        ui.sum_duplicates()
        ui.data[:] = 1.0
        model = BM25Recommender(K=self.neighbours, num_threads=2)
        with warnings.catch_warnings():  # implicit converts its own BM25-weighted COO matrix and says so
            warnings.simplefilter("ignore")
            model.fit(ui, show_progress=False)
        sim = model.similarity.tocsr().astype(np.float32)
        sim.setdiag(0)
        sim.eliminate_zeros()
        self.sim = sim
        self.meta.update({"config": {"neighbours": self.neighbours, "decay": self.decay},
                          "train_s": round(time.monotonic() - start, 2)})
        return {"train_s": self.meta["train_s"]}

    def _weights(self, h: np.ndarray) -> np.ndarray:
        return self.decay ** np.arange(len(h) - 1, -1, -1, dtype=np.float32)

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        assert self.sim is not None, "fit or load first"
        rows = np.repeat(np.arange(len(histories)), [len(h) for h in histories])
        cols = np.concatenate([np.asarray(h, dtype=np.int64) for h in histories]) if histories else np.zeros(0, int)
        vals = np.concatenate([self._weights(h) for h in histories]) if histories else np.zeros(0, np.float32)
        q = sp.csr_matrix((vals, (rows, cols)), shape=(len(histories), self.n_items + 1))
        return np.asarray((q @ self.sim).todense(), dtype=np.float32)

    def item_vectors(self) -> np.ndarray | None:
        return None

    def similar(self, item: int, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        assert self.sim is not None
        row = np.asarray(self.sim[item].todense()).ravel()
        from tools.recommend.base import top_k

        return [(i, s) for i, s in top_k(row, k, exclude=[item], allowed=allowed) if s > 0]

    def co_counts(self, item: int) -> np.ndarray:
        """Similarity row of ``item`` (dense)."""
        assert self.sim is not None
        return np.asarray(self.sim[item].todense()).ravel()

    def _save_state(self, directory: Path) -> None:
        sp.save_npz(directory / "similarity.npz", self.sim)

    def _load_state(self, directory: Path) -> None:
        self.sim = sp.load_npz(directory / "similarity.npz").tocsr()
        cfg = self.meta.get("config", {})
        self.neighbours = cfg.get("neighbours", self.neighbours)
        self.decay = cfg.get("decay", self.decay)
