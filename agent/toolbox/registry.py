"""One registry for the agent's tools: validate the arguments, time the call, never raise."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from agent.toolbox import products
from agent.toolbox.models import Tool, ToolContext, ToolOutcome
from core.errors import first_line

log = logging.getLogger(__name__)


def _readable(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(x) for x in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()[:3]]
    return "; ".join(parts)


@dataclass
class ToolRegistry:
    """Tools by name over one context (catalog and engines)."""

    ctx: ToolContext
    tools: dict[str, Tool] = field(default_factory=dict)

    def add(self, tool: Tool) -> None:
        self.tools[tool.name] = tool

    def validate(self, name: str, raw: dict[str, Any]) -> tuple[BaseModel | None, str | None]:
        """Validated arguments, or a readable error."""
        tool = self.tools.get(name)
        if tool is None:
            return None, f"Error: no tool named {name!r} (tools: {', '.join(self.tools)})"
        try:
            return tool.args_model.model_validate(raw), None
        except ValidationError as exc:
            return None, f"Error: invalid arguments for {name}: {_readable(exc)}"

    def call(self, name: str, raw: dict[str, Any]) -> ToolOutcome:
        """Run a tool; every failure becomes ``ok=False`` with an error string the model and user can read."""
        start = time.perf_counter()
        args, error = self.validate(name, raw)
        if args is None:
            return ToolOutcome(name=name, args=raw, ok=False, error=error, ms=(time.perf_counter() - start) * 1000)
        try:
            output = self.tools[name].fn(args, self.ctx)
            ok, error = True, None
        except Exception as exc:  # noqa: BLE001 - a tool error never crashes a turn: the shopper reads it
            log.warning("tool %s failed: %s", name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            output, ok, error = None, False, f"Error: {name} failed: {first_line(exc)[:200]}"
        return ToolOutcome(name=name, args=args.model_dump(exclude_none=True), ok=ok, output=output, error=error,
                           ms=(time.perf_counter() - start) * 1000)


def default_registry(ctx: ToolContext) -> ToolRegistry:
    """The registry with every agent tool over ``ctx``."""
    registry = ToolRegistry(ctx=ctx)
    for tool in products.TOOLS:
        registry.add(tool)
    return registry
