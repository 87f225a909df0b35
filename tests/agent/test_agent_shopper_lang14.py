"""Shopper language the rule planner reads (branch lang14): brands typed with a letter slipped in a longer name
("sally hanson") or shared by two spellings of one maker; "what do you have from X" browses the maker; a question
asked of the one shown product of a brand without a question mark; "dollar sign sixty"; a price difference is no
bound; "which <kind>" sets the shown ones of that kind side by side; the basket, music and "show me something cool"
are no searches; a need told without the shop's words finds its leaf by meaning. Every message here is invented for
the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.shown_refs import kind_positions
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, planned
from tools.language import parse_bounds


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    rows = ROWS + [("Velvo Studio", f"Velvo Studio Matte Lip Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints")
                   for i in range(3)] + [
        ("Marla Quinn", f"Marla Quinn Bloom Eau de Parfum {i}", "Eau de Parfum", "Shop > Fragrance > Eau de Parfum")
        for i in range(4)] + [
        ("Marla Quin", f"Marla Quinn Dusk Eau de Parfum {i}", "Eau de Parfum", "Shop > Fragrance > Eau de Parfum")
        for i in range(6)]
    return Vocabulary.from_catalog(FrameCatalog.of(rows))


def _plan(vocab: Vocabulary, message: str, vote: str = "search", embedder: object | None = None
          ) -> tuple[str, dict[str, object], str]:
    return planned(vocab, message, SHOWN, vote, embedder)


# --- brands ---
def test_a_longer_brand_typed_with_a_letter_slipped_wins_over_its_first_word(vocab: Vocabulary) -> None:
    assert parse_slots("velvo studoi lip tint", vocab, 0).brand == "Velvo Studio"
    assert parse_slots("velvo lip tint", vocab, 0).brand == "Velvo"  # the short name said alone stays itself


def test_two_spellings_of_one_maker_share_its_titles(vocab: Vocabulary) -> None:
    # "Marla Quinn" titles are mostly sold under "Marla Quin": still that maker's name, not an ordinary phrase
    assert vocab.brand_evidenced("Marla Quinn", "marla quinn dusk perfume")


def test_what_the_shop_has_from_a_maker_is_a_browse(vocab: Vocabulary) -> None:
    assert _plan(vocab, "what do you have from Camp", "refine")[:2] == ("search", {"brand": "Camp"})
    assert _plan(vocab, "from Camp", "refine")[0] == "refine"  # what is shown, narrowed to that maker


def test_a_question_asked_of_the_one_shown_product_of_a_brand(vocab: Vocabulary) -> None:
    assert _plan(vocab, "does camp tent come with stakes", "search")[:2] == ("describe", {"item": 1})
    assert _plan(vocab, "can you narrow it to camp", "describe")[0] == "refine"  # asked of the shop, not the tent
    assert _plan(vocab, "do you have camp tents", "search")[0] == "search"


# --- prices ---
def test_a_spoken_dollar_sign_and_a_difference_in_price() -> None:
    bounds = parse_bounds("hiking boots under dollar sign seventy")
    assert (bounds.min_price, bounds.max_price) == (None, 70)
    assert parse_bounds("is the grey pair worth 6 bucks more than the sand pair").max_price is None
    assert parse_bounds("a tent 30 dollars cheaper?").max_price is None


def test_which_kind_sets_the_shown_ones_of_that_kind_side_by_side(vocab: Vocabulary) -> None:
    leaves = {"CT0001": "Tents", "BR0002": "Hiking Boots", "BR0003": "Hiking Boots", "VV0004": "Lip Tints"}
    kinds = {"boots": {"Hiking Boots"}}
    assert kind_positions("which boots are lighter", SHOWN, lambda w: kinds.get(w, set()), leaves.get) == [2, 3]
    assert kind_positions("boots that are lighter", SHOWN, lambda w: kinds.get(w, set()), leaves.get) == []
    assert _plan(vocab, "is the grey pair worth 6 bucks more than the sand pair", "refine")[:2] == (
        "compare", {"items": [2, 3]})


# --- no searches ---
@pytest.mark.parametrize("message", ["pop the tent in my basket", "add both boots to the cart please"])
def test_the_basket_is_the_shops(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[0] == "chat"


def test_music_and_being_shown_something(vocab: Vocabulary) -> None:
    assert cues.is_off_topic("put on some hiking tunes")
    assert not cues.is_off_topic("a speaker that can play music")
    assert cues.wants_personal_pick("so bored, show me something fun")
    assert not cues.wants_personal_pick("show me something fun for a toddler's bath")


# --- a kind by meaning ---
_MEANING = {"tents": 0, "shelter": 0, "rain": 0, "tints": 1, "lip": 1, "chapped": 1, "boots": 2, "hiking": 2}


def test_a_need_without_the_shops_words_finds_its_leaf_by_meaning(vocab: Vocabulary) -> None:
    toy = ToyEmbedder(_MEANING)
    action, args, _ = _plan(vocab, "shelter from the rain overnight", "search", toy)
    assert action == "search" and args.get("category") == "Tents"
    assert "category" not in _plan(vocab, "something nice for a friend", "search", toy)[1]  # near nothing
    assert "category" not in _plan(vocab, "shelter from the rain overnight", "search")[1]  # no embedder, no guess
