"""check: the answer may state only facts from this turn's tools; retry once, then reply by template."""

from __future__ import annotations

import re
from typing import Any

from agent.deps import AgentDeps
from agent.grounding import check_answer
from agent.state import AgentState
from agent.templates import attachment, fallback_reply

MAX_ATTEMPTS = 2


def _stated_numbers(state: AgentState) -> list[float]:
    nums = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", state["message"])]
    c = state.get("constraints", {})
    return nums + [c[k] for k in ("min_price", "max_price") if c.get(k) is not None]


def check(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    turn = state["turn"]
    facts = turn.get("facts", {})
    action = turn["plan"]["action"]
    violations = check_answer(turn.get("answer", ""), facts, catalog_ids=deps.catalog, brands=deps.brands,
                              allowed_numbers=_stated_numbers(state), allowed_text=state["message"])
    if not violations:
        return {"turn": {**turn, "violations": [], "grounded": True}, **_done(state, turn["answer"])}
    if turn.get("attempts", 0) < MAX_ATTEMPTS:
        return {"turn": {**turn, "violations": violations, "grounded": False}}
    tail = attachment(action, facts)
    answer = f"{fallback_reply(action, facts)}\n\n{tail}".strip()
    return {"turn": {**turn, "violations": violations, "grounded": True, "fallback": True, "answer": answer},
            **_done(state, answer)}


def _done(state: AgentState, answer: str) -> dict[str, Any]:
    """The writes that complete a turn: the assistant message, and the turn's id in the thread's log (only a turn
    that reached this point is recorded, so a retried turn is recognised and never run twice)."""
    return {"messages": [{"role": "assistant", "content": answer[:500]}],
            "turn_ids": [state["turn_id"]] if state.get("turn_id") else []}


def route_after_check(state: AgentState) -> str:
    """Back to compose while the answer is ungrounded and attempts remain; else done."""
    return "done" if state["turn"].get("grounded") else "retry"
