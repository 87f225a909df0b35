"""describe: more about one product on screen, from the catalog's own text."""

from __future__ import annotations

from agent.nodes.step import Step, action_node


@action_node
def describe(step: Step) -> None:
    """The facts of the product at the plan's position (or the card the shopper pressed), its description and the
    catalog's own about-text."""
    position = step.args.get("item") or 1
    focus = step.state.get("focus")
    if focus and focus.get("id") in step.deps.catalog:  # the card the shopper pressed: exactly that product
        target: dict | None = {"id": focus["id"], "score": 0.0, "why": ""}
    elif step.names_missing_position():
        return
    else:
        target = step.pick(position)
    if target is None:
        step.facts["note"] = "There is no such product on screen: search first."
        return
    out = step.call("describe_item", {"item_id": target["id"]})
    if out.ok:
        step.facts["products"] = step.facts_for([target], [position])
        step.facts["description"] = out.output.text
        step.facts["about"] = (out.output.data or {}).get("about", "")
        step.update["viewed"] = [target["id"]]
