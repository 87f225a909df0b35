"""recommend: picks for the shopper: their purchases (a signed-in shopper) and what they looked at in this
conversation, ranked by the sequential recommender; what is popular when there is neither."""

from __future__ import annotations

from agent.nodes.step import POOL, Step, action_node


@action_node
def recommend(step: Step) -> None:
    """The recommender's picks become the candidates; the shopper is remembered for the conversation. Only the
    conversation's own shopper is used (a planner's user id counts when the conversation has none)."""
    user_id = step.state.get("user_id") or step.args.get("user_id")
    viewed = list(step.state.get("viewed", []))
    out = step.call("recommend_for_user", {"user_id": user_id, "k": POOL, "history": viewed})
    if out.ok:
        step.take(out)
        step.update["user_id"] = user_id
