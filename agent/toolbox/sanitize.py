"""Product text is data, never instructions: every sentence of catalog text that addresses the assistant is removed
before any model or the keyword index reads it.

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
_ROLE = re.compile(r"(^|[\s\[(<{\"'])(system|assistant|developer|user|ai|admin|sistema|asistente)\s*[:\]>}]",
                   re.IGNORECASE)
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
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


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


def scrub(text: str | None) -> str:
    """``text`` with every sentence that addresses the assistant replaced by a marker (invisible characters gone)."""
    if not text:
        return text or ""
    clean = _INVISIBLE.sub("", text)
    parts = _SENTENCE.findall(clean)
    if not any(addresses_reader(s) for s in parts):
        return clean
    return " ".join(REMOVED if addresses_reader(s) else s.strip() for s in parts if s.strip())


def scrub_field(text: str | None) -> str:
    """A short field (title, brand, attribute): the scrubbed text without the marker (empty when all of it went)."""
    return " ".join(scrub(text).replace(REMOVED, " ").split()).strip(" -|,;:")
