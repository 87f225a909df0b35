"""Number words as digits, on ``text2num``: "fifteen hundred" -> 1500, "a thousand" -> 1000, "two grand" -> 2000."""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import alpha2digit

# "a thousand", "a hundred", "a grand": text2num reads "a" as no number
_A_MULTIPLE = re.compile(r"\ba (hundred|thousand|grand)\b")
_A_VALUES = {"hundred": "100", "thousand": "1000", "grand": "1000"}
# "2 thousand", "1.5 grand" (digits then a multiplier word; "k" is read by the price grammar, where "4k tv" is not)
_DIGIT_MULTIPLE = re.compile(r"\b(\d+(?:\.\d+)?)\s+(thousand|grand)\b")
_WORD_GRAND = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\s+grand\b")
_ANY_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
                              r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand)\b")
_HYPHENATED = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|"
                         r"seven|eight|nine)\b")


def _times_thousand(m: re.Match[str]) -> str:
    return f"{float(m.group(1)) * 1000:g}"


@lru_cache(maxsize=8192)
def words_to_digits(text: str) -> str:
    """Lower-cased ``text`` with its number words as digits. "one", "two" and "three" stay words ("the second one",
    "two of them", "compare one and two" are not amounts), so do ordinals; larger numbers are read in full:
    "two hundred and fifty" -> "250", "seventy-five" -> "75", "a thousand" -> "1000", "2 grand" -> "2000"."""
    t = text.lower()
    if not _ANY_NUMBER_WORD.search(t):
        return t
    t = _A_MULTIPLE.sub(lambda m: _A_VALUES[m.group(1)], t)
    t = _WORD_GRAND.sub(lambda m: str(int(alpha2digit(m.group(1), "en", threshold=0)) * 1000), t)
    t = _HYPHENATED.sub(r"\1 \2", _DIGIT_MULTIPLE.sub(_times_thousand, t))
    t = alpha2digit(t, "en")
    return _DIGIT_MULTIPLE.sub(_times_thousand, t)


def small_number(word: str) -> int | None:
    """The value of one word or digit string for a count or a position ("three" -> 3, "4" -> 4)."""
    if word.isdigit():
        return int(word)
    value = alpha2digit(word, "en", threshold=0)
    return int(value) if value.isdigit() else None
