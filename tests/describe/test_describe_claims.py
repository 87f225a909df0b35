"""The claim checker on hand-written copy: wrong numbers/units/materials are flagged, correct ones are not."""

from __future__ import annotations

import pytest

from tools.describe.claims import ClaimChecker, FactIndex, catalog_vocabulary, quantities, split_claims
from tools.describe.facts import SourceFacts
from tools.describe.models import ProductCopy
from tools.search.models import ReviewSnippet


@pytest.fixture()
def bottle() -> SourceFacts:
    return SourceFacts(
        product_id="B1", title="Hydrafy Insulated Water Bottle, 750 ml - Blue", brand="Hydrafy",
        category="Sports & Outdoors > Water Bottles", price=24.99,
        attributes={"capacity": "750 ml", "material": "stainless steel", "color": "Blue"},
        features=["keeps drinks cold for 24 hours", "leak-proof lid"],
        snippets=[ReviewSnippet(review_id="R1", product_id="P1", score=0.0, text="Doesn't leak in my bag, keeps water ice cold all day.")],
    )


@pytest.fixture()
def checker() -> ClaimChecker:
    return ClaimChecker.for_catalog_values([{"material": "stainless steel"}, {"material": "BPA-free Tritan"},
                                            {"color": "Blue"}, {"color": "Navy"}])


def check(checker: ClaimChecker, facts: SourceFacts, text: str):  # noqa: ANN201
    return checker.check(text, "bullet", FactIndex.build(facts))


@pytest.mark.parametrize("claim", [
    "Holds 750 ml of water",
    "Keeps drinks cold for 24 hours",
    "Stainless steel body in blue",
    "Leak-proof lid for your bag",
    "Only $24.99",
])
def test_claim_matching_the_facts_is_supported(checker, bottle, claim) -> None:
    result = check(checker, bottle, claim)
    assert result.supported, result.evidence
    assert result.evidence, "a supported fact claim names its evidence"


@pytest.mark.parametrize("claim, wrong", [
    ("Holds 1000 ml of water", "1000 ml"),
    ("Holds 750 l of water", "750 l"),          # right number, wrong unit
    ("Holds 0.75 l of water", "0.75 l"),        # same volume, not the same words: numbers must match exactly
    ("Keeps drinks cold for 48 hours", "48 h"),
    ("Made of BPA-free Tritan", "tritan"),      # a material the product does not have
    ("Available in navy", "navy"),             # a color from the catalog, not this product's
    ("Dishwasher safe", "dishwasher safe"),     # a property nobody stated
    ("Only $19.99", "19.99 $"),
])
def test_claim_with_wrong_fact_is_flagged_with_the_reason(checker, bottle, claim, wrong) -> None:
    result = check(checker, bottle, claim)
    assert not result.supported
    assert any(wrong in e for e in result.evidence), result.evidence


def test_compatibility_claim_needs_the_named_target(checker) -> None:
    facts = SourceFacts(product_id="S1", title="Stanley TRA708T staples", brand="Stanley",
                        attributes={"for use with": "Stanley SharpShooter TR150"})
    assert check(checker, facts, "Compatible with the TR150 tacker").supported
    flagged = check(checker, facts, "Compatible with the Arrow T50 tacker")
    assert not flagged.supported and any("T50" in e for e in flagged.evidence)


def test_soft_claims_need_their_content_words_in_the_facts(checker, bottle) -> None:
    assert check(checker, bottle, "Keeps water ice cold").supported          # from the review snippet
    assert not check(checker, bottle, "Perfect for camping trips in the mountains").supported
    pure_marketing = check(checker, bottle, "A great choice for everyone!")
    assert pure_marketing.supported and not pure_marketing.checked


def test_looping_text_is_never_supported(checker, bottle) -> None:
    assert not check(checker, bottle, "Water Bottle Bottle Bottle Bottle Bottle").supported


def test_quantities_keep_units_and_prefix_units() -> None:
    got = {str(q) for q in quantities('SPF 30, 1,200 W, US 9.5, IPX7, 12-cup, 6.0" and $12.99')}
    assert got == {"30 spf", "1200 w", "9.5 us", "7 ipx", "12 cup", "6 in", "12.99 $"}


def test_split_claims_gives_title_each_bullet_and_each_sentence() -> None:
    copy = ProductCopy(title="Tent", bullets=["a b", "c d", "e f"], description="One 1.5 L jar. Two sentences! Three?")
    fields = [f for f, _ in split_claims(copy)]
    assert fields == ["title", "bullet", "bullet", "bullet", "description", "description", "description"]
    assert split_claims(copy)[4][1] == "One 1.5 L jar."


def test_catalog_vocabulary_skips_generic_and_numeric_values() -> None:
    vocab = catalog_vocabulary([{"material": "merino wool", "size": "US 9", "noise cancelling": "active"},
                                {"color": "yes", "material": "100% cotton"}])
    assert vocab == frozenset({"merino wool"})
