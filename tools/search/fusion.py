"""Fusing dense and keyword scores: convex combination of per-query min-max normalised scores, with a weight per
query type (shopper questions lean on meaning, short keyword queries on exact words). The weights are chosen on a
validation split by ``shopagent bench search`` (docs/retrieval.md): plain reciprocal-rank fusion does not beat
the better single ranker on this data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

QUESTION_START = re.compile(
    r"^(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|should|"
    r"has|have|had|may|might|shall|am|if|any|anyone)\b", re.I)


class FusionWeights(BaseModel):
    """Weight of the dense side (keyword side = 1 - weight), per query type."""

    keyword_query: float = Field(0.3, ge=0, le=1)
    question: float = Field(0.7, ge=0, le=1)
    source: str = "default"

    def weight(self, query: str) -> float:
        return self.question if query_type(query) == "question" else self.keyword_query

    @classmethod
    def load(cls, path: Path) -> "FusionWeights":
        return cls.model_validate_json(path.read_text()) if path.exists() else cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.model_dump(), indent=2))


def query_type(query: str) -> str:
    q = query.strip()
    if q.endswith("?") or QUESTION_START.match(q) or len(q.split()) >= 9:
        return "question"
    return "keyword"


def minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9:
        return np.zeros_like(x) if hi <= 0 else np.ones_like(x)
    return (x - lo) / (hi - lo)


def fuse(dense: np.ndarray, keyword: np.ndarray | None, weight: float) -> np.ndarray:
    """Scores of the same candidates from both sides -> one fused score."""
    if keyword is None or not np.any(keyword > 0):
        return minmax(dense)
    return weight * minmax(dense) + (1 - weight) * minmax(keyword)
