"""Run turns of the agent: ``run_turn`` (sync, a ``TurnResult``) and ``stream_turn`` (async typed events).

The Streamlit app, the FastAPI ``/chat`` endpoint and ``shopagent chat`` all go through ``AgentRuntime``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any, AsyncIterator, Callable, Iterator, Literal, TypeVar

from pydantic import BaseModel, Field

from agent.deps import AgentDeps
from agent.toolbox import ToolContext
from agent.turnlock import Lease, LocalTurnLocks, TurnLocks, is_store_outage, outage
from core.errors import ThreadBusyError, ThreadNotFoundError, first_line
from core.heap import freeze_heap

log = logging.getLogger(__name__)

T = TypeVar("T")


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
    turn_id: str = Field("", description="The turn's idempotency key (the request's, or a fresh one).")
    replayed: bool = Field(False, description="True when this turn was already done (a retry): nothing ran again.")
    answer: str
    action: str
    args: dict[str, Any] = Field(default_factory=dict)
    planner: str = ""
    products: list[ShownItem] = Field(default_factory=list)
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    grounded: bool = True
    fallback: bool = False
    violations: list[str] = Field(default_factory=list)
    defects: list[str] = Field(default_factory=list, description="Kinds of defect the check found in the model's "
                                                                 "last draft (empty when it passed).")
    drafts: list[str] = Field(default_factory=list, description="The model's text of each attempt, as written.")
    chat_template: bool = Field(False, description="A chat turn answered by its intent template on purpose.")
    notes: list[str] = Field(default_factory=list, description="What the shopper should know (e.g. the reply "
                                                              "model was not answering).")
    timings: Timings


class AgentEvent(BaseModel):
    """A streamed event: ``token`` (a piece of the checked answer: final, never withdrawn), ``tool_start``/``tool_end``,
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
        thread_id=thread_id, turn_id=state.get("turn_id", ""), answer=values.get("answer", ""),
        action=plan.get("action", "chat"), args=plan.get("args", {}), planner=plan.get("source", ""),
        products=products, tool_calls=values.get("tool_calls", []), grounded=bool(values.get("grounded")),
        fallback=bool(values.get("fallback")), violations=values.get("violations", []), notes=values.get("notes", []),
        defects=values.get("defects", []) if values.get("fallback") or not values.get("grounded") else [],
        drafts=values.get("drafts", []), chat_template=bool(values.get("chat_template")),
        timings=Timings(wall_ms=wall_ms, llm_ms=llm, tool_ms=tool, plan_ms=timings.get("plan_ms", 0.0),
                        overhead_ms=max(wall_ms - llm - tool, 0.0)),
    )


def resolve_reply_mode(mode: str, endpoint: Any) -> str:
    """``auto``: the guided lead on the embedded model (or when no model is known), free text on any other."""
    from core.config import EMBEDDED_MODEL_NAME

    if mode != "auto":
        return mode
    model = getattr(endpoint, "model", None)
    return "lead" if model is None or model == EMBEDDED_MODEL_NAME else "free"


def new_turn_id() -> str:
    return uuid.uuid4().hex


class AgentRuntime:
    """A compiled graph with its dependencies, checkpointer and per-conversation turn locks.

    Every turn holds its conversation's lock (a second turn of the same thread meanwhile gets ``ThreadBusyError``)
    and carries a ``turn_id``: the id is recorded in the thread's state when the turn is done, in the same checkpoint
    write, so a retry with the same id (say, after a worker died mid-stream) returns the recorded turn instead of
    running it again. Nothing of a turn is written before its end, so a turn cut short leaves its thread as it was.
    """

    def __init__(self, deps: AgentDeps, checkpointer: Any = None, locks: TurnLocks | None = None,
                 max_turns: int = 16) -> None:
        from agent.graph import build_graph

        self.deps = deps
        self.checkpointer = checkpointer
        self.locks: TurnLocks = locks or LocalTurnLocks()
        self.graph = build_graph(deps, checkpointer)
        # async callers run turns here: at most max_turns at once (each holds its conversation's lock), more queue
        self.turn_pool = ThreadPoolExecutor(max_workers=max_turns, thread_name_prefix="turn")

    def close(self) -> None:
        self.turn_pool.shutdown(wait=False, cancel_futures=True)

    @classmethod
    @contextmanager
    def open(cls, settings: Any, tools: ToolContext, endpoint: Any = None, *, chat_model: Any = None,
             planner: Any = None, checkpoint_uri: str | None = None, temperature: float = 0.3,
             reply_max_tokens: int = 80, reply_mode: str | None = None,
             embedder: Any = None) -> Iterator["AgentRuntime"]:
        """The agent over ``tools`` (the engines the composition root opened), the planner for the served model,
        and the checkpointer. ``embedder`` is the process's MiniLM encoder, shared with search."""
        from agent.checkpoint import open_checkpointer, open_turn_locks
        from agent.planners import Vocabulary, make_planner
        from agent.toolbox import default_registry

        vocab = Vocabulary.from_catalog(tools.catalog)
        if chat_model is None and endpoint is not None:
            from core.llm.client import chat_model as make_chat_model

            chat_model = make_chat_model(endpoint, temperature=temperature, max_tokens=reply_max_tokens)
        if planner is None:
            planner = make_planner(settings.planner, vocab, endpoint=endpoint, embedder=embedder)
        from tools.policy import open_policy
        from tools.policy.retrieve import PolicyIndex

        policy = open_policy(settings.data_dir)
        deps = AgentDeps(catalog=tools.catalog, vocab=vocab, planner=planner, registry=default_registry(tools),
                         chat_model=chat_model, reply_max_tokens=reply_max_tokens,
                         reply_mode=resolve_reply_mode(reply_mode or settings.reply_mode, endpoint),
                         policy=PolicyIndex(policy) if policy else None)
        uri = checkpoint_uri or settings.checkpoint_uri
        with ExitStack() as stack:
            saver = stack.enter_context(open_checkpointer(uri, settings.checkpoint_pool_size,
                                                          settings.checkpoint_timeout_s))
            locks = stack.enter_context(open_turn_locks(uri, settings.data_dir, settings.api_max_turns,
                                                        settings.checkpoint_timeout_s))
            runtime = cls(deps, saver, locks, settings.api_max_turns)
            stack.callback(runtime.close)
            stack.callback(gc.unfreeze)
            freeze_heap()
            yield runtime

    @staticmethod
    def _input(message: str, user_id: str | None, turn_id: str, owner: str | None = None,
               focus: dict[str, Any] | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"message": message, "turn_id": turn_id, "focus": focus}
        if user_id:
            data["user_id"] = user_id
        if owner:
            data["owner"] = owner
        return data

    @staticmethod
    def _config(thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}}

    @staticmethod
    def _store(fn: Callable[[], T]) -> T:
        """Run a checkpointer-touching call; a lost PostgreSQL becomes ``StoreUnavailableError`` (503)."""
        try:
            return fn()
        except Exception as exc:
            if is_store_outage(exc):
                raise outage(exc) from exc
            raise

    def acquire(self, thread_id: str) -> Lease:
        """Hold ``thread_id``'s turn lock (``ThreadBusyError`` at once when a turn of it runs, ``StoreUnavailable``
        when PostgreSQL is down). Pass the lease to ``run_turn``/``iter_turn``/``stream_turn``; they release it."""
        return self.locks.acquire(thread_id)

    def values(self, thread_id: str, owner: str | None = None) -> dict[str, Any]:
        """The thread's checkpointed state; ``ThreadNotFoundError`` when ``owner`` is given and the thread belongs to
        someone else (a thread with turns but no owner belongs to nobody who asks with one)."""
        values = self._store(lambda: self.graph.get_state(self._config(thread_id))).values or {}
        if owner is not None and values.get("turn_ids") and values.get("owner") != owner:
            raise ThreadNotFoundError(f"conversation {thread_id!r} not found")
        return values

    def replay(self, thread_id: str, turn_id: str) -> TurnResult | None:
        """The recorded result when ``turn_id`` is this thread's last completed turn; None when it never ran."""
        values = self._store(lambda: self.graph.get_state(self._config(thread_id))).values or {}
        done = values.get("turn_ids", [])
        if turn_id not in done:
            return None
        if done[-1] != turn_id:
            raise ThreadBusyError(f"turn {turn_id!r} of conversation {thread_id!r} was done already and "
                                   "later turns followed: send a new turn_id for a new message")
        return _result(thread_id, values, 0.0).model_copy(update={"replayed": True})

    def run_turn(self, thread_id: str, message: str, user_id: str | None = None, turn_id: str | None = None,
                 lease: Lease | None = None, owner: str | None = None) -> TurnResult:
        """Run one turn to the end and return the checked answer (state saved once, at the end). With ``owner``,
        a new thread is bound to it and another's thread raises ``ThreadNotFoundError``."""
        start = time.perf_counter()
        retry_of = turn_id  # only a client-chosen id can name a turn that already ran
        turn_id = turn_id or new_turn_id()
        lease = lease or self.acquire(thread_id)
        try:
            self.values(thread_id, owner)
            if retry_of and (done := self.replay(thread_id, retry_of)) is not None:
                return done
            values = self._store(lambda: self.graph.invoke(self._input(message, user_id, turn_id, owner),
                                                           self._config(thread_id), durability="exit"))
            return _result(thread_id, values, (time.perf_counter() - start) * 1000)
        finally:
            lease.release()

    def iter_turn(self, thread_id: str, message: str, user_id: str | None = None, turn_id: str | None = None,
                  lease: Lease | None = None, owner: str | None = None,
                  focus: dict[str, Any] | None = None) -> Iterator[AgentEvent]:
        """Events of one turn as they happen (sync); the last is ``final`` (or ``error``). ``focus`` ({"id",
        "position"}) is a product the shopper pointed at on screen: the turn describes exactly that product."""
        start = time.perf_counter()
        retry_of = turn_id
        turn_id = turn_id or new_turn_id()
        values: dict[str, Any] = {}
        try:
            lease = lease or self.acquire(thread_id)
        except Exception as exc:  # noqa: BLE001 - a stream ends with an event, never a traceback
            yield AgentEvent(type="error", error=str(exc))
            return
        try:
            self.values(thread_id, owner)
            if retry_of and (done := self.replay(thread_id, retry_of)) is not None:
                yield AgentEvent(type="final", result=done)
                return
            for mode, chunk in self.graph.stream(self._input(message, user_id, turn_id, owner, focus),
                                                 self._config(thread_id),
                                                 stream_mode=["custom", "values"], durability="exit"):
                if mode == "values":
                    values = chunk
                elif isinstance(chunk, dict) and chunk.get("type") in ("token", "tool_start", "tool_end", "products"):
                    yield AgentEvent(**chunk)
        except Exception as exc:  # noqa: BLE001 - a stream ends with an event, never a traceback
            log.exception("turn failed")
            if is_store_outage(exc):
                exc = outage(exc)
            yield AgentEvent(type="error", error=f"the turn failed: {first_line(exc)}")
            return
        finally:
            lease.release()
        yield AgentEvent(type="final", result=_result(thread_id, values, (time.perf_counter() - start) * 1000))

    async def submit(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` (``run_turn``) in the turn pool and await it."""
        return await asyncio.wrap_future(self.turn_pool.submit(fn, *args))

    async def stream_turn(self, thread_id: str, message: str, user_id: str | None = None,
                          turn_id: str | None = None, owner: str | None = None) -> AsyncIterator[AgentEvent]:
        """Start a turn in the turn pool; once it holds its conversation's lock, its events (SSE, Streamlit).

        Raises before any event when the lock cannot be had (``ThreadBusyError``, ``StoreUnavailableError``). The
        turn runs to its end (and releases the lock) even when nobody reads its events any more."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[AgentEvent | None] = asyncio.Queue()
        locked: asyncio.Future[None] = loop.create_future()

        def call(fn: Callable[..., Any], *args: Any) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(fn, *args)

        def settle(exc: BaseException | None) -> None:
            if not locked.done():
                locked.set_exception(exc) if exc is not None else locked.set_result(None)

        def work() -> None:
            if locked.cancelled():  # the request gave up while this turn waited for a slot: never start it
                return
            try:
                lease = self.acquire(thread_id)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting request (409 / 503)
                call(settle, exc)
                return
            try:
                self.values(thread_id, owner)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting request (404 / 503)
                lease.release()
                call(settle, exc)
                return
            call(settle, None)
            try:
                for event in self.iter_turn(thread_id, message, user_id, turn_id, lease, owner):
                    call(queue.put_nowait, event)
            finally:
                call(queue.put_nowait, None)

        self.turn_pool.submit(work)
        await locked

        async def events() -> AsyncIterator[AgentEvent]:
            while (event := await queue.get()) is not None:
                yield event

        return events()

    def history(self, thread_id: str, owner: str | None = None) -> list[dict[str, str]]:
        """The recent messages of a thread (empty for a new one)."""
        return list(self.values(thread_id, owner).get("messages", []))

    def turn_ids(self, thread_id: str, owner: str | None = None) -> list[str]:
        """The ids of the thread's completed turns, in order (what a load test checks for lost or doubled turns)."""
        return list(self.values(thread_id, owner).get("turn_ids", []))

    def shown(self, thread_id: str, owner: str | None = None) -> list[dict[str, Any]]:
        """The thread's completed turns as they were shown (request, answer, product cards, tool trace)."""
        return list(self.values(thread_id, owner).get("shown", []))
