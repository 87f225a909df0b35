"""compare: two or more products on screen, side by side."""

from __future__ import annotations

from agent.nodes.step import Step, action_node


@action_node
def compare(step: Step) -> None:
    """The comparison table (and cheapest / best rated) of the products at the plan's positions."""
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
