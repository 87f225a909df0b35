"""Shopper voices the rule planner reads (branch lang7): self-corrections, brands ruled out, spoken letters and
numbers, bare positions, service questions put many ways, picks from past orders, products referred to by the
conversation. Every message here is invented for the test."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct
from agent.planners.slots import parse_slots


def _shown(rule_planner) -> list[ShownProduct]:  # noqa: ANN001
    products = rule_planner.vocab.catalog.get_many(rule_planner.vocab.catalog.ids[:4])
    return [ShownProduct(position=i + 1, id=p.id, title=p.title, brand=p.brand, price=p.price)
            for i, p in enumerate(products)]


def _plan(rule_planner, message: str, history: list[dict[str, str]] | None = None):  # noqa: ANN001, ANN202
    return rule_planner.plan(message, PlanContext(shown=_shown(rule_planner), history=history or [])).action


# --- self-corrections: the last brand, kind or price said wins ---
@pytest.mark.parametrize(("message", "brand", "category", "max_price"), [
    ("korra trail shoes, no wait, I meant solara", "Solara", None, None),
    ("a frying pan - sorry, a chef knife", None, "Chef Knives", None),
    ("coffee maker under 30, actually make that under 45", None, "Coffee Makers", 45.0),
])
def test_what_is_said_after_a_correction_wins(rule_planner, message: str, brand: str | None,  # noqa: ANN001
                                              category: str | None, max_price: float | None) -> None:
    slots = parse_slots(message, rule_planner.vocab, 4)
    if brand:
        assert slots.brand == brand
    if category:
        assert slots.category == category
    assert slots.max_price == max_price
    assert slots.corrected


def test_actually_inside_a_clause_is_no_correction(rule_planner) -> None:  # noqa: ANN001
    slots = parse_slots("a pan that actually heats evenly, not a pot", rule_planner.vocab, 4)
    assert not slots.corrected


# --- a brand ruled out: no filter by it; another one named is the filter ---
@pytest.mark.parametrize(("message", "brand"), [
    ("anything but korra", None),
    ("no, not velocita - stridewell", "Stridewell"),
])
def test_a_brand_ruled_out_narrows_what_is_shown(rule_planner, message: str, brand: str | None) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, message)
    assert plan.action == "refine"
    assert plan.args.brand == brand
