"""Guided decoding: the model writes a JSON-schema-constrained "next action"; invalid output is re-asked once,
then the rule planner decides."""

from __future__ import annotations

import logging
from typing import Any

from agent.actions import NextAction
from agent.planners.base import PlanContext, PlanResult, Planner
from agent.planners.llm_common import ACTION_SCHEMA, parse_action, plan_with_retry
from agent.planners.vocab import Vocabulary

log = logging.getLogger(__name__)


class GuidedPlanner:
    """JSON-schema structured output through the OpenAI API (vLLM structured outputs)."""

    name = "guided"

    def __init__(self, client: Any, model: str, vocab: Vocabulary, fallback: Planner, max_tokens: int = 120) -> None:
        self.client = client
        self.model = model
        self.vocab = vocab
        self.fallback = fallback
        self.max_tokens = max_tokens

    def _ask(self, messages: list[dict]) -> str:
        response = self.client.chat.completions.create(
            model=self.model, messages=messages, temperature=0.0, max_tokens=self.max_tokens,
            response_format={"type": "json_schema",
                             "json_schema": {"name": "next_action", "schema": ACTION_SCHEMA, "strict": True}},
        )
        return response.choices[0].message.content or ""

    def _attempt(self, messages: list[dict], notes: list[str]) -> NextAction:
        return parse_action(self._ask(messages), source=self.name)

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        return plan_with_retry(
            self.name, self._attempt,
            lambda note: f"That was not a valid action ({note}). Answer with the JSON object only.",
            message, context, self.vocab, self.fallback,
        )
