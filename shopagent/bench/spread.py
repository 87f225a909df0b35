"""A ratio with its spread: the one place a bench turns per-round ratios into a figure.

Every bench that reports "ours / theirs" measures both arms side by side in alternating rounds (who goes first
switches each round, so load from other processes falls on both), takes one ratio per round, and reports the median
of those ratios with their min and max. When the min-max range contains 1 the verdict is "no difference"; only a
range wholly above (below) 1 reads "faster" ("slower"). Fewer than ``MIN_ROUNDS`` rounds is not a claim.
"""

from __future__ import annotations

import statistics
from typing import Literal, Sequence, TypeVar

from pydantic import BaseModel, Field

MIN_ROUNDS = 5
Verdict = Literal["no difference", "faster", "slower"]
T = TypeVar("T")


class Spread(BaseModel):
    """Per-round ratios and what they say together."""

    rounds: int
    ratios: list[float] = Field(description="One ratio per round, in the order the rounds ran.")
    median: float
    min: float
    max: float
    verdict: Verdict = Field(description="'no difference' when min <= 1 <= max, else 'faster' (min > 1) or "
                                         "'slower' (max < 1).")

    @classmethod
    def of(cls, ratios: Sequence[float], digits: int = 4) -> Spread:
        if not ratios:
            raise ValueError("a spread needs at least one round")
        lo, hi = min(ratios), max(ratios)
        verdict: Verdict = "no difference" if lo <= 1.0 <= hi else ("faster" if lo > 1.0 else "slower")
        return cls(rounds=len(ratios), ratios=[round(r, digits) for r in ratios],
                   median=round(float(statistics.median(ratios)), digits), min=round(lo, digits),
                   max=round(hi, digits), verdict=verdict)

    @property
    def enough(self) -> bool:
        """At least ``MIN_ROUNDS`` rounds: the figure may be quoted as a claim."""
        return self.rounds >= MIN_ROUNDS

    def text(self, digits: int = 2) -> str:
        """``1.02× (0.95–1.10, 5 rounds): no difference`` — the form the README and docs quote."""
        note = "" if self.enough else f"; fewer than {MIN_ROUNDS} rounds: not a claim"
        return (f"{self.median:.{digits}f}× ({self.min:.{digits}f}–{self.max:.{digits}f}, {self.rounds} rounds): "
                f"{self.verdict}{note}")


def ratio_of(numerator: float, denominator: float) -> float:
    """One round's ratio; a zero denominator (the other arm did nothing) is infinite, not a crash."""
    if denominator:
        return numerator / denominator
    return float("inf") if numerator else 1.0


def alternate(round_index: int, first: T, second: T) -> tuple[T, T]:
    """The order of the two arms in round ``round_index``: (first, second) on even rounds, swapped on odd ones."""
    return (first, second) if round_index % 2 == 0 else (second, first)
