"""Shopper language the rule planner reads (branch lang19): the products the assistant's last reply was about ("the
Trail Tent (1) sleeps four" and then "more along those lines"), a brand said after a reply about products on screen,
the brand "same brand" and "their" point back at, an answer read with everything asked before it, an option of the
assistant's question picked by a phrase or by meaning, a present for someone else, and "limit is 30". Every message
here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.rules import RulePlanner, _option_said, _options
from agent.planners.shown_refs import reply_positions
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, Vote, exchange, planned_on_shown
from tools.language import parse_bounds

_plan = planned_on_shown


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS))


@pytest.mark.parametrize(("reply", "positions"), [
    ("Both are good; the sand one (3) is lighter than the grey (2).", [3, 2]),
    ("The Velvo tint is sheer and glossy.", [4]),  # by brand
    ("Brisa boots grip well on wet rock.", [2, 3]),
    ("Here you go (7).", []),  # no such place on screen
])
def test_the_products_a_reply_was_about(reply: str, positions: list[int]) -> None:
    assert reply_positions(exchange("which one?", reply), SHOWN) == positions


def test_likeness_with_no_position_is_of_the_one_the_reply_was_about(vocab: Vocabulary) -> None:
    talk = exchange("which tent is roomiest?", "The Camp Trail Tent (1) sleeps four.")
    assert _plan(vocab, "more along those lines", "similar", talk)[:2] == ("similar", {"item": 1})
    assert _plan(vocab, "more along those lines", "similar")[:2] == ("similar", {})  # nothing talked about


def test_a_bare_question_after_a_reply_about_one_is_about_it(vocab: Vocabulary) -> None:
    talk = exchange("something for chapped lips", "The Velvo Sheer Lip Tint (4) has shea butter, $14.")
    assert _plan(vocab, "how often do I reapply", "search", talk)[:2] == ("describe", {"item": 4})
    assert _plan(vocab, "how often do I reapply", "search")[0] == "search"


def test_the_two_the_reply_named_are_set_side_by_side(vocab: Vocabulary) -> None:
    talk = exchange("boots for wet trails", "Two picks: the grey pair (2, $94.50) and the sand pair (3, $89).")
    assert _plan(vocab, "which of the two grips better", "compare", talk)[:2] == ("compare", {"items": [2, 3]})


def test_a_brand_said_after_a_reply_about_shown_products_narrows_them(vocab: Vocabulary) -> None:
    talk = exchange("only camp", "Here's the Camp Trail Tent, $120.")
    assert _plan(vocab, "oh sorry, I meant brisa", "search", talk)[:2] == ("refine", {"brand": "Brisa"})
    assert _plan(vocab, "anything from brisa", "search")[0] == "search"  # nothing talked about: their range


@pytest.mark.parametrize("message", ["same brand but under 100", "any of their cheaper models under 100"])
def test_same_brand_and_their_are_the_brand_of_the_last_exchange(vocab: Vocabulary, message: str) -> None:
    talk = exchange("camp tents", "Here's the Camp Trail Tent 1 at $120.")
    assert _plan(vocab, message, "refine", talk)[:2] == ("refine", {"brand": "Camp", "max_price": 100.0})


def test_an_answer_is_read_with_everything_asked_before_it(vocab: Vocabulary) -> None:
    talk = exchange("i need a tent", "Happy to help! How many will sleep in it?") + exchange(
        "four of us", "Great. Any budget in mind?")
    action, args, _ = _plan(vocab, "no more than 200", "refine", talk)
    assert (action, args.get("category"), args.get("max_price")) == ("search", "Tents", 200.0)


def test_a_brand_said_in_an_answer_replaces_the_one_asked_about(vocab: Vocabulary) -> None:
    talk = exchange("camp tents", "Camp has the Trail range. Will you camp in winter?")
    action, args, _ = _plan(vocab, "hmm, show me brisa instead", "search", talk)
    assert (action, args.get("brand")) == ("search", "Brisa")


def test_an_option_is_picked_by_its_words_in_a_row() -> None:
    options = _options("Got it. Over-ear or in-ear?")
    assert options == ("over ear", "in ear")
    assert _option_said(options, "in ear, they're for running") == 1
    assert _option_said(options, "ear ones") is None  # a word both options share picks neither


def test_an_option_is_picked_by_meaning_when_words_do_not(vocab: Vocabulary) -> None:
    meaning = ToyEmbedder({"tent": 0, "sleep": 0, "boots": 1, "walk": 1, "something": 2})
    planner = RulePlanner(vocab, index=Vote("search", meaning))  # type: ignore[arg-type]
    assert planner._option_chosen("A tent or boots?", "something to sleep under") == ("tent", "boots")
    assert planner._option_chosen("Lips, tents or boots?", "something to sleep under") is None  # one of many


def test_a_present_for_someone_else_is_no_personal_pick(vocab: Vocabulary) -> None:
    assert cues.for_someone_else("what should I get a friend who just took up climbing")
    assert not cues.for_someone_else("what should I get?")
    assert _plan(vocab, "what should I get my nephew who loves camping", "recommend")[0] == "search"
    assert _plan(vocab, "what should I get?", "recommend")[0] == "recommend"


@pytest.mark.parametrize(("said", "high"), [("office gift swap, limit is 30", 30.0), ("limit 45 please", 45.0),
                                            ("the speed limit is 30 mph", None)])
def test_a_limit_is_the_most_to_spend(said: str, high: float | None) -> None:
    assert parse_bounds(said).max_price == high
