"""Message kinds no catalog word decides: service questions, price matching, popular picks, off-topic asks."""

from __future__ import annotations

import pytest

from agent.planners import cues
from agent.planners.slots import _CHEAPER
from tools.language import normalise


@pytest.mark.parametrize("message", ["could I get a free sample with my order?", "is a gift receipt included?",
                                     "the box arrived dented, can I get a replacement"])
def test_service_questions(message: str) -> None:
    assert cues.is_service_question(message)


@pytest.mark.parametrize(("message", "expected"), [
    ("it's $10 less on another website, can you beat it?", True), ("do you price match?", True),
    ("a cheaper blender please", False)])
def test_price_match(message: str, expected: bool) -> None:
    assert cues.asks_price_match(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("what's trending right now", True), ("show me your best sellers", True),
    ("what do customers order the most", True), ("a trail shoe for muddy paths", False)])
def test_popular_picks(message: str, expected: bool) -> None:
    assert cues.asks_popular(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("any good films on this weekend?", True), ("write a limerick about socks", True),
    ("what does UV stand for", True), ("a moisturizer with uv protection", False)])
def test_off_topic(message: str, expected: bool) -> None:
    assert cues.is_off_topic(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("thanks so much!", False), ("I love it very much", False), ("that costs too much", True),
    ("these are way too much", True), ("a bit pricey", True)])
def test_cheaper_words_are_not_thanks(message: str, expected: bool) -> None:
    assert bool(_CHEAPER.search(normalise(message))) is expected


def test_a_damaged_delivery_is_a_service_ask_even_naming_a_product() -> None:
    message = "the tent arrived torn, how do I get a replacement?"
    assert cues.is_service_question(message) and cues.asks_about_service(message)


@pytest.mark.parametrize(("message", "expected"), [
    ("compose a short story about a camping tent", True), ("tell us a silly joke about socks", True),
    ("give me a haiku on frying pans", True), ("write a review summary of the blender", False),
    ("a songbird print mug", False)])
def test_a_piece_of_writing_is_asked_for(message: str, expected: bool) -> None:
    assert cues.asks_for_writing(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("is there a rewards club I can join", True), ("can I apply for a member card", True),
    ("any student discounts?", True), ("a card holder wallet", False)])
def test_shop_programmes_are_service_questions(message: str, expected: bool) -> None:
    assert cues.is_service_question(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("a candle I'd enjoy for my desk", True), ("something i might love", True),
    ("things people like for camping", False)])
def test_a_personal_pick_for_a_place_or_a_purpose(message: str, expected: bool) -> None:
    assert cues.wants_personal_pick(message) is expected


@pytest.mark.parametrize("message", ["how long is the warranty on a blender", "is there a money back guarantee on tents"])
def test_warranty_questions_about_a_kind_of_product_are_about_the_service(message: str) -> None:
    assert cues.asks_about_service(message)


@pytest.mark.parametrize(("message", "expected"), [
    ("would it cost less somewhere else?", True), ("other shops sell it for 20", True),
    ("something else in blue", False)])
def test_prices_at_other_shops(message: str, expected: bool) -> None:
    assert cues.asks_price_match(message) is expected
