"""What the nodes work with: catalog, vocabulary, planner, tool registry and the reply model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agent.planners import Planner, Vocabulary
from agent.toolbox import ToolRegistry
from tools.describe.claims import ClaimChecker

ReplyMode = Literal["lead", "free"]


@dataclass
class AgentDeps:
    """Everything a turn needs besides its state (built once per process by ``runtime.AgentRuntime``)."""

    catalog: Any
    vocab: Vocabulary
    planner: Planner
    registry: ToolRegistry
    chat_model: Any = None  # a LangChain chat model that writes replies; None = template replies only
    reply_max_tokens: int = 80
    reply_mode: ReplyMode = "lead"  # lead: one guided sentence, facts rendered (small models); free: free text
    brands: list[str] = field(default_factory=list)
    claims: ClaimChecker | None = None  # attribute claims, with the catalog's attribute values as its vocabulary
    brand_words: set[str] = field(default_factory=set)  # words of every brand: never a word of a guided lead
    shopper_rank: bool = True  # rank found products by text relevance and the signed-in shopper's sequential score
    history_picks: bool = True  # a signed-in shopper's search pool gets the recommender's picks within its filters
    reject_memory: bool = True  # products shown and not taken are not shown again in the conversation
    carry_filters: bool = True  # a new search that goes on with the need keeps its kind, brand, band and words
    broad_history: bool = True  # a need said by its kind alone leans more on the signed-in shopper's history
    specific_words: bool = True  # a need with words of its own leans more on them than on the shopper's history
    title_neighbours: bool = True  # "more like [n]" also brings the products sharing the product's title words
    anchor_brand: bool = True  # "more like [n]" also brings the need's best matches from the product's brand
    policy: Any = None  # the shop's policy (``tools.policy.retrieve.PolicyIndex``); None when it stored none

    def __post_init__(self) -> None:
        if not self.brands:
            self.brands = list(self.vocab.brands.values())
        if self.claims is None:
            self.claims = ClaimChecker.for_catalog(self.catalog)
        from tools.language import normalise

        self.brand_words = {w for b in self.brands for w in normalise(b).split() if len(w) >= 2}

