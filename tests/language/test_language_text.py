"""The one normaliser and singular/plural, and number words as digits."""

from __future__ import annotations

import pytest

from tools.language import fold, normalise, plural, singular, singular_phrase, small_number, words_to_digits


@pytest.mark.parametrize(("text", "norm"), [
    ("L&#39;Oréal Paris", "loreal paris"), ("Burt’s Bees", "burts bees"), ("Dr. Jart+", "dr jart"),
    ("Crème de la Mer", "creme de la mer"), ("Fake Eyelashes & Adhesives", "fake eyelashes and adhesives"),
    ("  Hair--Dryer!! ", "hair dryer"), ("STRASSE", "strasse"), ("Straße", "strasse"), (None, ""),
])
def test_normalise(text, norm):
    assert normalise(text) == norm


def test_fold_keeps_the_punctuation_prose_matching_needs():
    assert fold("SPF: None / Water-Resistant’s 1.7 oz") == "spf: none water resistant's 1.7 oz"


@pytest.mark.parametrize(("word", "one"), [
    ("shoes", "shoe"), ("lashes", "lash"), ("brushes", "brush"), ("boxes", "box"), ("knives", "knife"),
    ("leaves", "leaf"), ("cookies", "cookie"), ("accessories", "accessory"), ("glasses", "glass"),
    ("sunglasses", "sunglass"), ("mascaras", "mascara"), ("shampoos", "shampoo"), ("series", "series"),
    ("gas", "gas"), ("canvas", "canvas"), ("lens", "lens"), ("dress", "dress"), ("tops", "top"),
    ("serum", "serum"), ("cosmetics", "cosmetics"), ("kit", "kit"), ("feet", "foot"),
])
def test_singular(word, one):
    assert singular(word) == one


def test_singular_phrase_and_plural():
    assert singular_phrase("running shoes and brushes") == "running shoe and brush"
    assert plural("brush") == "brushes"


@pytest.mark.parametrize(("text", "digits"), [
    ("fifteen hundred", "1500"), ("a thousand bucks", "1000 bucks"), ("two hundred and fifty", "250"),
    ("seventy-five", "75"), ("under two grand", "under 2000"), ("under 2 thousand", "under 2000"),
    ("the second one", "the second one"), ("two of them", "two of them"), ("compare one and two", "compare 1 and 2"),
    ("Under Fifty", "under 50"), ("no numbers here", "no numbers here"),
    # "a hundred and ..." reads in full; a digit word then a tens word is the spoken price ("two forty" is 240)
    ("a hundred and sixty", "160"), ("about two forty", "about 240"), ("under three nineteen", "under 319"),
    ("under four seventy-five", "under 475"), ("the first one twelve inches", "the first 1 12 inches"),
])
def test_number_words_as_digits(text, digits):
    assert words_to_digits(text) == digits


def test_small_numbers():
    assert (small_number("three"), small_number("4"), small_number("blue")) == (3, 4, None)
