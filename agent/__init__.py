"""The shopping agent: a LangGraph graph that plans, calls tools, answers from facts and checks itself.

Entry points: ``agent.runtime.AgentRuntime`` (``run_turn`` / ``stream_turn``), ``agent.graph.build_graph``,
``agent.planners.make_planner``. Heavy libraries (LangGraph, LangChain, sentence-transformers) load lazily.
"""
