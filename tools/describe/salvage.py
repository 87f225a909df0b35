"""Recover the JSON object from model output cut off by the token limit (close the open string and brackets)."""

from __future__ import annotations

import json
from typing import Any


def _closers(stack: list[str]) -> str:
    return "".join("}" if c == "{" else "]" for c in reversed(stack))


def salvage_object(text: str, max_tries: int = 64) -> dict[str, Any] | None:
    """The longest prefix of ``text`` that, closed, parses as a JSON object; None if there is none."""
    stack: list[str] = []
    cuts: list[tuple[int, list[str]]] = []  # positions of commas outside strings, with the open brackets there
    in_str = escaped = False
    for i, ch in enumerate(text):
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]":
            if stack:
                stack.pop()
        elif ch == ",":
            cuts.append((i, list(stack)))
    tail = text.rstrip("\\") if in_str else text
    candidates = [tail + ('"' if in_str else "") + _closers(stack)]
    candidates += [text[:i] + _closers(st) for i, st in reversed(cuts)]
    for candidate in candidates[:max_tries]:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None
