"""Shopper language the rule planner reads (branch lang12): another page of the list asked for in a word; one of
two shown products picked by its price ("the cheaper of the two"); complaints, goods that came spoiled, a discount
asked for the shopper's standing and a place to go are no product searches; what shoppers call themselves is no
misspelt kind. Every message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agent.planners import cues
from agent.planners.rules import RulePlanner
from agent.planners.shown_refs import priced_pick
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    rows = ([("Velvo", f"Velvo Sheer Lip Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints") for i in range(6)]
            + [("Ozzie", f"Ozzie Spa Slipper {i}", "Spa Slippers", "Shop > Bath > Spa Slippers") for i in range(4)]
            + [("Camp", f"Camp Trail Tent {i}", "Tents", "Shop > Outdoors > Tents") for i in range(6)])
    return Vocabulary.from_catalog(FrameCatalog.of(rows))


def _decide(message: str, vocab: Vocabulary, shown: int = 4, vote: str = "similar") -> tuple[str, str | None]:
    return RulePlanner.decide(vote, message, parse_slots(message, vocab, shown), shown, {vote: 1.0})


@pytest.mark.parametrize("message", ["next", "next ones please", "show me more", "any others?", "ok more pls",
                                     "page 3", "load more results"])
def test_another_page_asked_in_a_word_narrows_nothing(vocab: Vocabulary, message: str) -> None:
    assert _decide(message, vocab) == ("refine", "another page")


@pytest.mark.parametrize("message", ["more like the third", "show me more tents", "next to the tent, a lamp?"])
def test_more_of_something_else_is_no_paging(vocab: Vocabulary, message: str) -> None:
    assert _decide(message, vocab)[1] != "another page"


_SHOWN = [SimpleNamespace(position=1, id="t1", price=120.0), SimpleNamespace(position=2, id="l1", price=9.0),
          SimpleNamespace(position=3, id="t2", price=95.0), SimpleNamespace(position=4, id="l2", price=14.0)]
_LEAF = {"t1": "Tents", "t2": "Tents", "l1": "Lip Tints", "l2": "Lip Tints"}


def _kinds(word: str) -> set[str]:
    return {"tent": {"Tents"}, "tents": {"Tents"}, "tints": {"Lip Tints"}}.get(word, set())


@pytest.mark.parametrize(("message", "positions"), [
    ("the cheaper of the two tents, is it waterproof?", [3]),
    ("the pricier of both tints - does it last?", [4]),
    ("the dearer of the 2 tents please", [1]),
    ("the cheaper of the two, any good?", []),  # four shown, no kind said: not two of them
    ("the cheapest of these", []),  # no number: the list ordered, not one picked
    ("which is the cheaper of the two tents", []),  # an order asked
])
def test_one_of_two_shown_products_picked_by_its_price(message: str, positions: list[int]) -> None:
    assert priced_pick(message, _SHOWN, _kinds, _LEAF.get) == positions


@pytest.mark.parametrize("message", ["I want to file a complaint, the tint I got was expired",
                                     "my lip tint showed up melted",
                                     "who do I complain to about a parcel that came crushed",
                                     "as a regular customer can I get a discount?",
                                     "any good burger joints near me?", "best spot for brunch around here"])
def test_complaints_standing_discounts_and_places_are_not_searches(vocab: Vocabulary, message: str) -> None:
    assert _decide(message, vocab, vote="search")[0] == "chat"


def test_what_shoppers_call_themselves_is_no_misspelt_kind(vocab: Vocabulary) -> None:
    assert parse_slots("long time shopper here, what would you pick for me", vocab, 0).category is None
    assert parse_slots("spa slipers", vocab, 0).category == "Spa Slippers"  # a real misspelling still respelt
    assert not cues.is_service_question("returning customer here, any picks?")
    assert cues.is_service_question("I'm returning a tent, how do I do it?")
