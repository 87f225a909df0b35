"""Brands as shoppers bend them: a possessive or plural "s" on a coined name, a one-word name typed as two words,
a brand of several words named by its coined first word (also with a letter slipped), a name of several words with
one letter slipped; ordinary plurals and function words stay what they are."""

from __future__ import annotations


from agent.planners.vocab import Vocabulary
from tools.language import normalise
from fixtures.frame_catalog import FrameCatalog


def _catalog() -> FrameCatalog:
    rows = ([("Zentrova", f"Zentrova Desk Lamp {i}", "Lamps") for i in range(5)]
            + [("Nightowl", f"Nightowl Reading Light {i}", "Lamps") for i in range(4)]
            + [("Verdimo Labs", f"Verdimo Face Serum {i}", "Serums") for i in range(6)]
            + [("Golden Harbor", f"Golden Harbor Soy Candle {i}", "Candles") for i in range(5)]
            + [("Paper Clip", "Paper Clip Organiser", "Office")]
            + [(f"Maker {i}", f"Maker {i} Steel Paper Clips", "Office") for i in range(12)])
    return FrameCatalog.of([(b, t, c, f"Home > {c}") for b, t, c in rows])


def _find(vocab: Vocabulary, text: str) -> str | None:
    norm = normalise(text)
    brand = vocab.find_brand(norm)
    return brand if brand and vocab.brand_evidenced(brand, norm) else None


def test_a_possessive_or_plural_s_on_a_coined_name() -> None:
    vocab = Vocabulary.from_catalog(_catalog())
    assert _find(vocab, "Zentrova's brightest lamp") == "Zentrova"
    assert _find(vocab, "any zentrovas on sale") == "Zentrova"


def test_a_one_word_name_typed_as_two_words() -> None:
    assert _find(Vocabulary.from_catalog(_catalog()), "a night owl reading light") == "Nightowl"


def test_a_brand_named_by_its_coined_first_word_or_a_slip_of_it() -> None:
    vocab = Vocabulary.from_catalog(_catalog())
    assert _find(vocab, "verdimo serum for oily skin") == "Verdimo Labs"
    assert _find(vocab, "verdino serum") == "Verdimo Labs"


def test_a_name_of_several_words_with_one_letter_slipped() -> None:
    assert _find(Vocabulary.from_catalog(_catalog()), "golden harbour candles") == "Golden Harbor"


def test_an_ordinary_plural_is_no_brand() -> None:
    assert _find(Vocabulary.from_catalog(_catalog()), "a box of paper clips") is None


def test_a_common_word_the_tokenizer_lacks_is_no_first_word_of_a_brand() -> None:
    """"petal" is no word of the MiniLM tokenizer (it splits it), yet plainly English: said alone it is the word,
    not "Petal Fresh"; the brand's whole name still names it."""
    rows = ([("Petal Fresh", f"Petal Fresh Body Wash {i}", "Body Washes") for i in range(6)]
            + [(f"Rosewood {i}", f"Rose Petal Face Cream {i}", "Creams") for i in range(3)])
    vocab = Vocabulary.from_catalog(FrameCatalog.of([(b, t, c, f"Bath > {c}") for b, t, c in rows]))
    assert _find(vocab, "creams that are petal") is None
    assert _find(vocab, "petal creams") is None
    assert _find(vocab, "petal fresh body wash") == "Petal Fresh"


def test_a_coined_name_inside_another_brands_name_is_still_evidence() -> None:
    """Titles of "Aqua-Zuma" say "zuma" as their own brand's name, not as a product word: "zuma please" names the
    small brand Zuma (it did not while those titles counted as the word's uses by other brands)."""
    rows = ([("Aqua-Zuma", f"Aqua-Zuma Vitamin Drops {i}", "Supplements") for i in range(12)]
            + [("Zuma", f"Zuma Refillable Atomizer {i}", "Atomizers") for i in range(2)])
    vocab = Vocabulary.from_catalog(FrameCatalog.of([(b, t, c, f"Beauty > {c}") for b, t, c in rows]))
    assert _find(vocab, "zuma please") == "Zuma"
    assert _find(vocab, "aqua zuma drops") == "Aqua-Zuma"
