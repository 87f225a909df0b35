"""One registry for the agent's tools: validate and repair arguments, time the call, never raise."""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel, Field, ValidationError

log = logging.getLogger(__name__)


class Hit(BaseModel):
    """A product a tool returns, with a score and a short reason."""

    id: str
    score: float = 0.0
    why: str = ""


class ToolOutput(BaseModel):
    """What a tool gives back: products (ordered), optional text and structured data, and a note."""

    products: list[Hit] = Field(default_factory=list)
    text: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None


class ToolOutcome(BaseModel):
    """A call as the agent sees it: the validated arguments, output or a readable error, and time taken."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool
    output: ToolOutput | None = None
    error: str | None = None
    ms: float = 0.0
    repaired: bool = False


@dataclass
class Tool:
    """A typed function: ``fn(args, ctx) -> ToolOutput``."""

    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[Any, Any], ToolOutput]
    primary_arg: str | None = None  # where a bare string argument goes

    def schema(self) -> dict[str, Any]:
        """OpenAI function-tool schema."""
        return {"type": "function", "function": {
            "name": self.name, "description": self.description, "parameters": self.args_model.model_json_schema()}}


_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_ALIASES = {"price_max": "max_price", "maxprice": "max_price", "budget": "max_price", "price_min": "min_price",
            "minprice": "min_price", "q": "query", "text": "query", "product_id": "item_id", "id": "item_id",
            "ids": "item_ids", "product_ids": "item_ids", "user": "user_id"}


def _coerce(value: Any) -> Any:
    if isinstance(value, str):
        s = value.strip()
        if s.lower() in ("", "null", "none", "n/a", "any"):
            return None
        m = _NUMBER.search(s.replace("$", ""))
        if m and re.fullmatch(r"\s*[$€£]?\s*-?\d+(?:[.,]\d+)?\s*(dollars|usd|bucks)?\s*", s, re.I):
            return float(m.group().replace(",", "."))
    return value


def repair_args(tool: Tool, raw: Any) -> tuple[dict[str, Any], bool]:
    """Best-effort repair of model-written arguments: JSON text, a bare string, aliases, "$80" -> 80."""
    repaired = False
    if isinstance(raw, str):
        repaired = True
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raw = {tool.primary_arg: raw} if tool.primary_arg else {}
    if not isinstance(raw, dict):
        return ({tool.primary_arg: raw} if tool.primary_arg else {}), True
    fields = tool.args_model.model_fields
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = _ALIASES.get(key.lower(), key) if key not in fields else key
        if name not in fields:
            repaired = True
            continue
        fixed = _coerce(value)
        repaired = repaired or fixed is not value or name != key
        out[name] = fixed
    return out, repaired


def _readable(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(x) for x in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()[:3]]
    return "; ".join(parts)


@dataclass
class ToolRegistry:
    """Tools by name over one context (catalog and engines)."""

    ctx: Any
    tools: dict[str, Tool] = field(default_factory=dict)

    def add(self, tool: Tool) -> None:
        self.tools[tool.name] = tool

    def schemas(self) -> list[dict[str, Any]]:
        return [t.schema() for t in self.tools.values()]

    def validate(self, name: str, raw: Any) -> tuple[BaseModel | None, dict[str, Any], str | None, bool]:
        """Validated arguments, or a readable error (after one repair attempt)."""
        tool = self.tools.get(name)
        if tool is None:
            return None, {}, f"Error: no tool named {name!r} (tools: {', '.join(self.tools)})", False
        if isinstance(raw, dict) and set(raw) <= set(tool.args_model.model_fields):
            try:
                return tool.args_model.model_validate(raw), raw, None, False
            except ValidationError:
                pass
        fixed, _ = repair_args(tool, raw)
        try:
            return tool.args_model.model_validate(fixed), fixed, None, True
        except ValidationError as exc:
            return None, fixed, f"Error: invalid arguments for {name}: {_readable(exc)}", True

    def call(self, name: str, raw: Any) -> ToolOutcome:
        """Run a tool; every failure becomes ``ok=False`` with an error string the model and user can read."""
        start = time.perf_counter()
        args, used, error, repaired = self.validate(name, raw)
        if args is None:
            return ToolOutcome(name=name, args=used, ok=False, error=error, repaired=repaired,
                               ms=(time.perf_counter() - start) * 1000)
        try:
            output = self.tools[name].fn(args, self.ctx)
            ok, error = True, None
        except Exception as exc:  # noqa: BLE001 - a tool error never crashes a turn
            log.warning("tool %s failed: %s", name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            output, ok, error = None, False, f"Error: {name} failed: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}"
        return ToolOutcome(name=name, args=args.model_dump(exclude_none=True), ok=ok, output=output, error=error,
                           repaired=repaired, ms=(time.perf_counter() - start) * 1000)


def default_registry(ctx: Any) -> ToolRegistry:
    """The registry with every agent tool over ``ctx`` (a ``backends.ToolContext``)."""
    from agent.toolbox import products

    registry = ToolRegistry(ctx=ctx)
    for tool in products.TOOLS:
        registry.add(tool)
    return registry
