"""Shopper language the rule planner reads (branch lang24): a range in number words after a kind, "from <figure>" ending
a message, "less $$$", a shown product named after a bare "like", a product the shopper got said to be faulty, a
thing no title names asked for with a budget, "the rest", the kind named before "for" over one its use names, a
family of products ("camping gear", "saucepan"), and "in stock" asked of a shown maker's product. Every message here
is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, planned_on_shown
from tools.language import parse_bounds

_plan = planned_on_shown
_MORE = ([("Glowa", f"Glowa Cover Concealer {i}", "Concealers", "Shop > Makeup > Face > Concealers") for i in range(4)]
         + [("Lumo", f"Lumo Dark Circle Corrector Cream {i}", "Dark Circle Treatments",
             "Shop > Skin > Eyes > Dark Circle Treatments") for i in range(4)]
         + [("Lumo", f"Lumo Eye Gel {i}", "Eye Gels", "Shop > Skin > Eyes > Eye Gels") for i in range(3)]
         + [("Panna", f"Panna Nonstick Frying Pan {i}", "Frying Pans", "Shop > Kitchen > Cookware > Frying Pans")
            for i in range(4)]
         + [("Stryde", f"Stryde Road Shoe {i}", "Running Shoes", "Shop > Sports > Running > Running Shoes")
            for i in range(4)])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS + _MORE))


def test_a_range_in_number_words_after_a_kind_is_a_price_band(vocab: Vocabulary) -> None:
    slots = parse_slots("hiking boots thirty to fifty five", vocab)
    assert (slots.category, slots.min_price, slots.max_price) == ("Hiking Boots", 30.0, 55.0)
    assert parse_slots("a tent for two to four", vocab).min_price is None  # people, not dollars


@pytest.mark.parametrize(("said", "low"), [("a frying pan from 45", 45.0), ("tents from 120 please?", 120.0),
                                           ("a gift from 2019", None), ("from 2 sellers", None)])
def test_from_a_figure_ending_the_message_is_a_minimum(said: str, low: float | None) -> None:
    assert parse_bounds(said).min_price == low


def test_less_dollar_signs_is_cheaper(vocab: Vocabulary) -> None:
    assert _plan(vocab, "got anything less $$?", "refine")[:2] == ("refine", {"cheaper": True})


def test_a_shown_product_named_after_a_bare_like_is_similar(vocab: Vocabulary) -> None:
    assert _plan(vocab, "tents like the trail tent", "search")[:2] == ("similar", {"item": 1})
    assert _plan(vocab, "like velvo sheer but another brand", "search")[:2] == ("similar", {"item": 4})
    assert _plan(vocab, "i like velvo", "search")[0] != "similar"
    # what the named one is like is asked of it; a plural that is no kind before "like" gives examples
    assert _plan(vocab, "what does the trail tent feel like", "search")[0] == "describe"
    assert _plan(vocab, "does the velvo tint have additives like wax?", "search")[0] == "describe"


@pytest.mark.parametrize("message", ["the lip tint i got was broken, so annoyed", "the boots we ordered are damaged"])
def test_a_faulty_product_the_shopper_got_is_service(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[0] == "chat"


def test_a_thing_no_title_names_asked_with_a_budget_is_a_search(vocab: Vocabulary) -> None:
    assert _plan(vocab, "hammock under 70", "refine")[:2] == ("search", {"query": "hammock", "max_price": 70.0})
    assert _plan(vocab, "sorry under 70", "refine")[0] == "refine"  # a remark, no thing
    assert _plan(vocab, "under 70", "refine")[0] == "refine"


def test_the_rest_is_another_page(vocab: Vocabulary) -> None:
    assert _plan(vocab, "show the rest please", "similar")[:2] == ("refine", {})


def test_the_kind_before_for_is_asked_for_not_the_use(vocab: Vocabulary) -> None:
    assert parse_slots("a concealer for my dark circle problem", vocab).category == "Concealers"
    assert parse_slots("dark circle cream", vocab).category == "Dark Circle Treatments"
    # a state before "for" names no kind: the use's kind stands
    assert parse_slots("want to look awake for a dark circle cream", vocab).category == "Dark Circle Treatments"


def test_a_family_of_products_is_their_branch(vocab: Vocabulary) -> None:
    assert parse_slots("frying gear pls", vocab).category == "Cookware"
    assert parse_slots("a saucepan", vocab).category == "Cookware"
    assert parse_slots("a frying pan", vocab).category == "Frying Pans"
    # a family word away from the modifier, and a compound inside a long story, name no family
    assert parse_slots("a frying pan, the good stuff this time", vocab).category == "Frying Pans"
    assert parse_slots("my sister wants a new pan and her old one has a stuck saucepan lid", vocab).category != \
        "Cookware"


def test_in_stock_asked_of_a_shown_makers_product_is_about_it(vocab: Vocabulary) -> None:
    assert _plan(vocab, "velvo ones in stock in pink?", "refine")[:2] == ("describe", {"item": 4})
    assert _plan(vocab, "do you stock velvo?", "refine")[0] != "describe"
