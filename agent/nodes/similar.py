"""similar: products like one on screen, within the kind, brand and price band the shopper has said (a signal combined
with the conversation's constraints, not a new topic), beside the products sharing its title's words; too few new
ones there: like it, whatever the brand or price."""

from __future__ import annotations

from agent.facts import SHOWN
from agent.nodes.shopper import fresh, pool_size, rank_for_shopper, with_anchor_brand, with_title_neighbours
from agent.nodes.step import POOL, Step, action_node

KEPT = ("category", "brand", "min_price", "max_price")  # the constraints "more like [n]" stays within


@action_node
def similar(step: Step) -> None:
    """Products similar to the one at the plan's position become the candidates."""
    if step.names_missing_position():
        return
    anchor = step.pick(step.args.get("item"))
    if anchor is None:
        step.facts["note"] = "There is no product on screen to find similar ones to: search first."
        return
    step.update["viewed"] = [anchor["id"]]
    args = {"item_id": anchor["id"], "k": pool_size(step, POOL)}
    within = {k: step.constraints[k] for k in KEPT if step.constraints.get(k) is not None}
    out = rank_for_shopper(step, step.call("similar_items", {**args, **within}))
    if within and (not out.ok or len(fresh(step, out.output.products if out.output else [])) < SHOWN):
        wider = rank_for_shopper(step, step.call("similar_items", args))
        if wider.ok:
            inside = list(out.output.products) if out.ok and out.output else []
            seen = {h.id for h in inside}
            merged = inside + [h for h in wider.output.products if h.id not in seen]
            out = wider.model_copy(update={"output": wider.output.model_copy(update={"products": merged})})
    if out.ok:
        out = with_title_neighbours(step, out, anchor["id"], within)
        step.take(with_anchor_brand(step, out, anchor["id"]))
        step.facts.pop("note", None)
