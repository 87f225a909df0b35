"""Shown products named by their own words (brand or title word) stand for their positions."""

from __future__ import annotations

import pytest

from agent.planners import ShownProduct
from agent.planners.shown_refs import name_positions

SHOWN = [ShownProduct(position=1, id="a", title="Aurora Wireless Earbuds", brand="Aurora"),
         ShownProduct(position=2, id="b", title="Trailblazer Hiking Boots", brand="Trailblazer"),
         ShownProduct(position=3, id="c", title="Hydra Vitamin C Cream", brand="Lumen Labs"),
         ShownProduct(position=4, id="d", title="Summit Hiking Boots", brand="Summit")]


@pytest.mark.parametrize(("message", "positions", "definite"), [
    ("is the cream good for dry skin", [3], True),
    ("how heavy are the summit boots?", [4], True),
    ("does that lumen one smell strong", [3], True),
    ("summit or trailblazer, which grips better", [4, 2], False),
    ("hiking boots for winter", [], False),  # a word two shown products share, said bare, names neither
    ("a blender for smoothies", [], False),
])
def test_name_positions(message: str, positions: list[int], definite: bool) -> None:
    assert name_positions(message, SHOWN) == (positions, definite)


def test_a_word_shared_by_every_shown_product_names_none() -> None:
    shown = [ShownProduct(position=i, id=str(i), title=f"{b} Running Shoes", brand=b)
             for i, b in enumerate(["Alpha", "Beta"], start=1)]
    assert name_positions("are the shoes waterproof", shown) == ([], False)


def test_nothing_shown_names_nothing() -> None:
    assert name_positions("the cream", []) == ([], False)


def test_words_of_the_kind_said_name_no_shown_product() -> None:
    shown = [ShownProduct(position=1, id="a", title="Argan Oil Hair Mask", brand="Agadir"),
             ShownProduct(position=2, id="b", title="Thinning Scalp Therapy System", brand="Nioxin"),
             ShownProduct(position=3, id="c", title="Restore Overnight Treatment", brand="Living Proof")]
    message = "hair and scalp treatments that are blow out"
    assert name_positions(message, shown)[0] == [1, 2, 3]  # read alone, the kind's words match the titles
    assert name_positions(message, shown, said_kind=frozenset({"hair", "scalp", "treatment"})) == ([], False)
    # "the" before the kind's word points at the shown product of that kind after all
    assert name_positions("is the mask any good", shown, said_kind=frozenset({"mask"})) == ([1], True)
