"""compose: the reply model writes its part of the answer; the facts under it are rendered by template.

On a small model (``reply_mode="lead"``, the embedded default) the model writes one guided lead sentence that can
state no figure or name (``agent.lead``) and chat turns are answered by intent templates; a larger model
(``reply_mode="free"``) writes free text. Either way ``check`` reads it before anybody sees it."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from agent.chat_replies import chat_reply, policy_reply
from agent.deps import AgentDeps
from agent.facts import facts_block, money
from agent.lead import LeadSpec, lead_request
from agent.prompts import load
from agent.state import AgentState
from agent.templates import NO_RESULTS, attachment, beside_policy, fallback_reply

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


def lead_facts(facts: dict[str, Any]) -> str:
    """The products as the lead writer reads them: quoted catalog data, no figures (it may not write any)."""
    lines = []
    for p in facts.get("products", []):
        attrs = "; ".join(f"{k}: {v}" for k, v in (p.get("attributes") or {}).items())
        lines.append(f"[{p['position']}] {json.dumps(p['title'])} ({p.get('category') or 'product'}"
                     + (f"; {attrs}" if attrs else "") + ")")
    if facts.get("description"):
        lines.append(f"About [{facts['products'][0]['position']}]: {json.dumps(facts['description'][:300])}")
    return "\n".join(lines)


def _messages(state: AgentState, turn: dict[str, Any], deps: AgentDeps) -> list[dict]:
    plan, facts = turn["plan"], turn.get("facts", {})
    correction = ""
    if turn.get("violations"):
        correction = ("Your last reply was wrong: " + "; ".join(turn["violations"][:3])
                      + ". Use only the facts above.\n")
    if plan["action"] == "chat":
        return [{"role": "system", "content": load("chat_system")},
                {"role": "user", "content": state["message"][:500]}]
    did = what_was_done(plan, state.get("constraints", {}), len(facts.get("products", [])))
    if deps.reply_mode == "lead":
        user = load("lead_user").format(message=state["message"][:300], did=did, facts=lead_facts(facts))
        return [{"role": "system", "content": load("lead_system")},
                {"role": "user", "content": user + (f"\n{correction}" if correction else "")}]
    user = load("reply_user").format(message=state["message"][:300], did=did, facts=facts_block(facts),
                                     correction=correction)
    return [{"role": "system", "content": load("reply_system")}, {"role": "user", "content": user}]


def lead_spec(state: AgentState, deps: AgentDeps) -> LeadSpec:
    """What this turn's guided lead may say (the same for compose, which asks, and check, which reads)."""
    turn = state["turn"]
    return LeadSpec.for_turn(turn["plan"]["action"], turn.get("facts", {}), state["message"], deps.brand_words)


def _generate(deps: AgentDeps, messages: list[dict], spec: LeadSpec | None) -> str:
    """The model's text for this attempt (never streamed: the shopper sees only text that passed the check)."""
    kwargs = lead_request(spec.pattern, deps.reply_max_tokens) if spec is not None else {
        "max_tokens": deps.reply_max_tokens}
    reply = deps.chat_model.invoke(messages, **kwargs)
    return (reply.content if isinstance(reply.content, str) else "").strip()


def compose(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    turn = state["turn"]
    plan, facts = turn["plan"], turn.get("facts", {})
    action = plan["action"]
    timings = dict(turn["timings"])
    attempts = turn.get("attempts", 0) + 1
    tail = attachment(action, facts)
    if facts.get("error") or (action != "chat" and not facts.get("products")):
        text = fallback_reply(action, facts) if facts.get("error") else facts.get("note") or NO_RESULTS
        text = f"{text}\n\n{beside_policy(action, facts)}".strip()
        return {"turn": {**turn, "draft": text, "answer": text, "attempts": attempts, "constructed": True}}
    if action == "chat" and (facts.get("policy") or facts.get("ask")):  # the shop's policy quoted, or a question
        text = facts.get("ask") or policy_reply(facts["policy"])
        return {"turn": {**turn, "draft": text, "answer": text, "attempts": attempts, "constructed": True,
                         "chat_template": True}}
    if action == "chat" and (deps.reply_mode == "lead" or deps.chat_model is None):
        text = chat_reply(state["message"], plan.get("notes"))  # on a small model chat turns are templates
        return {"turn": {**turn, "draft": text, "answer": text, "attempts": attempts, "constructed": True,
                         "chat_template": True}}
    if deps.chat_model is None:
        text = fallback_reply(action, facts)
        return {"turn": {**turn, "draft": text, "answer": f"{text}\n\n{tail}".strip(), "attempts": 2,
                         "constructed": True}}
    start = time.perf_counter()
    failed = False
    try:
        spec = lead_spec(state, deps) if deps.reply_mode == "lead" else None
        text = _generate(deps, _messages(state, turn, deps), spec)
    except Exception as exc:  # noqa: BLE001 - the LLM failing must not fail the turn: template reply, said so
        log.warning("reply model failed: %s", exc)
        text, failed = "", True
    timings["llm_ms"] = timings.get("llm_ms", 0.0) + (time.perf_counter() - start) * 1000
    drafts = [*turn.get("drafts", []), text]
    if failed or not text:
        text = fallback_reply(action, facts)
        answer = f"{LLM_DOWN}\n\n{text}\n\n{tail}".strip() if failed else f"{text}\n\n{tail}".strip()
        notes = [*turn.get("notes", []), LLM_DOWN] if failed else turn.get("notes", [])
        return {"turn": {**turn, "draft": "", "drafts": drafts, "answer": answer, "attempts": 2,
                         "timings": timings, "fallback": True, "constructed": True, "notes": notes}}
    answer = f"{text}\n\n{tail}".strip() if tail else text
    return {"turn": {**turn, "draft": text, "drafts": drafts, "answer": answer, "attempts": attempts,
                     "timings": timings, "constructed": False}}
