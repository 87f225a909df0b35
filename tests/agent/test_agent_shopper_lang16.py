"""Shopper language the rule planner reads (branch lang16): the product the last exchange was about and the last
search carried into the next message; money-shaped figures and ages name no position; a price bound beside a shown
title's words is a search; "in" is inches only before a measure; differences and products pointed at by price are no
bounds; the cheapest and the priciest set side by side; a whole figure names the price it rounds to; a longer brand
said around a shorter one with a letter slipped; a story's one-word leaf yields to a leaf far nearer in meaning. Every
message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import ShownProduct
from agent.planners.shown_refs import described_positions
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, exchange, planned_on_shown
from tools.language import parse_bounds


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS))


_plan, _exchange = planned_on_shown, exchange


@pytest.mark.parametrize(("message", "high"), [
    ("got any below 70 in there", 70), ("under 40 in black", 40), ("a 15 in screen under 300", 300),
    ("12 in x 8 in tray under 30", 30), ("a pan under 10 in", None),
])
def test_in_after_a_figure_is_inches_only_before_a_measure(message: str, high: float | None) -> None:
    assert parse_bounds(message).max_price == high


@pytest.mark.parametrize("message", ["is it worth an extra $15 over the plain one", "how long does the $12 tube last"])
def test_a_difference_or_a_product_pointed_at_by_price_is_no_bound(message: str) -> None:
    bounds = parse_bounds(message)
    assert (bounds.min_price, bounds.max_price) == (None, None)
    assert parse_bounds("keep it under the $50 limit").max_price == 50


@pytest.mark.parametrize(("message", "positions"), [
    ("tents up to 2.5k", []), ("boots, $3 off would be nice", []), ("for twins aged 3 and 9", []),
    ("a first interview on monday, boots please", []), ("compare 1 and 2 under 50", [1, 2]), ("2 or 3?", [2, 3]),
])
def test_money_ages_and_firsts_of_a_life_name_no_position(vocab: Vocabulary, message: str,
                                                          positions: list[int]) -> None:
    assert parse_slots(message, vocab, 4).positions == positions


def test_for_the_right_pair_is_no_side(vocab: Vocabulary) -> None:
    assert described_positions("happy to pay more for the right pair", SHOWN) == []
    assert described_positions("the right pair please", SHOWN) == [4]


def test_a_price_bound_beside_a_shown_titles_words_is_a_search(vocab: Vocabulary) -> None:
    action, args, _ = _plan(vocab, "ridge hiking boot, can go up to 150", "describe")
    assert action == "search" and "item" not in args and args["max_price"] == 150


def test_the_cheapest_and_the_priciest_side_by_side() -> None:
    assert described_positions("the cheapest one vs the priciest", SHOWN) == [4, 1]
    assert described_positions("show me the priciest", SHOWN) == []  # an order asked, no pick


def test_a_whole_figure_names_the_price_it_rounds_to() -> None:
    shown = [ShownProduct(position=1, id="X1", title="Rose Water Mist", brand="Bloom", price=31.86),
             ShownProduct(position=2, id="X2", title="Oud Mist", brand="Bloom", price=44.0)]
    assert described_positions("is the $32 one travel size", shown) == [1]
    assert described_positions("is the $31 one travel size", shown) == [1]  # cents left off


def test_a_longer_brand_said_around_a_shorter_one_with_a_letter_slipped() -> None:
    rows = [("Glow", f"Glow Face Oil {i}", "Oils", "Shop > Face > Oils") for i in range(4)] + [
        ("Nina's Glow", f"Nina's Glow Body Lotion {i}", "Lotions", "Shop > Body > Lotions") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert vocab.find_brand("nina glow body lotion") == "Nina's Glow"
    assert vocab.find_brand("glow face oil") == "Glow"


def test_it_is_the_product_the_last_exchange_was_about(vocab: Vocabulary) -> None:
    about_tent = _exchange("does the tent pitch fast?", "It goes up in about five minutes.")
    assert _plan(vocab, "more in that vein?", "similar", about_tent)[:2] == ("similar", {"item": 1})
    about_camp = _exchange("tell me about the camp tent", "The Camp Trail Tent sleeps two.")
    assert _plan(vocab, "how does it measure up against the velvo", "compare", about_camp)[:2] == (
        "compare", {"items": [1, 4]})
    assert _plan(vocab, "more in that vein?", "similar")[1].get("item") is None  # nothing talked about


def test_an_answer_picks_the_product_asked_about(vocab: Vocabulary) -> None:
    which = _exchange("tell me about the boots", "Which do you mean - the grey or the sand?")
    assert _plan(vocab, "the sand ones", "refine", which)[:2] == ("describe", {"item": 3})


def test_a_message_that_turns_the_last_search(vocab: Vocabulary) -> None:
    tents = _exchange("a tent for two", "Here are some tents for two.")
    action, args, note = _plan(vocab, "what about for my dad", "recommend", tents)
    assert (action, args.get("category"), note.startswith("rule: the last search turned elsewhere")) == (
        "search", "Tents", True)
    assert _plan(vocab, "hold on, it has to sleep five", "search", tents)[1].get("category") == "Tents"
    assert _plan(vocab, "actually cap it at 90", "refine", tents)[:2] == ("refine", {"max_price": 90})
    assert _plan(vocab, "what about for my dad", "recommend")[0] == "recommend"  # no search before it


def test_one_shown_named_by_its_own_word_with_a_likeness_asked(vocab: Vocabulary) -> None:
    assert _plan(vocab, "i adore sheer, show me more in that style", "search")[:2] == ("similar", {"item": 4})
    assert _plan(vocab, "i adore sheer", "search")[0] != "similar"


def test_a_storys_one_word_leaf_yields_to_a_leaf_far_nearer_in_meaning(vocab: Vocabulary) -> None:
    toy = ToyEmbedder({"tents": 0, "tints": 1, "lip": 1, "boots": 2, "blisters": 2})
    story = "a sheer drop on the ridge gave my feet blisters"  # "sheer": a lip tint's title word
    assert _plan(vocab, story, "search")[1].get("category") == "Lip Tints"  # by the titles alone
    assert _plan(vocab, story, "search", embedder=toy)[1].get("category") == "Hiking Boots"
    short = "sheer ridge drop blisters"  # under five words: no story, the titles' leaf stands
    assert _plan(vocab, short, "search", embedder=toy)[1].get("category") == "Lip Tints"
