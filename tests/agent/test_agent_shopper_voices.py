"""Shopper voices the rule planner reads (branch lang7): self-corrections, brands ruled out, spoken letters and
numbers, bare positions, service questions put many ways, picks from past orders, products referred to by the
conversation. Every message here is invented for the test."""

from __future__ import annotations

import pytest

from agent.planners.slots import parse_slots
from fixtures.planning import first_four_shown, plan_with_four_shown


_shown = first_four_shown
_plan = plan_with_four_shown


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


# --- terse pointers at a shown product: "specs 3", "more like 4", "how heavy is the 2" ---
@pytest.mark.parametrize(("message", "action", "item"), [
    ("specs 3", "describe", 3),
    ("details on 2 please", "describe", 2),
    ("more like 4", "similar", 4),
    ("how heavy is the 2", "describe", 2),
])
def test_a_bare_number_after_a_pointer_word_is_a_position(rule_planner, message: str, action: str,  # noqa: ANN001
                                                          item: int) -> None:
    plan = _plan(rule_planner, message)
    assert (plan.action, plan.args.item) == (action, item)


def test_past_orders_are_no_last_position(rule_planner) -> None:  # noqa: ANN001
    assert parse_slots("picks from my last couple of purchases", rule_planner.vocab, 4).positions == []


# --- "is it X?" after a reply about one shown product: that product ---
def _about(rule_planner, position: int) -> list[dict[str, str]]:  # noqa: ANN001
    title = _shown(rule_planner)[position - 1].title
    return [{"role": "user", "content": "what is that one"},
            {"role": "assistant", "content": f"That is the {title}."}]


@pytest.mark.parametrize(("message", "action"), [
    ("does it fold flat", "describe"),
    ("anything else like that", "similar"),
])
@pytest.mark.parametrize("position", [2, 3])
def test_a_pointer_after_a_reply_about_one_product_is_that_product(rule_planner, message: str, action: str,  # noqa: ANN001
                                                                   position: int) -> None:
    plan = _plan(rule_planner, message, _about(rule_planner, position))
    assert (plan.action, plan.args.item) == (action, position)


def test_a_reply_about_every_shown_product_points_at_none(rule_planner) -> None:  # noqa: ANN001
    listing = "; ".join(p.title for p in _shown(rule_planner))
    plan = _plan(rule_planner, "anything else like that", [{"role": "assistant", "content": listing}])
    assert plan.args.item is None


# --- service questions put many ways: nothing to search ---
@pytest.mark.parametrize("message", [
    "can i hand the blender back if i never used it",
    "the water bottle came with a crack down the side",
    "i bought a chef knife on the 2nd and the tracking has not updated since",
    "is this final sale or can the serum go back",
    "how can I get hold of a live agent",
    "is there a physical shop I could visit near me",
    "got any deal on my first purchase",
    "is your stuff all tested on rabbits",
    "could you help me write a cover letter",
])
def test_service_and_paperwork_questions_are_chat(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "chat"


@pytest.mark.parametrize("message", ["suggestions?", "any recos pls",
                                     "no clue today, pick something based on what i bought last month"])
def test_picks_asked_in_a_word_or_from_past_orders_are_recommend(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "recommend"


# --- brands as they are heard: spelt letter by letter, their initials alone, a coined name spelt as it sounds ---
@pytest.mark.parametrize(("message", "brand"), [
    ("water bottle by kay ell ay", "KLA"),
    ("a serum from d k l", "DKL"),
    ("a tarp from vbt", "VBT Outdoor"),  # initials in capitals lead the brand's name
    ("speakers by phonics", "Fonix"),  # a coined name heard as an everyday word
    ("a yoga mat from zen tricks", "Zentrix"),
])
def test_brands_as_they_are_heard(message: str, brand: str) -> None:
    from fixtures.frame_catalog import FrameCatalog

    from agent.planners.vocab import Vocabulary

    rows = [(b, f"{b} Thing {i}", "Gear", "Outdoor > Gear") for b in ("KLA", "DKL", "VBT Outdoor", "Fonix",
                                                                          "Zentrix") for i in range(3)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of([(b, t, c, f"{p} > {c}") for b, t, c, p in rows]))
    assert parse_slots(message, vocab).brand == brand


def test_letter_names_that_spell_no_brand_stay_words(rule_planner) -> None:  # noqa: ANN001
    assert parse_slots("see you at the eye cream aisle", rule_planner.vocab, 4).brand is None


# --- an ordinary word that is also a brand's name, used as a word ---
@pytest.mark.parametrize(("message", "brand"), [
    ("earbuds that count my pulse on a jog", None),
    ("running shoes, my feet feel so pulse-y", None),
    ("pulse earbuds", "Pulse"),  # the name before a kind of product is the brand
])
def test_an_ordinary_word_in_use_is_no_brand(rule_planner, message: str, brand: str | None) -> None:  # noqa: ANN001
    assert parse_slots(message, rule_planner.vocab, 4).brand == brand
