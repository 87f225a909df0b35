"""Shopper language the rule planner reads (branch lang20): a story around a brand none shown carries with no list
before it (the shopper's own product, to buy again), the maker "they" points back at, a variant asked with "any",
a shown product named by its place alone, kinds ruled out with "not", a replacement told beside a breakage, noise
cancelling as a feature, and the parser's "till" ranges, misspelt dollars and sums in other countries' money. Every
message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, exchange, planned, planned_on_shown
from tools.language import parse_bounds

_plan = planned_on_shown
# the same four products on screen, none of them by Brisa
_NO_BRISA = [p.model_copy(update={"brand": "Velvo"}) if p.brand == "Brisa" else p for p in SHOWN]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS))


def test_a_story_around_a_brand_none_shown_is_a_search_for_it(vocab: Vocabulary) -> None:
    story = "my brisa hiking boots finally split after six winters, want brisa again"
    assert planned(vocab, story, _NO_BRISA, "refine")[0] == "search"
    assert planned(vocab, story, _NO_BRISA, "refine")[1]["brand"] == "Brisa"
    assert planned(vocab, "only brisa please", _NO_BRISA, "refine")[0] == "refine"  # a narrowing word
    assert planned(vocab, "these from brisa, the ones for winter", _NO_BRISA, "refine")[0] == "refine"  # pointed at


@pytest.mark.parametrize("message", ["do they make lip tints as well?", "anything by them in lip tints"])
def test_they_are_the_maker_the_last_exchange_named(vocab: Vocabulary, message: str) -> None:
    talk = exchange("camp tents please", "Here are some Camp tents.")
    action, args, _ = _plan(vocab, message, "search", talk)
    assert (action, args.get("brand"), args.get("category")) == ("search", "Camp", "Lip Tints")
    assert _plan(vocab, message, "search")[1].get("brand") is None  # no maker named before


@pytest.mark.parametrize("message", ["any in olive colour?", "any with more green shades?", "ones in red?"])
def test_a_variant_asked_with_any_narrows_what_is_shown(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[:2] == ("refine", {})


@pytest.mark.parametrize(("message", "expected"), [
    ("is 3 any good on wet rock?", ("describe", {"item": 3})),
    ("like 2 but in a lighter colour", ("similar", {"item": 2})),
])
def test_a_shown_product_named_by_its_place_alone(vocab: Vocabulary, message: str, expected: tuple) -> None:
    vote = expected[0]
    assert _plan(vocab, message, vote)[:2] == expected


def test_a_kind_ruled_out_with_not_names_no_kind(vocab: Vocabulary) -> None:
    assert _plan(vocab, "a lip tint, not a tent", "search")[1].get("category") == "Lip Tints"


def test_a_replacement_told_beside_a_breakage_is_a_request(vocab: Vocabulary) -> None:
    assert not cues.is_pasted_review("the dog broke my old lantern on the porch last night, need a new one")
    assert cues.is_pasted_review("the zip broke after two trips and the seams leak, never again")


def test_noise_cancelling_is_a_feature_not_an_order_cancelled() -> None:
    assert not cues.is_service_question("headphones with noise cancel for the train, under 90")
    assert cues.is_service_question("how do I cancel the order I placed this morning")


@pytest.mark.parametrize(("said", "low", "high"), [
    ("a lantern 30 till 45 $", 30, 45), ("from 25 to 40 dlls", 25, 40), ("tent 90-150 dolars", 90, 150),
    ("max 900 rupees, which is 11 dollars", None, 11), ("under 400 pesos", None, None),
    ("under 50 real quick please", None, 50),
])
def test_ranges_misspelt_dollars_and_other_money(said: str, low: float | None, high: float | None) -> None:
    bounds = parse_bounds(said)
    assert (bounds.min_price, bounds.max_price) == (low, high)


def test_an_occasion_beside_a_bound_on_the_shown_ones_is_its_reason(vocab: Vocabulary) -> None:
    talk = exchange("a lip tint for my sister", "Here are some lip tints.")
    assert _plan(vocab, "pricier ones, over 20, it's her birthday", "search", talk)[:2] == (
        "refine", {"min_price": 20.0})
    assert _plan(vocab, "a birthday present under 20", "refine")[0] == "search"
