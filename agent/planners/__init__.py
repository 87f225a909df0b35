"""Planners behind one interface (``Planner.plan(message, context) -> PlanResult``), chosen by model ability.

- ``rules``: no LLM judgement (nearest labelled examples under MiniLM + catalog vocabulary) — tiny models;
- ``guided``: JSON-schema structured output of a next action — mid-size models;
- ``native``: the server's tool calling (``bind_tools``) — capable models;
- ``tuned``: a model tuned on this shop, guided (slot for issue 14).
Every LLM planner validates against the catalog and falls back to ``rules``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from agent.planners.base import PlanContext, PlanResult, Planner, ShownProduct, validate_plan
from agent.planners.vocab import Vocabulary
from core.config import EMBEDDED_MODEL_NAME
from core.artifacts import TUNED_MODEL_NAME

log = logging.getLogger(__name__)

__all__ = ["PlanContext", "PlanResult", "Planner", "ShownProduct", "Vocabulary", "detect_kind", "make_planner",
           "validate_plan"]


def detect_kind(model_name: str | None) -> str:
    """Planner kind for a served model: rules below 1B parameters, guided below 14B, native above (by its name).

    The embedded model and its tuned copy (``<embedded>-shop``) get ``tuned`` (router + tuned model) when
    `shopagent tune eval` measured that combination best on the hand-written requests, else ``rules``."""
    if not model_name:
        return "rules"
    name = model_name.lower()
    if name in (EMBEDDED_MODEL_NAME, TUNED_MODEL_NAME):
        return "tuned" if _tuned_chosen() else "rules"
    m = re.search(r"(\d+(?:\.\d+)?)\s*([mb])\b", name.replace("-", " ").replace("_", " "))
    if m:
        size_b = float(m.group(1)) / (1000 if m.group(2) == "m" else 1)
        return "rules" if size_b < 1 else "guided" if size_b < 14 else "native"
    if "smol" in name or "tiny" in name:
        return "rules"
    return "guided"


def _tuned_chosen() -> bool:
    from core.config import get_settings
    from core.artifacts import tuned_planner_chosen

    return tuned_planner_chosen(get_settings())


def make_planner(kind: str, vocab: Vocabulary, endpoint: Any = None, chat_model: Any = None,
                 tuned_model: str | None = None, embedder: Any = None) -> Planner:
    """The planner of ``kind`` ("auto" picks by the endpoint's model); LLM planners fall back to ``rules``.
    ``embedder`` is the process's MiniLM encoder (``tools.search.embed``) for the rule planner's vote."""
    from agent.planners.rules import IntentIndex, RulePlanner

    rules = RulePlanner(vocab, IntentIndex(embedder=embedder))
    if kind == "auto":
        kind = detect_kind(endpoint.model if endpoint is not None else None)
    if kind == "rules" or endpoint is None and chat_model is None:
        return rules
    if kind == "native":
        from agent.planners.native import NativePlanner
        from core.llm.client import chat_model as make_chat_model

        return NativePlanner(chat_model or make_chat_model(endpoint, temperature=0.0, max_tokens=120), vocab, rules)
    from core.llm.client import openai_client

    if kind == "tuned":
        from agent.planners.tuned import TunedRouterPlanner as TunedPlanner  # router proposes, tuned model decides

        served = (endpoint.model or "").lower() if endpoint is not None else ""
        tuned_model = tuned_model or (TUNED_MODEL_NAME if served in (EMBEDDED_MODEL_NAME, TUNED_MODEL_NAME) else None)
        if not tuned_model:
            log.warning("planner=tuned but no tuned model is served: using the rule planner")
            return rules
        return TunedPlanner(openai_client(endpoint), tuned_model, vocab, rules)
    from agent.planners.guided import GuidedPlanner

    return GuidedPlanner(openai_client(endpoint), endpoint.model, vocab, rules)
