"""The LLM shopper (``--simulator llm``): a served model plays the shopper from the target's record, told, as
InteRecAgent's simulator is, never to reveal the target's name.

A small model is not trusted to keep that rule: a message that names the target (its id, or most of its title) is
replaced by the rule shopper's cue for that turn, and counted (``leaks``)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Sequence

from rapidfuzz import fuzz

from evals.converse.simulator import Cue, Record, RuleShopper, TitleWords, everyday_category, price_band

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).parent / "prompts"
LEAK_RATIO = 80  # partial match of the title in a message (rapidfuzz, 0-100) that counts as naming the target
MAX_CHARS = 200


def _prompt(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


def names_target(text: str, target: Record) -> bool:
    """True when ``text`` gives the target away: its id, or (most of) its title beyond the brand."""
    if target.id.lower() in text.lower():
        return True
    title = target.title.lower()
    if target.brand:
        title = title.replace(target.brand.lower(), " ")
    title = re.sub(r"\s+", " ", title).strip()
    return len(title) >= 12 and fuzz.partial_ratio(title, text.lower()) >= LEAK_RATIO and \
        len(text) >= 0.6 * len(title)


class LLMShopper:
    """One target's shopper, played by ``chat_model`` (a LangChain chat model), the rule shopper as its guard."""

    def __init__(self, target: Record, chat_model: Any, words: TitleWords, seed: int = 0) -> None:
        self.target = target
        self.model = chat_model
        self.fallback = RuleShopper(target, words, seed)
        band = price_band(target.price)
        price = "unknown" if band is None else f"${band[0]:g} or more" if band[1] is None else \
            f"between ${band[0]:g} and ${band[1]:g}"
        self.system = _prompt("shopper_system").format(
            category=everyday_category(target.categories), brand=target.brand or "unknown", price=price,
            words=", ".join(words.distinctive(target, k=3)) or "none")
        self.said: list[str] = []
        self.leaks = 0

    def _ask(self, user: str) -> str:
        reply = self.model.invoke([{"role": "system", "content": self.system}, {"role": "user", "content": user}])
        text = str(getattr(reply, "content", reply)).strip().strip('"').splitlines()
        return (text[0] if text else "").strip()[:MAX_CHARS]

    def _checked(self, text: str, fallback: Cue) -> Cue:
        if not text or names_target(text, self.target):
            self.leaks += bool(text)
            log.info("LLM shopper's message replaced by the rule cue: %r", text[:80])
            self.said.append(fallback.text)
            return fallback
        self.said.append(text)
        return Cue(kind="llm", text=text)

    def opening(self) -> Cue:
        rule = self.fallback.opening()
        return self._checked(self._ask("Write your first message to the assistant."), rule)

    def next_cue(self, shown: Sequence[Record], turn: int) -> Cue:
        rule = self.fallback.next_cue(shown, turn)
        listing = "\n".join(f"[{i}] {r.title} ({r.brand or 'no brand'}, "
                            f"{'no price' if r.price is None else f'${r.price:g}'})" for i, r in enumerate(shown, 1))
        user = _prompt("shopper_turn").format(shown=listing or "(nothing)", said=" | ".join(self.said) or "nothing")
        return self._checked(self._ask(user), rule)
