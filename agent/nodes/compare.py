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
# grams in one of each weight unit a catalog writes
_GRAMS = {"g": 1.0, "gram": 1.0, "grams": 1.0, "kg": 1000.0, "oz": 28.35, "ounce": 28.35, "ounces": 28.35,
          "lb": 453.6, "lbs": 453.6, "pound": 453.6, "pounds": 453.6}


def order_asked(message: str) -> tuple[str, bool, str] | None:
    """The order a "which of those is ...est?" (or "which ones are cheaper?") question asks for, when it is one the
    catalog's data can say."""
    if not cues.asks_which_of_shown(message, comparative=True):
        return None
    for pattern, order in _ORDERS:
        if pattern.search(message):
            return order
    return None


def measured_order(message: str) -> tuple[str, bool, str] | None:
    """The attribute a "which shoes are lighter?" question orders by (weight), when it asks one."""
    if not cues.asks_which_of_shown(message, comparative=True):
        return None
    return next((order for pattern, order in _MEASURED if pattern.search(message)), None)


def _grams(value: str | None) -> float | None:
    m = re.match(r"\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)", (value or "").lower())
    return float(m.group(1).replace(",", ".")) * _GRAMS[m.group(2)] if m and m.group(2) in _GRAMS else None


def _by_measure(step: Step, order: tuple[str, bool, str]) -> None:
    """Order the compared products by the measured attribute the shopper asked about, those without it last."""
    name, highest, said = order
    rows = step.facts["comparison"]["rows"]
    values = next((v for k, v in rows.items() if k.lower() == name), None)
    if values is None:
        return
    measure = dict(zip(step.facts["comparison"]["columns"], (_grams(v) for v in values)))
    known = [p for p in step.facts["products"] if measure.get(p["id"]) is not None]
    if len(known) < 2:
        return
    unknown = [p for p in step.facts["products"] if measure.get(p["id"]) is None]
    step.facts["products"] = sorted(known, key=lambda p: measure[p["id"]], reverse=highest) + unknown
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
            key, highest, said = order
            known = [p for p in step.facts["products"] if p.get(key) is not None]
            unknown = [p for p in step.facts["products"] if p.get(key) is None]
            step.facts["products"] = sorted(known, key=lambda p: p[key], reverse=highest) + unknown
            step.facts["ordered_by"] = said
        elif measured := measured_order(step.state["message"]):
            _by_measure(step, measured)
