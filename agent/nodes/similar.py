"""similar: products like one on screen."""

from __future__ import annotations

from agent.nodes.shopper import pool_size, rank_for_shopper
from agent.nodes.step import POOL, Step, action_node


@action_node
def similar(step: Step) -> None:
    """Products similar to the one at the plan's position become the candidates."""
    anchor = step.pick(step.args.get("item"))
    if anchor is None:
        step.facts["note"] = "There is no product on screen to find similar ones to: search first."
        return
    out = rank_for_shopper(step, step.call("similar_items", {"item_id": anchor["id"], "k": pool_size(step, POOL)}))
    step.update["viewed"] = [anchor["id"]]
    if out.ok:
        step.take(out)
        step.facts.pop("note", None)
