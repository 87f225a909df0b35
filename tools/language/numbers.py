"""Number words as digits, on ``text2num``: "fifteen hundred" -> 1500, "a thousand" -> 1000, "two grand" -> 2000."""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import alpha2digit

from tools.language.text import number_words

# "a thousand", "a hundred and twenty", "a grand": text2num reads "a" as no number, "one" it reads
_A_MULTIPLE = re.compile(r"\ba (hundred|thousand|grand)\b")
_UNITS_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS_WORDS = ("ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
               "fifty|sixty|seventy|eighty|ninety")
# the spoken price "one fifty" (150), "two twenty-five" (225): a digit word then a tens word is hundreds and the rest
_SPOKEN_HUNDREDS = re.compile(rf"\b({'|'.join(_UNITS_WORDS)})[\s-]+"
                              rf"((?:{_TENS_WORDS})(?:[\s-](?:{'|'.join(_UNITS_WORDS)}))?)\b"
                              r"(?!\s+(?:hundred|thousand|grand)\b)")
# the spoken price "twenty nine ninety nine" (29.99), "nineteen fifty" (19.50): a number from ten to ninety-nine then
# a tens word is dollars and cents, as a till reads a price out
_TEENS_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TY_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPOKEN_CENTS = re.compile(rf"\b((?:{_TEENS_WORDS})|(?:{_TY_WORDS})(?:[\s-](?:{'|'.join(_UNITS_WORDS)}))?)\s+"
                           rf"((?:{_TY_WORDS})(?:[\s-](?:{'|'.join(_UNITS_WORDS)}))?)\b"
                           r"(?!\s+(?:hundred|thousand|grand|million)\b)")
# "between fifty and a hundred": a round hundred or thousand after "and" / "to" / "or" is a figure of its own (text2num
# would run "fifty and one hundred" together into 5100); "a hundred and twenty" stays one number
_ROUND_AFTER = re.compile(r"\b(and|to|or)\s+(?:a|one)\s+(hundred|thousand)\b(?!\s+and\b)"
                          rf"(?!\s+(?:{_TENS_WORDS}|{'|'.join(_UNITS_WORDS)})\b)")
# "from forty to one hundred ten": a hundred and more after "and" / "to" / "or" is one figure of its own
_HUNDRED_AFTER = re.compile(rf"\b(and|to|or)\s+((?:a|one)\s+(?:hundred|thousand)(?:\s+and)?\s+"
                            rf"(?:(?:{_TENS_WORDS})(?:[\s-](?:{'|'.join(_UNITS_WORDS)}))?|{'|'.join(_UNITS_WORDS)}))\b")
# "2 thousand", "1.5 grand" (digits then a multiplier word; "k" is read by the price grammar, where "4k tv" is not)
_DIGIT_MULTIPLE = re.compile(r"\b(\d+(?:\.\d+)?)\s+(thousand|grand)\b")
# "2 hundred", "3 hundred and fifty", "12 hundred": digits then "hundred" are read as the number words they stand for
_DIGIT_HUNDRED = re.compile(r"\b([1-9]\d?)\s+hundred\b")
_WORD_GRAND = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\s+grand\b")
_ANY_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
                              r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand|fiver|tenner)\b")
# "under a tenner", "a fiver or less": the nicknames of notes
# "two hundred and three hundred": each multiplied figure is a number of its own, not one sum (203, 100)
_MULTIPLE_PAIR = re.compile(rf"\b({'|'.join(_UNITS_WORDS)}|a)\s+(hundred|thousand)(?=\s+(?:and|to|or)\s+"
                            rf"(?:{'|'.join(_UNITS_WORDS)}|a)\s+(?:hundred|thousand)\b)")
_NOTES = re.compile(r"\b(?:a\s+)?(fiver|tenner)s?\b")
# "under 2 bills", "a couple of c-notes": the slang names of a hundred dollars, counted
_HUNDRED_NOTES = re.compile(r"\b(\d|a couple(?: of)?|a|one|two|three|four|five|six|seven|eight|nine)\s+"
                            r"(?:bills|benjamins|c-?notes|hundos?)\b")


def _note_count(said: str) -> int:
    if said.isdigit():
        return int(said)
    return 2 if said.startswith("a couple") else 1 if said in ("a", "one") else _UNITS_WORDS.index(said) + 1
_HYPHENATED = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|"
                         r"seven|eight|nine)\b")


def _digit_word(m: re.Match[str]) -> str:
    return f"{number_words(int(m.group(1)))} hundred"


def _multiple(m: re.Match[str]) -> str:
    unit = 1 if m.group(1) == "a" else _UNITS_WORDS.index(m.group(1)) + 1
    return str(unit * (100 if m.group(2) == "hundred" else 1000))


def _times_thousand(m: re.Match[str]) -> str:
    return f"{float(m.group(1)) * 1000:g}"


# "the first one fifteen inches": "one" after these is a pronoun, not a figure
_PRONOUN_ONE_AFTER = re.compile(r"\b(?:the|this|that|which|each|every|any|no|last|first|second|third|fourth|fifth|"
                                r"\d+(?:st|nd|rd|th)|(?:six|seven|eigh|nin|ten)th)\s*$")  # "and" is no ordinal


def _spoken_cents(m: re.Match[str]) -> str:
    dollars, cents = (alpha2digit(g.replace("-", " "), "en", threshold=0) for g in m.groups())
    if not (dollars.isdigit() and cents.isdigit()) or dollars.endswith("0") and cents.endswith("0"):
        return m.group(0)  # "sixty seventy bucks": two round figures are a range said loosely, not a price
    return f"{dollars}.{cents}"


def _spoken_hundreds(m: re.Match[str]) -> str:
    if m.group(1) == "one" and _PRONOUN_ONE_AFTER.search(m.string[:m.start()]):
        return m.group(0)
    rest = alpha2digit(m.group(2).replace("-", " "), "en", threshold=0)
    return str((_UNITS_WORDS.index(m.group(1)) + 1) * 100 + int(rest)) if rest.isdigit() else m.group(0)


@lru_cache(maxsize=8192)
def words_to_digits(text: str) -> str:
    """Lower-cased ``text`` with its number words as digits. "one", "two" and "three" stay words ("the second one",
    "two of them", "compare one and two" are not amounts), so do ordinals; larger numbers are read in full:
    "two hundred and fifty" -> "250", "seventy-five" -> "75", "a thousand" -> "1000", "2 grand" -> "2000", and the
    spoken prices "one fifty" -> "150" and "twenty nine ninety nine" -> "29.99"."""
    t = _HUNDRED_NOTES.sub(lambda m: f"${_note_count(m.group(1)) * 100}", text.lower())
    if not _ANY_NUMBER_WORD.search(t):
        return t
    t = _NOTES.sub(lambda m: "5" if m.group(1) == "fiver" else "10", t)
    t = _DIGIT_HUNDRED.sub(_digit_word, t)
    t = _MULTIPLE_PAIR.sub(_multiple, t)
    t = _HUNDRED_AFTER.sub(lambda m: f"{m.group(1)} {alpha2digit(re.sub(r'^a ', 'one ', m.group(2)), 'en')}", t)
    t = _ROUND_AFTER.sub(lambda m: f"{m.group(1)} {100 if m.group(2) == 'hundred' else 1000}", t)
    t = _A_MULTIPLE.sub(r"one \1", t)
    t = _SPOKEN_CENTS.sub(_spoken_cents, t)  # before the hundreds: "twenty nine ninety nine" is no "nine ninety nine"
    t = _SPOKEN_HUNDREDS.sub(_spoken_hundreds, t)
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
