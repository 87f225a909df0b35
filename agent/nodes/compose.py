"""compose: the reply model writes a short text from this turn's facts; the product list is added by template."""

from __future__ import annotations

import logging
import time
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer

from agent.deps import AgentDeps
from agent.facts import facts_block, money
from agent.prompts import load
from agent.state import AgentState
from agent.templates import NO_RESULTS, attachment, fallback_reply

log = logging.getLogger(__name__)

LLM_DOWN = ("The assistant's language model is not answering right now, so this is a short standard reply "
            "from the shop's data; please try again in a moment.")


def what_was_done(plan: dict[str, Any], constraints: dict[str, Any], n_products: int) -> str:
    action = plan["action"]
    bits = []
    if constraints.get("brand"):
        bits.append(f"brand {constraints['brand']}")
    if constraints.get("min_price") is not None:
        bits.append(f"from {money(constraints['min_price'])}")
    if constraints.get("max_price") is not None:
        bits.append(f"up to {money(constraints['max_price'])}")
    within = f" ({', '.join(bits)})" if bits else ""
    return {
        "search": f"searched the catalog{within}, {n_products} products shown",
        "refine": f"narrowed the products{within}, {n_products} shown",
        "recommend": f"picked {n_products} products for this shopper",
        "similar": f"found {n_products} similar products",
        "describe": "looked up the product's details",
        "compare": f"compared {n_products} products",
    }.get(action, "nothing")


def _generate(deps: AgentDeps, messages: list[dict], emit: Any, stream: bool) -> str:
    if not stream:  # nobody listens for tokens: one response, far less work per turn
        reply = deps.chat_model.invoke(messages, max_tokens=deps.reply_max_tokens)
        return (reply.content if isinstance(reply.content, str) else "").strip()
    parts: list[str] = []
    for chunk in deps.chat_model.stream(messages, max_tokens=deps.reply_max_tokens):
        text = chunk.content if isinstance(chunk.content, str) else ""
        if text:
            parts.append(text)
            emit({"type": "token", "text": text})
    return "".join(parts).strip()


def compose(state: AgentState, config: RunnableConfig, deps: AgentDeps) -> dict[str, Any]:
    turn = state["turn"]
    plan, facts = turn["plan"], turn.get("facts", {})
    action = plan["action"]
    timings = dict(turn["timings"])
    attempts = turn.get("attempts", 0) + 1
    emit = get_stream_writer()
    tail = attachment(action, facts)
    if facts.get("error") or (action != "chat" and not facts.get("products")):
        text = fallback_reply(action, facts) if facts.get("error") else facts.get("note") or NO_RESULTS
        return {"turn": {**turn, "draft": text, "answer": text, "attempts": attempts}}
    if deps.chat_model is None:
        text = fallback_reply(action, facts)
        return {"turn": {**turn, "draft": text, "answer": f"{text}\n\n{tail}".strip(), "attempts": 2}}
    if action == "chat":
        messages = [{"role": "system", "content": load("chat_system")},
                    {"role": "user", "content": state["message"][:500]}]
    else:
        correction = ""
        if turn.get("violations"):
            correction = ("Your last reply was wrong: " + "; ".join(turn["violations"][:3])
                          + ". Use only the facts above.\n")
        user = load("reply_user").format(
            message=state["message"][:300], did=what_was_done(plan, state.get("constraints", {}),
                                                             len(facts.get("products", []))),
            facts=facts_block(facts), correction=correction)
        messages = [{"role": "system", "content": load("reply_system")}, {"role": "user", "content": user}]
    start = time.perf_counter()
    failed = False
    try:
        text = _generate(deps, messages, emit, bool(config.get("configurable", {}).get("stream_tokens")))
    except Exception as exc:  # noqa: BLE001 - the LLM failing must not fail the turn: template reply, said so
        log.warning("reply model failed: %s", exc)
        text, failed = "", True
    timings["llm_ms"] = timings.get("llm_ms", 0.0) + (time.perf_counter() - start) * 1000
    if not text:
        text = fallback_reply(action, facts)
    if failed:
        text = f"{LLM_DOWN}\n\n{text}"
    answer = f"{text}\n\n{tail}".strip() if tail else text
    update = {"draft": text, "answer": answer, "attempts": attempts, "timings": timings}
    if failed:
        update.update(fallback=True, notes=[*turn.get("notes", []), LLM_DOWN])
    return {"turn": {**turn, **update}}
