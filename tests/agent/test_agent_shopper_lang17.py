"""Shopper language the rule planner reads (branch lang17): what the last exchange lends a message ("same budget",
a figure corrected, "just them", the option a question offered), an offer of help that asks nothing, a brand said
before a kind it stocks or marked by "by", products picked by price without a superlative or two at a time, the
products a reply talked about set side by side, shop service words, a story's leaf named by one word yielding to
meaning, a branch's women's or men's part, and prices as they are spoken. Every message here is invented for the
test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.rules import _option_said, _options
from agent.planners.shown_refs import described_positions
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, exchange, planned, planned_on_shown
from tools.language import parse_bounds
from tools.language.numbers import words_to_digits


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS))


_plan, _exchange = planned_on_shown, exchange


def test_same_budget_keeps_the_last_searchs_bounds_for_a_new_kind(vocab: Vocabulary) -> None:
    tents = _exchange("a tent under 150", "Here are some tents under $150.")
    action, args, note = _plan(vocab, "actually hiking boots instead, same budget", "search", tents)
    assert (action, args.get("category"), args.get("max_price")) == ("search", "Hiking Boots", 150)
    assert note.startswith("rule: the last search kept")
    assert _plan(vocab, "actually hiking boots instead", "search", tents)[1].get("max_price") is None


def test_same_thing_from_another_brand_is_the_last_kind_from_that_brand() -> None:
    rows = [("Camp", f"Camp Trail Tent {i}", "Tents", "Shop > Outdoors > Tents") for i in range(4)] + [
        ("Alpa", f"Alpa Dome Tent {i}", "Tents", "Shop > Outdoors > Tents") for i in range(4)] + [
        ("Alpa", f"Alpa Summit Pack {i}", "Backpacks", "Shop > Outdoors > Backpacks") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    camp = _exchange("tents from camp", "Here are some Camp tents.")
    action, args, _ = planned(vocab, "hmm make it alpa, same thing", SHOWN, "refine", None, camp)
    assert (action, args.get("brand"), args.get("category")) == ("search", "Alpa", "Tents")
    unbranded = _exchange("a tent please", "Here are some tents.")  # nothing of another brand shown: a narrowing
    assert planned(vocab, "same thing but from alpa", SHOWN, "refine", None, unbranded)[:2] == (
        "refine", {"brand": "Alpa"})


def test_a_figure_of_the_last_search_corrected(vocab: Vocabulary) -> None:
    boots = _exchange("hiking boots under 90", "Here are some hiking boots under $90.")
    assert _plan(vocab, "sorry i meant 110 not 90", "search", boots)[:2] == ("refine", {"max_price": 110})
    assert _plan(vocab, "make it 70", "search", boots)[:2] == ("refine", {"max_price": 70})
    above = _exchange("tents over 100", "Here are some tents over $100.")
    assert _plan(vocab, "oh i meant 200", "refine", above)[:2] == ("refine", {"min_price": 200})


def test_a_figure_corrected_two_requests_after_it_was_said(vocab: Vocabulary) -> None:
    said = _exchange("a tent under 100", "Here are some tents under $100.") + _exchange(
        "hiking boots then, same budget", "Here are some hiking boots under $100.")  # the figure two turns back
    assert _plan(vocab, "sorry i meant 150 not 100", "search", said)[:2] == ("refine", {"max_price": 150})
    assert _plan(vocab, "sorry i meant 150 not 120", "search", said)[0] != "refine"  # no 120 was said


def test_just_them_is_the_brand_the_last_exchange_named(vocab: Vocabulary) -> None:
    talk = _exchange("is brisa any good?", "Brisa is well liked for its grip on wet rock.")
    assert _plan(vocab, "fine, only them please", "refine", talk)[:2] == ("refine", {"brand": "Brisa"})
    assert _plan(vocab, "fine, only them please", "refine")[:2] == ("refine", {})  # no brand talked about


def test_an_offer_of_help_asks_nothing_about_the_request(vocab: Vocabulary) -> None:
    offer = _exchange("i bought the camp tent in may", "Lovely! Anything else I can help with?")
    assert _plan(vocab, "what else would suit me then", "recommend", offer)[0] == "recommend"
    asked = _exchange("i'm after a tent", "How many people should it sleep?")
    assert _plan(vocab, "4 of us", "refine", asked)[1].get("category") == "Tents"


def test_a_brand_said_right_before_a_kind_it_stocks() -> None:
    rows = [("Kestrel Audio", f"Kestrel Audio Studio Headphones {i}", "Headphones", "Shop > Audio > Headphones")
            for i in range(4)] + [
        ("Hydrafy", f"Hydrafy Steel Bottle {i}", "Water Bottles", "Shop > Outdoors > Water Bottles") for i in range(4)
    ] + [("Bed Head", f"Bed Head Styling Cream {i}", "Styling Creams", "Shop > Hair > Styling > Styling Creams")
         for i in range(4)] + [
        ("Holdfast", f"Holdfast Firm Hair Spray {i}", "Hair Sprays", "Shop > Hair > Styling > Hair Sprays")
        for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert parse_slots("kestrel headphones for the office", vocab).brand == "Kestrel Audio"
    assert parse_slots("a hydrofy bottle for the gym", vocab).brand == "Hydrafy"  # a slip of one letter
    assert parse_slots("bed head hair spray", vocab).brand == "Bed Head"  # a maker of styling creams, beside it
    assert parse_slots("a kestrel feather print bottle", vocab).brand is None  # no kind the brand stocks after it
    assert parse_slots("hair spray for a bed head look", vocab).brand is None  # after "a": the ordinary words


def test_a_brand_marked_by_by_wins_over_an_ordinary_word_that_is_a_name() -> None:
    rows = [("Instead", f"Instead Lip Balm {i}", "Lip Balms", "Shop > Lips > Lip Balms") for i in range(4)] + [
        ("Dior", f"Dior Lip Oil {i}", "Lip Oils", "Shop > Lips > Lip Oils") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert parse_slots("any by dior instead", vocab).brand == "Dior"
    assert parse_slots("instead lip balm", vocab).brand == "Instead"


def test_shown_products_picked_by_price_two_at_a_time_or_without_a_superlative(vocab: Vocabulary) -> None:
    assert described_positions("the two cheapest, what sets them apart", SHOWN) == [3, 4]
    assert described_positions("the 2 most expensive ones", SHOWN) == [1, 2]
    assert described_positions("more like that cheap one", SHOWN) == [4]
    assert described_positions("is the pricey one waterproof", SHOWN) == [1]
    assert _plan(vocab, "the two cheapest - how do they differ", "refine")[:2] == ("compare", {"items": [3, 4]})


def test_which_is_better_after_a_reply_about_two_shown(vocab: Vocabulary) -> None:
    talk = _exchange("how do the two boots differ", "The Brisa Ridge Hiking Boot 2 - Grey is $94.50 and the Brisa "
                                                    "Ridge Hiking Boot 3 - Sand is $89.")
    assert _plan(vocab, "and which has the better grip", "compare", talk)[:2] == ("compare", {"items": [2, 3]})
    assert _plan(vocab, "and which has the better grip", "compare")[1].get("items") != [2, 3]


@pytest.mark.parametrize(("message", "service"), [
    ("is postage free if i spend more", True), ("will customs hold it at the border", True),
    ("any import duties to canada", True), ("a custom fit hiking boot", False),
])
def test_postage_and_customs_are_shop_service(message: str, service: bool) -> None:
    assert cues.is_service_question(message) is service


@pytest.mark.parametrize("message", ["show me a few more", "a couple more please", "got a few more?"])
def test_a_few_more_is_another_page(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "similar")[:2] == ("refine", {})


def test_a_storys_leaf_named_by_one_word_yields_to_a_leaf_far_nearer_in_meaning(vocab: Vocabulary) -> None:
    toy = ToyEmbedder({"tents": 0, "tints": 1, "lip": 1, "boots": 2, "feet": 2, "bruised": 2})
    story = "the tent pegs bruised my feet on the long climb"  # "tent" names Tents; the story is of feet
    assert _plan(vocab, story, "search")[1].get("category") == "Tents"  # no meaning to read
    assert _plan(vocab, story, "search", embedder=toy)[1].get("category") == "Hiking Boots"
    assert _plan(vocab, "tent for bruised feet", "search", embedder=toy)[1].get("category") == "Tents"  # no story


def test_a_branchs_womens_or_mens_part_for_whom_it_is() -> None:
    rows = [("Aura", f"Aura Rose Eau de Parfum {i}", "Eau de Parfum", "Shop > Fragrance > Women's > Eau de Parfum")
            for i in range(4)] + [
        ("Aura", f"Aura Cedar Cologne {i}", "Cologne", "Shop > Fragrance > Men's > Cologne") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert vocab.gendered("Fragrance", "a fragrance for my wife") == "Women's"
    assert vocab.gendered("Fragrance", "something for my dad") == "Men's"
    assert vocab.gendered("Fragrance", "for my mum and dad") == "Fragrance"  # both: no side taken
    assert vocab.gendered("Cologne", "a cologne for her") == "Cologne"  # a leaf stays


def _option_chosen(question: str, answer: str) -> str | None:
    options = _options(question)
    index = _option_said(options, answer) if options else None
    return None if index is None or options is None else options[index]


def test_the_option_a_question_offered_that_the_answer_picks() -> None:
    assert _option_chosen("A makeup brush or a hairbrush?", "hair, for getting tangles out") == "hairbrush"
    assert _option_chosen("Do you want a dome tent or a tunnel tent, and for how many?", "the tunnel sort") == \
        "tunnel tent"
    assert _option_chosen("A makeup brush or a hairbrush?", "a makeup one") == "makeup brush"
    assert _option_chosen("A makeup brush or a hairbrush?", "not sure yet") is None
    assert _option_chosen("What is your budget?", "about 40") is None


@pytest.mark.parametrize(("said", "digits"), [
    ("between eighty and one-fifty", "between 80 and 150"), ("under twenty nine ninety nine", "under 29.99"),
    ("nineteen fifty or less", "19.50 or less"), ("sixty seventy bucks", "60 70 bucks"),
    ("the first one fifty", "the first 1 50"),
])
def test_prices_as_they_are_spoken(said: str, digits: str) -> None:
    assert words_to_digits(said) == digits


def test_a_spoken_range_is_read_as_bounds() -> None:
    bounds = parse_bounds("boots between eighty and one-fifty")
    assert (bounds.min_price, bounds.max_price) == (80, 150)
