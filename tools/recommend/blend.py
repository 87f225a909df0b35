"""The blender: merges the models' scores with weights that depend on how much history the user has, and says
why each item is there.

- no history: recent popularity (within the filters, so "popular in this category");
- one item (cold start): content similarity + item-item CF + a little popularity;
- two or more: SASRec, with CF and content as side signals.
Scores are z-normalised per model over the candidate items before weighting; the model whose weighted score
contributes most to an item names it and supplies its "because" reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.recommend.base import ItemModel

WEIGHTS: dict[str, dict[str, float]] = {
    "popular": {"popular": 1.0},
    "cold_start": {"content": 0.45, "cf": 0.4, "popular": 0.15},
    "sequential": {"sasrec": 1.0, "cf": 0.25, "content": 0.1},
}


@dataclass
class Scored:
    index: int
    score: float
    because: str
    model: str


def path_for(history_len: int) -> str:
    return "popular" if history_len == 0 else "cold_start" if history_len == 1 else "sequential"


def _short(title: str, n: int = 60) -> str:
    title = " ".join(title.split())
    return title if len(title) <= n else title[: n - 1].rstrip() + "…"


class Blender:
    """Blends ``models`` (name -> fitted model over one vocabulary); ``titles[i]`` names item index i."""

    def __init__(self, models: dict[str, ItemModel], titles: list[str],
                 weights: dict[str, dict[str, float]] | None = None) -> None:
        self.models = models
        self.titles = titles
        self.weights = weights or WEIGHTS
        self.n = len(titles)

    def _candidates(self, history: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
        cand = np.ones(self.n, dtype=bool) if allowed is None else allowed.copy()
        cand[0] = False
        cand[np.asarray(history, dtype=np.int64)] = False
        return cand

    def blend_scores(self, history: np.ndarray, cand: np.ndarray,
                     path: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(blended score over cand, per-model weighted contributions) for one history."""
        parts: dict[str, np.ndarray] = {}
        total = np.zeros(self.n, dtype=np.float32)
        for name, w in self.weights[path].items():
            model = self.models.get(name)
            if model is None or w == 0:
                continue
            s = model.score([history])[0]
            sc = s[cand]
            sd = float(sc.std()) if len(sc) else 0.0
            z = (s - float(sc.mean())) / sd if sd > 0 else np.zeros_like(s)
            parts[name] = (w * z).astype(np.float32)
            total += parts[name]
        if not parts:  # nothing for this path (e.g. no popularity model): fall back to any model present
            name, model = next(iter(self.models.items()))
            parts[name] = model.score([history])[0].astype(np.float32)
            total = parts[name].copy()
        total[~cand] = -np.inf
        return total, parts

    def recommend(self, history: np.ndarray, k: int, allowed: np.ndarray | None = None,
                  category: str | None = None) -> tuple[list[Scored], str]:
        history = np.asarray(history, dtype=np.int64)
        path = path_for(len(history))
        cand = self._candidates(history, allowed)
        total, parts = self.blend_scores(history, cand, path)
        k = min(k, int(cand.sum()))
        if k <= 0:
            return [], path
        top = np.argpartition(-total, k - 1)[:k]
        top = top[np.argsort(-total[top], kind="stable")]
        names = list(parts)
        contrib = np.stack([parts[n][top] for n in names])  # (models, k)
        chosen = [names[int(np.argmax(contrib[:, j]))] for j in range(len(top))]
        anchors: dict[int, int | None] = {}
        for model in set(chosen):  # one lookup per model for all its items
            items = [int(i) for i, m in zip(top, chosen) if m == model]
            anchors |= dict(zip(items, self.anchors(model, np.asarray(items), history)))
        out = [Scored(int(item), float(total[item]), self.because(model, int(item), history, category,
                                                                  anchors[int(item)]), model)
               for item, model in zip(top, chosen)]
        return out, path

    def anchors(self, model: str, items: np.ndarray, history: np.ndarray) -> list[int | None]:
        """For each of ``items``, the history item that most explains it under ``model`` (recent items first on
        ties)."""
        recent = history[-20:][::-1]
        if not len(recent) or model == "popular":
            return [None] * len(items)
        cf = self.models.get("cf")
        if model == "cf" and cf is not None:
            sims = cf.sim[recent][:, items].toarray()  # type: ignore[attr-defined]  # (recent, items)
        else:
            src = self.models.get("content") if model == "content" else None
            src = src or self.models.get("sasrec") or self.models.get("content")
            vec = src.item_vectors() if src is not None else None
            if vec is None:
                return [int(recent[0])] * len(items)
            sims = vec[recent] @ vec[items].T
        return [int(recent[j]) for j in np.argmax(sims, axis=0)]

    def because(self, model: str, item: int, history: np.ndarray, category: str | None,
                anchor: int | None) -> str:
        """The reason shown with ``item``; ``anchor`` is the history item behind it (``anchors``)."""
        if model == "popular" or not len(history):
            pop = self.models.get("popular")
            n = int(pop.raw_counts[item]) if pop is not None and pop.raw_counts is not None else 0  # type: ignore
            where = f" in {category}" if category else ""
            return f"popular{where} lately ({n} {'shopper' if n == 1 else 'shoppers'} chose it)" if n else \
                f"popular{where} lately"
        t = _short(self.titles[anchor]) if anchor is not None else "your recent items"
        return {"sasrec": f"often comes next after '{t}'", "cf": f"often bought with '{t}'",
                "content": f"similar to '{t}'"}.get(model, f"because of '{t}'")

    def similar(self, item: int, k: int, allowed: np.ndarray | None = None,
                vector: np.ndarray | None = None) -> list[Scored]:
        """Items like ``item``: content similarity plus CF co-occurrence ("what goes with this")."""
        cand = self._candidates(np.asarray([item]) if item else np.zeros(0, np.int64), allowed)
        total = np.zeros(self.n, dtype=np.float32)
        parts: dict[str, np.ndarray] = {}
        content, cf = self.models.get("content"), self.models.get("cf")
        if content is not None and content.item_vectors() is not None:
            vec = content.item_vectors()
            q = vector if vector is not None else vec[item]
            parts["content"] = (vec @ q).astype(np.float32)
        if cf is not None and item:
            row = cf.co_counts(item)  # type: ignore[attr-defined]
            if row.max() > 0:
                parts["cf"] = (row / row.max()).astype(np.float32)
        if not parts and self.models.get("sasrec") is not None and item:
            vec = self.models["sasrec"].item_vectors()
            parts["sasrec"] = (vec @ vec[item]).astype(np.float32)
        for p in parts.values():
            total += p
        total[~cand] = -np.inf
        k = min(k, int(np.isfinite(total).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-total, k - 1)[:k]
        top = top[np.argsort(-total[top], kind="stable")]
        t = _short(self.titles[item]) if item else "this item"
        out = []
        for i in top.tolist():
            model = max(parts, key=lambda n: parts[n][i])
            reason = f"often bought with '{t}'" if model == "cf" else f"similar to '{t}'"
            out.append(Scored(i, float(total[i]), reason, model))
        return out
