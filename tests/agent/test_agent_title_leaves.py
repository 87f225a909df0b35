"""A kind of product named by words only the product titles use: the leaf whose titles hold them."""

from __future__ import annotations

import pandas as pd

from agent.planners.slots import parse_slots
from agent.planners.title_leaves import TitleLeaves, terms
from agent.planners.vocab import Vocabulary


class _Catalog:
    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self._frame = pd.DataFrame({"title": [r[0] for r in rows], "category": [r[1] for r in rows],
                                    "category_path": [r[2] for r in rows], "brand": ["Acme"] * len(rows)})

    def frame(self) -> pd.DataFrame:
        return self._frame

    def brands(self) -> list[str]:
        return ["Acme"]

    def users(self) -> list[str]:
        return []


_KETTLES = "Kitchen > Appliances > Kettles"
_PANS = "Kitchen > Cookware > Saucepans"
_GRILLS = "Kitchen > Cookware > Grill Pans"
ROWS = ([(f"Acme Cordless Electric Tea Boiler {i} litre", "Kettles", _KETTLES) for i in range(12)]
        + [(f"Acme Stainless Pot with lid, model {i}", "Saucepans", _PANS) for i in range(12)]
        + [(f"Acme Ridged Griddle Pan for steak {i}", "Grill Pans", _GRILLS) for i in range(6)]
        + [(f"Acme Stainless Tea Strainer {i}", "Saucepans", _PANS) for i in range(2)])


def test_terms_are_word_stems_and_adjacent_pairs() -> None:
    assert terms("tea boilers for me", {"for", "me"}) == ["tea", "boiler", "tea boiler"]
    assert terms("boiling")[0] == terms("boil")[0]  # one stem for the forms of a word


def test_a_word_used_by_one_leafs_titles_points_to_it() -> None:
    index = TitleLeaves([r[0] for r in ROWS], [r[1] for r in ROWS])
    shares, mass = index.shares(terms("cordless boiler"))
    assert max(shares, key=shares.get) == "Kettles" and shares["Kettles"] > 0.9 and mass > 0


def test_the_titles_name_a_category_the_category_names_lack() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    slots = parse_slots("an electric tea boiler please", vocab)
    assert slots.category is None and slots.title_category == "Kettles"  # a search's category, not a sign of intent


def test_ordinary_words_point_nowhere() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    assert parse_slots("something nice for my sister", vocab).title_category is None


def test_a_category_the_words_found_stands_when_the_titles_do_not_clearly_overrule_it() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    assert parse_slots("a ridged griddle pan for steak", vocab).category == "Grill Pans"
    assert parse_slots("a stainless pan with a lid", vocab).category == "Grill Pans"  # "pan" still says grill pan
    assert parse_slots("a stainless pot with a lid", vocab).title_category == "Saucepans"


def test_the_titles_overrule_a_category_they_do_not_back() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS + [("Acme Cast Iron Grill Pan", "Kettles", _KETTLES)] * 3))
    # "grill pan" in the kettle titles (mislabelled rows) cannot move a clear "cordless tea boiler pan" elsewhere;
    # a boiler named with the grill pans' head noun goes where the boiler titles are
    assert parse_slots("cordless electric tea boiler pan", vocab).category == "Kettles"


class _Product:
    def __init__(self, category: str) -> None:
        self.category = category


class _LookupCatalog(_Catalog):
    def get(self, product_id: str) -> _Product:
        return _Product({"k": "Kettles", "s": "Saucepans", "g": "Grill Pans"}[product_id[0]])


def _shown(*ids: str) -> list:
    from agent.planners import ShownProduct

    return [ShownProduct(position=i + 1, id=pid, title=f"Acme item {pid}", brand="Acme") for i, pid in enumerate(ids)]


def test_shown_products_picked_by_their_kind() -> None:
    from agent.planners.shown_refs import kind_positions

    vocab = Vocabulary.from_catalog(_LookupCatalog(ROWS))
    shown = _shown("k1", "s1", "k2", "g1")
    pick = lambda message: kind_positions(message, shown, vocab.kind_leaves, vocab.leaf_of)  # noqa: E731
    assert pick("which of the two boilers heats faster") == [1, 3]  # a title word of the kettles' leaf
    assert pick("both kettles, side by side") == [1, 3]  # the category's own name
    assert pick("the three kettles") == []  # two are shown: not what was said
    assert pick("which of the pans is heavier") == [4]  # "pan": the grill pans (head noun)
    assert pick("a kettle like the first") == []  # no words that pick shown products
    assert pick("which of the ones is lighter") == []  # "ones" names no kind
    assert pick("both items please") == []


def test_a_broad_category_said_as_a_modifier_gives_way_to_the_leaf_the_titles_name() -> None:
    rows = ROWS + [(f"Acme Loose Leaf Green Tea {i}", "Loose Leaf", "Drinks > Tea > Loose Leaf") for i in range(8)]
    vocab = Vocabulary.from_catalog(_Catalog(rows))
    assert vocab.find_category("a tea boiler") == "Tea"  # the words alone find the broad category
    assert parse_slots("a cordless tea boiler", vocab).category == "Kettles"  # "tea" modifies "boiler"
    assert parse_slots("tea for a cordless morning", vocab).category == "Tea"  # "tea" names what is wanted


def test_a_refine_vote_with_nothing_to_narrow_by_and_a_kind_named_by_the_titles_is_a_search() -> None:
    from agent.planners.rules import RulePlanner
    from agent.planners.slots import Slots

    slots = Slots(title_category="Kettles", query="cordless boiler")
    assert RulePlanner.decide("refine", "a cordless boiler", slots, 4, {"refine": 1.0}) == ("search",
                                                                                          "a kind by the titles")


def test_a_category_found_only_by_its_head_noun_gives_way_to_the_leaf_the_titles_name() -> None:
    rows = ([(f"Acme Emery Nail File {i}", "Nail Files & Buffers", "Body > Nails > Nail Files & Buffers")
             for i in range(20)]
            + [(f"Acme Callus Foot File {i}", "Foot Rasps", "Body > Feet > Foot Rasps") for i in range(8)])
    vocab = Vocabulary.from_catalog(_Catalog(rows))
    assert vocab.find_category("a heel file") == "Nail Files & Buffers"  # "file": the head of "nail file"
    assert parse_slots("a foot file for hard heels", vocab).category == "Foot Rasps"
    assert parse_slots("a nail file", vocab).category == "Nail Files & Buffers"  # its own name stands


def test_a_word_whose_stem_is_a_stop_word_is_no_evidence() -> None:
    assert terms("what you showed", {"what", "you", "show"}) == []
