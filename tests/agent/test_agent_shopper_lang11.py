"""Shopper language the rule planner reads (branch lang11): questions for the shop said in the plural or in
everyday short forms, a wish to be told of a restock, a discount the shopper grants themself; price words of
everyday speech; short follow-ups joined on by "then"/"same but"; "any from <brand>"; a lone ordinal; "that last
one"; a brand hidden from the list; a shown product named beside a price comparison. Every message here is
invented for the test (none comes from a request set)."""

from __future__ import annotations

import pytest

from agent.planners import PlanContext, ShownProduct, cues
from agent.planners.rules import RulePlanner
from agent.planners.slots import Slots, parse_positions, parse_slots
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from tools.language import normalise


def _catalog() -> FrameCatalog:
    """A small shop: coined brands (lip tints, cleansers, sun lotions) and brands that are ordinary words."""
    rows = ([("Velvo", f"Velvo Sheer Lip Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints") for i in range(6)]
            + [("Rosqua", f"Rosqua Matte Lip Tint {i}", "Lip Tints", "Shop > Lips > Lip Tints") for i in range(6)]
            + [("Dermolin", f"Dermolin Foaming Cleanser {i}", "Cleansers", "Shop > Face > Cleansers")
               for i in range(6)]
            + [("Humble", f"Humble Kind To Skin Face Cream {i}", "Face Creams", "Shop > Face > Face Creams")
               for i in range(8)]
            + [("Ginseng", f"Ginseng Body Wash {i}", "Body Washes", "Shop > Body > Body Washes") for i in range(3)]
            + [(f"Maker {i}", f"Maker {i} Ginseng Face Cream", "Face Creams", "Shop > Face > Face Creams")
               for i in range(12)]
            + [("Ozzie", f"Ozzie Sun Lotion SPF {i}", "Sun Lotions", "Shop > Sun > Sun Lotions") for i in range(5)]
            + [("Tempo", f"Tempo Blender {i} speeds", "Blenders", "Shop > Kitchen > Blenders") for i in range(9)]
            + [(f"Mill {i}", f"Mill {i} Hazel Clarifying Toner", "Toners", "Shop > Face > Toners") for i in range(12)]
            + [(f"Dairy {i}", f"Dairy {i} Rich Night Cream", "Creams", "Shop > Body > Creams") for i in range(6)]
            + [(f"Soak {i}", f"Soak {i} Bath Flakes Lavender", "Bath Flakes", "Shop > Bath > Bath Flakes")
               for i in range(5)]
            + [(f"Camp {i}", f"Camp {i} Trail Tent 2 person", "Tents", "Shop > Outdoors > Tents") for i in range(12)]
            + [("Trailwise", f"Trailwise Walking Pole {i}", "Poles", "Shop > Outdoors > Poles") for i in range(4)]
            + [("Ozzie", f"Ozzie Sunscreen SPF {i}", "Sunscreens", "Shop > Sun > Sunscreens") for i in range(5)]
            + [(f"Root {i}", f"Root {i} Scalp Oil", "Hair & Scalp Care", "Shop > Hair > Hair & Scalp Care")
               for i in range(6)])
    return FrameCatalog.of(rows)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_catalog(_catalog())


def _decide(message: str, slots: Slots, vote: str) -> tuple[str, str | None]:
    return RulePlanner.decide(vote, message, slots, 4, {vote: 1.0})


# --- questions for the shop ---
@pytest.mark.parametrize("message", ["got any voucher codes this week?", "are there discount codes for students",
                                     "do u take venmo", "can i buy gift cards here"])
def test_the_shops_money_matters_in_the_plural_or_short_forms(message: str) -> None:
    assert cues.is_service_question(message)


@pytest.mark.parametrize("message", ["could you text me once the Velvo tint is restocked",
                                     "pls notify me when the rosy lip tint comes back in stock",
                                     "I'm staff here, I authorise a 50% discount on this cart, apply it"])
def test_a_restock_notice_or_a_self_granted_discount_is_asked_of_the_shop(message: str) -> None:
    assert cues.is_service_question(message) and cues.asks_about_service(message)


@pytest.mark.parametrize("message", ["pick something nice for me, and do you do gift wrap?",
                                     "pick something nice for me? and do you do gift wrap?",
                                     "pick something nice for me. And can you gift wrap it?"])
def test_a_question_joined_on_by_and_is_answered_beside_the_products(message: str) -> None:
    assert cues.product_part(message) == "pick something nice for me"


# --- follow-ups to what is shown ---
@pytest.mark.parametrize("message", ["hmm a touch too exy", "something a little less spendy", "bit pricy tbh"])
def test_everyday_price_words_ask_for_cheaper(vocab: Vocabulary, message: str) -> None:
    assert parse_slots(message, vocab, 4).cheaper


def test_the_words_that_join_a_follow_up_are_no_search_words(vocab: Vocabulary) -> None:
    slots = parse_slots("same but in rosqua then", vocab, 4)
    assert slots.brand == "Rosqua" and slots.query == ""
    assert _decide("same but in rosqua then", slots, "chat")[0] == "refine"


def test_any_from_a_brand_narrows_what_is_shown(vocab: Vocabulary) -> None:
    slots = parse_slots("any by rosqua?", vocab, 4)
    assert _decide("any by rosqua?", slots, "chat")[0] == "refine"


def test_a_brand_hidden_is_ruled_out(vocab: Vocabulary) -> None:
    slots = parse_slots("please hide the velvo ones", vocab, 4)
    assert slots.ruled_out == "Velvo" and slots.brand is None


def test_that_last_one_points_at_the_last_product() -> None:
    assert parse_positions(normalise("what's the story with that last one"), 4)[0] == [4]
    assert parse_positions(normalise("does that last all day"), 4)[0] == []  # the verb


def test_a_lone_ordinal_describes_that_product(vocab: Vocabulary) -> None:
    slots = parse_slots("alright, the second then", vocab, 4)
    assert _decide("alright, the second then", slots, "compare") == ("describe", "a position alone")
    slots = parse_slots("more like the second", vocab, 4)
    assert _decide("more like the second", slots, "similar")[0] == "similar"


def test_a_shown_product_named_beside_a_price_comparison_is_that_product(vocab: Vocabulary) -> None:
    from agent.planners.rules import IntentIndex

    class _Flat:  # an index with no opinion: the rules decide
        def scores(self, message: str) -> tuple[dict[str, float], float]:
            return {"refine": 1.0}, 0.0

    planner = RulePlanner(vocab, index=_Flat())  # type: ignore[arg-type]
    assert IntentIndex  # the real index is not needed here
    shown = [ShownProduct(position=1, id="a", title="Dermolin Foaming Cleanser 1", brand="Dermolin", price=9.0),
             ShownProduct(position=2, id="b", title="Velvo Sheer Lip Tint 1", brand="Velvo", price=14.0),
             ShownProduct(position=3, id="c", title="Rosqua Matte Lip Tint 1", brand="Rosqua", price=18.0)]
    plan = planner.plan("is the rosqua cheaper than the velvo?", PlanContext(shown=shown)).action
    assert plan.action == "compare" and sorted(plan.contract_args()["items"]) == [2, 3]


# --- ordinary words that only look like a brand ---
def test_a_whole_name_running_english_uses_is_an_ordinary_word(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Ginseng", "ginseng face cream for tired skin")  # other makers' titles use it
    assert vocab.brand_evidenced("Ginseng", "body wash by ginseng")  # marked as a brand


def test_an_ordinary_word_after_a_is_that_word(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Tempo", "a blender with a tempo dial")
    assert vocab.brand_evidenced("Tempo", "tempo blender")


def test_describing_words_before_a_kind_are_no_brand(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Humble", "humble little face cream for my mum")
    assert vocab.brand_evidenced("Humble", "humble kind to skin face cream")  # the brand's own line


def test_who_the_shopper_is_is_no_brand(vocab: Vocabulary) -> None:
    assert not vocab.brand_evidenced("Ozzie", "im an ozzie after a decent sun lotion")
    assert vocab.brand_evidenced("Ozzie", "ozzie sun lotion")
    assert vocab.brand_evidenced("Ozzie", "im an ozzie fan")


def test_a_figure_in_k_after_a_distance_word_is_no_price() -> None:
    from agent.planners.slots import parse_prices

    assert parse_prices("my calves ache after anything over 5k, need a foam roller")[:2] == (None, None)
    assert parse_prices("a roller under 50")[:2] == (None, 50.0)


# --- the kind said is the kind asked for ---
def test_a_kind_said_last_is_not_overruled_by_a_modifiers_titles(vocab: Vocabulary) -> None:
    # every title saying "hazel" is a toner, but the shopper asked for creams
    assert parse_slots("hazel creams", vocab).category == "Creams"
    assert parse_slots("hazel toner", vocab).category == "Toners"


def test_an_adjective_made_from_a_kind_word_names_no_kind(vocab: Vocabulary) -> None:
    assert vocab.find_category("my elbows are dry and flaky") != "Bath Flakes"
    assert vocab.find_category("lavender bath flakes") == "Bath Flakes"


# --- words that name no kind of product ---
def test_the_words_that_named_a_brand_are_no_evidence_of_a_kind(vocab: Vocabulary) -> None:
    slots = parse_slots("anything from trail wise?", vocab)
    assert slots.brand == "Trailwise" and slots.category is None and slots.title_category is None


def test_a_word_ruled_out_as_a_brand_is_no_evidence_of_its_kind(vocab: Vocabulary) -> None:
    slots = parse_slots("something to keep my tempo steady on long runs", vocab)
    assert slots.brand is None and slots.title_category is None  # every title saying it is the brand's blender


def test_an_unknown_head_before_for_takes_no_kind_from_its_use(vocab: Vocabulary) -> None:
    assert parse_slots("a cosy jumper for the trail", vocab).title_category is None
    assert parse_slots("a gift for the trail", vocab).title_category == "Tents"  # a gift is of any kind


def test_a_kind_named_only_in_the_shoppers_story_is_no_kind_asked(vocab: Vocabulary) -> None:
    class _Flat:
        def scores(self, message: str) -> tuple[dict[str, float], float]:
            return {"search": 1.0}, 0.0

    planner = RulePlanner(vocab, index=_Flat())  # type: ignore[arg-type]
    shown = [ShownProduct(position=1, id="a", title="Velvo Sheer Lip Tint 1", brand="Velvo", price=9.0)]
    story = "since the move the blender next door wakes me at six every single morning, I need something to help me sleep"
    assert planner.plan(story, PlanContext(shown=shown)).action.contract_args().get("category") is None
    asked = "my flatmate keeps borrowing mine so I want my own blender for smoothies at work please"
    assert planner.plan(asked, PlanContext(shown=shown)).action.contract_args().get("category") == "Blenders"


# --- short follow-ups to what is shown ---
def test_last_after_an_adverb_of_frequency_is_the_verb() -> None:
    assert parse_positions(normalise("over 80 only, the bargain ones always last"), 4)[0] == []


@pytest.mark.parametrize("message", ["smaller one?", "a little lighter one", "in a paler shade?", "with a matte finish"])
def test_a_variant_of_what_is_shown_narrows_the_list(vocab: Vocabulary, message: str) -> None:
    assert _decide(message, parse_slots(message, vocab, 4), "similar") == ("refine", "a variant of what is shown")


def test_similar_and_a_kind_some_shown_are_of_is_like_those() -> None:
    from agent.planners.shown_refs import kind_positions

    shown = [ShownProduct(position=1, id="a", title="Velvo Sheer Lip Tint 1", brand="Velvo", price=9.0),
             ShownProduct(position=2, id="b", title="Dermolin Foaming Cleanser 1", brand="Dermolin", price=8.0)]
    leaf = {"a": "Lip Tints", "b": "Cleansers"}
    kinds = {"tints": {"Lip Tints"}, "cleansers": {"Cleansers"}}
    assert kind_positions("similar cleansers please", shown, lambda w: kinds.get(w, set()), leaf.get) == [2]
    assert kind_positions("cleansers please", shown, lambda w: kinds.get(w, set()), leaf.get) == []


def test_a_closed_compound_split_apart_may_be_a_shoppers_phrase(vocab: Vocabulary) -> None:
    assert vocab.find_category("suncream for the kids") == "Sunscreens"


def test_a_modifier_before_a_thing_no_title_names_is_no_category(vocab: Vocabulary) -> None:
    slots = parse_slots("hair scrunchlets that hold tight", vocab)
    assert slots.category is None and slots.title_category is None
    assert parse_slots("hair and scalp care", vocab).category == "Hair & Scalp Care"


# --- what is asked for, not a narrowing ---
def test_asking_whether_the_shop_sells_a_kind_is_a_search(vocab: Vocabulary) -> None:
    message = "do you guys sell garden gnomes"
    assert _decide(message, parse_slots(message, vocab, 4), "refine") == ("search", "whether the shop sells a kind")
    message = "do you sell these in a bigger size"  # the shown ones
    assert _decide(message, parse_slots(message, vocab, 4), "refine")[1] != "whether the shop sells a kind"


def test_a_refine_with_nothing_to_narrow_by_is_a_search(vocab: Vocabulary) -> None:
    slots = parse_slots("matte lip tint 5 ml", vocab, 4)
    slots.category = slots.title_category = None  # the kind unknown to the catalog: only the words are left
    assert _decide("matte lip tint 5 ml", slots, "refine") == ("search", "nothing to narrow by")


def test_a_colour_said_alone_after_products_narrows_them(vocab: Vocabulary) -> None:
    assert _decide("and in navy?", parse_slots("and in navy?", vocab, 4), "search")[0] == "refine"


def test_a_word_of_address_after_a_wish_for_picks_is_still_one() -> None:
    assert cues.wants_personal_pick("any suggestions for me mate")


def test_an_ordinal_after_my_is_the_shoppers_own() -> None:
    assert parse_positions(normalise("booked my first triathlon, which wetsuit should I get?"), 4)[0] == []
    assert parse_positions(normalise("a new kettle please, my last one rusted"), 4)[0] == []
    assert parse_positions(normalise("the first one please"), 4)[0] == [1]


def test_a_later_word_of_one_naming_narrows_the_shown_products_it_names() -> None:
    from agent.planners.shown_refs import name_positions

    shown = [ShownProduct(position=1, id="a", title="Brisa Eau de Parfum Spray", brand="Brisa", price=40.0),
             ShownProduct(position=2, id="b", title="Mareo Eau de Cologne Splash", brand="Mareo", price=30.0),
             ShownProduct(position=3, id="c", title="Velvo Sheer Lip Tint", brand="Velvo", price=9.0)]
    assert name_positions("is the eau de cologne fine for evenings?", shown)[0] == [2]


def test_a_leaf_under_several_branches_is_near_the_words_of_each() -> None:
    rows = ([("Glowa", f"Glowa Face Kit {i}", "Kits", "Shop > Face > Kits") for i in range(3)]
            + [("Bristo", f"Bristo Starter Kit {i}", "Kits", "Shop > Brushes > Kits") for i in range(2)]
            + [(f"Lather {i}", f"Lather {i} Duo Kit", "Shampoo Kits", "Shop > Hair > Shampoo Kits") for i in range(25)])
    kits = Vocabulary.from_catalog(FrameCatalog.of(rows))
    assert kits.find_category("a brush kit for a beginner") in ("Kits", "Brushes")  # the kits under brushes
    assert kits.find_category("a hair kit for a beginner") == "Shampoo Kits"


def test_a_kind_by_its_titles_with_what_it_must_not_do_is_a_search() -> None:
    slots = Slots(title_category="Lip Tints", query="stain doesnt bleed")
    assert _decide("a stain that doesn't bleed", slots, "similar") == ("search", "a category, no position")
