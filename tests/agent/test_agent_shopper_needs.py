"""Shopper language the rule planner reads (branch lang8): shown products picked by price, extreme, side, size or a
short kind word; questions for the shop (prices at other shops, sales, data, greetings, late orders); another kind
asked for beside a shown product; picks from the order history. Every message here is invented for the test (none
comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct
from agent.planners.shown_refs import described_positions

_SHOWN = [ShownProduct(position=1, id="a", title="Lumo Trek Lantern 300 lumen, 12 oz", brand="Lumo", price=34.5),
          ShownProduct(position=2, id="b", title="Brisa Desk Fan 8 inch - Grey", brand="Brisa", price=21.0),
          ShownProduct(position=3, id="c", title="Oro Hand Cream 75 ml", brand="Oro", price=12.25),
          ShownProduct(position=4, id="d", title="Pika Travel Kettle 0.8 L", brand="Pika", price=48.9)]


# --- a shown product picked by its price, being cheapest or dearest, its place on screen or its size ---
@pytest.mark.parametrize(("message", "positions"), [
    ("does the $34 one come with batteries?", [1]),
    ("that 21 dollar pair, any good?", [2]),
    ("the dearest one, worth it?", [4]),
    ("the least expensive option - is it unscented", [3]),
    ("the one on the right, how fast does it boil", [4]),
    ("the leftmost, how bright?", [1]),
    ("the 75 ml tube - greasy?", [3]),
    ("the $48 one against the $12 one", [4, 3]),
])
def test_shown_products_picked_by_price_extreme_side_or_size(message: str, positions: list[int]) -> None:
    assert described_positions(message, _SHOWN) == positions


def test_a_shown_product_picked_by_a_price_with_a_thousands_separator() -> None:
    shown = [*_SHOWN[:3], _SHOWN[3].model_copy(update={"price": 1299.0})]
    assert described_positions("is the $1,299 one worth it?", shown) == [4]
    assert described_positions("that 1,299 dollar one", shown) == [4]


@pytest.mark.parametrize("message", ["which is the cheapest one?", "show me the cheapest ones", "the $99 one",
                                     "lanterns under $30"])
def test_no_shown_product_picked_without_a_pointer(message: str) -> None:
    assert described_positions(message, _SHOWN) == []


@pytest.mark.parametrize(("message", "action", "args"), [
    ("the $21 one - is it quiet at night?", "describe", {"item": 2}),
    ("adore the priciest one, anything similar?", "similar", {"item": 4}),
    ("is the $34 one brighter than the $48 one?", "compare", {"items": [1, 4]}),
])
def test_planner_reads_a_shown_product_picked_by_its_price(rule_planner, message: str, action: str,  # noqa: ANN001
                                                           args: dict) -> None:
    plan = rule_planner.plan(message, PlanContext(shown=_SHOWN)).action
    assert plan.action == action
    for key, value in args.items():
        assert getattr(plan.args, key) == value
    assert plan.args.max_price is None if hasattr(plan.args, "max_price") else True


# --- questions for the shop: a price at a shop named by its name, the next sale, the shopper's data, a greeting,
# an order placed that has not come ---
@pytest.mark.parametrize("message", [
    "is it less expensive over at target?",
    "would i find these cheaper on ebay",
    "when is the summer sale happening?",
    "any upcoming 30% off promo?",
    "do you sell my email to advertisers?",
    "how is my private info stored",
    "hello there!",
    "good morning :)",
    "I put in an order last week and it still has not yet arrived, can you check on the boots",
])
def test_questions_for_the_shop_are_chat(rule_planner, message: str) -> None:  # noqa: ANN001
    assert rule_planner.plan(message, PlanContext(shown=_SHOWN)).action.action == "chat"


@pytest.mark.parametrize("message", ["can you go lower on price", "anything cheaper from lumo?"])
def test_cheaper_words_without_another_shop_still_narrow(rule_planner, message: str) -> None:  # noqa: ANN001
    assert rule_planner.plan(message, PlanContext(shown=_SHOWN)).action.action == "refine"


def test_third_parties_name_no_position(rule_planner) -> None:  # noqa: ANN001
    from agent.planners.slots import parse_slots

    assert parse_slots("do third parties see my address", rule_planner.vocab, 4).positions == []


# --- another kind of product asked for beside a shown one: a search for that kind (by the shown brand when the
# same maker is asked for) ---
def _shown_kinds(rule_planner, leaves: list[str]) -> list[ShownProduct]:  # noqa: ANN001
    products = list(rule_planner.vocab.catalog.products())
    picked = [next(p for p in products if p.category == leaf and p.brand and p.price) for leaf in leaves]
    return [ShownProduct(position=i, id=p.id, title=p.title, brand=p.brand, price=p.price)
            for i, p in enumerate(picked, 1)]


@pytest.mark.parametrize(("message", "category", "same_brand"), [
    ("the running shoes look great, any socks to go with them?", "Running Socks", False),
    ("does the serum's brand also make a moisturizer?", "Moisturizers", True),
    ("a moisturizer by the same company as the serum", "Moisturizers", True),
])
def test_another_kind_beside_a_shown_product_is_a_search(rule_planner, message: str, category: str,  # noqa: ANN001
                                                         same_brand: bool) -> None:
    shown = _shown_kinds(rule_planner, ["Running Shoes", "Serums"])
    plan = rule_planner.plan(message, PlanContext(shown=shown)).action
    assert (plan.action, plan.args.category) == ("search", category)
    assert plan.args.brand == (shown[1].brand if same_brand else None)


def test_a_question_about_a_shown_product_is_still_about_it(rule_planner) -> None:  # noqa: ANN001
    shown = _shown_kinds(rule_planner, ["Running Shoes", "Serums"])
    plan = rule_planner.plan("is the serum ok for oily skin too?", PlanContext(shown=shown)).action
    assert (plan.action, plan.args.item) == ("describe", 2)


# --- shown products named in passing words: a three-letter kind ("the oil"), beside adverbs that narrow nothing
# ("rather", "or just") ---
_KINDS = [ShownProduct(position=1, id="a", title="Nuvo Argan Hair Oil 4 oz", brand="Nuvo", price=18.0),
          ShownProduct(position=2, id="b", title="Corla Sculpting Lipstick - Plum", brand="Corla", price=11.0),
          ShownProduct(position=3, id="c", title="Lune Overnight Repair Mask", brand="Lune", price=27.0),
          ShownProduct(position=4, id="d", title="Dovi Volume Mousse 6 oz", brand="Dovi", price=9.5)]


def test_a_three_letter_kind_of_a_title_names_that_product() -> None:
    from agent.planners.shown_refs import name_positions

    assert name_positions("does the oil leave my hair greasy?", _KINDS, {"lipstick", "mask", "mousse", "oil"}) == \
        ([1], True)


@pytest.mark.parametrize(("message", "item"), [
    ("could you say a bit more about the plum lipstick? my lips are rather dry", 2),
    ("is the repair mask for nights or just weekends", 3),
])
def test_adverbs_narrow_nothing(rule_planner, message: str, item: int) -> None:  # noqa: ANN001
    plan = rule_planner.plan(message, PlanContext(shown=_KINDS)).action
    assert (plan.action, plan.args.item) == ("describe", item)


def test_a_pick_from_the_order_history_is_a_recommendation(rule_planner) -> None:  # noqa: ANN001
    plan = rule_planner.plan("going by my order history, what might I enjoy next?", PlanContext(shown=_KINDS))
    assert plan.action.action == "recommend"


# --- a product met elsewhere (quoted, or what someone said or recommended) and asked for here: a search for it,
# even when its brand is one shown ---
@pytest.mark.parametrize("message", [
    "my neighbour raved about the 'Lumo Trek 500' lantern, do you stock it?",
    "a podcast host said the Brisa desk fan is the quietest. do you sell it?",
    "my coach recommended the Pika travel kettle - could I get one?",
])
def test_a_product_met_elsewhere_is_a_search(rule_planner, message: str) -> None:  # noqa: ANN001
    plan = rule_planner.plan(message, PlanContext(shown=_SHOWN)).action
    assert plan.action == "search"
    assert plan.args.item is None


def test_a_stock_question_about_a_shown_product_is_no_search(rule_planner) -> None:  # noqa: ANN001
    assert rule_planner.plan("is the lantern in stock?", PlanContext(shown=_SHOWN)).action.action != "search"


# --- a kind ruled out of what is wanted ("fragrance free", "w/o alcohol") names no kind of product ---
@pytest.mark.parametrize("message", ["a serum, moisturizer free", "serum w/o moisturizer",
                                     "a serum with no moisturizer in it"])
def test_a_kind_ruled_out_names_no_kind(rule_planner, message: str) -> None:  # noqa: ANN001
    from agent.planners.slots import parse_slots

    assert parse_slots(message, rule_planner.vocab, 4).category == "Serums"


# --- "similar" said of something not shown ("a kettle as good as my old one"): a search for that kind ---
def test_likeness_to_something_not_shown_is_a_search(rule_planner) -> None:  # noqa: ANN001
    shown = _shown_kinds(rule_planner, ["Running Shoes", "Serums"])
    plan = rule_planner.plan("My late mother's blender served us for decades; I want one of similar sturdiness.",
                             PlanContext(shown=shown)).action
    assert (plan.action, plan.args.category) == ("search", "Blenders")


@pytest.mark.parametrize("message", ["my boots leaked all through the last hike", "I was freezing on my last camping "
                                     "holiday, the last outing in the hills"])
def test_an_outing_gone_by_names_no_last_position(rule_planner, message: str) -> None:  # noqa: ANN001
    from agent.planners.slots import parse_slots

    assert parse_slots(message, rule_planner.vocab, 4).positions == []
