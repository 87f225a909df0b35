"""Shopper language the rule planner reads (branch lang22): an ordinary word that is also a brand's name beside a kind
that brand makes none of, a shorter brand beside an ordinary-word one, a range after a brand and its words, the shop's
terms asked of an order (returnable, store credit, in time, expedite, prices to come), a price seen at another shop,
a reply's mark of one shown product ("(#2)", "in position 2"), "they"/"them" after a reply about one, "alternatives"
of the one talked about, a colour or a size asked of what is shown, paging and a pick left to the shop, a bound
beside a complaint, "which" after a reply marking two, a word made from an ordinary one ("pleaser") that is no
misspelt kind, and a kind asked of the maker talked about. Every message here is invented for the test (none comes
from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, exchange, planned_on_shown

_plan = planned_on_shown
_MORE = ([("Instead", f"Instead Soft Cup {i}", "Menstrual Cups", "Shop > Care > Menstrual Cups") for i in range(4)]
         + [("Zephra", f"Zephra Ionic Hair Dryer {i}", "Hair Dryers", "Shop > Hair > Hair Dryers") for i in range(5)]
         + [("Classic", f"Classic Nail Polish {i}", "Nail Polish", "Shop > Nails > Nail Polish") for i in range(3)]
         + [("Velvo", f"Velvo Body Lotion {i}", "Body Lotions", "Shop > Body > Body Lotions") for i in range(3)]
         + [("Dune", f"Dune Gentle Cleanser {i}", "Cleansers", "Shop > Face > Cleansers") for i in range(5)])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(FrameCatalog.of(ROWS + _MORE))


@pytest.mark.parametrize("message", ["a hair dryer so I can skip the salon instead",
                                     "instead of the salon blowout, a good hair dryer"])
def test_an_ordinary_word_beside_a_kind_its_brand_makes_none_of_is_the_word(vocab: Vocabulary, message: str) -> None:
    slots = parse_slots(message, vocab)
    assert (slots.brand, slots.category) == (None, "Hair Dryers")
    assert parse_slots("a menstrual cup by instead", vocab).brand == "Instead"  # marked: the brand


def test_a_shorter_brand_beside_an_ordinary_word_brand_is_named(vocab: Vocabulary) -> None:
    slots = parse_slots("velvo lip tint, classic pink", vocab)
    assert (slots.brand, slots.category) == ("Velvo", "Lip Tints")


def test_a_range_after_a_brand_and_its_words_is_a_price_band(vocab: Vocabulary) -> None:
    slots = parse_slots("brisa trail walkers 60-110", vocab)
    assert (slots.brand, slots.min_price, slots.max_price) == ("Brisa", 60.0, 110.0)
    assert parse_slots("brisa size 8-10", vocab).min_price is None  # a label's figures are no price


@pytest.mark.parametrize("message", ["are lip tints refundable once opened", "is store credit all i get back",
                                     "will the tent get here by saturday if i order tonight",
                                     "can you expedite mine", "will prices fall again after the weekend"])
def test_the_shops_terms_asked_of_an_order_are_service(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[0] == "chat"
    # a product and a price asked beside a delivery question is still a search
    assert _plan(vocab, "a tent under 150, will it come before friday", "search")[0] == "search"


def test_a_price_seen_at_another_shop_is_a_price_match(vocab: Vocabulary) -> None:
    said = exchange("the tent is cheaper on another site", "Send us the listing and we can match it.")
    assert _plan(vocab, "ok it was 99.50 at campco, link coming", "search", said)[0] == "chat"


@pytest.mark.parametrize("reply", ["Sure, the Velvo tint (#4) is sheer and glossy.",
                                   "That would be the lip tint in position 4."])
def test_a_question_about_it_after_a_reply_marking_one_is_about_that_one(vocab: Vocabulary, reply: str) -> None:
    said = exchange("what's the lowest priced here", reply)
    assert _plan(vocab, "is it vegan", "search", said)[:2] == ("describe", {"item": 4})
    assert _plan(vocab, "show me alternatives", "search", said)[:2] == ("similar", {"item": 4})


def test_them_after_a_reply_about_one_is_that_one(vocab: Vocabulary) -> None:
    said = exchange("say more on the tent", "The Camp Trail Tent sleeps two and packs small.")
    assert _plan(vocab, "can i pitch them alone", "search", said)[:2] == ("describe", {"item": 1})


@pytest.mark.parametrize("message", ["would they come in grey", "got these in a 9?", "is it available in red",
                                     "how about in teal"])
def test_a_colour_or_size_asked_of_what_is_shown_narrows_it(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search", exchange("boots", "Hiking boots, coming up."))[:2] == ("refine", {})


def test_paging_and_a_pick_left_to_the_shop(vocab: Vocabulary) -> None:
    assert _plan(vocab, "keep going", "chat")[:2] == ("refine", {})
    said = exchange("I got the tint last month and adore it", "So glad you like it!")
    assert _plan(vocab, "pick something else for me", "refine", said)[0] == "recommend"


def test_a_bound_beside_a_complaint_narrows_what_is_shown(vocab: Vocabulary) -> None:
    said = exchange("hiking boots", "Hiking boots, coming up.")
    assert _plan(vocab, "over 90 dollars, my cheap ones broke in a week", "chat", said)[:2] == (
        "refine", {"min_price": 90.0})


def test_which_after_a_reply_marking_two_sets_those_two_side_by_side(vocab: Vocabulary) -> None:
    said = exchange("present ideas for a cousin", "The tent (#1) or the Velvo tint (#4) would both go down well.")
    assert _plan(vocab, "so which would be the bigger people pleaser", "compare", said)[:2] == (
        "compare", {"items": [1, 4]})


def test_a_word_made_from_an_ordinary_one_is_no_misspelt_kind(vocab: Vocabulary) -> None:
    assert parse_slots("a real people pleaser", vocab).category is None
    assert parse_slots("a gentle clenser", vocab).category == "Cleansers"  # a slip of a kind is still that kind
    assert parse_slots("a gentle cleansr", vocab).category == "Cleansers"  # "cleans" with an ending: a kind starts so


def test_a_kind_asked_of_the_maker_talked_about_is_that_makers(vocab: Vocabulary) -> None:
    said = exchange("is the tint sheer", "Yes, the Velvo Sheer Lip Tint (#4) is very sheer.")
    action, args, _ = _plan(vocab, "does that brand make a body lotion as well?", "search", said)
    assert (action, args.get("brand"), args.get("category")) == ("search", "Velvo", "Body Lotions")
