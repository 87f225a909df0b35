"""The leaf-by-meaning also reads the hand-written needs (``agent/planners/need_examples.txt``): a need near one of
them is answered by that example's leaf, when the catalog has it."""

from __future__ import annotations

from agent.planners.rules import load_need_examples
from agent.planners.vocab import Vocabulary
from fixtures.frame_catalog import FrameCatalog
from fixtures.planner_stubs import ROWS, SHOWN, ToyEmbedder, planned


def test_every_need_example_is_a_leaf_and_a_need() -> None:
    pairs = load_need_examples()
    assert len(pairs) >= 60
    assert all(leaf.strip() and len(need.split()) >= 4 for leaf, need in pairs)


def test_a_need_near_an_example_is_answered_by_its_leaf() -> None:
    rows = ROWS + [("Soft", f"Soft Hand Cream {i}", "Hand Creams & Lotions", "Shop > Skin > Hand Creams & Lotions")
                   for i in range(4)]
    vocab = Vocabulary.from_catalog(FrameCatalog.of(rows))
    toy = ToyEmbedder({"knuckles": 0, "tents": 1, "tint": 2})  # only the example says "knuckles"; no leaf name does
    action, args, _ = planned(vocab, "my knuckles are raw", SHOWN, "search", toy)
    assert (action, args.get("category")) == ("search", "Hand Creams & Lotions")
    without = Vocabulary.from_catalog(FrameCatalog.of(ROWS))  # a catalog with no such leaf: the example is skipped
    assert "category" not in planned(without, "my knuckles are raw", SHOWN, "search", toy)[1]
