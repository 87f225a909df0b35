"""chat: greetings, thanks and questions the shop's tools do not answer — no tool runs."""

from __future__ import annotations

from agent.nodes.step import Step, action_node


@action_node
def chat(step: Step) -> None:
    """Nothing to look up: the compose node answers from the conversation and the chat templates."""
