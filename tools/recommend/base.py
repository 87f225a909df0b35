"""The one interface every recommender model implements, and the artifact folder it is saved in.

Models work in item-index space (1..N, 0 = padding) over one vocabulary (``item_ids``); the service maps
external ids. ``score`` is the primitive; ``recommend`` and ``similar`` are built on it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from core.errors import ShopagentError
from tools.recommend.data import SequenceData


class ItemModel(ABC):
    """fit / score / recommend / similar / save / load over item indices."""

    name: ClassVar[str]

    def __init__(self, item_ids: list[str]) -> None:
        self.item_ids = item_ids
        self.meta: dict[str, Any] = {}

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @abstractmethod
    def fit(self, data: SequenceData, **kwargs: Any) -> dict:
        """Train on ``data.histories('train')`` (validation item held out). Returns a report (metrics, timings)."""

    @abstractmethod
    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        """(len(histories), N+1) float32 scores for the next item (column 0 unused)."""

    @abstractmethod
    def item_vectors(self) -> np.ndarray | None:
        """(N+1, d) L2-normalised item vectors used for ``similar`` and "because" reasons; None if none."""

    def recommend(self, history: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-``k`` (index, score) after ``history``, history items and items outside ``allowed`` left out."""
        s = self.score([np.asarray(history, dtype=np.int64)])[0]
        return top_k(s, k, exclude=history, allowed=allowed)

    def similar(self, item: int, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Items whose vectors are closest to ``item``'s (the item itself left out)."""
        vec = self.item_vectors()
        if vec is None:
            return []
        return top_k(vec @ vec[item], k, exclude=[item], allowed=allowed)

    # --- persistence ---
    @abstractmethod
    def _save_state(self, directory: Path) -> None: ...

    @abstractmethod
    def _load_state(self, directory: Path) -> None: ...

    def save(self, directory: Path) -> Path:
        """Write the model to ``directory`` atomically: into a temporary sibling, then renamed into place."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            self._save_state(tmp)
            meta = {"model": self.name, "saved_at": int(time.time()), **self.meta}
            (tmp / "items.json").write_text(json.dumps(self.item_ids))
            (tmp / "meta.json").write_text(json.dumps(meta, indent=2, default=str))
            old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            if directory.exists():
                directory.rename(old)
            tmp.rename(directory)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return directory

    @classmethod
    def load(cls, directory: Path) -> "ItemModel":
        directory = Path(directory)
        try:
            meta = json.loads((directory / "meta.json").read_text())
            item_ids = json.loads((directory / "items.json").read_text())
        except FileNotFoundError:
            raise ShopagentError(f"no trained {cls.name} model in {directory}: run `shopagent recsys train`") from None
        except json.JSONDecodeError as exc:
            raise ShopagentError(f"the {cls.name} model in {directory} is corrupt ({exc}): train it again") from exc
        if meta.get("model") != cls.name:
            raise ShopagentError(f"{directory} holds a {meta.get('model')!r} model, not {cls.name!r}")
        model = cls(item_ids)
        model.meta = {k: v for k, v in meta.items() if k not in ("model", "saved_at")}
        try:
            model._load_state(directory)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ShopagentError(f"the {cls.name} model in {directory} is corrupt ({exc}): train it again") from exc
        return model


def top_k(scores: np.ndarray, k: int, exclude: Any = (), allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Indices of the ``k`` highest finite scores (column 0, ``exclude`` and rows not ``allowed`` left out)."""
    s = np.asarray(scores, dtype=np.float32).copy()
    s[0] = -np.inf
    if len(exclude):
        s[np.asarray(exclude, dtype=np.int64)] = -np.inf
    if allowed is not None:
        s[~allowed] = -np.inf
    k = min(k, len(s) - 1)
    if k <= 0:
        return []
    top = np.argpartition(-s, k - 1)[:k] if k < len(s) else np.arange(len(s))
    top = top[np.argsort(-s[top], kind="stable")]
    return [(int(i), float(s[i])) for i in top if np.isfinite(s[i])]


def normalise_rows(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(n == 0, 1, n)).astype(np.float32)


def zscore_rows(x: np.ndarray) -> np.ndarray:
    """Rows standardised to mean 0, standard deviation 1 (scores of different models on one scale per user)."""
    return (x - x.mean(1, keepdims=True)) / (x.std(1, keepdims=True) + 1e-9)
