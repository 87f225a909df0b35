"""Product text is data, never instructions: strip instruction-like sentences before any model reads it."""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"(ignore|disregard|forget|override)\s+(all\s+|any\s+|your\s+|the\s+|previous\s+|prior\s+|above\s+)*"
    r"(instructions?|rules?|prompts?|guidelines?)"
    r"|system\s+prompt|you\s+are\s+now|new\s+instructions?|act\s+as\s+(an?\s+)?(different|new)"
    r"|(tell|say\s+to)\s+(the\s+)?(user|customer|shopper)s?\s+(to|that)"
    r"|https?://|www\.",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
REMOVED = "[text removed]"


def looks_like_instruction(text: str) -> bool:
    return bool(_INSTRUCTION.search(text))


def scrub(text: str) -> str:
    """``text`` with every sentence that reads like an instruction to the assistant replaced by a marker."""
    if not text or not _INSTRUCTION.search(text):
        return text
    parts = [REMOVED if _INSTRUCTION.search(s) else s for s in _SENTENCE.findall(text)]
    return " ".join(p.strip() for p in parts if p.strip())
