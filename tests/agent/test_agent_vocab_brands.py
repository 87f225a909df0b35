"""Brands as shoppers type them: initials run together, the most stocked of one spelling, ordinary words that are
only a part of a brand's name, short words that only look like a brand run together."""

from __future__ import annotations

import pandas as pd

from agent.planners.vocab import Vocabulary, join_initials
from tools.language import normalise


class _Catalog:
    def __init__(self) -> None:
        rows = ([("m.i.x. Beauty", f"m.i.x. Beauty Matte Lipstick shade {i}") for i in range(20)]
                + [("Mix", "Mix Travel Bottle")]
                + [("Loving Hands", f"Loving Hands Shea Hand Lotion {i} oz") for i in range(6)]
                + [("Andis", f"Andis Cordless Clipper model {i}") for i in range(4)])
        self._frame = pd.DataFrame({"brand": [r[0] for r in rows], "title": [r[1] for r in rows],
                                    "category": ["Things"] * len(rows), "category_path": ["Shop > Things"] * len(rows)})

    def frame(self) -> pd.DataFrame:
        return self._frame

    def brands(self) -> list[str]:
        return ["Mix", "m.i.x. Beauty", "Loving Hands", "Andis"]

    def users(self) -> list[str]:
        return []


def test_initials_run_together() -> None:
    assert join_initials("m i x beauty lipstick") == "mix beauty lipstick"
    assert join_initials("a red lipstick") == "a red lipstick"


def test_initials_typed_as_one_word_name_the_most_stocked_brand_spelt_so() -> None:
    vocab = Vocabulary.from_catalog(_Catalog())
    assert vocab.find_brand("mix lipstick") == "m.i.x. Beauty"
    assert vocab.brand_evidenced("m.i.x. Beauty", "mix lipstick")  # the initials are the brand's coined name


def test_an_ordinary_word_that_is_only_part_of_a_brand_is_that_word() -> None:
    vocab = Vocabulary.from_catalog(_Catalog())
    assert not vocab.brand_evidenced("Loving Hands", "a lotion for my loving grandma")
    assert vocab.brand_evidenced("Loving Hands", "loving hands lotion")  # the whole name, the titles agree
    assert vocab.brand_evidenced("Loving Hands", "a lotion by loving")  # marked as a brand


def test_short_words_run_together_are_no_misspelt_brand() -> None:
    vocab = Vocabulary.from_catalog(_Catalog())
    assert vocab.find_brand(normalise("it trims well and is quiet")) is None
    assert vocab.find_brand(normalise("andis clipper")) == "Andis"


class _IngredientCatalog(_Catalog):
    def __init__(self) -> None:
        super().__init__()
        extra = pd.DataFrame({"brand": ["Ceramidex"] + [f"Maker {i}" for i in range(12)] + ["Zorbo"] * 10,
                              "title": ["Ceramidex Night Cream"] + [f"Maker {i} Ceramidex Rich Cream" for i in range(12)]
                              + [f"Zorbo Dry Shampoo Spray {i}" for i in range(10)]})
        extra["category"], extra["category_path"] = "Things", "Shop > Things"
        self._frame = pd.concat([self._frame, extra], ignore_index=True)

    def brands(self) -> list[str]:
        return [*super().brands(), "Ceramidex", "Zorbo Dry Shampoo"]


def test_a_name_many_other_brands_titles_use_is_a_product_word() -> None:
    vocab = Vocabulary.from_catalog(_IngredientCatalog())
    assert not vocab.brand_evidenced("Ceramidex", "a ceramidex cream for dry hands")  # 12 of 13 titles: others'
    assert vocab.brand_evidenced("Ceramidex", "night cream by ceramidex")  # marked as a brand
    assert vocab.brand_evidenced("Zorbo Dry Shampoo", "zorbo dry shampoo")  # "Zorbo" titles: the same brand
