"""The planner's output: one "next action" with its arguments (the contract every planner is measured by)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ActionName = Literal["search", "refine", "recommend", "similar", "describe", "compare", "chat"]
ACTIONS: tuple[str, ...] = ("search", "refine", "recommend", "similar", "describe", "compare", "chat")

# the argument names each action carries in the planner contract (`shopagent agent plan --json`)
CONTRACT_ARGS: dict[str, tuple[str, ...]] = {
    "search": ("query", "brand", "category", "min_price", "max_price"),
    "refine": ("brand", "min_price", "max_price", "cheaper"),
    "recommend": (),
    "similar": ("item",),
    "describe": ("item",),
    "compare": ("items",),
    "chat": (),
}


class ActionArgs(BaseModel):
    """Every argument any action may carry; unknown values are ``None``."""

    query: str | None = Field(None, description="What to search for, in the shopper's words (search).")
    brand: str | None = Field(None, description="A brand of this catalog (search, refine).")
    category: str | None = Field(None, description="A category of this catalog (search).")
    min_price: float | None = Field(None, ge=0, description="Lowest price (search, refine).")
    max_price: float | None = Field(None, ge=0, description="Highest price (search, refine).")
    cheaper: bool | None = Field(None, description="Cheaper than what is shown (refine).")
    item: int | None = Field(None, ge=1, description="1-based position of a shown product (similar, describe).")
    items: list[int] | None = Field(None, description="1-based positions of shown products (compare).")
    user_id: str | None = Field(None, description="The shopper's user id when they gave one (recommend).")


class NextAction(BaseModel):
    """What the agent does next."""

    action: ActionName
    args: ActionArgs = Field(default_factory=ActionArgs)
    source: str = Field("rules", description="Which planner decided (rules, guided, native, tuned, fallback).")

    def contract_args(self) -> dict[str, Any]:
        """The arguments the planner contract defines for this action (others dropped)."""
        data = self.args.model_dump()
        return {k: data.get(k) for k in CONTRACT_ARGS[self.action]}
