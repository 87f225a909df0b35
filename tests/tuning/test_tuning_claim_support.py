"""Issue 14 item 4(c): claim support of the first drafts, with a scripted model (no server)."""

from __future__ import annotations

import asyncio

from fixtures.describe import copy_json
from tuning.copy_eval import aggregate, describe_sample, sample_product_ids

# 6 claims (title, 3 bullets, 2 sentences); 3 are not in the facts (300 g, Gore-Tex, 10 mm)
BAD_P1 = copy_json("Stridewell Glide 3 Running Shoes, Navy",
                   ["Engineered mesh upper", "Weighs 300 g", "Waterproof Gore-Tex lining"],
                   "The Stridewell Glide 3 has a breathable engineered mesh upper. It has a 10 mm heel-to-toe drop.")
# 5 claims, all in the facts
GOOD_P2 = copy_json("Hydrafy Sport Water Bottle, 750 ml", ["Holds 750 ml", "Stainless steel", "Blue"],
                    "A stainless steel water bottle that holds 750 ml.")


def test_sample_is_seeded_and_only_describable_products(shoe_catalog) -> None:
    first = sample_product_ids(shoe_catalog, n=12, seed=3)
    assert first == sample_product_ids(shoe_catalog, n=12, seed=3)
    assert sorted(first) == ["P1", "P2"]  # P3 has no attributes or features: the describer could not write it
    assert len(sample_product_ids(shoe_catalog, n=1, seed=0)) == 1


def test_rate_counts_first_draft_claims_before_removal(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, {"Stridewell": [BAD_P1], "Hydrafy": [GOOD_P2]})
    score = asyncio.run(describe_sample(d, ["P1", "P2", "P3"]))
    assert (score.products, score.described) == (3, 2)
    assert list(score.failed) == ["P3"] and "no attributes" in score.failed["P3"]
    assert (score.claims, score.supported) == (11, 8)
    assert score.rate == round(8 / 11, 4)  # the copy returned has only supported claims; the draft did not
    assert set(score.unsupported_examples) == {"Weighs 300 g", "Waterproof Gore-Tex lining",
                                               "It has a 10 mm heel-to-toe drop."}
    assert score.completion_tokens == 200  # two completions; the failed product never reached the model


def test_no_claims_gives_no_rate() -> None:
    score = aggregate([])
    assert score.claims == 0 and score.rate is None
