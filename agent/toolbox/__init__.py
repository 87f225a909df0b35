"""The agent's tools: typed functions over the shop's data, called through one registry.

Each tool has a pydantic input; the registry validates (and repairs) arguments, times the call and turns every
failure into a readable error string, so a tool error never crashes a turn. The real engines (search, recommender,
product copy) come from ``tools/``; ``backends.py`` adapts them and falls back to catalog-only versions.
"""

from agent.toolbox.registry import ToolOutcome, ToolOutput, ToolRegistry, default_registry

__all__ = ["ToolOutcome", "ToolOutput", "ToolRegistry", "default_registry"]
