"""Guided decoding: the model writes a JSON-schema-constrained "next action"; invalid output is re-asked once,
then the rule planner decides."""

from __future__ import annotations

import logging
import time
from typing import Any

from agent.planners.base import PlanContext, PlanResult, Planner, validate_plan
from agent.planners.llm_common import ACTION_SCHEMA, parse_action, planner_messages
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

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        messages = planner_messages(message, context, self.vocab)
        notes: list[str] = []
        start = time.perf_counter()
        for attempt in range(2):
            try:
                text = self._ask(messages)
                action = parse_action(text, source=self.name)
                return PlanResult(action=validate_plan(action, self.vocab, len(context.shown)),
                                  model_ms=(time.perf_counter() - start) * 1000, notes=notes)
            except Exception as exc:  # noqa: BLE001 - malformed output is normal: re-ask once, then fall back
                notes.append(f"guided attempt {attempt + 1}: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}")
                messages = messages + [{"role": "user", "content": f"That was not a valid action ({notes[-1]}). "
                                                                   "Answer with the JSON object only."}]
        llm_ms = (time.perf_counter() - start) * 1000
        result = self.fallback.plan(message, context)
        result.action = result.action.model_copy(update={"source": "fallback"})
        return PlanResult(action=result.action, model_ms=llm_ms + result.model_ms, notes=notes + ["fell back to rules"])
