"""compare: two or more products on screen, side by side; "which of those is cheapest / best rated" orders the
shown products by that (no new search)."""

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


def order_asked(message: str) -> tuple[str, bool, str] | None:
    """The order a "which of those is ...est?" question asks for, when it is one the catalog's data can say."""
    if not cues.asks_which_of_shown(message):
        return None
    for pattern, order in _ORDERS:
        if pattern.search(message):
            return order
    return None


@action_node
def compare(step: Step) -> None:
    """The comparison table (and cheapest / best rated) of the products at the plan's positions, in the order a
    superlative question asks for."""
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
