"""The planner that needs no LLM judgement: intent by nearest labelled examples (MiniLM), slots by the catalog."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import numpy as np

from agent.actions import ActionArgs, NextAction
from agent.planners.base import PlanContext, PlanResult, validate_plan
from agent.planners.slots import Slots, parse_slots
from agent.planners.vocab import Vocabulary, normalize

log = logging.getLogger(__name__)

_INJECTION = re.compile(r"\b(ignore|disregard|forget)\b.*\b(instruction|rule|prompt)s?\b|system prompt|you are now",
                        re.I)


def load_examples() -> tuple[list[str], list[str]]:
    labels, texts = [], []
    text = (Path(__file__).parent / "intent_examples.txt").read_text()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, message = line.partition("\t")
            labels.append(label.strip())
            texts.append(message.strip())
    return labels, texts


class IntentIndex:
    """Nearest labelled examples under MiniLM: a weighted vote of the k closest."""

    def __init__(self, k: int = 5) -> None:
        from agent.planners.embed import embed

        self.labels, self.texts = load_examples()
        self.matrix = embed(self.texts)
        self.k = k
        self._cache: dict[str, np.ndarray] = {}

    def scores(self, message: str) -> tuple[dict[str, float], float]:
        """Vote per action and the model time in ms."""
        from agent.planners.embed import embed

        start = time.perf_counter()
        vec = self._cache.get(message)
        if vec is None:
            vec = embed([message])[0]
            if len(self._cache) < 4096:
                self._cache[message] = vec
        ms = (time.perf_counter() - start) * 1000
        sims = self.matrix @ vec
        top = np.argsort(-sims)[: self.k]
        votes: dict[str, float] = {}
        for i in top:
            votes[self.labels[i]] = votes.get(self.labels[i], 0.0) + float(max(sims[i], 0.0)) ** 2
        return votes, ms


class RulePlanner:
    """Intent from the intent index, then slot rules that correct it where the words are unambiguous."""

    name = "rules"

    def __init__(self, vocab: Vocabulary, index: IntentIndex | None = None) -> None:
        self.vocab = vocab
        self.index = index or IntentIndex()

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        n_shown = len(context.shown)
        slots = parse_slots(message, self.vocab, n_shown)
        votes, ms = self.index.scores(message)
        intent = max(votes, key=votes.get) if votes else "chat"
        intent = self._correct(intent, message, slots, n_shown, votes)
        action = NextAction(action=intent, args=self._args(intent, slots, n_shown), source="rules")
        return PlanResult(action=validate_plan(action, self.vocab, n_shown), model_ms=ms)

    def _correct(self, intent: str, message: str, s: Slots, n_shown: int, votes: dict[str, float]) -> str:
        norm = normalize(message)
        has_filter = s.brand is not None or s.min_price is not None or s.max_price is not None or s.cheaper
        if _INJECTION.search(message):
            return "chat"
        if n_shown:
            if re.search(r"\b(compare|vs|versus|difference|differ|side by side|which (one )?is better|better)\b",
                         norm) and (len(s.positions) >= 2 or s.all_shown or "compare" in norm):
                return "compare"
            if re.search(r"\b(similar|alternatives?|like (the|that|this|it|number|item)|more like)\b", norm):
                return "similar"
            if s.positions and re.search(r"\b(tell|describe|details?|more about|info|features?|reviews?|good|made|"
                                         r"about)\b", norm) and intent not in ("compare", "similar"):
                return "describe"
        if s.user_id and intent in ("chat", "search") and not s.category and not s.query:
            return "recommend"
        if intent in ("similar", "describe", "compare", "refine") and not n_shown:
            return "search" if (s.category or s.query or has_filter) else "chat"
        if intent == "chat" and s.category and votes.get("chat", 0) < 2 * max(
                votes.get("search", 0), votes.get("refine", 0), 1e-9):
            return "search"
        if (n_shown and has_filter and not s.category and not s.query and not s.positions
                and intent not in ("recommend", "chat")):
            return "refine"  # only a brand or a price: narrow what is on screen
        if intent == "refine" and (s.category and s.category not in ("", None)):
            return "search"
        return intent

    @staticmethod
    def _args(intent: str, s: Slots, n_shown: int) -> ActionArgs:
        if intent == "search":
            return ActionArgs(query=s.query or (s.category or "") or None, brand=s.brand, category=s.category,
                              min_price=s.min_price, max_price=s.max_price)
        if intent == "refine":
            return ActionArgs(brand=s.brand, min_price=s.min_price, max_price=s.max_price, cheaper=s.cheaper)
        if intent in ("similar", "describe"):
            return ActionArgs(item=s.positions[0] if s.positions else None)
        if intent == "compare":
            items = s.positions if len(s.positions) >= 2 else (list(range(1, n_shown + 1)) if s.all_shown or not
                                                                s.positions else s.positions)
            return ActionArgs(items=items or None)
        if intent == "recommend":
            return ActionArgs(user_id=s.user_id)
        return ActionArgs()
