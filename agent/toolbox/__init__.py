"""The agent's tools: typed functions over the shop's engines (``tools/``), called through one registry.

Each tool has a pydantic input; the registry validates the arguments, times the call and turns every failure into a
readable error string, so a tool error never crashes a turn. The engines are handed in (``ToolContext``) by the
composition root; the agent never opens them.
"""

from agent.toolbox.models import Hit, ToolContext, ToolOutcome, ToolOutput
from agent.toolbox.registry import ToolRegistry, default_registry

__all__ = ["Hit", "ToolContext", "ToolOutcome", "ToolOutput", "ToolRegistry", "default_registry"]
