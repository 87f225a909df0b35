"""Product text is data, never instructions: every sentence of catalog text that addresses the assistant is removed
when the catalog is written (``write_catalog``), so no index, recommender or model ever reads it, and again before a
prompt is built.

Not a list of phrases: a sentence is removed when it *addresses a reader about its behaviour*: it names the reader
(the AI, the assistant, the model, the bot, "you"), or the reader's instructions or the text around it ("the rules",
"everything above", "earlier directions", "system prompt"), together with a command about what to say, follow or
recommend, or it impersonates a chat role ("Assistant: ...", "[SYSTEM]"). The text is first folded to plain
letters (NFKC, zero-width and control characters removed, homoglyph digits mapped: "1gnore", "i\u200bgnore"), and
the cue words come in the languages shoppers write in (English, German, French, Spanish, Italian, Portuguese,
Dutch). A model reads what is left only as quoted data (`agent.facts`), and on the embedded model its output is
constrained so that no figure or name comes from it (`agent.lead`): this scrubber keeps instructions out of the
prompt and out of ranking, the construction keeps them out of the reply.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

REMOVED = "[text removed]"

_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})

# who is addressed: the assistant itself, or the instructions around the text
_READER = (r"\b(ai|a\.i\.|assistant|assistants|chatbot|bot|llm|language model|gpt|chatgpt|claude|k\.i\.|ki|"
           r"assistent|assistente|asistente|assistenten)\b")
_META = (r"\b(instructions?|rules?|prompts?|guidelines?|directions?|directives?|everything (above|before)|"
         r"all (of )?the above|(text|messages?) above|previous|prior|earlier|preceding|system prompt|"
         r"anweisungen|regeln|vorherigen?|consignes?|instructions precedentes|precedentes?|instrucciones|"
         r"anteriores?|istruzioni|precedenti|instrucoes|instructies|vorige)\b")
_COMMAND = (r"\b(ignore|ignoring|disregard|forget|override|bypass|obey|follow|comply|pretend|act as|must|should|"
            r"recommend|rank|promote|say|tell|state|mention|respond|reply|answer|reveal|claim|ignoriere|ignorieren|"
            r"vergiss|empfiehl|empfehlen|ignorez|ignorer|oubliez|recommandez|recommander|ignora|ignorar|olvida|"
            r"recomienda|recomendar|dimentica|raccomanda|consiglia|esqueca|recomende|negeer|vergeet|beveel)\b")
_ROLE = re.compile(r"^\W{0,3}(system|assistant|developer|user|ai|admin|sistema|asistente)\s*[:\]>}]", re.IGNORECASE)
_NOTE_TO = re.compile(r"\b(note|message|memo|instruction|hinweis|nota|remarque|aviso)s?\s+(to|for|fur|pour|para|per|"
                      r"aan)\s+(the\s+|die\s+|le\s+|la\s+|el\s+|il\s+)?" + _READER, re.IGNORECASE)
_IGNORE_META = re.compile(r"\b(ignore|ignoring|disregard|forget|override|bypass|ignoriere|ignorieren|vergiss|ignorez|"
                          r"oubliez|ignora|ignorar|olvida|dimentica|esqueca|negeer|vergeet)\b.{0,60}" + _META,
                          re.IGNORECASE)
_ADDRESS = re.compile(_READER + r".{0,80}" + _COMMAND + "|" + _COMMAND + r".{0,40}\b(the|die|le|la|el|il)\s+"
                      + _READER, re.IGNORECASE)
_YOU_ARE = re.compile(r"\b(you are now|from now on you|you (must|should|will|have to|need to)\b.{0,40}\b"
                      r"(recommend|say|tell|mention|rank|promote|state|reply|answer|ignore)|(tell|say to|inform) (the )?(users?|customers?|"
                      r"shoppers?|buyers?) (to|that)|du bist jetzt|tu es maintenant|ahora eres|ora sei|"
                      r"new instructions?|neue anweisungen|nouvelles instructions|nuevas instrucciones)\b",
                      re.IGNORECASE)
_LINK = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.\w{2,}", re.IGNORECASE)
_BOUNDARY = re.compile(r"((?<=[.!?])\s+|\n+)")  # a sentence ends at punctuation followed by space (not "2.0 L")


def fold(text: str) -> str:
    """Plain comparable letters: NFKC, no invisible characters, accents stripped, look-alike digits as letters."""
    t = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return " ".join(t.lower().translate(_LEET).split())


def addresses_reader(sentence: str) -> bool:
    """True when ``sentence`` speaks to the assistant about what it should do (see the module doc)."""
    raw = _INVISIBLE.sub("", unicodedata.normalize("NFKC", sentence))
    if _ROLE.search(raw) or _LINK.search(raw):
        return True
    t = fold(sentence)
    return bool(_NOTE_TO.search(t) or _IGNORE_META.search(t) or _ADDRESS.search(t) or _YOU_ARE.search(t))


def scrub(text: str | None, marker: str = REMOVED) -> str:
    """``text`` with every sentence that addresses the assistant replaced by ``marker`` (or dropped when it is
    empty); the other sentences are kept exactly as written, only invisible characters go."""
    if not text:
        return text or ""
    clean = _INVISIBLE.sub("", text)
    parts = _BOUNDARY.split(clean)  # sentences at even indices, the whitespace between them at odd ones
    flagged = [i for i in range(0, len(parts), 2) if parts[i].strip() and addresses_reader(parts[i])]
    if not flagged:
        return clean
    for i in flagged:
        parts[i] = marker
    return " ".join(" ".join(p for p in parts[::2] if p).split())


def scrub_field(text: str | None) -> str:
    """Any field as stored: the instructions dropped without a marker (empty when nothing else was there)."""
    if not text:
        return text or ""
    clean = scrub(text, marker="")
    if len(clean) == len(_INVISIBLE.sub("", text)):
        return clean
    clean = clean.strip(" -|,;:")
    # one sentence left of a short field ("Title. <instruction>"): its joining full stop goes with the instruction
    return clean[:-1] if clean.endswith(".") and len(_BOUNDARY.split(clean)) == 1 and len(clean) < 200 else clean


def clean_product(product: Any) -> tuple[Any, int]:
    """``product`` (a ``tools.catalog.models.Product``) with instructions removed from every text field, and how
    many fields changed."""
    fields = {"title": scrub_field(product.title) or product.id, "brand": scrub_field(product.brand) or None,
              "categories": [clean for c in product.categories if (clean := scrub_field(c))],
              "attributes": {k2: v2 for k, v in product.attributes.items()
                             if (k2 := scrub_field(k)) and (v2 := scrub_field(v))},
              "description": scrub_field(product.description),
              "features": [f for f in map(scrub_field, product.features) if f]}
    changed = sum(getattr(product, k) != v for k, v in fields.items())
    return (product.model_copy(update=fields) if changed else product), changed


def clean_review(review: Any) -> tuple[Any, int]:
    fields = {"title": scrub_field(review.title), "text": scrub_field(review.text)}
    changed = sum(getattr(review, k) != v for k, v in fields.items())
    return (review.model_copy(update=fields) if changed else review), changed
