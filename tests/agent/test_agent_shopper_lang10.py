"""Shopper language the rule planner reads (branch lang10): ordinary words that only look like a brand (a word made
from a brand's coined word, a state after "get"/"feel", an adjective between "a" and a kind); a kind word whose
titles spread over one branch of leaves; two shown products of one kind set against each other by a comparative of
price. Every message here is invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct
from agent.planners.shown_refs import comparative_positions
from agent.planners.slots import FILLER
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog


def _catalog() -> FrameCatalog:
    """A small shop: a brand that is an ordinary word, one with a coined word, one like a participle, and a scent
    branch whose titles share one kind word."""
    rows = ([("Gentle", f"Gentle Foaming Cleanser {i} oz", "Cleansers", "Shop > Face > Cleansers")
             for i in range(8)]
            + [("Glossa Labs", f"Glossa Labs Lip Oil shade {i}", "Lip Oils", "Shop > Lips > Lip Oils")
               for i in range(6)]
            + [("Scorched", f"Scorched After Sun Gel {i}", "After Sun", "Shop > Sun > After Sun")
               for i in range(5)]
            + [("Zentrix", f"Zentrix Heated Lash Curler {i}", "Lash Curlers", "Shop > Eyes > Lash Curlers")
               for i in range(5)]
            + [("Velvo", f"Velvo Wave Defining Balm {i}", "Wave Definers", "Shop > Hair > Wave Definers")
               for i in range(4)]
            + [("Velvo", f"Velvo Sheer Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints") for i in range(3)]
            + [(f"Balmer {i % 3}", f"Balmer {i % 3} Lip Balm {i}", "Balms", "Shop > Lips > Balms")
               for i in range(6)]
            + [(f"House {i % 5}", f"House {i % 5} Atomiser Eau Fraiche no {i}", "Eau Fraiche",
                "Shop > Scents > Ladies > Eau Fraiche") for i in range(20)]
            + [(f"House {i % 5}", f"House {i % 5} Atomiser Body Mist no {i}", "Body Mists",
                "Shop > Scents > Ladies > Body Mists") for i in range(6)]
            + [(f"Atelier {i % 3}", f"Atelier {i % 3} Atomiser Aftershave no {i}", "Aftershave",
                "Shop > Scents > Gents > Aftershave") for i in range(4)]
            + [(f"Maker {i % 40}", f"Maker {i % 40} Shampoo formula {i} variant {i * 7}", "Shampoos",
                "Shop > Hair > Shampoos") for i in range(2000)])
    return FrameCatalog.of(rows)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(_catalog())


# --- brand look-alikes: an ordinary word in use is no brand ---
def test_a_word_made_from_a_brands_coined_word_is_no_slip_of_it(vocab: Vocabulary) -> None:
    assert vocab.find_brand("a lip oil from glissa") == "Glossa Labs"  # a letter slipped: still the brand
    assert vocab.find_brand("my lips look glossay") is None  # "-y" made from the word: no slip
    assert vocab.find_brand("lips that stay glossaing") is None


def test_a_state_after_get_or_feel_is_no_brand(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Scorched", "my shoulders always get scorched on the boat")
    assert not vocab.brand_evidenced("Scorched", "skin feels so scorched tonight")
    assert vocab.brand_evidenced("Scorched", "scorched after sun gel")  # the brand's own name before its kind


def test_an_adjective_between_a_and_a_kind_is_no_brand(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Gentle", "i need a gentle cleanser for my teen")
    assert vocab.brand_evidenced("Gentle", "gentle cleansers please")  # the titles use the word for the brand


# --- a kind word whose titles spread over one branch: that branch, or the one the message names ---
def test_a_kind_word_spread_over_a_branch_names_the_branch(vocab: Vocabulary) -> None:
    assert vocab.kind_by_titles("an atomiser", FILLER) == "Scents"
    assert vocab.kind_by_titles("atomiser for ladies", FILLER) == "Ladies"
    assert vocab.kind_by_titles("an atomiser like zqorvani makes", FILLER) is None  # a name the shop lacks
    assert vocab.kind_by_titles("variant", FILLER) is None  # no branch holds its titles


# --- two shown products of one kind set against each other by a comparative of price ---
def _shown(rule_planner, leaves: list[str]) -> list[ShownProduct]:  # noqa: ANN001
    products = list(rule_planner.vocab.catalog.products())
    picked, seen = [], set()
    for leaf in leaves:
        p = next(p for p in products if p.category == leaf and p.brand and p.price and p.id not in seen)
        seen.add(p.id)
        picked.append(p)
    return [ShownProduct(position=i, id=p.id, title=p.title, brand=p.brand, price=p.price)
            for i, p in enumerate(picked, 1)]


def test_a_comparative_of_price_sets_two_shown_of_a_kind_side_by_side(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    vocab = rule_planner.vocab
    said = "the dearer running shoes against the other pair - which one would you take?"
    assert comparative_positions(said, shown, vocab.kind_leaves, vocab.leaf_of) == [2, 4]
    assert comparative_positions("the dearer running shoes please", shown, vocab.kind_leaves, vocab.leaf_of) == []
    plan = rule_planner.plan("is the less expensive pair of running shoes as good as the pricier one, or not?",
                             PlanContext(shown=shown)).action
    assert (plan.action, plan.args.items) == ("compare", [2, 4])


# --- a brand named as it sounds is the brand, no word left to search by ---
def test_a_brand_heard_leaves_no_search_words(vocab: Vocabulary) -> None:
    from agent.planners.slots import parse_slots

    slots = parse_slots("only the zentricks ones", vocab, 4)
    assert (slots.brand, slots.query) == ("Zentrix", "")


# --- a catalog phrase said with an article inside it ---
def test_a_catalog_phrase_with_an_article_inside_names_its_category(rule_planner) -> None:  # noqa: ANN001
    assert rule_planner.vocab.find_category("headphones that sit over the ear for the office") == "Over-Ear Headphones"


# --- a figure reached after a while or along a way is a distance ---
def test_a_figure_after_a_while_is_no_price() -> None:
    from agent.planners.slots import parse_prices

    assert parse_prices("my knees ache after roughly 15k on the road")[:2] == (None, None)
    assert parse_prices("a watch within 2k")[:2] == (None, None)
    assert parse_prices("boots under 200")[:2] == (None, 200.0)


# --- likeness with nothing shown pointed at; a kind asked for someone; a price with a few words of chatter ---
def test_likeness_to_nothing_shown_is_a_search(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    plan = rule_planner.plan("blender dupes below 40", PlanContext(shown=shown)).action
    assert (plan.action, plan.args.max_price) == ("search", 40.0)
    assert rule_planner.plan("more like the second one", PlanContext(shown=shown)).action.action == "similar"


def test_a_kind_asked_for_someone_is_a_search(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    plan = rule_planner.plan("a present for my uncle who loves his morning coffee, a coffee maker maybe",
                             PlanContext(shown=shown)).action
    assert (plan.action, plan.args.category) == ("search", "Coffee Makers")


def test_a_price_with_chatter_narrows_what_is_shown(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    plan = rule_planner.plan("nothing above 60 thanks, it's for a raffle", PlanContext(shown=shown)).action
    assert (plan.action, plan.args.max_price) == ("refine", 60.0)


# --- a brand with nothing in the leaf its kind named: its own leaf another word of the message names ---
def test_a_brand_kind_goes_to_its_own_leaf_another_word_names(vocab: Vocabulary) -> None:
    assert vocab.brand_kind("Velvo", "Balms", "velvo wave balm") == "Wave Definers"
    assert vocab.brand_kind("Velvo", "Balms", "velvo balm") == "Balms"  # no other word says which


def test_a_new_search_with_a_price_stays_a_search(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    plan = rule_planner.plan("hunting for a telescope, nothing above 70", PlanContext(shown=shown)).action
    assert plan.action == "search"


# --- slang for a kind, naming a leaf under the parent the other words found ---
def test_slang_for_a_kind_names_the_leaf_under_the_parent_said(rule_planner) -> None:  # noqa: ANN001
    assert rule_planner.vocab.find_category("fresh kicks for my running club") == "Running Shoes"
    assert rule_planner.vocab.find_category("a kick scooter for the park") is None  # the slang is plural only


# --- a shown product's kind words said with another brand's whole name: that brand's products, none shown ---
def test_kind_words_of_a_shown_product_with_another_brand_name_no_shown_product(rule_planner) -> None:  # noqa: ANN001
    shown = _shown(rule_planner, ["Serums", "Running Shoes", "Blenders", "Running Shoes"])
    others = sorted({p.brand for p in rule_planner.vocab.catalog.products()
                     if p.category == "Running Shoes" and p.brand} - {p.brand for p in shown})
    plan = rule_planner.plan(f"my old pair wore out, I hear {others[0]} is good, running shoes ones please",
                             PlanContext(shown=shown)).action
    assert plan.action == "search" and plan.args.brand == others[0]


# --- a wish said ("I'd like", "I'm after") makes a long message with a review-like word a request ---
def test_a_wish_with_a_review_word_is_no_pasted_review() -> None:
    from agent.planners import cues

    assert not cues.is_pasted_review("my old kettle broke last winter so I'd like a quiet one for the caravan")
    assert cues.is_pasted_review("my old kettle broke last winter and the lid never shut properly from day one")


def test_a_word_of_the_kinds_own_path_names_no_other_leaf_of_the_brand(vocab: Vocabulary) -> None:
    assert vocab.brand_kind("Velvo", "Balms", "velvo lip balm") == "Balms"  # "lip" is the balms' own path
