"""Shopper voices the rule planner reads (branch lang9): a request for products joined to a question for the shop,
what went wrong with a purchase told as a story, money matters of the shop. Every message here is invented for
the test."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct
from agent.planners.slots import parse_slots
from fixtures.planning import first_four_shown, plan_with_four_shown


_shown = first_four_shown
_plan = plan_with_four_shown


# --- two requests in one message: the product asked for is planned, the shop's question answered beside it ---
@pytest.mark.parametrize(("message", "category"), [
    ("a chef knife for my brother, also how long does delivery take to texas", "Chef Knives"),
    ("coffee maker that grinds beans + can i pay with paypal", "Coffee Makers"),
    ("show me frying pans, and btw is there a warranty on them", "Frying Pans"),
])
def test_a_product_beside_a_service_question_is_searched(rule_planner, message: str,  # noqa: ANN001
                                                         category: str) -> None:
    plan = _plan(rule_planner, message)
    assert plan.action == "search"
    assert plan.args.category == category


def test_a_narrowing_beside_a_service_question_refines(rule_planner) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, "right, only the ones below 75, also do you gift wrap?")
    assert plan.action == "refine"
    assert plan.args.max_price == 75


@pytest.mark.parametrize("message", ["where is my parcel, also can I change the address",
                                     "thanks a lot, also when does the winter sale start",
                                     "do you ship abroad and also do you take apple pay"])
def test_two_service_questions_stay_chat(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "chat"


# --- what went wrong with a purchase, told as a story; the shop's money matters ---
@pytest.mark.parametrize("message", [
    "they billed me two times for a single coffee maker",
    "the olive oil leaked inside the box and ruined the chef knife",
    "a stranger's package came to me instead of my frying pan",
    "my new kettle was cracked when it arrived, please send a new one",
    "the order for my dad is a week overdue now",
    "does the total add sales tax at the end",
    "any deal if we order several blenders for the office",
    "is there a trade-in scheme for my worn out running shoes",
    "please stop the promo emails, there are too many",
    "how does your rewards club work, I get the same espresso beans often",
])
def test_purchase_stories_and_money_matters_are_chat(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "chat"


# --- price talk typed fast: a slipped price word, a bare range right after the kind of product ---
@pytest.mark.parametrize(("message", "low", "high"), [
    ("kettle belo 35", None, 35.0),
    ("chef knife abov 80 please", 80.0, None),
    ("frying pans 25-45", 25.0, 45.0),
    ("a coffee maker 50 to 90 pls", 50.0, 90.0),
    ("a coffee maker 1,200-1,500", 1200.0, 1500.0),  # the separators read as the shared parser reads them
    ("coffee makers 1.200 to 1.500", 1200.0, 1500.0),
])
def test_price_words_typed_fast_and_ranges_after_a_kind(rule_planner, message: str, low: float | None,  # noqa: ANN001
                                                        high: float | None) -> None:
    slots = parse_slots(message, rule_planner.vocab, 4)
    assert (slots.min_price, slots.max_price) == (low, high)


@pytest.mark.parametrize("message", ["can i order 10-12?", "the order came in 2-3 days", "a chapter on 10 to 20"])
def test_words_near_price_words_and_counts_are_no_bounds(rule_planner, message: str) -> None:  # noqa: ANN001
    slots = parse_slots(message, rule_planner.vocab, 4)
    assert (slots.min_price, slots.max_price) == (None, None)


@pytest.mark.parametrize("message", ["cheapr ones?", "sumthing cheeper"])
def test_cheaper_typed_fast_is_cheaper(rule_planner, message: str) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, message)
    assert plan.action == "refine" and plan.args.cheaper


# --- a brand ruled out in more words; a brand named only as the shopper's own product being replaced ---
@pytest.mark.parametrize("message", [
    "blenders that arent from kochwerk",
    "a blender, nothing from brewhaus please",
    "chef knives, not a fan of cucina forte",
    "my old ironhearth pan is rusty, a steel frying pan this time",
    "my dermaklar cleanser was discontinued, any brand is fine",
])
def test_a_brand_ruled_out_or_replaced_is_no_filter(rule_planner, message: str) -> None:  # noqa: ANN001
    slots = parse_slots(message, rule_planner.vocab, 4)
    assert slots.brand is None and slots.ruled_out is not None
    assert slots.category is not None


@pytest.mark.parametrize(("message", "brand"), [("nothing but korra running shoes", "Korra"),
                                                ("my korra running shoes wore out, I need a new pair", "Korra")])
def test_a_brand_wanted_again_stays(rule_planner, message: str, brand: str) -> None:  # noqa: ANN001
    assert parse_slots(message, rule_planner.vocab, 4).brand == brand


# --- comparers of the shown products (shown: Harmonix headphones, Velocita and Korra "Tempo Pro" running shoes, a
# L'Atelier serum) ---
@pytest.mark.parametrize(("message", "items"), [
    ("tempo pro or tempo pro, which is better for long runs", [2, 4]),  # a name two shown titles share
    ("would the korra be a smarter buy over the velocita", [2, 4]),  # "over" names no "Over-Ear" title
])
def test_shown_products_compared_by_a_shared_name_or_past_a_title_word(rule_planner, message: str,  # noqa: ANN001
                                                                       items: list[int]) -> None:
    plan = _plan(rule_planner, message)
    assert plan.action == "compare"
    assert sorted(plan.args.items) == items


@pytest.mark.parametrize(("message", "item"), [
    ("does the serum have a weird texture or a smooth one", 3),  # a question, no pasted review
    ("the headphones, how long does the battery go for", 1),  # the question opens a clause after the product
])
def test_questions_about_a_shown_product_describe_it(rule_planner, message: str, item: int) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, message)
    assert plan.action == "describe"
    assert plan.args.item == item


def test_a_price_for_the_shown_kind_narrows_them(rule_planner) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, "the running shoes are too much for me, nothing above 150")
    assert plan.action == "refine"
    assert plan.args.max_price == 150


def test_a_new_search_for_a_kind_with_a_price_stays_a_search(rule_planner) -> None:  # noqa: ANN001
    plan = _plan(rule_planner, "looking for running shoes under 90")
    assert plan.action == "search"


# --- brand look-alikes: an ordinary word before a colour is a shade, a word's possessive no slip of a brand ---
def test_an_ordinary_word_brand_before_a_colour_is_a_shade() -> None:
    from fixtures.frame_catalog import FrameCatalog

    from agent.planners.vocab import Vocabulary

    rows = [("Olive", f"Olive Hand Soap {i}", "Soaps", "Bath > Soaps") for i in range(4)] + \
        [("Tintly", f"Tintly Nail Polish {i}", "Nail Polish", "Nails > Nail Polish") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert parse_slots("olive green nail polish, nothing glittery", vocab).brand is None
    assert parse_slots("olive hand soap", vocab).brand == "Olive"


def test_a_possessive_of_a_word_is_no_slip_of_a_brand() -> None:
    from fixtures.frame_catalog import FrameCatalog

    from agent.planners.vocab import Vocabulary

    rows = [("Godfathera", f"Godfathera Lip Balm {i}", "Lip Balms", "Lips > Lip Balms") for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert parse_slots("a lip balm for my godfather's chapped lips", vocab).brand is None


# --- a kind named by its words in other forms: "strengthen" and "nails" name "Nail Strengthening" ---
def test_a_leaf_named_by_other_forms_of_its_words() -> None:
    from fixtures.frame_catalog import FrameCatalog

    from agent.planners.vocab import Vocabulary

    rows = [("Brightsmile", f"Brightsmile Whitening Strips {i}", "Teeth Whitening", "Oral Care > Teeth Whitening")
            for i in range(3)] + [("Brightsmile", f"Brightsmile Toothbrush {i}", "Toothbrushes",
                                   "Oral Care > Toothbrushes") for i in range(3)] + \
        [("Pearlo", f"Pearlo False Teeth Kit {i}", "False Teeth", "Oral Care > False Teeth") for i in range(3)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert parse_slots("something to whiten my yellow teeth", vocab).category == "Teeth Whitening"
    assert parse_slots("false teeth for my uncle", vocab).category == "False Teeth"


@pytest.mark.parametrize("message", [
    "my coffee maker started leaking after a month, would that be covered",
    "is there a sizing guide for the running socks",
    "the parcel came with only two of the three water bottles",
    "i need an invoice for the chef knife for my expenses",
    "could i pick the tent up at your shop instead",
])
def test_service_questions_naming_a_kind_of_product_are_chat(rule_planner, message: str) -> None:  # noqa: ANN001
    assert _plan(rule_planner, message).action == "chat"


@pytest.mark.parametrize(("message", "max_price", "cheaper"), [
    ("those serums are a touch much, anything below 45?", 45, False),
    ("these running shoes are a tad much", None, True),
])
def test_the_shown_kind_said_to_cost_too_much_narrows_them(rule_planner, message: str,  # noqa: ANN001
                                                           max_price: float | None, cheaper: bool) -> None:
    plan = _plan(rule_planner, message)
    assert plan.action == "refine"
    assert plan.args.max_price == max_price and bool(plan.args.cheaper) is cheaper


def test_the_after_a_preposition_points_at_nothing_on_screen(rule_planner) -> None:  # noqa: ANN001
    catalog = rule_planner.vocab.catalog
    heads = [p for p in catalog.get_many(catalog.ids) if p.category == "Over-Ear Headphones"][:2]
    assert len(heads) == 2
    shown = [ShownProduct(position=i + 1, id=p.id, title=p.title, brand=p.brand, price=p.price)
             for i, p in enumerate(heads)]
    plan = rule_planner.plan("big headphones that sit over the ear please, under 100 dollars",
                             PlanContext(shown=shown, history=[])).action
    assert plan.action == "search" and plan.args.max_price == 100  # "the ear" names a kind, not what is shown
