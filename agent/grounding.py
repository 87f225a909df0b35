"""Grounding check: every product, price, rating and brand an answer states must come from this turn's tools."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from agent.planners.vocab import normalize

_PRICE = re.compile(r"(?:\$|usd\s?|€|£)\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s?(?:dollars|usd|bucks|euros)\b",
                    re.I)
_RATING = re.compile(r"(\d(?:\.\d+)?)\s?(?:/\s?5|out of 5|stars?\b|-star)", re.I)
_ID_LIKE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{5,}\b")
_POSITION = re.compile(r"\[(\d+)\]|#\s?(\d+)\b")
_LINK = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.\w+", re.I)


@lru_cache(maxsize=8)
def _normalized(brands: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(n, b) for b in brands if len(n := normalize(b)) >= 3]


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def check_answer(answer: str, facts: dict[str, Any], *, catalog_ids: Any = (), brands: Iterable[str] = (),
                 allowed_numbers: Iterable[float] = (), allowed_text: str = "") -> list[str]:
    """Violations (readable), empty when the answer is grounded.

    ``facts["products"]``: the products this turn's tools returned; ``catalog_ids``: supports ``in`` for every
    catalog id; ``brands``: every catalog brand; ``allowed_numbers``: figures the shopper stated (their budget);
    ``allowed_text``: the shopper's message (a brand they named may be repeated)."""
    products = facts.get("products", [])
    prices = [p["price"] for p in products if p.get("price") is not None]
    prices += [v for v in (facts.get("comparison") or {}).get("rows", {}).get("price", []) if v is not None]
    ratings = [p["rating"] for p in products if p.get("rating") is not None]
    allowed = list(allowed_numbers)
    ids = {p["id"] for p in products}
    violations: list[str] = []

    for m in _PRICE.finditer(answer):
        value = _num(m.group(1) or m.group(2))
        if not any(abs(value - p) <= max(0.01, 0.005 * p) or (value == round(p) and abs(value - p) < 0.5)
                   for p in prices) and not any(abs(value - a) < 0.01 for a in allowed):
            violations.append(f"price {m.group(0).strip()} is not the price of a product shown")
    for m in _RATING.finditer(answer):
        value = float(m.group(1))
        if value > 5 or not any(abs(value - r) <= 0.05 for r in ratings):
            violations.append(f"rating {m.group(0).strip()} is not the rating of a product shown")
    for m in _ID_LIKE.finditer(answer):
        token = m.group(0)
        if token in ids:
            continue
        if token in catalog_ids:
            violations.append(f"product {token} was not returned by a tool in this turn")
        elif re.fullmatch(r"[A-Z]{1,4}\d{4,}|B0[A-Z0-9]{8}", token):
            violations.append(f"unknown product id {token}")
    for m in _POSITION.finditer(answer):
        position = int(m.group(1) or m.group(2))
        if not any(p.get("position") == position for p in products):
            violations.append(f"there is no product [{position}] on screen")
    if _LINK.search(answer):
        violations.append("links and e-mail addresses are not allowed in answers")
    shown_brands = {normalize(p["brand"]) for p in products if p.get("brand")}
    said = f" {normalize(answer)} "
    asked = f" {normalize(allowed_text)} "
    for n, brand in _normalized(tuple(brands)):
        if f" {n} " in said and n not in shown_brands and f" {n} " not in asked:
            violations.append(f"brand {brand} is not among the products shown")
    return violations
