"""Shopper language the rule planner reads (branch lang26): a hundred and more after "and" in number words, "<figure>+
only", a person's name after a word for a person, an elided article typed apart from its brand, when a shown brand's
product would arrive, a colour asked of all that is shown, "just" of time, the shop asked for its pick, the family a
compound names before "for" over the place after it, and wipes. Every message here is invented for the test (none
comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners.slots import parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.planner_stubs import planned_on_shown, rows, shop_vocab
from tools.language import parse_bounds
from tools.language.numbers import words_to_digits

_plan = planned_on_shown


_MORE = (rows("L'Aurore Botanics", "L'Aurore Botanics Rose Face Oil", "Face Oils", "Shop > Skin > Face Oils")
         + rows("Panna", "Panna Nonstick Frying Pan", "Frying Pans", "Shop > Kitchen > Cookware > Frying Pans")
         + rows("Softa", "Softa Cleansing Towelettes", "Cloths & Towelettes",
                 "Shop > Skin > Cleansers > Cloths & Towelettes"))


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return shop_vocab(_MORE)


def test_a_hundred_and_more_after_and_is_one_figure() -> None:
    assert words_to_digits("from forty to one hundred ten dollars") == "from 40 to 110 dollars"
    assert words_to_digits("fifty to a hundred") == "50 to 100"
    bounds = parse_bounds("anywhere from forty to one hundred ten dollars")
    assert (bounds.min_price, bounds.max_price) == (40.0, 110.0)


@pytest.mark.parametrize(("said", "low"), [("300+ only, it has to last years", 300.0), ("80+ is fine", 80.0),
                                           ("a cream for 40+ skin", None)])
def test_a_figure_and_plus_before_only_is_a_minimum(said: str, low: float | None) -> None:
    assert parse_bounds(said).min_price == low


def test_a_name_after_a_word_for_a_person_is_theirs(vocab: Vocabulary) -> None:
    assert parse_slots("my cousin Velvo is into hiking, boots maybe", vocab).brand is None
    assert parse_slots("velvo tint for my cousin", vocab).brand == "Velvo"


def test_an_elided_article_typed_apart_is_the_brand(vocab: Vocabulary) -> None:
    assert parse_slots("l aurore face oil", vocab).brand == "L'Aurore Botanics"


def test_when_a_shown_brands_product_would_arrive_is_service(vocab: Vocabulary) -> None:
    assert _plan(vocab, "when would the velvo one reach me if i order now?", "describe")[0] == "chat"
    assert _plan(vocab, "is the velvo one vegan?", "describe")[:2] == ("describe", {"item": 4})


def test_a_colour_asked_of_all_that_is_shown_is_a_variant(vocab: Vocabulary) -> None:
    assert _plan(vocab, "have them in grey?", "describe")[:2] == ("refine", {})
    assert _plan(vocab, "got the first one in grey?", "describe")[0] == "describe"


def test_just_of_time_is_no_narrowing(vocab: Vocabulary) -> None:
    assert _plan(vocab, "kettle under 25, just got the keys", "search")[0] == "search"
    assert _plan(vocab, "just the velvo ones", "search")[:2] == ("refine", {"brand": "Velvo"})


@pytest.mark.parametrize(("message", "vote"), [("could you recommend me something cheerful", "refine"),
                                               ("find me something special", "similar"),
                                               ("what's good today?", "describe")])
def test_the_shop_asked_for_its_pick_is_a_recommendation(vocab: Vocabulary, message: str, vote: str) -> None:
    assert _plan(vocab, message, vote)[0] == "recommend"


def test_a_compound_before_for_names_its_family_over_the_place_after(vocab: Vocabulary) -> None:
    assert parse_slots("a saucepan for our cabin kitchen", vocab).category == "Cookware"
    assert parse_slots("a frying pan for our cabin kitchen", vocab).category == "Frying Pans"


def test_wipes_are_towelettes(vocab: Vocabulary) -> None:
    assert parse_slots("wet wipes for the gym bag", vocab).category == "Cloths & Towelettes"


def test_a_thing_no_title_names_asked_for_someone_is_a_search(vocab: Vocabulary) -> None:
    assert _plan(vocab, "a guitar for beginners", "recommend")[0] == "search"
    assert _plan(vocab, "something nice for beginners", "recommend")[0] == "recommend"
    assert _plan(vocab, "got any suggestions for me?", "recommend")[0] == "recommend"
