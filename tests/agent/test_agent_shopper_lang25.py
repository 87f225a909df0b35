"""Shopper language the rule planner reads (branch lang25): a figure per week or per day is a rate, not a price; a
coined name heard with its double letter once; a shoppers' phrase written as one word; a word of a brand's name that
is no kind it makes; a phrase the titles file under another leaf than its head word's; a verb after a pronoun and a
greeting are no brands; what someone at home complains about; a price said to be a lot; a kind named with "like that
one"; a bound on the kind just shown; "<bound> only"; a colour of the container; a greeting with news; a budget for
someone; and the family of the nearest leaf for a thing no leaf names. Every message here is invented for the test
(none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.planner_stubs import SHOWN, ToyEmbedder, exchange, planned, planned_on_shown, rows, shop_vocab
from tools.language import parse_bounds

_plan = planned_on_shown


_MORE = (rows("Vossa", "Vossa Trail Runner", "Trail Shoes", "Shop > Outdoors > Trail Shoes")
         + rows("Solis", "Solis Mineral Sunscreen SPF 30", "Sunscreens", "Shop > Skin > Sun > Sunscreens")
         + rows("Doodle Paint", "Doodle Paint Kids Nail Polish", "Nail Polish", "Shop > Nails > Nail Polish")
         + rows("Artis", "Artis Face and Body Paint", "Body Paint", "Shop > Body > Body Paint")
         + rows("Smoothie", "Smoothie Foot File", "Foot Rasps", "Shop > Feet > Foot Rasps")
         + rows("Glassa", "Glassa Glass Nail File for Hand and Foot", "Nail Files & Buffers",
                 "Shop > Nails > Nail Files & Buffers", 30)
         + rows("Snap", "Snap Hair Clip", "Hair Clips", "Shop > Hair > Hair Clips")
         + rows("Haircut", "Haircut Pro Styling Shears", "Shears", "Shop > Hair > Shears")
         + rows("Packa", "Packa Hiking Bag Backpack", "Backpacks", "Shop > Outdoors > Backpacks")
         + rows("Loopa", "Loopa Ponytail Holder Elastic", "Ponytail Holders", "Shop > Hair > Ponytail Holders")
         + rows("Vetta", "Vetta Cologne for Men", "Cologne", "Shop > Fragrance > Men's > Cologne")
         + rows("Brewa", "Brewa Drip Coffee Maker", "Coffee Makers",
                 "Shop > Kitchen > Small Appliances > Coffee Makers")
         + rows("Buzz", "Buzz Wireless Earbuds Headphones", "Earbuds", "Shop > Electronics > Headphones > Earbuds"))


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shop_vocab(_MORE)


@pytest.mark.parametrize(("said", "high"), [("she rides about 15k a week, a helmet please", None),
                                            ("i drink 3 a day", None), ("a helmet about 50", 60.0)])
def test_a_figure_per_week_or_day_is_a_rate_not_a_price(said: str, high: float | None) -> None:
    assert parse_bounds(said).max_price == high


def test_a_coined_name_heard_with_its_double_letter_once_is_the_brand(vocab: Vocabulary) -> None:
    assert parse_slots("vosa shoes for my son", vocab).brand == "Vossa"
    assert parse_slots("vase for flowers", vocab).brand is None  # a word of the dictionary stays a word


def test_a_shoppers_phrase_written_as_one_word_is_that_phrase(vocab: Vocabulary) -> None:
    assert parse_slots("suncream for the beach", vocab).category == "Sunscreens"
    assert parse_slots("hair elastics", vocab).category == "Ponytail Holders"
    assert parse_slots("aftershave for my brother", vocab).category == "Cologne"


def test_a_word_of_a_brands_name_is_no_kind_it_makes(vocab: Vocabulary) -> None:
    assert (parse_slots("doodle paint", vocab).brand, parse_slots("doodle paint", vocab).category) == \
        ("Doodle Paint", None)
    assert parse_slots("doodle paint nail polish", vocab).category == "Nail Polish"
    assert parse_slots("body paint for a party", vocab).category == "Body Paint"


def test_a_phrase_the_titles_file_elsewhere_names_that_leaf(vocab: Vocabulary) -> None:
    # "file" names the nail files, and most titles saying "foot" or "file" are theirs; "foot file" the titles file
    # under the foot rasps only
    assert vocab.category_by_titles("foot file for my dads heels", "Nail Files & Buffers", set()) == "Foot Rasps"
    assert vocab.category_by_titles("glass nail file", "Nail Files & Buffers", set()) == "Nail Files & Buffers"


def test_a_thing_no_title_names_keeps_its_place_and_its_compound_out_of_the_kind(vocab: Vocabulary) -> None:
    # the kitchen is where the radio goes, not the kind asked for; a kind before "for" keeps its own
    assert parse_slots("a radio for the kitchen", vocab).category is None
    assert parse_slots("a coffee maker for the kitchen", vocab).category == "Coffee Makers"
    # a sleeping bag is no bag of the backpacks' titles: a compound no title holds, its first word none uses
    assert parse_slots("a sleeping bag for scout camp", vocab).title_category is None
    assert parse_slots("a hiking bag for scout camp", vocab).title_category == "Backpacks"


def test_a_verb_after_a_pronoun_and_a_greeting_are_no_brands(vocab: Vocabulary) -> None:
    assert parse_slots("something for my nails, they snap all the time", vocab).brand is None
    assert parse_slots("snap hair clips", vocab).brand == "Snap"
    # an everyday word in the plural is that word, not a brand's name with a letter added
    assert parse_slots("clippers for the kids haircuts", vocab).brand is None
    assert parse_slots("haircut shears", vocab).brand == "Haircut"


def test_what_someone_at_home_complains_about_is_a_need(vocab: Vocabulary) -> None:
    assert _plan(vocab, "a pumice for my mum, she keeps complaining about her heels", "search")[0] == "search"
    assert _plan(vocab, "i want to complain about my order", "search")[0] == "chat"


@pytest.mark.parametrize(("message", "cheaper"), [("those are a lot for a first bike", True),
                                                  ("one for half the price?", True),
                                                  ("i like these a lot", False), ("thats a lot of choice", False)])
def test_a_price_said_to_be_a_lot_is_cheaper(vocab: Vocabulary, message: str, cheaper: bool) -> None:
    assert _plan(vocab, message, "refine")[1].get("cheaper", False) is cheaper


def test_a_kind_named_like_that_one_is_the_one_shown_of_it(vocab: Vocabulary) -> None:
    assert _plan(vocab, "other tents like that one", "similar")[:2] == ("similar", {"item": 1})
    assert _plan(vocab, "hiking boots like that one", "similar")[1] == {}  # two shown boots: which is not said


def test_a_bound_on_the_kind_just_shown_narrows_it(vocab: Vocabulary) -> None:
    history = exchange("a tent for two", "Here are some tents.")
    assert _plan(vocab, "nothing over 100 for a tent", "search", history)[:2] == ("refine", {"max_price": 100.0})
    assert _plan(vocab, "nothing over 100 for a tent", "search")[0] == "search"  # nothing asked before


def test_a_bound_with_only_is_a_narrowing(vocab: Vocabulary) -> None:
    history = exchange("a lip tint for my wife", "Here are some tints she might like.")
    assert _plan(vocab, "above 10 only, it's for her birthday", "search", history)[:2] == \
        ("refine", {"min_price": 10.0})


def test_a_colour_of_the_container_is_a_variant(vocab: Vocabulary) -> None:
    history = exchange("something for my niece", "Here are a few things she might like.")
    assert _plan(vocab, "have any in a blue jar?", "search", history)[:2] == ("refine", {})


def test_a_greeting_with_news_is_chat(vocab: Vocabulary) -> None:
    assert _plan(vocab, "hello, moving day for us today", "recommend")[0] == "chat"
    assert _plan(vocab, "hiya, a tent please", "recommend")[0] == "search"
    assert _plan(vocab, "hey, my sister's birthday is next week", "recommend")[0] == "search"  # a present


def test_a_budget_for_someone_is_a_search(vocab: Vocabulary) -> None:
    action, args, _ = _plan(vocab, "a little thing for my nephew, max 25", "recommend")
    assert (action, args.get("max_price")) == ("search", 25.0)
    assert _plan(vocab, "something for me under 30", "recommend")[0] == "recommend"


def test_a_thing_no_leaf_names_is_looked_for_in_the_family_of_the_nearest_leaf(vocab: Vocabulary) -> None:
    # the whole message is too far from any leaf for a kind by meaning; the thing said is near the coffee makers'
    words = ("died", "need", "another", "today", "please", "garage", "radio", "loud", "music", "our")
    toy = ToyEmbedder({"kettle": 0, "coffee": 0, "mostly": 0, "speaker": 1, "earbuds": 1}
                      | {w: i + 2 for i, w in enumerate(words)})
    action, args, _ = planned(vocab, "the kettle died, need another today please", SHOWN, "search", toy)
    assert (action, args.get("category")) == ("search", "Small Appliances")
    # the headphones are a kind of product of their own (their titles say so): a speaker is looked for above them
    message = "a speaker, garage radio, loud music please"
    assert planned(vocab, message, SHOWN, "search", toy)[1].get("category") == "Electronics"
    assert planned(vocab, "a lamp", SHOWN, "search", toy)[1].get("category") is None  # near no leaf
    # no word of the thing said is one the titles lack and could name a thing: no family guessed
    message = "mostly, our radio, loud music please"  # "mostly" means what "coffee" does, but names no thing
    assert planned(vocab, message, SHOWN, "search", toy)[1].get("category") is None
