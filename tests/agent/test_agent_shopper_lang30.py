"""Shopper language the rule planner reads (branch lang30): the shopper's own "last one", another page after a reply
about one product, a replacement of a kind, a deadline behind a question of delivery, an order announced, "what about
<a kind>?", changing what the shopper got, "what would you suggest?", a budget with a plus, "from them" after a maker
and "last" as a verb after "didn't". Every message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import ShownProduct, cues
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.planner_stubs import SHOWN, exchange, planned, planned_on_shown, shop_vocab
from tools.language import parse_bounds

_plan = planned_on_shown
_TENT_REPLY = exchange("a tent for the fells", "The Camp Trail Tent 1 is the roomiest of these.")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shop_vocab()


def test_the_shoppers_own_last_one_is_no_position(vocab: Vocabulary) -> None:
    assert parse_slots("the last one i bought peeled in a week", vocab, 4).positions == []
    assert parse_slots("the last one that we tried leaked", vocab, 4).positions == []
    assert parse_slots("the last one, is it light?", vocab, 4).positions == [4]


def test_a_likeness_to_the_shoppers_own_is_no_likeness_to_a_shown_one(vocab: Vocabulary) -> None:
    assert _plan(vocab, "a lip tint that won't dry out like the one i had", "search")[0] == "search"


@pytest.mark.parametrize(("message", "vote"), [("any other choices? these all look flimsy", "refine"),
                                             ("give us a few others", "similar")])
def test_another_page_after_a_reply_about_one_product_is_the_list(vocab: Vocabulary, message: str, vote: str) -> None:
    assert _plan(vocab, message, vote, _TENT_REPLY)[:2] == ("refine", {})


def test_a_replacement_of_a_kind_is_a_product(vocab: Vocabulary) -> None:
    assert _plan(vocab, "my pole snapped, need a replacement tent for june", "search")[0] == "search"
    assert _plan(vocab, "the tent arrived torn, can I get a replacement?", "search")[0] == "chat"


def test_a_deadline_behind_a_question_of_delivery_is_service(vocab: Vocabulary) -> None:
    assert _plan(vocab, "how quick is delivery? i need boots before friday's hike", "search")[0] == "chat"


def test_an_order_announced_is_a_choice_made(vocab: Vocabulary) -> None:
    assert _plan(vocab, "great, i'll order the brisa boots now", "refine")[:2] == ("chat", {})


def test_what_about_a_kind_is_a_request_not_a_review() -> None:
    assert not cues.is_pasted_review("what about a tent? the pole on mine broke during the storm")


def test_changing_what_the_shopper_got_is_service(vocab: Vocabulary) -> None:
    assert cues.is_service_question("can we swap the tint we got for a darker one?")
    assert _plan(vocab, "can we swap the tint we got for a darker one?", "search")[0] == "chat"


def test_what_would_you_suggest_leaves_the_pick_to_the_shop() -> None:
    assert cues.wants_personal_pick("everything's run out at once. what could you suggest?")


def test_a_budget_with_a_plus_is_a_minimum() -> None:
    bounds = parse_bounds("happy to spend 150+ this time")
    assert (bounds.min_price, bounds.max_price) == (150.0, None)
    assert parse_bounds("moisturiser for 50+ skin types").min_price is None


def test_from_them_after_a_maker_is_the_maker(vocab: Vocabulary) -> None:
    assert _plan(vocab, "looking for brisa things, the old pair i had from them lasted years", "search")[:2] == (
        "search", {"brand": "Brisa", "query": "things old pair had lasted years"})


def test_last_after_didnt_is_the_verb(vocab: Vocabulary) -> None:
    assert parse_slots("pick a tent for me, the old one didnt last", vocab, 4).positions == []


def test_a_kind_said_with_a_or_after_the_shoppers_own_points_at_nothing_shown(vocab: Vocabulary) -> None:
    shown = [*SHOWN[:3], ShownProduct(position=4, id="VV0004", title="Velvo Midnight Orchid Lip Tint", brand="Velvo",
                                      price=14.0)]
    assert planned(vocab, "is there a midnight orchid tint in a bigger tube?", shown, "describe")[0] == "search"
    assert planned(vocab, "the midnight orchid tint, does it come bigger?", shown, "describe")[:2] == (
        "describe", {"item": 4})
    assert _plan(vocab, "is there a lip tint that won't flake like the one i just finished?", "search")[0] == "search"
