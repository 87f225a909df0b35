"""The agent's graph, and nothing else: understand -> one node per action -> compose -> check (-> compose once
more)."""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.actions import ACTIONS
from agent.deps import AgentDeps
from agent.nodes.chat import chat
from agent.nodes.check import check, route_after_check
from agent.nodes.compare import compare
from agent.nodes.compose import compose
from agent.nodes.describe import describe
from agent.nodes.recommend import recommend
from agent.nodes.refine import refine
from agent.nodes.search import search
from agent.nodes.similar import similar
from agent.nodes.step import route_action
from agent.nodes.understand import understand
from agent.state import AgentState

ACTION_NODES = {"search": search, "refine": refine, "recommend": recommend, "similar": similar,
                "describe": describe, "compare": compare, "chat": chat}  # tools: candidates, constraints, facts


def build_graph(deps: AgentDeps, checkpointer: Any = None):  # noqa: ANN201 - CompiledStateGraph
    """The compiled graph over ``deps``; conversation state persisted by ``checkpointer`` (one thread a chat)."""
    assert set(ACTION_NODES) == set(ACTIONS), "one node per action of the planner contract"
    g = StateGraph(AgentState)
    g.add_node("understand", partial(understand, deps=deps))  # plan: action + arguments
    for name, node in ACTION_NODES.items():
        g.add_node(name, partial(node, deps=deps))
        g.add_edge(name, "compose")
    g.add_node("compose", partial(compose, deps=deps))  # reply model writes from facts
    g.add_node("check", partial(check, deps=deps))  # grounding: retry once, then template
    g.add_edge(START, "understand")
    g.add_conditional_edges("understand", route_action, {name: name for name in ACTION_NODES})
    g.add_edge("compose", "check")
    g.add_conditional_edges("check", route_after_check, {"retry": "compose", "done": END})
    return g.compile(checkpointer=checkpointer)
