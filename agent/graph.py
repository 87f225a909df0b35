"""The agent's graph, and nothing else: understand -> act -> compose -> check (-> compose once more)."""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.deps import AgentDeps
from agent.nodes.act import act
from agent.nodes.check import check, route_after_check
from agent.nodes.compose import compose
from agent.nodes.understand import understand
from agent.state import AgentState


def build_graph(deps: AgentDeps, checkpointer: Any = None):  # noqa: ANN201 - CompiledStateGraph
    """The compiled graph over ``deps``; conversation state persisted by ``checkpointer`` (one thread a chat)."""
    g = StateGraph(AgentState)
    g.add_node("understand", partial(understand, deps=deps))  # plan: action + arguments
    g.add_node("act", partial(act, deps=deps))  # tools: candidates, constraints, facts
    g.add_node("compose", partial(compose, deps=deps))  # reply model writes from facts
    g.add_node("check", partial(check, deps=deps))  # grounding: retry once, then template
    g.add_edge(START, "understand")
    g.add_edge("understand", "act")
    g.add_edge("act", "compose")
    g.add_edge("compose", "check")
    g.add_conditional_edges("check", route_after_check, {"retry": "compose", "done": END})
    return g.compile(checkpointer=checkpointer)
