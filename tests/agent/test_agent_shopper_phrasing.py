"""Shopper phrasings the planner reads by mechanism: everyday synonyms and "w/" in category names, closed
compounds with a short head, a brand's own leaf for a kind of product, "last" as a verb, cheaper wishes, shown
products named by two words of their own title, picks "the two pairs of", new searches, shop and meal questions."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct, cues
from agent.planners.shown_refs import kind_positions, name_positions
from agent.planners.slots import parse_positions, parse_slots
from agent.planners.vocab import Vocabulary
from tools.language import normalise, parse_bounds
from fixtures.frame_catalog import FrameCatalog


def _catalog() -> FrameCatalog:
    rows = ([("Plumo", f"Plumo Blending Sponge {i}", "Puffs, Sponges & Wedges", "Beauty > Tools") for i in range(5)]
            + [("Bathly", f"Bathly Body Sponge {i}", "Loofahs, Sponges & Poufs", "Beauty > Bath") for i in range(9)]
            + [("Rockhop", f"Rockhop Trail Backpack {i}L", "Hiking Backpacks", "Outdoor > Bags") for i in range(5)]
            + [("Glossa", f"Glossa Shine Lip Gloss {i}", "Lip Glosses", "Beauty > Lips") for i in range(5)]
            + [("Sunward", f"Sunward SPF 50 Sunscreen {i}", "Sunscreens", "Beauty > Sun") for i in range(5)]
            + [("Dewly", f"Dewly Rich Face Cream {i}", "Moisturizers", "Skin > Face") for i in range(4)]
            + [("Dewly", f"Dewly Face Toner {i}", "Toners", "Skin > Face") for i in range(3)])
    return FrameCatalog.of([(b, t, c, f"{p} > {c}") for b, t, c, p in rows])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(_catalog())


def test_everyday_synonym_and_closed_compound_with_a_short_head(vocab: Vocabulary) -> None:
    assert parse_slots("some sunblock for a ski trip", vocab).category == "Sunscreens"
    assert parse_slots("a shimmery lipgloss", vocab).category == "Lip Glosses"


def test_a_brands_kind_of_product_is_its_own_leaf(vocab: Vocabulary) -> None:
    assert parse_slots("plumo sponges", vocab).category == "Puffs, Sponges & Wedges"
    assert parse_slots("rockhop packs", vocab).title_category == "Hiking Backpacks"
    # a broad category said as a modifier: the brand's own leaf under it whose titles use the other words
    assert parse_slots("dewly face cream", vocab).category == "Moisturizers"


def test_with_written_as_w_slash_ends_a_compound() -> None:
    from agent.planners.slots import _WITH
    assert _WITH.sub("with ", "gel w/ aloe") == "gel with aloe"


@pytest.mark.parametrize(("text", "positions"), [
    ("how long does the blue one last in the cold", []),
    ("how long would a charge last", []),
    ("tell me about the last one", [4]),
])
def test_last_as_a_verb_after_how_long(text: str, positions: list[int]) -> None:
    assert parse_positions(normalise(text), 4)[0] == positions


@pytest.mark.parametrize("text", ["could you go a bit lower", "anything more wallet friendly", "lower on the price"])
def test_cheaper_wishes(vocab: Vocabulary, text: str) -> None:
    assert parse_slots(text, vocab, 4).cheaper


def test_a_negation_before_a_describing_word_is_no_negated_bound() -> None:
    bounds = parse_bounds("a plain kettle, nothing flashy under 40")
    assert (bounds.min_price, bounds.max_price) == (None, 40.0)
    bounds = parse_bounds("nothing priced over 40")
    assert (bounds.min_price, bounds.max_price) == (None, 40.0)


SHOWN = [ShownProduct(position=1, id="a", title="Lumo Midnight Orchid Eau de Parfum", brand="Lumo"),
         ShownProduct(position=2, id="b", title="Trek Alpine Hiking Boots", brand="Trek"),
         ShownProduct(position=3, id="c", title="Lumo Citrus Rain Body Mist", brand="Lumo"),
         ShownProduct(position=4, id="d", title="Ridge Alpine Hiking Boots - Grey", brand="Ridge")]


def test_two_words_of_one_title_name_it() -> None:
    assert name_positions("does midnight orchid smell sweet", SHOWN) == ([1], True)
    # a brand and a kind of product are no product's own name
    assert name_positions("lumo mist", SHOWN, {"mist"})[1] is False


def test_a_product_named_again_definitely() -> None:
    assert name_positions("how tall is the grey ridge boot", SHOWN)[1] is True
    assert name_positions("is grey a good colour on the ridge", SHOWN) == ([4], True)


def test_the_two_pairs_of_a_kind() -> None:
    leaves = {"a": "Perfume", "b": "Boots", "c": "Mist", "d": "Boots"}
    assert kind_positions("the two pairs of boots next to each other", SHOWN,
                          lambda w: {"Boots"} if w.startswith("boot") else set(), leaves.get) == [2, 4]


@pytest.mark.parametrize(("message", "expected"), [
    ("will you restock the blue one soon?", True),
    ("is everything you sell made without parabens?", True),
    ("could you gift wrap the candle", True),
])
def test_shop_questions(message: str, expected: bool) -> None:
    assert cues.is_service_question(message) is expected


def test_a_meal_to_cook_is_off_topic() -> None:
    assert cues.is_off_topic("what can we cook for supper")
    assert not cues.is_off_topic("a pan to cook pasta in")


@pytest.mark.parametrize(("message", "action", "args"), [
    ("put the pair of shoes side by side for me", "compare", {}),
    ("find dupes of the first one", "similar", {"item": 1}),
    ("searching for a speaker, nothing over 90 dollars", "search", {"max_price": 90.0}),
])
def test_planner_phrasings(rule_planner, message: str, action: str, args: dict) -> None:  # noqa: ANN001
    products = rule_planner.vocab.catalog.get_many(rule_planner.vocab.catalog.ids[:4])
    shown = [ShownProduct(position=i + 1, id=p.id, title=p.title, brand=p.brand, price=p.price)
             for i, p in enumerate(products)]
    plan = rule_planner.plan(message, PlanContext(shown=shown)).action
    assert plan.action == action
    for key, value in args.items():
        assert getattr(plan.args, key) == value
