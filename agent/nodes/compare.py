"""compare: two or more products on screen, side by side; "which of those is cheapest / best rated", "which shoes
are lighter" orders the shown products by that (no new search)."""

from __future__ import annotations

import re

from agent.nodes.step import Step, action_node
from agent.planners import cues

# what a superlative question orders by: (fact key, highest first?, how the answer says it)
_ORDERS = [
    (re.compile(r"\b(cheap\w*|least expensive|lowest[- ]price\w*|most affordable|best price|best value|budget)\b", re.I),
     ("price", False, "price, lowest first")),
    (re.compile(r"\b(most expensive|priciest|highest[- ]price\w*|dearest)\b", re.I), ("price", True,
                                                                                     "price, highest first")),
    (re.compile(r"\b(best|highest|top)[- ]?(rated|rating|reviews?|reviewed)|\bbest\b|\bmost popular\b", re.I),
     ("rating", True, "rating, best first")),
    (re.compile(r"\b(most reviews|most reviewed)\b", re.I), ("reviews", True, "number of reviews, most first")),
]


# what a question about a measured attribute orders by: (attribute, highest first?, how the answer says it)
_MEASURED = [
    (re.compile(r"\b(light(er|est)|weighs? less|least weight)\b", re.I), ("weight", False, "weight, lightest first")),
    (re.compile(r"\b(heav(ier|iest)|weighs? (the )?most)\b", re.I), ("weight", True, "weight, heaviest first")),
]
_MEASURED_KEYS = frozenset(key for _, (key, _, _) in _MEASURED)  # read from the comparison table, not the facts
# grams in one of each weight unit a catalog writes
_GRAMS = {"g": 1.0, "gram": 1.0, "grams": 1.0, "kg": 1000.0, "oz": 28.35, "ounce": 28.35, "ounces": 28.35,
          "lb": 453.6, "lbs": 453.6, "pound": 453.6, "pounds": 453.6}


def order_asked(message: str) -> tuple[str, bool, str] | None:
    """The order a "which of those is ...est?" (or "which shoes are lighter?") question asks for, when it is one the
    catalog's data can say: a fact of the products (price, rating, reviews) or a measured attribute (weight)."""
    if not cues.asks_which_of_shown(message, comparative=True):
        return None
    return next((order for pattern, order in _ORDERS + _MEASURED if pattern.search(message)), None)


def _grams(value: str | None) -> float | None:
    m = re.match(r"\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)", (value or "").lower())
    return float(m.group(1).replace(",", ".")) * _GRAMS[m.group(2)] if m and m.group(2) in _GRAMS else None


def _values(step: Step, key: str) -> dict[str, float | None]:
    """Each compared product's ``key``: a fact of the product, or a measured attribute of the comparison table read in
    grams."""
    if key not in _MEASURED_KEYS:
        return {p["id"]: p.get(key) for p in step.facts["products"]}
    rows = step.facts["comparison"]["rows"]
    values = next((v for k, v in rows.items() if k.lower() == key), [])
    return dict(zip(step.facts["comparison"]["columns"], (_grams(v) for v in values)))


def _order(step: Step, order: tuple[str, bool, str]) -> None:
    """The compared products in the order asked, those without the value last; a measured attribute orders only when
    at least two of them have it."""
    key, highest, said = order
    value = _values(step, key)
    known = [p for p in step.facts["products"] if value.get(p["id"]) is not None]
    if key in _MEASURED_KEYS and len(known) < 2:
        return
    unknown = [p for p in step.facts["products"] if value.get(p["id"]) is None]
    step.facts["products"] = sorted(known, key=lambda p: value[p["id"]], reverse=highest) + unknown
    step.facts["ordered_by"] = said


@action_node
def compare(step: Step) -> None:
    """The comparison table (and cheapest / best rated) of the products at the plan's positions, in the order a
    superlative or comparative question asks for (price, rating, reviews, or weight: "which shoes are lighter")."""
    if step.names_missing_position():
        return
    positions = [p for p in (step.args.get("items") or [1, 2]) if step.pick(p) is not None]
    if len(positions) < 2:
        step.facts["note"] = "Comparing needs two products on screen: search first."
        return
    chosen = [step.pick(p) for p in positions]
    out = step.call("compare_items", {"item_ids": [c["id"] for c in chosen]})
    step.update["viewed"] = [c["id"] for c in chosen]
    if out.ok:
        step.facts["products"] = step.facts_for(chosen, positions)
        step.facts["comparison"] = {k: out.output.data[k] for k in ("columns", "rows", "cheapest", "best_rated")}
        order = order_asked(step.state["message"])
        if order:
            _order(step, order)
