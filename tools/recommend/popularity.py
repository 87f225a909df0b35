"""Popularity baseline: how often each item was chosen, recent interactions counting more.

With timestamps, an interaction ``half_life_days`` older than the newest one counts half; without them (the
benchmark files), every interaction counts once. Per-category popularity
is this score under a category filter (the blender's allowed mask)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from tools.recommend.base import ItemModel
from tools.recommend.data import SequenceData

DAY = 86_400


class PopularityModel(ItemModel):
    name = "popular"

    def __init__(self, item_ids: list[str], half_life_days: float = 60.0) -> None:
        super().__init__(item_ids)
        self.half_life_days = half_life_days
        self.counts: np.ndarray | None = None  # (N+1,) recency-weighted counts
        self.raw_counts: np.ndarray | None = None

    def fit(self, data: SequenceData, split: str = "train", **_: Any) -> dict:
        start = time.monotonic()
        hist = data.histories(split)
        items = np.concatenate(hist) if hist else np.zeros(0, np.int64)
        self.raw_counts = np.bincount(items, minlength=self.n_items + 1).astype(np.float32)
        if data.timestamps is not None:
            ts = np.concatenate([t[: len(h)] for t, h in zip(data.timestamps, hist)]).astype(np.float64)
            age_days = (ts.max() - ts) / DAY if len(ts) else ts
            w = 0.5 ** (age_days / self.half_life_days)
        else:
            w = np.ones(len(items))
        self.counts = np.bincount(items, weights=w, minlength=self.n_items + 1).astype(np.float32)
        self.counts[0] = 0
        self.meta.update({"config": {"half_life_days": self.half_life_days},
                          "train_s": round(time.monotonic() - start, 3)})
        return {"train_s": self.meta["train_s"]}

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        assert self.counts is not None, "fit or load first"
        return np.tile(np.log1p(self.counts), (len(histories), 1))

    def item_vectors(self) -> np.ndarray | None:
        return None

    def _save_state(self, directory: Path) -> None:
        np.save(directory / "counts.npy", np.stack([self.counts, self.raw_counts]))

    def _load_state(self, directory: Path) -> None:
        self.counts, self.raw_counts = np.load(directory / "counts.npy")
        self.half_life_days = self.meta.get("config", {}).get("half_life_days", self.half_life_days)
