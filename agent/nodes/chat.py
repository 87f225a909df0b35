"""chat: greetings, thanks and questions the shop's tools do not answer. A question about the shop's service
(shipping, returns, payment, order status, contact) is answered from the shop's own policy: the section it is
about, retrieved and quoted as written (``tools.policy``); order status is the shop's order system's to say."""

from __future__ import annotations

from agent.nodes.policy import look_up_policy
from agent.nodes.step import ASK_WHICH, Step, action_node
from agent.planners import cues


def is_service_turn(step: Step) -> bool:
    """The planner's rule named a service question, or the message asks about the shop's service."""
    notes = step.state["turn"]["plan"].get("notes") or []
    return "rule: service question" in notes or cues.is_service_question(step.state["message"])


@action_node
def chat(step: Step) -> None:
    """A service question: the policy passage it is about (or that the shop stored no policy); anything else
    needs no lookup, the compose node answers from the conversation and the chat templates."""
    if "rule: nothing shown" in (step.state["turn"]["plan"].get("notes") or []) and step.points_at_nothing():
        step.facts["ask"] = ASK_WHICH  # "tell me about the first one" with nothing on screen
        return
    if not is_service_turn(step):
        return
    look_up_policy(step, step.state["message"])
