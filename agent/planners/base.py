"""What every planner sees and returns, and the catalog check every plan passes through."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, Field

from agent.actions import NextAction
from agent.planners.vocab import Vocabulary


class ShownProduct(BaseModel):
    position: int
    id: str
    title: str
    brand: str | None = None
    price: float | None = None


class PlanContext(BaseModel):
    """The conversation as a planner needs it: recent messages, the products on screen, stated constraints."""

    history: list[dict[str, str]] = Field(default_factory=list)
    shown: list[ShownProduct] = Field(default_factory=list)
    constraints: dict[str, Any] = Field(default_factory=dict)
    user_id: str | None = None


class PlanResult(BaseModel):
    """A plan and the model time spent making it (LLM calls or embedding inference)."""

    action: NextAction
    model_ms: float = 0.0
    notes: list[str] = Field(default_factory=list)


class Planner(Protocol):
    """Chooses the next action for a shopper's message."""

    name: str

    def plan(self, message: str, context: PlanContext) -> PlanResult: ...


def validate_plan(action: NextAction, vocab: Vocabulary, n_shown: int) -> NextAction:
    """Brands/categories only as the catalog spells them (else None), positions within what is shown."""
    args = action.args.model_copy()
    args.brand = vocab.canonical_brand(args.brand)
    args.category = vocab.canonical_category(args.category)
    limit = max(n_shown, 1)
    if args.item is not None and not 1 <= args.item <= limit:
        args.item = None
    if args.items is not None:
        items = [i for i in dict.fromkeys(args.items) if 1 <= i <= limit]
        args.items = items or None
    if args.min_price is not None and args.max_price is not None and args.min_price > args.max_price:
        args.min_price, args.max_price = args.max_price, args.min_price
    if args.user_id is not None and args.user_id not in vocab.users:
        args.user_id = None
    return action.model_copy(update={"args": args})
