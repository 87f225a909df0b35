"""Shopper language the rule planner reads (branch lang21): an order's code given when asked for, another colour or
size asked, an ordinal answer to a listed question, two shown kinds asked "which", a word the titles use heard as no
brand, a brand's leaf and a line's leaf by the titles, a need told that the vote reads as a pick, a question opened
with "ok", a likeness after "anything else", "that one" after a reply that answered "which", an ordinal after a
possessive, and an answer's kind under the branch it answers. Every message here is invented for the test (none
comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, exchange, planned, planned_on_shown

_plan = planned_on_shown
_MORE = ([("Sola", f"Sola Salt Scrub {i}", "Body Scrubs", "Shop > Body > Body Scrubs") for i in range(3)]
         + [("Sola", "Sola Hand Balm", "Hand Balms", "Shop > Body > Hand Balms")]
         + [("Dune", f"Dune Face Scrub {i}", "Scrubs", "Shop > Face > Scrubs") for i in range(4)]
         + [("Mira", f"Mira Midnight Orchid Eau de Parfum {i}", "Eau de Parfum", "Shop > Scent > Eau de Parfum")
            for i in range(2)]
         + [("Mira", f"Mira Soft Lip Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints") for i in range(3)]
         + [("Dune", f"Dune Body Lotion {i}", "Body Lotions", "Shop > Body > Body Lotions") for i in range(3)]
         + [("Dune", f"Dune Face Lotion {i}", "Face Lotions", "Shop > Face > Face Lotions") for i in range(3)]
         + [("Brolo", f"Brolo Eyebrow Pencil {i}", "Brow Pencils", "Shop > Eyes > Brow Pencils") for i in range(12)]
         + [("Eyebrowz", "Eyebrowz Stencil Kit", "Brow Stencils", "Shop > Eyes > Brow Stencils")])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS + _MORE))


@pytest.mark.parametrize("message", ["QX-77120, it came on the 5th", "#48812", "its 55231 i think"])
def test_an_order_code_given_when_asked_for_is_service(vocab: Vocabulary, message: str) -> None:
    asked = exchange("my parcel never came", "Sorry about that! What is your order number?")
    assert _plan(vocab, message, "describe", asked)[0] == "chat"
    assert _plan(vocab, "the 2nd one", "describe", exchange("tents", "Which one do you like?"))[0] == "describe"


@pytest.mark.parametrize("message", ["other shades?", "maybe in a paler tone",
                                     "do they come in other sizes"])
def test_another_colour_or_size_asked_narrows_what_is_shown(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "similar")[:2] == ("refine", {})
    assert _plan(vocab, "does the first one come in other shades?", "describe")[:2] == ("describe", {"item": 1})


@pytest.mark.parametrize(("answer", "leaf"), [("the last one, for the beach", "Tents"),
                                              ("second one please", "Hiking Boots"),
                                              ("first one under 20", "Lip Tints")])
def test_an_ordinal_answer_picks_the_option_the_question_listed(vocab: Vocabulary, answer: str, leaf: str) -> None:
    asked = exchange("something for a weekend away", "Are you after a lip tint, hiking boots or a tent?")
    action, args, _ = _plan(vocab, answer, "describe", asked)
    assert (action, args.get("category")) == ("search", leaf)


def test_two_shown_kinds_asked_which_are_set_side_by_side(vocab: Vocabulary) -> None:
    message = "lip tint or a tent for my brother, which would he use more"
    assert _plan(vocab, message, "search")[:2] == ("compare", {"items": [4, 1]})
    assert _plan(vocab, "which tents do you have", "search")[0] == "search"  # one kind: no pair named
    assert _plan(vocab, "the two boots, differences?", "search")[:2] == ("compare", {"items": [2, 3]})


def test_a_word_the_titles_use_is_no_brand_heard_by_its_sound(vocab: Vocabulary) -> None:
    assert vocab.find_brand("eyebrows so sparse lately") is None
    assert vocab.find_brand("the eyebrowz stencil") == "Eyebrowz"


def test_a_brand_and_a_line_find_the_leaf_their_titles_are_filed_under(vocab: Vocabulary) -> None:
    assert _plan(vocab, "sola salt scrub", "search")[1].get("category") == "Body Scrubs"  # not the face Scrubs
    assert _plan(vocab, "mira midnight orchid", "search")[1].get("category") == "Eau de Parfum"
    assert _plan(vocab, "mira please", "search")[1].get("category") is None  # a brand alone names no leaf


def test_a_need_told_that_the_vote_reads_as_a_pick_is_a_search_for_its_leaf(vocab: Vocabulary) -> None:
    meaning = {"camping": 0, "tents": 0, "sleep": 0, "lips": 1, "tints": 1, "lip": 1}
    toy = ToyEmbedder(meaning)
    need = "off camping next week and nowhere to sleep"
    action, args, _ = planned(vocab, need, [], "recommend", toy)
    assert (action, args.get("category")) == ("search", "Tents")
    assert planned(vocab, "dealer's choice, pick anything for me", [], "recommend", toy)[0] == "recommend"
    assert planned(vocab, "what goes with the stuff i usually buy for camping", [], "recommend", toy)[0] == "recommend"


def test_a_question_opened_with_ok_is_a_question(vocab: Vocabulary) -> None:
    talk = exchange("which boot is cheaper", "The Brisa Ridge 3 is $89.00 and the Brisa Ridge 2 is $94.50.")
    assert _plan(vocab, "ok does the lower priced pair run wide", "refine", talk)[:2] == ("describe", {"item": 3})


def test_a_likeness_after_anything_else_is_no_other_page(vocab: Vocabulary) -> None:
    talk = exchange("is the velvo tint sheer", "Yes, the Velvo Sheer Lip Tint 4 is sheer.")
    assert _plan(vocab, "nice, anything else in that style", "refine", talk)[:2] == ("similar", {"item": 4})
    assert _plan(vocab, "anything else?", "refine")[0] == "refine"  # with no likeness: another page


def test_that_one_after_a_reply_answering_which_is_the_one_it_named_first(vocab: Vocabulary) -> None:
    talk = exchange("which of them is lighter?", "The Velvo is far lighter than the Camp.")
    assert _plan(vocab, "sure, similar ones to that one", "similar", talk)[:2] == ("similar", {"item": 4})
    talk = exchange("are they light?", "The Velvo is far lighter than the Camp.")  # no "which" answered: no pick
    assert _plan(vocab, "sure, similar ones to that one", "similar", talk)[1].get("item") is None


def test_an_ordinal_after_a_possessive_names_no_position(vocab: Vocabulary) -> None:
    message = "taking the kids on their first camping trip, what should we pack? we own nothing"
    assert _plan(vocab, message, "search")[1].get("item") is None
    assert _plan(vocab, "is the first one any good", "describe")[:2] == ("describe", {"item": 1})


def test_an_answer_names_a_kind_under_the_branch_it_answers(vocab: Vocabulary) -> None:
    asked = exchange("i need a lotion", "Face or body lotion?")
    assert _plan(vocab, "body. no perfume pls", "search", asked)[1].get("category") == "Body Lotions"
    asked = exchange("body stuff", "Are you after lotions, balms or scrubs?")
    assert _plan(vocab, "scrubs, a salt scrub", "search", asked)[1].get("category") == "Body Scrubs"
