"""What every action node shares: a ``Step`` over this turn (candidates, constraints, tool trace, facts) that
calls tools through the registry and ends in the state update the compose node reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from langgraph.config import get_stream_writer

from agent.deps import AgentDeps
from agent.nodes.policy import answer_beside
from agent.nodes.shopper import add_history_picks, demote_rejected, pool_size, rank_for_shopper
from agent.facts import SHOWN, product_facts
from agent.state import AgentState
from agent.toolbox import ToolOutcome

POOL = 12  # candidates kept for follow-ups (shown: the first SHOWN)
ASK_WHICH = ("Nothing is on screen yet, so I can't tell which one you mean. What are you looking for? "
             "I'll search the shop for it.")
# words that only point at a shown product ("so how much does the first one cost?" names no product)
_POINTING = frozenset("first second third fourth fifth last one ones number item product so then and cost costs "
                      "price much how tell more about details".split())
SEARCH_KEYS = ("query", "brand", "category", "min_price", "max_price")
FINDS = ("search", "refine", "recommend", "similar")  # actions whose answer is the candidate list


@dataclass
class Step:
    """One action's work on this turn's state."""

    state: AgentState
    deps: AgentDeps
    emit: Callable[[dict[str, Any]], None]
    cands: list[dict] = field(default_factory=list)
    constraints: dict[str, Any] = field(default_factory=dict)
    trace: list[dict] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    update: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, state: AgentState, deps: AgentDeps) -> "Step":
        return cls(state=state, deps=deps, emit=get_stream_writer(), cands=list(state.get("candidates", [])),
                   constraints=dict(state.get("constraints", {})))

    @property
    def action(self) -> str:
        return self.state["turn"]["plan"]["action"]

    @property
    def args(self) -> dict[str, Any]:
        return self.state["turn"]["plan"].get("args", {})

    def pick(self, position: int | None) -> dict | None:
        """The candidate on screen at ``position`` (1 when not said), or None."""
        position = position or 1
        return self.cands[position - 1] if 0 < position <= min(len(self.cands), SHOWN) else None

    def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        self.emit({"type": "tool_start", "tool": name, "args": args})
        outcome = self.deps.registry.call(name, args)
        ids = [h.id for h in outcome.output.products] if outcome.output else []
        self.trace.append({"name": name, "args": outcome.args, "ok": outcome.ok, "error": outcome.error,
                           "ms": round(outcome.ms, 3), "product_ids": ids[:SHOWN]})
        self.emit({"type": "tool_end", "tool": name, "ok": outcome.ok, "ms": outcome.ms, "error": outcome.error})
        return outcome

    def search(self, pool: int = POOL) -> ToolOutcome:
        """``search_products`` with the current constraints (``pool``: how many to ask for, at the least)."""
        args = {k: v for k, v in self.constraints.items() if k in SEARCH_KEYS}
        out = self.call("search_products", {**args, "query": self.constraints.get("query") or "",
                                             "k": pool_size(self, pool)})
        return rank_for_shopper(self, add_history_picks(self, out, args))

    def take(self, outcome: ToolOutcome) -> None:
        """The outcome's products become the candidates (and its note the answer's note)."""
        hits = demote_rejected(self, list(outcome.output.products))  # new ones first, from the whole pool
        self.cands = [{"id": h.id, "score": h.score, "why": h.why} for h in hits[:POOL]]
        self.facts["note"] = outcome.output.message

    def names_missing_position(self) -> bool:
        """The message names a position beyond the products on screen ("the second one" with one shown): say so,
        act on nothing and return True. (The planner drops such a position; acting on the first product instead
        would answer about a product the shopper did not mean.)"""
        from agent.planners.slots import parse_positions
        from tools.language import normalise

        n = min(len(self.cands), SHOWN)
        positions = parse_positions(normalise(self.state["message"]), n)[0] if n else []
        beyond = [p for p in positions if p > n]
        if not beyond:
            return False
        missing = _ordinal(max(beyond))
        self.facts["note"] = (
            f"Only one product is on screen, so there is no {missing} one. Did you mean that one, or are you looking "
            "for something else?" if n == 1 else
            f"Only {n} products are on screen, so there is no {missing} one. Which of them do you mean, or what else "
            "are you looking for?")
        self.facts["products"] = []
        return True

    def points_at_nothing(self) -> bool:
        """The message points at a product on screen ("the first one", "number 2", "those") and nothing is shown,
        and it names no product, brand or price of its own: asking beats searching for "so first"."""
        from agent.planners.slots import parse_positions
        from tools.language import normalise

        if self.state.get("candidates"):
            return False
        norm = normalise(re.sub(r"#\s*(\d)", r" number \1", self.state["message"]))
        positions, all_shown = parse_positions(norm, 0)
        if not (positions or all_shown or re.search(r"\b(that|this) one\b", norm)):
            return False
        if any(self.args.get(k) is not None for k in ("brand", "category", "min_price", "max_price")):
            return False
        words = [w for w in (self.args.get("query") or "").split() if w not in _POINTING and not w.isdigit()]
        return len(words) <= 1

    def nothing_found(self, note: str) -> None:
        """Nothing matched: say so, and keep the earlier products and constraints for follow-ups."""
        self.constraints = dict(self.state.get("constraints", {}))
        self.facts["products"] = []
        self.facts["note"] = note

    def facts_for(self, cands: list[dict], positions: list[int] | None = None) -> list[dict]:
        out = []
        for i, c in enumerate(cands[:SHOWN] if positions is None else cands, start=1):
            pos = positions[i - 1] if positions else i
            out.append(product_facts(self.deps.catalog.get(c["id"]), pos, c.get("why", "")))
        return out

    def finish(self) -> dict[str, Any]:
        """The state update: candidates, constraints, and this turn's tool trace, facts and tool time."""
        failed = [t for t in self.trace if not t["ok"]]
        if failed:
            self.facts["error"] = failed[-1]["error"]
        elif self.action in FINDS and "products" not in self.facts:
            self.cands = demote_rejected(self, self.cands)
            self.facts["products"] = self.facts_for(self.cands)
            self.emit({"type": "products", "products": self.facts["products"]})
        if self.facts.get("note") is None:
            self.facts.pop("note", None)
        turn = self.state["turn"]
        timings = {**turn["timings"], "tool_ms": sum(t["ms"] for t in self.trace)}
        return {"candidates": self.cands, "constraints": self.constraints,
                "turn": {**turn, "tool_calls": self.trace, "facts": self.facts, "timings": timings}, **self.update}


@lru_cache(maxsize=1)
def _inflect() -> Any:
    import inflect

    return inflect.engine()


def _ordinal(n: int) -> str:
    """2 -> "second" (inflect: ordinals of any size)."""
    return str(_inflect().number_to_words(_inflect().ordinal(n)))


def action_node(work: Callable[[Step], None]) -> Callable[..., dict[str, Any]]:
    """A graph node running ``work`` on this turn's ``Step``."""

    def node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
        step = Step.start(state, deps)
        work(step)
        answer_beside(step)  # "a sun hat, also how long is delivery?": the question too, when the plan says so
        return step.finish()

    node.work = work  # type: ignore[attr-defined]  # the step's work alone (tests run it on a Step they build)
    node.__name__ = node.__qualname__ = work.__name__
    node.__doc__ = work.__doc__
    return node


def route_action(state: AgentState) -> str:
    """The planned action names the next node (``refine`` with nothing on screen is a search)."""
    action = state["turn"]["plan"]["action"]
    return "search" if action == "refine" and not state.get("candidates") else action
