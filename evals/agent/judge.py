"""Judging a turn against what it should have done: the action, the tools, the products' constraints, the facts
in the answer. Used by the scenario tests and ``shopagent bench agent``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agent.runtime import TurnResult


class Expect(BaseModel):
    """What a turn must do. Unset fields are not checked."""

    action: str | None = None
    tools: list[str] = Field(default_factory=list, description="Tools that must be called (in this order).")
    no_tools: bool = False
    tool_error: bool = False
    min_products: int | None = None
    max_price: float | None = None
    min_price: float | None = None
    brand: str | None = None
    category: str | None = None
    positions: list[int] | None = None  # positions of the products the answer is about (describe, compare)
    same_ids_as_before: list[int] | None = None  # positions whose product ids equal the previous turn's
    mention: list[str] = Field(default_factory=list)  # substrings the answer must contain (case-insensitive)
    forbid: list[str] = Field(default_factory=list)  # substrings the answer must not contain
    model_reply: bool = True  # the reply model's text was accepted (no template fallback)


class Turn(BaseModel):
    message: str
    user_id: str | None = None
    expect: Expect = Field(default_factory=Expect)


class Conversation(BaseModel):
    name: str
    turns: list[Turn]


def judge_turn(result: TurnResult, expect: Expect, catalog: Any, previous: TurnResult | None = None) -> list[str]:
    """Failures of ``result`` against ``expect`` (empty = the turn passes)."""
    fails: list[str] = []
    called = [t["name"] for t in result.tool_calls]
    if expect.action and result.action != expect.action:
        fails.append(f"action {result.action} != {expect.action}")
    it = iter(called)
    if expect.tools and not all(name in it for name in expect.tools):
        fails.append(f"tools {called} lack {expect.tools}")
    if expect.no_tools and called:
        fails.append(f"tools called: {called}")
    errors = [t for t in result.tool_calls if not t.get("ok")]
    if errors and not expect.tool_error:
        fails.append(f"tool error: {errors[0].get('error')}")
    if expect.tool_error and not errors:
        fails.append("expected a tool error")
    if expect.min_products is not None and len(result.products) < expect.min_products:
        fails.append(f"{len(result.products)} products < {expect.min_products}")
    for item in result.products:
        p = catalog.get(item.id)
        if expect.max_price is not None and (p.price is None or p.price > expect.max_price + 1e-6):
            fails.append(f"{p.id} costs {p.price} > {expect.max_price}")
        if expect.min_price is not None and (p.price is None or p.price < expect.min_price - 1e-6):
            fails.append(f"{p.id} costs {p.price} < {expect.min_price}")
        if expect.brand and (p.brand or "").lower() != expect.brand.lower():
            fails.append(f"{p.id} brand {p.brand} != {expect.brand}")
        if expect.category and expect.category.lower() not in p.category_path.lower():
            fails.append(f"{p.id} not in {expect.category}")
    if expect.positions is not None and [i.position for i in result.products] != expect.positions:
        fails.append(f"positions {[i.position for i in result.products]} != {expect.positions}")
    if expect.same_ids_as_before and previous is not None:
        before = {i.position: i.id for i in previous.products}
        now = {i.position: i.id for i in result.products}
        for pos in expect.same_ids_as_before:
            if before.get(pos) != now.get(pos):
                fails.append(f"product [{pos}] is not the one shown before")
    answer = result.answer.lower()
    for s in expect.mention:
        if s.lower() not in answer:
            fails.append(f"answer lacks {s!r}")
    for s in expect.forbid:
        if s.lower() in answer:
            fails.append(f"answer contains {s!r}")
    if not result.grounded:
        fails.append("answer not grounded")
    if expect.model_reply and result.fallback:
        fails.append("reply model's text rejected twice (template reply)")
    return fails


def load_conversations(name: str = "conversations.json") -> list[Conversation]:
    """The fixed conversations of ``shopagent bench agent`` (demo catalog, seed 0, 300 products)."""
    data = json.loads((Path(__file__).parent / name).read_text())
    return [Conversation.model_validate(c) for c in data]
