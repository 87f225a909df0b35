"""The reply model's whole part of an answer on a small model: one short lead sentence under guided decoding.

The embedded 135M model cannot be trusted to copy a number or a name, so it is not allowed to write one: vLLM's
structured outputs hold it to ``lead_pattern``: the project's opener for the action ("Here are some", "Compared
side by side," ...), then 5-12 lower-case words
from this turn's vocabulary (plain shopping words plus the words of the shown products' records and the shopper's
message, never a brand word or a number word), commas and product references like ``[2]``, ending on a full stop.
So it has no digit, currency sign, name or brand to write, and no word that is neither plain English nor the
shop's own. Every figure, name and attribute of the answer is rendered from the turn's facts by ``agent.templates``. A
repetition penalty and a newline stop keep it from looping or starting a second turn; the check still reads what
it wrote (``agent.grounding``), since a pattern cannot know whether "[3] is the cheapest" is true.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

MIN_WORDS, MAX_WORDS = 5, 12  # after the opener: short enough to end on its own full stop
# the project starts the sentence, by action, so the model continues an answer instead of commenting on its prompt
OPENERS: dict[str, str] = {"search": "Here are some", "refine": "Here are some", "similar": "Here are some",
                           "recommend": "You might like", "compare": "Compared side by side,",
                           "describe": "Here is more about {ref},"}
# a sentence may not end on these (it would read as cut off: "... you can use as an option on.")
FUNCTION_WORDS = frozenset("""a an the and or but nor of to in on at by for from with without into onto about as is
are was were be been being it its this that these those their your our my his her which who whom whose what when where
while if than then so such some any each every both either very more most less much many other another can could
will would should may might must do does did has have had not no only just also up out over under after before
along around through like they we you i me us them still how why there here even too yet because though
whether ever""".split())
NUMBER_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
                         "fifty hundred thousand dozen half".split())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The plain words any lead may use (``agent/prompts/lead_words.txt``: connectives, shopping words)."""
    from agent.prompts import PROMPT_DIR

    return frozenset((PROMPT_DIR / "lead_words.txt").read_text().split())


def lead_vocabulary(facts_text: str, message: str, banned: set[str]) -> tuple[str, ...]:
    """The words a lead may use this turn: common words, and the words of the products' records and of the
    shopper's message, less brand words and number words (so no name or figure can be spelt out)."""
    words = set(re.findall(r"[a-z]{2,14}", f"{facts_text} {message}".lower())) | common_words()
    return tuple(sorted(words - banned - NUMBER_WORDS))


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def opener(action: str, positions: tuple[int, ...]) -> str:
    return OPENERS.get(action, "Here are some").format(ref=f"[{positions[0]}]" if positions else "it")


@lru_cache(maxsize=64)
def lead_pattern(start: str, positions: tuple[int, ...], words: tuple[str, ...] = ()) -> str:
    """The sentence the model may write about the products at ``positions``: ``start``, then 5-12 tokens that are
    ``words`` (any lower-case word when empty), commas or references to those positions, ending on a full stop after a
    word that can end a sentence (not "to", "the", "their" ...)."""
    word = _alternation(words) if words else r"[a-z]{1,14}(?:'[a-z]{1,2})?"
    last = _alternation(tuple(w for w in words if w not in FUNCTION_WORDS)) if words else word
    ref = r"\[(?:" + "|".join(str(p) for p in positions) + r")\]" if positions else None
    token = f"(?:{word}|{ref})" if ref else word
    end = f"(?:{last}|{ref})" if ref else last
    return rf"{re.escape(start)}(?:,? {token}){{{MIN_WORDS - 1},{MAX_WORDS - 1}}},? {end}[.!]"


def positions_of(facts: dict[str, Any]) -> tuple[int, ...]:
    return tuple(sorted({p["position"] for p in facts.get("products", []) if p.get("position")}))


def lead_request(pattern: str, max_tokens: int) -> dict[str, Any]:
    """Keyword arguments of the chat-model call that writes the lead (vLLM structured outputs + sampling)."""
    return {"max_tokens": max_tokens, "stop": ["\n"], "frequency_penalty": 0.5,
            "extra_body": {"structured_outputs": {"regex": pattern}, "repetition_penalty": 1.2}}


class LeadSpec(BaseModel):
    """What the lead of one turn may be: its opener, the positions it may name and its words."""

    start: str
    positions: tuple[int, ...]
    words: tuple[str, ...]

    @classmethod
    def for_turn(cls, action: str, facts: dict[str, Any], message: str, brand_words: set[str]) -> "LeadSpec":
        positions = positions_of(facts)
        record = " ".join(f"{p.get('category') or ''} {' '.join(f'{k} {v}' for k, v in (p.get('attributes') or {}).items())}"
                          for p in facts.get("products", []))
        return cls(start=opener(action, positions), positions=positions,
                   words=lead_vocabulary(record, message, brand_words))

    @property
    def pattern(self) -> str:
        return lead_pattern(self.start, self.positions, self.words)

    def admits(self, text: str) -> bool:
        return re.fullmatch(self.pattern, text.strip()) is not None
