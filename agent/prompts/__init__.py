"""Prompt templates, one file each (``str.format`` placeholders)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``agent/prompts/<name>.txt``."""
    return (Path(__file__).parent / f"{name}.txt").read_text()

PROMPT_DIR = Path(__file__).parent
