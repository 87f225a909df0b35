"""Shopper language the rule planner reads (branch lang23): an ordinal beside a month is a date, "the top one" and
"the bottom one", a shown product's likeness by the senses ("ones that smell like the <name>"), thanks that ask for
nothing, a product for a child, a brand said without its leading "The", a coined brand with a letter added, a
question after an exchange about the shop's service, a brand none shown said with a bound, "<brand> ones only", a
sale or the parcel's papers asked after, a treat for the shopper, a likeness to a product the shopper tells of, a
person's possessive before a part of the body, and "is it <use> only" asked of a product. Every message here is
invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.cues import for_a_child, is_thanks
from agent.planners.slots import parse_positions, parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, ShopWithLeaves, exchange, planned_on_shown

_plan = planned_on_shown
_MORE = ([("The Soft Comb", f"The Soft Comb Detangling Brush {i}", "Brushes", "Shop > Hair > Brushes")
          for i in range(4)]
         + [("Kettlewerk", f"Kettlewerk Gooseneck Kettle {i}", "Kettles", "Shop > Kitchen > Kettles") for i in range(4)]
         + [("Granny's", f"Granny's Oat Bar Soap {i}", "Soaps", "Shop > Bath > Soaps") for i in range(4)]
         + [("Auric", f"Auric Eau de Parfum {i}", "Women's", "Shop > Fragrance > Women's") for i in range(3)]
         + [("Auric", f"Auric Junior Body Mist {i}", "Children's", "Shop > Fragrance > Children's")
            for i in range(3)]
         + [("Rasko", f"Rasko Foot File {i}", "Foot Files", "Shop > Feet > Foot Files") for i in range(3)])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS + _MORE))


@pytest.mark.parametrize("said", ["are you open on dec 2nd", "can it arrive by the 3rd of june",
                                  "closed on january first?"])
def test_an_ordinal_beside_a_month_is_a_date_not_a_position(said: str) -> None:
    assert parse_positions(said, 4)[0] == []
    assert parse_positions("the 2nd one please", 4)[0] == [2]
    assert parse_positions("you may first want to check the size", 4)[0] == [1]  # "may" the verb: still an ordinal


def test_the_top_and_the_bottom_one_are_the_first_and_the_last_shown() -> None:
    assert parse_positions("one like the top one but lighter", 4)[0] == [1]
    assert parse_positions("tell me about the bottom one", 4)[0] == [4]
    assert parse_positions("a top one for the bottom drawer", 4)[0] == []


def test_a_shown_products_likeness_by_the_senses_is_similar(vocab: Vocabulary) -> None:
    assert _plan(vocab, "tints that smell like velvo sheer", "search")[:2] == ("similar", {"item": 4})
    # asked of the shown one, it is a question about it; with nothing shown named, a search by the words
    assert _plan(vocab, "does the velvo tint smell like cherries", "search")[0] == "describe"
    assert _plan(vocab, "a lip tint that tastes like cherries", "search")[0] == "search"


@pytest.mark.parametrize("message", ["thanks a ton, you rescued my anniversary", "cheers, she'll love it",
                                     "thx a million"])
def test_thanks_that_ask_for_nothing_are_chat(vocab: Vocabulary, message: str) -> None:
    assert is_thanks(message)
    assert _plan(vocab, message, "search")[0] == "chat"


@pytest.mark.parametrize("message", ["thanks, can you show me tents", "thanks! anything cheaper?",
                                     "thank you, what else goes with it"])
def test_thanks_beside_a_request_are_no_chat(message: str) -> None:
    assert not is_thanks(message)


def test_a_product_for_a_child_is_the_childrens_kind(vocab: Vocabulary) -> None:
    assert for_a_child("a scent for my 6 year old") and for_a_child("something for the kids")
    assert not for_a_child("a scent for my 16 year old")
    assert _plan(vocab, "a fragrance for a 8yo who loves flowers", "search")[1].get("category") == "Children's"
    assert _plan(vocab, "a fragrance for my mum", "search")[1].get("category") == "Women's"


def test_a_brand_said_without_its_leading_the_is_named(vocab: Vocabulary) -> None:
    assert parse_slots("soft comb detangling brush for curls", vocab).brand == "The Soft Comb"
    assert parse_slots("a soft comb for my fine hair", vocab).brand is None  # after "a": the words


def test_a_coined_brand_with_a_letter_added_is_named(vocab: Vocabulary) -> None:
    assert parse_slots("kettlewerks gooseneck", vocab).brand == "Kettlewerk"
    assert parse_slots("kettlewerke kettle", vocab).brand == "Kettlewerk"


def test_a_question_after_an_exchange_about_service_is_more_of_it(vocab: Vocabulary) -> None:
    talk = exchange("can you gift wrap an order for me", "Yes, gift wrapping can be added at checkout.")
    assert _plan(vocab, "what does that cost?", "refine", history=talk)[0] == "chat"
    assert _plan(vocab, "ok, a tent under 150", "search", history=talk)[0] == "search"
    products = exchange("a tent", "Here are some tents.")
    assert _plan(vocab, "what does that cost?", "describe", history=products)[0] != "chat"


def test_a_brand_none_shown_said_with_a_bound_is_a_search(vocab: Vocabulary) -> None:
    assert _plan(vocab, "kettlewerk under 60", "refine")[:2] == ("search", {"brand": "Kettlewerk",
                                                                             "max_price": 60.0})
    assert _plan(vocab, "brisa under 90", "refine")[0] == "refine"  # a shown maker: narrow what is shown
    assert _plan(vocab, "only kettlewerk under 60", "refine")[0] == "refine"  # "only": a narrowing asked


def test_a_brand_with_ones_only_narrows_what_is_shown(vocab: Vocabulary) -> None:
    talk = exchange("detangling brushes", "Here are some brushes.")
    assert _plan(vocab, "soft comb ones only", "recommend", history=talk)[:2] == ("refine",
                                                                                  {"brand": "The Soft Comb"})


@pytest.mark.parametrize("message", ["is there a winter sale on?", "my friend said 25% off everything this week",
                                     "no prices on the packing list please", "can i add a gift note"])
def test_a_sale_or_the_parcels_papers_asked_after_are_service(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[0] == "chat"


def test_a_treat_for_the_shopper_with_nothing_named_is_a_pick(vocab: Vocabulary) -> None:
    assert _plan(vocab, "got a voucher for my birthday, so what can i treat myself with", "chat")[0] == "recommend"
    assert _plan(vocab, "i want to treat myself to a tent", "recommend")[0] == "search"


def test_a_likeness_to_a_product_the_shopper_tells_of_is_a_search() -> None:
    vocab = Vocabulary.from_catalog(ShopWithLeaves(FrameCatalog.of(ROWS).frame()))
    assert vocab.leaf_of("BR0002") == "Hiking Boots"  # boots are shown: no "kind none shown" decides
    message = "my brother paid 300 for hiking boots last year, can i get something like that for 150 max"
    action, args, _ = _plan(vocab, message, "similar")
    assert (action, args["category"], args["max_price"]) == ("search", "Hiking Boots", 150.0)
    assert _plan(vocab, "something like the first one but under 80", "similar")[0] == "similar"


def test_a_persons_possessive_before_a_part_of_the_body_is_no_brand(vocab: Vocabulary) -> None:
    assert parse_slots("granny's feet are so rough", vocab).brand is None
    assert parse_slots("granny's oat soap", vocab).brand == "Granny's"


def test_a_use_asked_with_only_is_a_question_about_the_one_named(vocab: Vocabulary) -> None:
    assert _plan(vocab, "can the sheer lip tint go on my cheeks or is it lip only", "search")[:2] == (
        "describe", {"item": 4})
    assert _plan(vocab, "would the trail tent suit hiking or is it camping only", "search")[:2] == (
        "describe", {"item": 1})
    assert _plan(vocab, "brisa only", "search")[0] == "refine"


def test_stocking_fillers_are_small_presents_not_a_kind(vocab: Vocabulary) -> None:
    fillers = [("Plumpa", f"Plumpa Lip Fillers {i}", "Fillers", "Shop > Lips > Fillers") for i in range(3)]
    with_fillers = Vocabulary.from_catalog(FrameCatalog.of(ROWS + fillers))
    assert parse_slots("stocking fillers for my nieces", with_fillers).category is None
    assert parse_slots("plumpa lip fillers", with_fillers).category == "Fillers"


def test_only_in_a_story_beside_a_kind_by_its_titles_is_no_narrowing(vocab: Vocabulary) -> None:
    message = "my parents only ever use a gas stove. something to boil water fast, a gooseneck maybe, about $50"
    assert _plan(vocab, message, "search")[0] == "search"
    assert _plan(vocab, "just the brisa ones under 90", "search")[0] == "refine"


def test_who_asked_with_no_product_is_no_comparison(vocab: Vocabulary) -> None:
    assert _plan(vocab, "who do you reckon wins the derby on sunday", "compare")[0] == "chat"
    assert _plan(vocab, "who makes the lighter tent, camp or brisa", "compare")[0] != "chat"  # products named
