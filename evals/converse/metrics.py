"""Hit rate within k turns, average turns to the hit (a miss counts as turns + 1, as InteRecAgent counts) and a
95% bootstrap interval over shoppers."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from pydantic import BaseModel, Field

BOOTSTRAP = 2000  # resamples of the shoppers


class Figures(BaseModel):
    """One arm's figures (the agent, a baseline or an ablation) over the same shoppers."""

    hit_at: list[float] = Field(description="Share of shoppers whose target was shown within 1..turns turns.")
    avg_turns: float = Field(description="Mean turn of the hit; a miss counts as turns + 1.")
    hit5_ci95: list[float] = Field(description="95% bootstrap interval of hit@turns, [low, high].")
    avg_turns_ci95: list[float]
    shoppers: int


def hit_at(hits: Sequence[int | None], turns: int) -> list[float]:
    """``hits[i]`` is the turn (1-based) shopper i saw the target, None for never: hit@k for k = 1..turns."""
    n = max(len(hits), 1)
    return [round(sum(h is not None and h <= k for h in hits) / n, 4) for k in range(1, turns + 1)]


def avg_turns(hits: Sequence[int | None], turns: int) -> float:
    return round(float(np.mean([turns + 1 if h is None else h for h in hits])) if hits else float(turns + 1), 4)


def bootstrap_ci(values: Sequence[float], seed: int, resamples: int = BOOTSTRAP) -> list[float]:
    """The 2.5th and 97.5th percentiles of the mean over ``resamples`` resamples (with replacement) of ``values``."""
    x = np.asarray(values, dtype=np.float64)
    if len(x) == 0:
        return [0.0, 0.0]
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), size=(resamples, len(x)))].mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4)]


def figures(hits: Sequence[int | None], turns: int, seed: int) -> Figures:
    """All of one arm's figures; the same ``seed`` resamples the same shoppers for every arm."""
    within = [1.0 if h is not None and h <= turns else 0.0 for h in hits]
    counted = [float(turns + 1 if h is None else h) for h in hits]
    return Figures(hit_at=hit_at(hits, turns), avg_turns=avg_turns(hits, turns),
                   hit5_ci95=bootstrap_ci(within, seed), avg_turns_ci95=bootstrap_ci(counted, seed),
                   shoppers=len(hits))
