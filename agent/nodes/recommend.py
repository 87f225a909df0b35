"""recommend: picks for the shopper (their history when known, what is popular when new)."""

from __future__ import annotations

from agent.nodes.step import POOL, Step, action_node


@action_node
def recommend(step: Step) -> None:
    """The recommender's picks become the candidates; the shopper is remembered for the conversation."""
    user_id = step.args.get("user_id") or step.state.get("user_id")
    out = step.call("recommend_for_user", {"user_id": user_id, "k": POOL})
    if out.ok:
        step.take(out)
        step.update["user_id"] = user_id
