"""Run turns of the agent: ``run_turn`` (sync, a ``TurnResult``) and ``stream_turn`` (async typed events).

The Streamlit app, the FastAPI ``/chat`` endpoint and ``shopagent chat`` all go through ``AgentRuntime``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from contextlib import ExitStack, contextmanager
from typing import Any, AsyncIterator, Iterator, Literal

from pydantic import BaseModel, Field

from agent.deps import AgentDeps

log = logging.getLogger(__name__)


class ShownItem(BaseModel):
    """A product in the answer, with its position and why it is there."""

    position: int
    id: str
    title: str
    brand: str | None = None
    price: float | None = None
    rating: float | None = None
    reason: str = ""


class Timings(BaseModel):
    wall_ms: float
    llm_ms: float  # reply model + planner model inference (LLM or MiniLM)
    tool_ms: float
    plan_ms: float
    overhead_ms: float  # wall - llm - tool: graph, checkpointer, grounding, prompt building


class TurnResult(BaseModel):
    """One turn: the answer the shopper sees, the products with reasons, the plan and the tool trace."""

    thread_id: str
    answer: str
    action: str
    args: dict[str, Any] = Field(default_factory=dict)
    planner: str = ""
    products: list[ShownItem] = Field(default_factory=list)
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    grounded: bool = True
    fallback: bool = False
    violations: list[str] = Field(default_factory=list)
    timings: Timings


class AgentEvent(BaseModel):
    """A streamed event: ``token`` (reply text, provisional until ``final``), ``tool_start``/``tool_end``,
    ``products`` (what will be shown), ``final`` (the checked answer as a ``TurnResult``), ``error``."""

    type: Literal["token", "tool_start", "tool_end", "products", "final", "error"]
    text: str | None = None
    tool: str | None = None
    args: dict[str, Any] | None = None
    ok: bool | None = None
    ms: float | None = None
    error: str | None = None
    products: list[dict[str, Any]] | None = None
    result: TurnResult | None = None


def _result(thread_id: str, state: dict[str, Any], wall_ms: float) -> TurnResult:
    values = state.get("turn", {})
    timings = values.get("timings", {})
    llm = timings.get("llm_ms", 0.0) + timings.get("plan_ms", 0.0)
    tool = timings.get("tool_ms", 0.0)
    plan = values.get("plan", {})
    products = [ShownItem(position=p["position"], id=p["id"], title=p["title"], brand=p.get("brand"),
                          price=p.get("price"), rating=p.get("rating"), reason=p.get("why", ""))
                for p in values.get("facts", {}).get("products", [])]
    return TurnResult(
        thread_id=thread_id, answer=values.get("answer", ""), action=plan.get("action", "chat"),
        args=plan.get("args", {}), planner=plan.get("source", ""), products=products,
        tool_calls=values.get("tool_calls", []), grounded=bool(values.get("grounded")),
        fallback=bool(values.get("fallback")), violations=values.get("violations", []),
        timings=Timings(wall_ms=wall_ms, llm_ms=llm, tool_ms=tool, plan_ms=timings.get("plan_ms", 0.0),
                        overhead_ms=max(wall_ms - llm - tool, 0.0)),
    )


def freeze_heap() -> None:
    """Move everything loaded so far (models, catalog, libraries) out of the garbage collector's view.

    A turn allocates many small objects; with torch and pandas loaded, each full collection walked the whole heap
    and cost a turn 10-20 ms on the 2-core box. Frozen objects are long-lived anyway."""
    gc.collect()
    gc.freeze()


class AgentRuntime:
    """A compiled graph with its dependencies and checkpointer."""

    def __init__(self, deps: AgentDeps, checkpointer: Any = None) -> None:
        from agent.graph import build_graph

        self.deps = deps
        self.checkpointer = checkpointer
        self.graph = build_graph(deps, checkpointer)

    @classmethod
    @contextmanager
    def open(cls, settings: Any, endpoint: Any = None, *, chat_model: Any = None, planner: Any = None,
             catalog: Any = None, checkpoint_uri: str | None = None, temperature: float = 0.3,
             reply_max_tokens: int = 80, use_engines: bool = True, describe_with_llm: bool = False,
             ) -> Iterator["AgentRuntime"]:
        """The agent for ``settings``: catalog and engines, the planner for the served model, the checkpointer."""
        from agent.checkpoint import open_checkpointer
        from agent.planners import Vocabulary, make_planner
        from agent.toolbox import default_registry
        from agent.toolbox.backends import open_context

        ctx = open_context(settings, endpoint, catalog=catalog, use_engines=use_engines,
                           describe_with_llm=describe_with_llm)
        vocab = Vocabulary.from_catalog(ctx.catalog)
        if chat_model is None and endpoint is not None:
            from shopagent.llm.client import chat_model as make_chat_model

            chat_model = make_chat_model(endpoint, temperature=temperature, max_tokens=reply_max_tokens)
        if planner is None:
            planner = make_planner(settings.planner, vocab, endpoint=endpoint)
        deps = AgentDeps(catalog=ctx.catalog, vocab=vocab, planner=planner, registry=default_registry(ctx),
                         chat_model=chat_model, reply_max_tokens=reply_max_tokens)
        with ExitStack() as stack:
            saver = stack.enter_context(open_checkpointer(checkpoint_uri or settings.checkpoint_uri))
            runtime = cls(deps, saver)
            stack.callback(gc.unfreeze)
            freeze_heap()
            yield runtime

    @staticmethod
    def _input(message: str, user_id: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {"message": message}
        if user_id:
            data["user_id"] = user_id
        return data

    @staticmethod
    def _config(thread_id: str, stream_tokens: bool = False) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id, "stream_tokens": stream_tokens}}

    def run_turn(self, thread_id: str, message: str, user_id: str | None = None) -> TurnResult:
        """Run one turn to the end and return the checked answer (state saved once, at the end)."""
        start = time.perf_counter()
        values = self.graph.invoke(self._input(message, user_id), self._config(thread_id), durability="exit")
        return _result(thread_id, values, (time.perf_counter() - start) * 1000)

    def iter_turn(self, thread_id: str, message: str, user_id: str | None = None) -> Iterator[AgentEvent]:
        """Events of one turn as they happen (sync); the last is ``final``."""
        start = time.perf_counter()
        values: dict[str, Any] = {}
        try:
            for mode, chunk in self.graph.stream(self._input(message, user_id), self._config(thread_id, True),
                                                 stream_mode=["custom", "values"], durability="exit"):
                if mode == "values":
                    values = chunk
                elif isinstance(chunk, dict) and chunk.get("type") in ("token", "tool_start", "tool_end", "products"):
                    yield AgentEvent(**chunk)
        except Exception as exc:  # noqa: BLE001 - a stream ends with an event, never a traceback
            log.exception("turn failed")
            yield AgentEvent(type="error", error=f"the turn failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
            return
        yield AgentEvent(type="final", result=_result(thread_id, values, (time.perf_counter() - start) * 1000))

    async def stream_turn(self, thread_id: str, message: str, user_id: str | None = None
                          ) -> AsyncIterator[AgentEvent]:
        """Events of one turn for async consumers (SSE, Streamlit): the graph runs in a worker thread."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[AgentEvent | None] = asyncio.Queue()

        def work() -> None:
            try:
                for event in self.iter_turn(thread_id, message, user_id):
                    loop.call_soon_threadsafe(queue.put_nowait, event)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        thread = threading.Thread(target=work, name=f"turn-{thread_id}", daemon=True)
        thread.start()
        while (event := await queue.get()) is not None:
            yield event

    def history(self, thread_id: str) -> list[dict[str, str]]:
        """The recent messages of a thread (empty for a new one)."""
        snapshot = self.graph.get_state(self._config(thread_id))
        return list((snapshot.values or {}).get("messages", []))
