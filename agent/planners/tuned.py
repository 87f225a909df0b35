"""The slot for a planner tuned on this shop (issue 14): a guided planner over the tuned model's served name.

Until a tuned model is served (``SHOPAGENT_PLANNER=tuned`` with ``tuned_model``), ``make_planner`` uses the rules.
"""

from __future__ import annotations

from typing import Any

from agent.planners.guided import GuidedPlanner
from agent.planners.base import Planner
from agent.planners.vocab import Vocabulary


class TunedPlanner(GuidedPlanner):
    """A tuned model, JSON-schema constrained; the rule planner where it fails."""

    name = "tuned"

    def __init__(self, client: Any, model: str, vocab: Vocabulary, fallback: Planner) -> None:
        super().__init__(client, model, vocab, fallback, max_tokens=80)
