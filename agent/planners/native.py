"""Native tool calling (``bind_tools``): one tool per action. Malformed calls (arguments as a string, pydantic
errors inside langchain-openai) are repaired or re-asked once, then the rule planner decides."""

from __future__ import annotations

import json
import logging
from typing import Any

from agent.actions import ACTIONS, CONTRACT_ARGS, NextAction
from agent.planners.base import PlanContext, PlanResult, Planner
from agent.planners.llm_common import ACTION_SCHEMA, parse_action, plan_with_retry
from agent.planners.vocab import Vocabulary

log = logging.getLogger(__name__)

_DESCRIPTIONS = {
    "search": "Search the catalog for products.", "refine": "Narrow the products on screen.",
    "recommend": "Recommend products for this shopper.", "similar": "Products like one shown product.",
    "describe": "Tell more about one shown product.", "compare": "Compare shown products.",
    "chat": "Reply without a tool (greetings, off-topic).",
}


def action_tools() -> list[dict[str, Any]]:
    tools = []
    for name in ACTIONS:
        props = {k: ACTION_SCHEMA["properties"][k] for k in CONTRACT_ARGS[name]}
        tools.append({"type": "function", "function": {
            "name": name, "description": _DESCRIPTIONS[name],
            "parameters": {"type": "object", "properties": props, "required": []}}})
    return tools


def _repair_call(name: str, args: Any) -> dict[str, Any]:
    """Arguments written as a JSON string or a bare value become a dict (the bare value goes to the main slot)."""
    if isinstance(args, dict):
        return args
    if isinstance(args, str):
        try:
            value = json.loads(args)
            if isinstance(value, dict):
                return value
        except json.JSONDecodeError:
            value = args
        main = {"search": "query", "similar": "item", "describe": "item", "compare": "items"}.get(name)
        return {main: value} if main else {}
    return {}


class NativePlanner:
    """LangChain ``ChatOpenAI.bind_tools`` over the served model's tool parser."""

    name = "native"

    def __init__(self, chat_model: Any, vocab: Vocabulary, fallback: Planner) -> None:
        self.model = chat_model.bind_tools(action_tools(), tool_choice="required")
        self.vocab = vocab
        self.fallback = fallback

    def _attempt(self, messages: list[dict], notes: list[str]) -> NextAction:
        reply = self.model.invoke(messages)
        calls = list(getattr(reply, "tool_calls", []) or [])
        invalid = list(getattr(reply, "invalid_tool_calls", []) or [])
        if calls:
            call = calls[0]
            args = _repair_call(call["name"], call.get("args"))
        elif invalid:
            call = invalid[0]
            args = _repair_call(call.get("name") or "chat", call.get("args"))
            notes.append(f"repaired invalid tool call {call.get('name')}")
        else:
            raise ValueError("no tool call")
        return parse_action({"action": call.get("name"), **args}, source=self.name)

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        return plan_with_retry(
            self.name, self._attempt, lambda note: "Call exactly one of the tools with valid JSON arguments.",
            message, context, self.vocab, self.fallback,
        )
