"""check: the answer may state only what the shop's data says (``agent.grounding``); retry once, then reply by
template. Only here does text reach the shopper: the checked answer is streamed line by line, never taken back."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from langgraph.config import get_stream_writer

from agent.deps import AgentDeps
from agent.grounding import Defect, find_defects
from agent.nodes.compose import lead_spec
from agent.state import AgentState
from agent.templates import attachment, fallback_reply
from tools.language import AMOUNT, parse_price

MAX_ATTEMPTS = 2
REPLACED = "The assistant's own wording did not pass the shop's fact check, so this is the standard reply."


def _stated_numbers(state: AgentState) -> list[float]:
    said = re.findall(AMOUNT, state["message"])  # each figure as the shared parser reads it
    nums = [v for x in said if (v := parse_price(x)) is not None]
    c = state.get("constraints", {})
    return nums + [c[k] for k in ("min_price", "max_price") if c.get(k) is not None]


def check_context(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    """What the check knows besides the facts: the catalog's ids and brands, the shopper's own words and figures."""
    return {"catalog_ids": deps.catalog, "brands": deps.brands, "allowed_numbers": _stated_numbers(state),
            "allowed_text": state["message"], "claims": deps.claims}


def draft_defects(state: AgentState, deps: AgentDeps, text: str) -> list[Defect]:
    """The defects of model-written ``text`` for this turn (also what the benchmark reads of every draft)."""
    turn = state["turn"]
    facts = turn.get("facts", {})
    defects = find_defects(text, facts, action=turn["plan"]["action"], **check_context(state, deps))
    if deps.reply_mode == "lead" and turn["plan"]["action"] != "chat" and not lead_spec(state, deps).admits(text):
        defects.append(Defect("pattern", "not one plain sentence of the shop's words without figures or names"))
    return defects


def check(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    turn = state["turn"]
    facts = turn.get("facts", {})
    action = turn["plan"]["action"]
    if turn.get("constructed"):  # built from the shop's data alone (templates, tool errors, no results)
        return {"turn": {**turn, "violations": [], "grounded": True}, **_done(state, turn, turn["answer"])}
    defects = draft_defects(state, deps, turn.get("draft", ""))
    violations = [d.detail for d in defects]
    kinds = sorted({d.kind for d in defects})
    if not defects:
        return {"turn": {**turn, "violations": [], "grounded": True}, **_done(state, turn, turn["answer"])}
    if turn.get("attempts", 0) < MAX_ATTEMPTS:
        return {"turn": {**turn, "violations": violations, "defects": kinds, "grounded": False}}
    tail = attachment(action, facts)
    answer = f"{fallback_reply(action, facts)}\n\n{tail}".strip()
    notes = [*turn.get("notes", []), f"{REPLACED} ({'; '.join(violations[:3])})"]
    return {"turn": {**turn, "violations": violations, "defects": kinds, "grounded": True, "fallback": True,
                     "answer": answer, "notes": notes}, **_done(state, {**turn, "notes": notes}, answer)}


def _done(state: AgentState, turn: dict[str, Any], answer: str) -> dict[str, Any]:
    """The writes that complete a turn: the assistant message, and the turn's id in the thread's log (only a turn
    that reached this point is recorded, so a retried turn is recognised and never run twice). The answer is
    streamed here, once it is final, a line at a time. The turn as shown (request, answer, cards, trace) is kept
    for redrawing the conversation when it is reopened."""
    emit = get_stream_writer()
    for piece in re.findall(r"[^\n]*\n*", answer):
        if piece:
            emit({"type": "token", "text": piece})
    shown = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "request": state.get("message", ""),
             "answer": answer, "products": turn.get("facts", {}).get("products", []),
             "trace": turn.get("tool_calls", []), "notes": turn.get("notes", [])}
    return {"messages": [{"role": "assistant", "content": answer[:500]}], "shown": [shown],
            "turn_ids": [state["turn_id"]] if state.get("turn_id") else []}


def route_after_check(state: AgentState) -> str:
    """Back to compose while the answer is ungrounded and attempts remain; else done."""
    return "done" if state["turn"].get("grounded") else "retry"
