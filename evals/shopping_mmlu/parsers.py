"""Model output -> the value a metric needs. Never raises: a malformed answer parses to something that scores 0."""

from __future__ import annotations

import re

_INT = re.compile(r"^\s*[\[(]?\s*(-?\d+)\s*[\])]?\s*$")


def first_line(text: str) -> str:
    """The first non-empty line (models often explain after the answer)."""
    for line in (text or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def parse_choice(text: str) -> str:
    """Multiple choice: the first non-blank character, as the benchmark reads it ('' when there is none)."""
    stripped = (text or "").strip()
    return stripped[:1]


def parse_int_list(text: str) -> list[int]:
    """Retrieval/ranking: comma-separated integers on the first line; items that are not integers are skipped
    (``"[3, 1, x, 2]"`` -> ``[3, 1, 2]``)."""
    line = first_line(text).strip().strip("[]")
    out = []
    for part in line.split(","):
        m = _INT.match(part)
        if m:
            out.append(int(m.group(1)))
    return out


def parse_entities(text: str) -> list[str]:
    """Named entity recognition: comma-separated entities on the first line, lower-cased and stripped, empties
    dropped (duplicates kept: they count as false positives, as in the benchmark)."""
    line = first_line(text)
    return [e.strip().lower() for e in line.split(",") if e.strip()]


def parse_generation(text: str) -> str:
    """Generation: the text as produced (surrounding whitespace removed)."""
    return (text or "").strip()
