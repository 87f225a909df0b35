"""What the agent knows of the shopper, used on found products (InteRecAgent's candidate bus and memory):

- ``rank_for_shopper``: a signed-in shopper's search (and "more like [n]", "cheaper", which search again or narrow
  what is ranked) is ranked by a blend of the tool's own relevance and the sequential model's score for this
  shopper, both z-scored over the candidates that passed the hard filters (a wider pool than is kept);
- ``demote_rejected``: products shown in earlier turns and not taken (no details asked, not compared, not the
  anchor of "more like") go behind the others, so they are not shown again unless nothing else is left.
Each is switched by an ``AgentDeps`` flag (``shopper_rank``, ``reject_memory``) so an evaluation can ablate it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

WIDE_POOL = 40  # candidates ranked for a signed-in shopper (the first POOL are kept)
BLEND = 2.0  # weight of the shopper's sequential score against the tool's relevance (both z-scored); chosen
# from 0.5 / 1 / 2 on a draw of shoppers (seed 1) other than the reported one (seed 0): hit@1 0.08 / 0.11 / 0.13


def ranks_for_shopper(step: Any) -> bool:
    return bool(step.deps.shopper_rank and step.state.get("user_id"))


def pool_size(step: Any, pool: int) -> int:
    """How many candidates to ask a tool for: a wider pool when they will be ranked for the shopper."""
    return max(pool, WIDE_POOL) if ranks_for_shopper(step) else pool


def _z(values: np.ndarray) -> np.ndarray:
    sd = float(values.std())
    return (values - values.mean()) / sd if sd > 1e-9 else np.zeros_like(values)


def blend(relevance: list[float], shopper: list[float | None], weight: float | None = None) -> list[int]:
    """Positions ordered by z(relevance) + weight * z(shopper score); an item the model cannot score gets the
    candidates' mean. Stable: ties keep the tool's order."""
    rel = _z(np.asarray(relevance, dtype=np.float64))
    known = [s for s in shopper if s is not None]
    mean = float(np.mean(known)) if known else 0.0
    seq = _z(np.asarray([mean if s is None else s for s in shopper], dtype=np.float64))
    total = rel + (BLEND if weight is None else weight) * seq
    return sorted(range(len(total)), key=lambda i: (-total[i], i))


def rank_for_shopper(step: Any, outcome: Any) -> Any:
    """``outcome`` with its products reordered for the signed-in shopper (unchanged when there is none, the
    model has no scores, or the tool failed)."""
    if not ranks_for_shopper(step) or not outcome.ok or not outcome.output or len(outcome.output.products) < 2:
        return outcome
    hits = outcome.output.products
    scored = step.call("shopper_scores", {"user_id": step.state.get("user_id"), "item_ids": [h.id for h in hits],
                                          "history": list(step.state.get("viewed", []))})
    if not scored.ok:  # the shopper's scores are a refinement: the turn goes on in the tool's order
        step.trace.pop()
        return outcome
    scores = scored.output.data.get("scores", {}) if scored.output else {}
    if not scores:
        return outcome
    order = blend([h.score for h in hits], [scores.get(h.id) for h in hits])
    ranked = [hits[i] for i in order]
    return outcome.model_copy(update={"output": outcome.output.model_copy(update={"products": ranked})})


def rejected(state: Any) -> set[str]:
    """Products shown in this conversation's earlier turns that the shopper did not take."""
    shown = {p["id"] for turn in state.get("shown", []) for p in turn.get("products", []) if p.get("id")}
    return shown - set(state.get("viewed", []))


def demote_rejected(step: Any, cands: list[dict]) -> list[dict]:
    """``cands`` with the rejected ones behind the rest (the order within each kept)."""
    if not step.deps.reject_memory:
        return cands
    gone = rejected(step.state) - set(step.update.get("viewed", []))
    return [c for c in cands if c["id"] not in gone] + [c for c in cands if c["id"] in gone]


CARRIED = ("brand", "min_price", "max_price")


def keep_earlier_filters(step: Any) -> list[str]:
    """A new search for the same kind of product that names no brand or price keeps the brand and price band said
    before ("from Neutrogena" ... "hydrating face creams" stays Neutrogena): InteRecAgent's candidate bus keeps
    the conditions of the conversation. Returns the keys carried (the search drops them again when they leave
    nothing)."""
    if not step.deps.carry_filters:
        return []
    before, now = step.state.get("constraints", {}) or {}, step.constraints
    same_kind = before.get("category") and (now.get("category") or "").lower() == before["category"].lower()
    if not same_kind or any(now.get(k) is not None for k in CARRIED):
        return []
    carried = [k for k in CARRIED if before.get(k) is not None]
    for k in carried:
        now[k] = before[k]
    return carried
