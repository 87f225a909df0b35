"""The policy passage a service question is about: BM25 (bm25s) over the policy's paragraphs, each with its
section heading; the passage is quoted as written. Order status is the shop's order system's to answer: the
answer says where to look and never states an order's status."""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
from pydantic import BaseModel

from tools.policy.store import Policy, PolicyPassage
from tools.search.keyword import KeywordIndex, tokens

# a question about one order's whereabouts: only the shop's order system knows
_ORDER_STATUS = re.compile(
    r"\b(where('?s| is| are)\s+(my|the)\s+(order|package|parcel|stuff|delivery|things?)|"
    r"(order|package|parcel|delivery)\s+(status|number|hasn'?t|has not|didn'?t|did not|never|still|is late|"
    r"not (here|arrived|come))|track(ing)?\b|(hasn'?t|has not|haven'?t|not yet|never)\s+(arrived|come|shown up)|"
    r"says delivered|not here|when will (my|it|the order|they)|i (ordered|paid)\b.*\b(not|never|still|yet|week|"
    r"days?)\b)", re.I)


# the words a shopper uses for each topic (a question may name none: then BM25 over the passages decides)
QUESTION_WORDS: dict[str, re.Pattern[str]] = {
    "order status": re.compile(r"\b(cancel\w*|change (my|the|an) order|modify (my|the) order)\b", re.I),
    "returns": re.compile(r"\b(return\w*|refund\w*|exchang\w*|send\b.{0,30}\bback|money back|"
                          r"restocking)\b", re.I),
    "shipping": re.compile(r"\b(ship\w*|deliver\w*|postage|arrive in time|how long .*take|courier|abroad|"
                           r"international)\b", re.I),
    "payment": re.compile(r"\b(pay\w*|card|apple pay|google pay|paypal|charged?|checkout|billing|tax|price match)\b",
                          re.I),
    "contact": re.compile(r"\b(contact|reach|talk to|speak (to|with)|human|person|phone|call|e-?mail|support|"
                          r"customer service)\b", re.I),
}


class PolicyAnswer(BaseModel):
    """What to tell the shopper: the policy section to quote (its passages as written), and whether the question
    needs the shop's order system."""

    kind: Literal["passage", "order_system", "none"]
    section: str | None = None
    passages: list[PolicyPassage] = []
    score: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.passages)


class PolicyIndex:
    """Keyword retrieval over one policy's passages."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.index = KeywordIndex.build([f"{p.section}. {p.section}. {p.text}" for p in policy.passages])

    def _section(self, name: str) -> list[PolicyPassage]:
        return [p for p in self.policy.passages if p.section == name]

    def _topic_section(self, topic: str) -> str | None:
        return next((p.section for p in self.policy.passages if p.topic == topic), None)

    def section_for(self, question: str) -> tuple[str | None, float]:
        """The section a question is about: the topic its words name (when the policy has that section), else
        the section of the best BM25 passage; None when the policy has no word of it."""
        said = [t for t, pattern in QUESTION_WORDS.items() if pattern.search(question)]
        for topic in said:
            section = self._topic_section(topic)
            if section:
                return section, 1.0
        scores = self.index.scores(question)
        if scores is None or float(np.max(scores)) <= 0.0:
            return None, 0.0
        best = int(np.argmax(scores))
        asked = set(tokens(question))
        said = set(tokens(f"{self.policy.passages[best].section} {self.policy.passages[best].text}"))
        if len(asked & said) * 2 <= len(asked):
            return None, 0.0  # one shared word ("shop", "gift") is not what the question is about
        return self.policy.passages[best].section, float(np.round(scores[best], 4))

    def answer(self, question: str) -> PolicyAnswer:
        """A status question points to the order system (quoting the section that says where to look); any other
        question gets the section it is about, or ``none``."""
        if _ORDER_STATUS.search(question):
            section = self._topic_section("order status")
            return PolicyAnswer(kind="order_system", section=section,
                                passages=self._section(section)[:1] if section else [])
        section, score = self.section_for(question)
        if section is None:
            return PolicyAnswer(kind="none")
        return PolicyAnswer(kind="passage", section=section, passages=self._section(section), score=score)


def is_order_status_question(question: str) -> bool:
    return bool(_ORDER_STATUS.search(question))
