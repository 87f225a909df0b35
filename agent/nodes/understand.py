"""understand: plan the turn (which action, which arguments) from the message and what is on screen."""

from __future__ import annotations

from typing import Any

from agent.deps import AgentDeps
from agent.facts import SHOWN
from agent.planners import PlanContext, ShownProduct
from agent.state import AgentState


def shown_products(deps: AgentDeps, candidates: list[dict]) -> list[ShownProduct]:
    out = []
    for i, c in enumerate(candidates[:SHOWN], start=1):
        if c["id"] in deps.catalog:
            p = deps.catalog.get(c["id"])
            out.append(ShownProduct(position=i, id=p.id, title=p.title, brand=p.brand, price=p.price))
    return out


def understand(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    message = state["message"]
    focus = state.get("focus")
    if focus and focus.get("id") in deps.catalog:  # a button on a product card: no words to interpret
        return _planned(message, "describe", {"item": int(focus.get("position") or 1)}, "ui", [], 0.0)
    context = PlanContext(history=state.get("messages", [])[-4:], shown=shown_products(deps, state.get("candidates", [])),
                          constraints=state.get("constraints", {}), user_id=state.get("user_id"))
    result = deps.planner.plan(message, context)
    return _planned(message, result.action.action, result.action.args.model_dump(exclude_none=True),
                    result.action.source, result.notes, result.model_ms)


def _planned(message: str, action: str, args: dict[str, Any], source: str, notes: list[str],
             model_ms: float) -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": message[:500]}],
        "turn": {
            "plan": {"action": action, "args": args, "source": source, "notes": notes},
            "tool_calls": [], "facts": {}, "draft": "", "answer": "", "attempts": 0, "violations": [],
            "grounded": False, "fallback": False,
            "timings": {"plan_ms": model_ms, "llm_ms": 0.0, "tool_ms": 0.0},
        },
    }
