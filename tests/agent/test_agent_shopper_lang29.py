"""Shopper language the rule planner reads (branch lang29): a business's terms, what others like the shopper buy, the
choice left to the shop, a day of the week after "last", a place closing the message, the shopper's own restocking,
"first" as the order of business, a person after "get", words of running text that are no brand, a thing asked for
someone, a one-word part of a category name, a bound on the shown ones, a kind by a shown title, "other <things>
like <name>", the stock of one shown product, a price someone else charges, and a head noun said apart. Every message
here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import ShownProduct, cues
from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.planner_stubs import SHOWN, exchange, planned, planned_on_shown, rows, shop_vocab
from tools.language import parse_bounds

_plan = planned_on_shown


_MORE = (rows("Disposables", "Disposables Tint Wand", "Applicators", "Shop > Tools > Applicators")
         + rows("Caress", "Caress Body Wash", "Body Washes", "Shop > Body > Body Washes")
         + rows("Pulse", "Pulse Sport Earbuds", "Earbuds", "Shop > Audio > Earbuds")
         + rows("Glaze", "Glaze Top Coat", "Top & Base Coats", "Shop > Nails > Top & Base Coats")
         + rows("Glow", "Glow Eye Palette", "Palettes", "Shop > Eyes > Palettes")
         + rows("Packa", "Packa Brush Bag", "Brush Bags", "Shop > Travel > Brush Bags")
         + rows("Velvo", "Velvo Blending Brush", "Brushes", "Shop > Tools > Brushes"))


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shop_vocab(_MORE)


@pytest.mark.parametrize("message", ["is there a wholesale discount for nail bars?",
                                     "can my studio open a trade account with you"])
def test_a_business_asking_for_its_terms_is_service(message: str) -> None:
    assert cues.is_service_question(message)


def test_what_others_like_the_shopper_buy_is_the_shops_pick(vocab: Vocabulary) -> None:
    assert _plan(vocab, "what do most hiking clubs usually order from you?", "search")[:2] == ("recommend", {})
    assert _plan(vocab, "what are other campers buying lately", "search")[0] == "recommend"
    # a product named after it is a search for that kind
    assert _plan(vocab, "what do other campers buy for tents", "search")[0] == "search"


def test_the_choice_left_to_the_shop_is_its_pick(vocab: Vocabulary) -> None:
    assert _plan(vocab, "no clue really, whatever you reckon", "search")[:2] == ("recommend", {})


def test_a_day_of_the_week_after_last_is_no_position(vocab: Vocabulary) -> None:
    assert parse_slots("the boots i got last friday rub my heel", vocab, 4).positions == []
    assert parse_slots("describe the last one", vocab, 4).positions == [4]


def test_a_place_closing_the_message_points_at_that_product(vocab: Vocabulary) -> None:
    assert _plan(vocab, "in the vein of 3?", "search")[:2] == ("similar", {"item": 3})
    assert _plan(vocab, "is there any fragrance in 4?", "similar")[:2] == ("describe", {"item": 4})
    assert parse_slots("a tent that packs down in 2", vocab, 4).positions == []


def test_the_shoppers_own_restocking_is_no_service() -> None:
    assert not cues.is_service_question("restocking the gift shop this week")
    assert cues.is_service_question("when will you restock the grey boots")
    assert cues.is_service_question("is there a restocking fee if i send it back")


def test_first_as_the_order_of_business_is_no_position(vocab: Vocabulary) -> None:
    history = exchange("kitting out the scout hut", "Happy to help - what do you need first: tents, boots or tints?")
    action, args, _ = _plan(vocab, "boots first. ours fell apart", "search", history)
    assert (action, args.get("category")) == ("search", "Hiking Boots")
    assert parse_slots("tents first", vocab, 4).positions == []
    assert parse_slots("describe the first", vocab, 4).positions == [1]


def test_a_person_after_get_is_someone_else() -> None:
    assert cues.for_someone_else("her old boots finally split, what should i get her?")
    assert not cues.for_someone_else("ok, what do i choose?")


def test_words_of_running_text_are_no_brand(vocab: Vocabulary) -> None:
    assert parse_slots("disposable tint wands for the kit", vocab).brand is None
    assert parse_slots("the carers need a gentle body wash", vocab).brand is None
    assert parse_slots("earbuds that stay put when everyones pulse is racing", vocab).brand is None
    assert parse_slots("pulse earbuds", vocab).brand == "Pulse"


def test_a_thing_asked_for_someone_is_a_new_search(vocab: Vocabulary) -> None:
    assert _plan(vocab, "something for my daughter's desk, budget 40", "refine")[0] == "search"
    assert _plan(vocab, "just below 40 then", "refine")[0] == "refine"


def test_a_one_word_part_of_a_category_name_shares_its_head(vocab: Vocabulary) -> None:
    assert vocab.find_category("our top sellers please") is None
    assert vocab.find_category("a streak-free top coat") == "Top & Base Coats"


def test_a_bound_kept_on_the_shown_ones_is_no_new_gift(vocab: Vocabulary) -> None:
    assert _plan(vocab, "keep them below $30, it's a gift for a teacher", "search")[:2] == (
        "refine", {"max_price": 30.0})


def test_a_kind_by_a_shown_title_is_that_product(vocab: Vocabulary) -> None:
    shown = [*SHOWN[:3], ShownProduct(position=4, id="VV0004", title="Velvo Lip Tint Palette 4", brand="Velvo",
                                      price=14.0)]
    assert planned(vocab, "any more palettes like that small round one", shown, "similar")[:2] == (
        "similar", {"item": 4})


def test_other_things_like_a_shown_name_are_similar(vocab: Vocabulary) -> None:
    assert _plan(vocab, "more hues like velvo sheer", "search")[:2] == ("similar", {"item": 4})


def test_the_stock_of_one_shown_product_is_asked_of_it(vocab: Vocabulary) -> None:
    assert _plan(vocab, "got 2 of the velvo in stock? they're prizes", "refine")[:2] == ("describe", {"item": 4})
    assert _plan(vocab, "got one similar to the tent on the left?", "similar")[:2] == ("similar", {"item": 1})


def test_a_price_someone_else_charges_is_no_bound() -> None:
    assert parse_bounds("the market charges us $8 a jar").max_price is None
    assert parse_bounds("at most $8 a jar").max_price == 8.0


def test_a_head_noun_said_apart_names_the_compound(vocab: Vocabulary) -> None:
    assert vocab.find_category("which bag stops the brushes rattling about") == "Brush Bags"
    assert vocab.find_category("brushes for blending") == "Brushes"
