"""Product copy under the reply rules: the catalog's names, sentences not field dumps, the owner's keywords."""

from __future__ import annotations

from tools.describe.claims import ClaimChecker, FactIndex
from tools.describe.facts import SourceFacts
from tools.describe.pipeline import as_sentence, fallback_bullets

FACTS = SourceFacts(product_id="P1", title="Northwild Summit Ridge 2-Person Tent", brand="Northwild",
                    category="Outdoors > Tents", attributes={"material": "ripstop nylon", "capacity": "2 person"})


def test_a_misspelt_name_in_the_title_is_unsupported() -> None:
    checker = ClaimChecker()
    index = FactIndex.build(FACTS)
    assert checker.check("Northwild Summit Ridge Tent for Two", "title", index).supported
    bad = checker.check("Northwild Sprint Ridge Tent", "title", index)
    assert not bad.supported and any("Sprint" in e for e in bad.evidence)


def test_bullets_are_sentences_not_field_dumps() -> None:
    assert as_sentence("Material: ripstop nylon") == "The material is ripstop nylon."
    assert as_sentence("Title: Northwild Summit Ridge") == ""
    assert as_sentence("Sets up in minutes") == "Sets up in minutes"
    bullets = fallback_bullets(FACTS)
    assert bullets[0] == "The material is ripstop nylon." and "Made by Northwild." in bullets
    assert not any(b.startswith(("Brand:", "Category:", "Title:")) for b in bullets)


def test_the_owners_keywords_count_as_facts() -> None:
    checker = ClaimChecker()
    plain = FactIndex.build(FACTS)
    vouched = FactIndex.build(FACTS.model_copy(update={"keywords": ["lightweight"]}))
    assert not checker.check("A lightweight tent.", "bullet", plain).supported
    assert checker.check("A lightweight tent.", "bullet", vouched).supported


def test_a_description_cut_by_the_token_limit_loses_its_fragment() -> None:
    import json

    from tools.describe.pipeline import parse_copy

    cut = json.dumps({"title": "Northwild Summit Ridge 2-Person Tent", "bullets": ["a", "b", "c"],
                      "description": "Sets up in minutes. Sleeps two in the Night Repair Face Moist"})
    assert parse_copy(cut, FACTS).description == "Sets up in minutes."
    only = json.dumps({"title": "Northwild Summit Ridge 2-Person Tent", "bullets": ["a", "b", "c"],
                       "description": "Sleeps two in the"})
    assert parse_copy(only, FACTS).description == "Northwild Summit Ridge 2-Person Tent."
