"""search: find products for what was said (also a ``refine`` with nothing on screen yet)."""

from __future__ import annotations

from agent.nodes.step import SEARCH_KEYS, Step, action_node


@action_node
def search(step: Step) -> None:
    """New candidates and constraints from the plan's query, brand, category and price band."""
    step.constraints = {k: step.args.get(k) for k in SEARCH_KEYS}
    if step.action == "refine":  # nothing to refine: search with what was said
        step.constraints["query"] = step.state["message"]
    out = step.search()
    if out.ok and out.output.products:
        step.take(out)
    elif out.ok:
        step.nothing_found(out.output.message or "Nothing in this shop matches that. Try other words, a brand, "
                                                 "or a wider price range.")
