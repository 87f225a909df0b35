"""Plain shopper language the rule planner reads (branch lang6): a brand's name alone or with a word of its own
while products are shown. Every message here is invented for the test."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct
from agent.planners.rules import RulePlanner
from agent.planners.slots import parse_slots


def _plan(rule_planner, message: str):  # noqa: ANN001, ANN202 - the plan with the catalog's first four shown
    products = rule_planner.vocab.catalog.get_many(rule_planner.vocab.catalog.ids[:4])
    shown = [ShownProduct(position=i + 1, id=p.id, title=p.title, brand=p.brand, price=p.price)
             for i, p in enumerate(products)]
    return rule_planner.plan(message, PlanContext(shown=shown)).action


@pytest.mark.parametrize(("message", "brand"), [
    ("Pacefield please", "Pacefield"),
    ("aveline pls", "Aveline"),
    ("Morningstar", "Morningstar"),
    ("nature's glow thanks", "Nature's Glow"),
    ("Korra please", "Korra"),  # a shown product's brand, no position said: still that brand's products
    ("Dermaklar's hydra range", "Dermaklar"),  # a brand and a word of its own line
])
def test_a_brand_alone_while_products_are_shown_is_a_search(rule_planner, message: str, brand: str) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, message)
    assert plan.action == "search"
    assert plan.args.brand == brand


@pytest.mark.parametrize("voted", ["describe", "compare", "similar", "chat"])
@pytest.mark.parametrize("message", ["Brewhaus please", "campora pls", "Lumiere Paris"])
def test_a_brand_alone_is_a_search_whatever_the_vote(rule_planner, voted: str, message: str) -> None:  # noqa: ANN001
    slots = parse_slots(message, rule_planner.vocab, 4)
    action, rule = RulePlanner.decide(voted, message, slots, 4, {voted: 1.0})
    assert (action, rule) == ("search", "a brand alone")


@pytest.mark.parametrize("voted", ["recommend", "chat", "search"])
@pytest.mark.parametrize(("message", "brand"), [
    ("from Korra", "Korra"), ("do you have velocita?", "Velocita"), ("got any Brewhaus", "Brewhaus"),
    ("by campora please", "Campora"),
])
def test_a_brand_with_only_words_of_asking_names_that_maker(rule_planner, voted: str, message: str,  # noqa: ANN001
                                                            brand: str) -> None:
    slots = parse_slots(message, rule_planner.vocab, 4)
    assert slots.brand == brand
    assert RulePlanner.decide(voted, message, slots, 4, {voted: 1.0}) == ("refine", "a brand asked for")
    nothing = parse_slots(message, rule_planner.vocab, 0)
    assert RulePlanner.decide(voted, message, nothing, 0, {voted: 1.0}) == ("search", "a brand asked for")


@pytest.mark.parametrize("message", ["anything from korra?", "is it korra?", "korra but cheaper", "not korra"])
def test_a_brand_beside_other_words_is_not_only_asked_for(rule_planner, message: str) -> None:  # noqa: ANN001
    slots = parse_slots(message, rule_planner.vocab, 4)
    assert RulePlanner.decide("recommend", message, slots, 4, {"recommend": 1.0})[1] != "a brand asked for"


@pytest.mark.parametrize(("message", "action"), [
    ("just korra", "refine"),  # a narrowing word: the shown list by that brand
    ("korra vs velocita", "compare"),
])
def test_a_brand_with_a_cue_keeps_its_cue(rule_planner, message: str, action: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == action


@pytest.mark.parametrize(("text", "low", "high"), [
    ("drop the ones above 40 dollars", None, 40.0),  # what is removed is the other side of the bound
    ("remove everything under 15", 15.0, None),
    ("lose anything priced over 70", None, 70.0),
    ("can you cap the price at 35 please", None, 35.0),
    ("tops out at 60", None, 60.0),
    ("a baseball cap at 20", None, None),  # a cap the product, not a ceiling
])
def test_removed_prices_and_ceilings(text: str, low: float | None, high: float | None) -> None:
    from tools.language import parse_bounds

    bounds = parse_bounds(text)
    assert (bounds.min_price, bounds.max_price) == (low, high)


@pytest.mark.parametrize(("message", "args"), [
    ("could you limit to audiox", {"brand": "Audiox"}),
    ("let's stick with Stridewell", {"brand": "Stridewell"}),
    ("keep it to nimbus run", {"brand": "Nimbus Run"}),
    ("narrow them to Osprio", {"brand": "Osprio"}),
    ("cap it at 45", {"max_price": 45.0}),
    ("over 60 only, genuine stuff, no fakes", {"min_price": 60.0}),  # a ruled-out "fakes" asks for no dupes
])
def test_narrowing_verbs_refine_the_shown_list(rule_planner, message: str, args: dict) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, message)
    assert plan.action == "refine"
    for key, value in args.items():
        assert getattr(plan.args, key) == value


def test_a_brand_typed_by_its_joined_initials_is_all_brand() -> None:
    from agent.planners.vocab import Vocabulary
    from fixtures.frame_catalog import FrameCatalog

    rows = [("b.k.z. Studio", f"b.k.z. Studio Matte Lip Tint {i}", "Lip Stains", "Beauty > Lips > Lip Stains")
            for i in range(4)] + [("Rosalie", f"Rosalie Lip Balm {i}", "Lip Balms", "Beauty > Lips > Lip Balms")
                                  for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    slots = parse_slots("restrict to bkz", vocab, 4)
    assert (slots.brand, slots.query) == ("b.k.z. Studio", "")
    assert RulePlanner.decide("chat", "restrict to bkz", slots, 4, {"chat": 1.0})[0] == "refine"
    alone = parse_slots("bkz pls", vocab, 4)
    assert RulePlanner.decide("describe", "bkz pls", alone, 4, {"describe": 1.0}) == ("search", "a brand alone")


@pytest.mark.parametrize(("message", "cheaper"), [
    ("funds are limited this month", True),  # a small budget
    ("i'm working with a smaller budget", True),
    ("got any of the budget versions", True),  # the low end asked for
    ("the pricing seems outrageous", True),  # the prices said to be too high
    ("this is crazy good", False),
    ("a budget blender", False),  # "budget" describing a product said by its kind
])
def test_a_small_budget_or_too_high_prices_ask_for_cheaper(message: str, cheaper: bool) -> None:
    from agent.planners.slots import _CHEAPER
    from tools.language import normalise

    assert bool(_CHEAPER.search(normalise(message))) is cheaper


@pytest.mark.parametrize(("message", "expected"), [
    ("is there some kind of loyalty / points setup?", True),  # the shop's points scheme
    ("can i cash in my credits when i pay", True),
    ("is your skincare stuff legit?", True),  # whether the shop's goods are genuine
    ("do you only buy from authorized retailers", True),
    ("a serum with real results", False),
])
def test_points_and_genuine_goods_are_shop_questions(message: str, expected: bool) -> None:
    from agent.planners import cues

    assert cues.is_service_question(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("the parcel turned up crushed and the kettle leaked, i want my money back", True),
    ("my kettle showed up dented, can you ship a new one", True),
    ("i want to buy a replacement tent, mine broke", False),  # a product asked for
])
def test_a_damaged_delivery_asks_the_shop(message: str, expected: bool) -> None:
    from agent.planners import cues

    assert cues.asks_about_service(message) is expected


@pytest.mark.parametrize("message", ["you decide, i trust your taste", "dealer's choice", "your call honestly"])
def test_the_choice_left_to_the_shop_is_a_personal_pick(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "recommend"


@pytest.mark.parametrize(("message", "category"), [
    ("a nonstick fry pan for eggs", "Frying Pans"),  # everyday names of a catalog kind
    ("ceramic frypans", "Frying Pans"),
    ("wireless earpods for the gym", "Earbuds"),
])
def test_everyday_names_of_a_kind(rule_planner, message: str, category: str) -> None:  # noqa: ANN001
    assert parse_slots(message, rule_planner.vocab).category == category


@pytest.mark.parametrize(("message", "action"), [
    ("other kettles like the korra one?", "similar"),  # "other <kind> like": more of the kind, like the named
    ("more trainers like the velocita", "similar"),
    ("can i spend my store credit at checkout on a blender", "chat"),  # the shop's points, whatever is named
])
def test_other_kinds_like_and_points_at_checkout(rule_planner, message: str, action: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == action
