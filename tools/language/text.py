"""The one text normaliser and the one singular/plural of the project (shopper text, catalog names, metrics)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import inflect

_ENGINE = inflect.engine()
_APOSTROPHES = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# words inflect reads as plurals that are not ("gas" -> "ga", "canvas" -> "canva")
_KEEP = re.compile(r"(?:ss|us|is|ics)$|^(?:gas|canvas|atlas|lens|bias|news|species|series|plus|yes)$")


def number_words(n: int) -> str:
    """``n`` in words, by the project's one inflect engine ("12" -> "twelve")."""
    return str(_ENGINE.number_to_words(n))


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Casefold, HTML entities decoded, accents and apostrophes dropped, ``&`` as "and", other punctuation as
    spaces: "L&#39;Oréal Paris" -> "loreal paris"."""
    if not isinstance(text, str):
        return ""
    text = html.unescape(html.unescape(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """A lighter fold for matching phrases inside prose where punctuation carries meaning ("spf: none", "1.7 oz"):
    lower case, curly apostrophes straight, hyphens and slashes as spaces, one space between words."""
    t = text.lower().replace("-", " ").replace("/", " ").replace("\u2019", "'")
    return " ".join(t.split())


@lru_cache(maxsize=16384)
def singular(word: str) -> str:
    """A (normalised) word in the singular: "shoes" -> "shoe", "lashes" -> "lash", "knives" -> "knife";
    words that only look plural ("gas", "glass", "series", "lens") and short words stay as they are."""
    if len(word) <= 3 or not word.isalpha() or _KEEP.search(word):
        return word
    one = _ENGINE.singular_noun(word)
    return one if isinstance(one, str) and one else word


def singular_phrase(text: str) -> str:
    """Every word of a normalised phrase in the singular."""
    return " ".join(singular(w) for w in text.split())


@lru_cache(maxsize=4096)
def plural(word: str) -> str:
    """A singular noun in the plural: "brush" -> "brushes"."""
    return _ENGINE.plural_noun(word) or word
