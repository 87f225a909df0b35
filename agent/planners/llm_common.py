"""Shared by the LLM planners: the prompt, the flat JSON schema of a next action, and parsing with repair."""

from __future__ import annotations

import json
import re
import time
from typing import Any, Callable

from pydantic import ValidationError

from agent.actions import ACTIONS, ActionArgs, NextAction
from agent.planners.base import PlanContext, PlanResult, Planner, validate_plan
from agent.planners.vocab import Vocabulary
from agent.prompts import load

ACTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": list(ACTIONS)},
        "query": {"type": ["string", "null"]},
        "brand": {"type": ["string", "null"]},
        "category": {"type": ["string", "null"]},
        "min_price": {"type": ["number", "null"]},
        "max_price": {"type": ["number", "null"]},
        "cheaper": {"type": ["boolean", "null"]},
        "item": {"type": ["integer", "null"]},
        "items": {"type": ["array", "null"], "items": {"type": "integer"}},
    },
    "required": ["action"],
    "additionalProperties": False,
}


def planner_messages(message: str, context: PlanContext, vocab: Vocabulary, max_vocab: int = 60) -> list[dict]:
    brands = ", ".join(sorted(vocab.brands.values())[:max_vocab])
    categories = ", ".join(sorted(vocab.category_names)[:max_vocab])
    shown = "\n".join(f"{p.position}. {p.title} ({p.brand or 'no brand'}, ${p.price})" for p in context.shown) or "none"
    history = "\n".join(f"{m['role']}: {m['content'][:200]}" for m in context.history[-4:]) or "none"
    return [
        {"role": "system", "content": load("planner_system").format(brands=brands, categories=categories)},
        {"role": "user", "content": load("planner_user").format(shown=shown, history=history, message=message)},
    ]


def parse_action(raw: Any, source: str) -> NextAction:
    """A ``NextAction`` from model output (JSON text or dict; flat or with "args"); raises ValueError if hopeless."""
    if isinstance(raw, str):
        text = raw.strip()
        m = re.search(r"\{.*\}", text, re.S)
        if not m:
            raise ValueError(f"no JSON object in {text[:80]!r}")
        raw = json.loads(m.group())
    if not isinstance(raw, dict):
        raise ValueError("the action is not an object")
    args = raw.get("args") if isinstance(raw.get("args"), dict) else {k: v for k, v in raw.items() if k != "action"}
    if isinstance(args.get("items"), (int, str)):
        args["items"] = [int(x) for x in re.findall(r"\d+", str(args["items"]))]
    clean = {k: v for k, v in args.items() if k in ActionArgs.model_fields and v not in ("", "null", "None")}
    try:
        return NextAction(action=raw.get("action"), args=ActionArgs.model_validate(clean), source=source)
    except ValidationError as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc


def plan_with_retry(name: str, attempt: Callable[[list[dict], list[str]], NextAction], reask: Callable[[str], str],
                    message: str, context: PlanContext, vocab: Vocabulary, fallback: Planner) -> PlanResult:
    """Ask an LLM planner for the next action; malformed output is normal: re-ask once (with ``reask(note)``
    appended), validate against the catalog, and after a second failure use ``fallback`` (the rule planner)."""
    messages = planner_messages(message, context, vocab)
    notes: list[str] = []
    start = time.perf_counter()
    for n in range(2):
        try:
            action = attempt(messages, notes)
            return PlanResult(action=validate_plan(action, vocab, len(context.shown)),
                              model_ms=(time.perf_counter() - start) * 1000, notes=notes)
        except Exception as exc:  # noqa: BLE001 - incl. pydantic ValidationError raised inside langchain-openai
            notes.append(f"{name} attempt {n + 1}: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}")
            messages = messages + [{"role": "user", "content": reask(notes[-1])}]
    llm_ms = (time.perf_counter() - start) * 1000
    result = fallback.plan(message, context)
    return PlanResult(action=result.action.model_copy(update={"source": "fallback"}),
                      model_ms=llm_ms + result.model_ms, notes=notes + ["fell back to rules"])
