"""What the nodes work with: catalog, vocabulary, planner, tool registry and the reply model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.planners import Planner, Vocabulary
from agent.toolbox import ToolRegistry


@dataclass
class AgentDeps:
    """Everything a turn needs besides its state (built once per process by ``runtime.AgentRuntime``)."""

    catalog: Any
    vocab: Vocabulary
    planner: Planner
    registry: ToolRegistry
    chat_model: Any = None  # a LangChain chat model that writes replies; None = template replies only
    reply_max_tokens: int = 80
    brands: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.brands:
            self.brands = list(self.vocab.brands.values())
