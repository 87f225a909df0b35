"""The facts a turn may state: the products its tools returned (price, rating, brand...), rendered compactly."""

from __future__ import annotations

from typing import Any

from tools.catalog.sanitize import scrub_field

SHOWN = 4  # products shown per answer (positions 1-4)


def product_facts(product: Any, position: int, why: str = "") -> dict[str, Any]:
    """A small, checkpoint-friendly record of one product as the answer may describe it."""
    return {
        "position": position, "id": product.id, "title": scrub_field(product.title)[:120],
        "brand": scrub_field(product.brand) or None, "category": scrub_field(product.category),
        "price": product.price, "rating": product.rating, "reviews": product.rating_count, "why": scrub_field(why)[:120],
        "attributes": {k: clean[:40] for k, v in list(product.attributes.items())[:5] if (clean := scrub_field(v))},
    }


def money(value: float | None) -> str:
    return "price unknown" if value is None else f"${value:,.2f}"


def stars(rating: float | None, count: int | None = None) -> str:
    if rating is None:
        return "no rating yet"
    return f"{rating:.1f}/5" + (f" ({count} {'review' if count == 1 else 'reviews'})" if count else "")


def product_line(p: dict[str, Any]) -> str:
    brand = f" by {p['brand']}" if p.get("brand") else ""
    return f"[{p['position']}] {p['title']}{brand}: {money(p.get('price'))}, {stars(p.get('rating'), p.get('reviews'))}"


def facts_block(facts: dict[str, Any]) -> str:
    """Tool results as lines the reply model reads (data, never instructions)."""
    lines = [product_line(p) for p in facts.get("products", [])]
    comparison = facts.get("comparison")
    if comparison:
        lines.append(comparison_text(facts))
    if facts.get("description"):
        lines.append(f"Description: {facts['description'][:600]}")
    if facts.get("note"):
        lines.append(f"Note: {facts['note']}")
    return "\n".join(lines) or "No products."


def comparison_text(facts: dict[str, Any]) -> str:
    comparison = facts["comparison"]
    by_id = {p["id"]: p for p in facts.get("products", [])}
    lines = []
    for name, values in comparison["rows"].items():
        if name in ("price", "rating", "reviews", "brand"):
            continue
        cells = [f"[{by_id[i]['position']}] {v}" for i, v in zip(comparison["columns"], values) if v and i in by_id]
        if cells:
            lines.append(f"{name}: " + "; ".join(cells))
    for key, label in (("cheapest", "Cheapest"), ("best_rated", "Best rated")):
        pid = comparison.get(key)
        if pid in by_id:
            lines.append(f"{label}: [{by_id[pid]['position']}] {by_id[pid]['title']}")
    return "\n".join(lines)
