"""Shopper language the rule planner reads (branch lang27): a brand written as it sounds (an Italian "ce" as "chi", a
German "haus" as "house"), "or something like that" as a hedge, a count of instalments, the shopper's account with the
shop, someone's name told, a part of the body a story names, a leaf under a branch named by a word of its own name,
keeping a drink hot or cold, a part of the body before the kind that files it elsewhere, a kind beside the one asked
named in the answer, a yes to a pick offered, talk that answers the question asked, a brand for someone else and other
options. Every message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.slots import parse_positions, parse_slots
from agent.planners.vocab import Vocabulary, sound_key
from fixtures.planner_stubs import SHOWN, ToyEmbedder, exchange, planned, planned_on_shown, rows, shop_vocab

_plan = planned_on_shown


_MORE = (rows("Pellace", "Pellace Pour Homme Eau de Toilette", "Cologne", "Shop > Fragrance > Cologne")
         + rows("Kofhaus", "Kofhaus Drip Coffee Maker", "Coffee Makers",
                 "Shop > Kitchen > Small Appliances > Coffee Makers")
         + rows("Travelo", "Travelo Toiletry Bag", "Toiletry Bags", "Shop > Travel > Toiletry Bags")
         + rows("Solis", "Solis Mineral Sunscreen SPF 30", "Sunscreens", "Shop > Skin > Sun > Sunscreens")
         + rows("Dewa", "Dewa Face Serum", "Serums", "Shop > Skin > Face > Serums")
         + rows("Korro", "Korro Merino Running Sock", "Running Socks", "Shop > Outdoors > Running Socks")
         + rows("Lumo", "Lumo Cooling Eye Gel for Puffiness", "Puffiness Treatments",
                 "Shop > Skin > Eyes > Puffiness Treatments")
         + rows("Lumo", "Lumo Firming Eye Cream", "Eye Creams", "Shop > Skin > Eyes > Eye Creams")
         + rows("Thermo", "Thermo Insulated Steel Bottle 750 ml", "Water Bottles", "Shop > Outdoors > Water Bottles",
                 12)
         + rows("Clayo", "Clayo Clay Face Mask", "Masks", "Shop > Skin > Face > Masks")
         + rows("Mendo", "Mendo Repair Hair Mask", "Hair Treatments", "Shop > Hair > Hair Treatments")
         + rows("Bristo", "Bristo Blending Brush", "Brushes & Applicators", "Shop > Makeup > Brush Tools > "
                 "Brushes & Applicators")
         + rows("Bristo", "Bristo Five Piece Set", "Sets & Kits", "Shop > Makeup > Brush Tools > Sets & Kits")
         + rows("Nailo", "Nailo Manicure Set", "Sets & Kits", "Shop > Nails > Sets & Kits", 12)
         + rows("Silka", "Silka Shampoo and Conditioner Set", "Shampoo & Conditioner Sets",
                 "Shop > Hair > Shampoo & Conditioner Sets", 20))


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shop_vocab(_MORE)


def test_a_brand_is_heard_as_it_sounds() -> None:
    assert sound_key("pellachi") == sound_key("pellace")  # an Italian "ce" written as it is said
    assert sound_key("kofhaus") == sound_key("kofhous")  # a German "haus" written as "house"
    assert sound_key("travel one") != sound_key("travelo")  # two words run together keep their letters


def test_a_brand_written_as_it_sounds_is_the_brand(vocab: Vocabulary) -> None:
    assert parse_slots("pellachi aftershave for my dad", vocab).brand == "Pellace"
    assert parse_slots("kofhouse", vocab).brand == "Kofhaus"
    assert parse_slots("a travel one for the weekend", vocab).brand is None


def test_or_something_like_that_is_a_hedge_not_a_likeness(vocab: Vocabulary) -> None:
    assert _plan(vocab, "a lip tint or something like that", "search")[0] == "search"
    assert _plan(vocab, "something like that but in red?", "search")[0] == "similar"


def test_a_count_of_instalments_is_no_position(vocab: Vocabulary) -> None:
    assert parse_positions("can i pay in 4 or not", 4) == ([], False)
    assert parse_positions("compare 2 or 4", 4) == ([2, 4], False)
    assert _plan(vocab, "do you let people pay in 3 or anything like that", "similar")[0] == "chat"


@pytest.mark.parametrize("message", ["my saved basket has vanished", "i saved a cart last night, where is it",
                                     "i want to change my password", "cant sign into the app"])
def test_the_shoppers_account_with_the_shop_is_service(message: str) -> None:
    assert cues.is_service_question(message)


@pytest.mark.parametrize("message", ["a basket ball for my nephew", "a log for the fire pit"])
def test_things_named_like_the_account_are_not(message: str) -> None:
    assert not cues.is_service_question(message)


def test_a_name_told_is_someones_not_a_brand(vocab: Vocabulary) -> None:
    assert parse_slots("our puppy (his name is korro) ate my socks again", vocab).brand is None
    assert parse_slots("korro socks for my runs", vocab).brand == "Korro"
    assert parse_slots("i think the maker is called korro", vocab).brand == "Korro"


def test_a_part_of_the_body_a_story_names_yields_to_a_leaf_near_in_meaning(vocab: Vocabulary) -> None:
    toy = ToyEmbedder({"sunscreens": 0, "sun": 0, "beach": 0, "burns": 0, "serums": 1})
    message = "every time at the beach my face burns within the hour"
    assert parse_slots(message, vocab).category == "Face"  # the word names the branch
    assert planned(vocab, message, SHOWN, "search", toy)[1].get("category") == "Sunscreens"
    # a branch that is no part of the body keeps its name, however near a leaf is
    toy = ToyEmbedder({"tents": 0, "sleep": 0, "under": 0, "stars": 0})
    message = "outdoors stuff so we can sleep under the stars"
    assert planned(vocab, message, SHOWN, "search", toy)[1].get("category") == "Outdoors"


def test_a_yes_to_a_pick_offered_is_the_pick(vocab: Vocabulary) -> None:
    history = exchange("nothing on here grabs me today", "Shall I suggest a few things for you?")
    assert _plan(vocab, "sure, go ahead", "chat", history)[0] == "recommend"
    assert _plan(vocab, "yes but only velvo", "chat", history)[0] != "recommend"
    assert _plan(vocab, "sure, go ahead", "chat", exchange("a tent", "Which size do you need?"))[0] != "recommend"


def test_talk_that_answers_the_question_asked_is_an_answer(vocab: Vocabulary) -> None:
    history = exchange("a tent please", "How many people will sleep in it?")
    message = "4 of us, and the weather up there is awful in march"
    assert _plan(vocab, message, "search")[2] == "rule: off topic"  # read alone: talk of the weather
    action, args, _ = _plan(vocab, message, "search", history)
    assert (action, args.get("category")) == ("search", "Tents")
    assert _plan(vocab, "awful weather we're having, isn't it", "search", history)[0] == "chat"


def test_a_brand_for_someone_else_after_a_reply_is_a_new_search(vocab: Vocabulary) -> None:
    history = exchange("velvo tint", "Here is the Velvo Sheer Lip Tint 4.")
    action, args, _ = _plan(vocab, "and something from brisa for my brother", "refine", history)
    assert (action, args.get("brand")) == ("search", "Brisa")
    assert _plan(vocab, "what about brisa?", "refine", history)[:2] == ("refine", {"brand": "Brisa"})


@pytest.mark.parametrize("message", ["got other options?", "any different choices?"])
def test_other_options_are_another_page(vocab: Vocabulary, message: str) -> None:
    assert _plan(vocab, message, "search")[:2] == ("refine", {})


def test_a_leaf_under_the_branch_said_is_named_by_a_word_of_its_own_name(vocab: Vocabulary) -> None:
    assert parse_slots("such puffy eyes after a late night", vocab).category == "Puffiness Treatments"
    assert parse_slots("my eyes are puffy after a late night", vocab).category == "Eyes"  # said apart: the branch
    assert parse_slots("something for tired eyes after a late night", vocab).category == "Eyes"


def test_keeping_a_drink_hot_or_cold_is_the_insulated_kind(vocab: Vocabulary) -> None:
    assert parse_slots("something to keep my coffee hot on the drive to work", vocab).title_category == "Water Bottles"
    assert parse_slots("a drip coffee maker", vocab).category == "Coffee Makers"


def test_a_part_of_the_body_before_the_kind_files_it_where_that_part_is(vocab: Vocabulary) -> None:
    assert parse_slots("a hair mask for dry ends", vocab).category == "Hair Treatments"
    assert parse_slots("a clay face mask", vocab).category == "Masks"


def test_an_answer_naming_a_kind_beside_the_one_asked_is_that_kind(vocab: Vocabulary) -> None:
    history = exchange("blending brushes please", "A whole set, or just the one brush?")
    action, args, _ = _plan(vocab, "the whole set, 40 max", "search", history)
    assert (action, args.get("category"), args.get("max_price")) == ("search", "Sets & Kits", 40.0)
    action, args, _ = _plan(vocab, "just the one, 40 max", "search", history)
    assert (action, args.get("category")) == ("search", "Brushes & Applicators")
