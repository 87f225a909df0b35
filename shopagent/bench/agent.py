"""`shopagent bench agent`: per-turn latency split (LLM, tools, graph overhead) over 30 fixed conversations, and
pass^k (tau-bench: n runs per conversation at temperature 0.7; pass^k = mean over conversations of C(c,k)/C(n,k)).

Latency comes from the first run, conversations one after another (our own threads would otherwise compete for
the GIL and the 2 cores); the other n-1 runs go through a pool (``workers`` in flight, the server batches them) and
count for pass^k only. Each turn's time is split into model time (reply LLM + planner inference), tool time and
the rest (graph, checkpointer, grounding, prompt building). A no-op graph of the same shape with the same
checkpointer is timed after every timed turn, so the overhead can be read against LangGraph's own floor under
the same load.
"""

from __future__ import annotations

import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from math import comb
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field
from rich.table import Table

from core.config import Settings

log = logging.getLogger(__name__)


class AgentBenchResult(BaseModel):
    conversations: int
    turns: int
    runs: int
    model: str | None
    planner: str
    search_backend: str
    overhead_ms_p50: float
    overhead_ms_p95: float
    llm_ms_p50: float
    tool_ms_p50: float
    plan_ms_p50: float
    wall_ms_p50: float
    baseline_graph_ms_p50: float = Field(description="A 4-node no-op LangGraph graph with the same checkpointer, "
                                                     "timed between the turns: the floor under the same load.")
    pass_hat_1: float
    pass_hat_2: float
    pass_hat_3: float
    pass_hat_4: float
    turn_pass_rate: float
    template_fallback_rate: float
    elapsed_s: float
    failures: dict[str, int] = Field(default_factory=dict)

    def as_table(self) -> Table:
        table = Table(title=f"agent: {self.conversations} conversations x {self.runs} runs ({self.model}, "
                            f"planner {self.planner})")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for key in ("overhead_ms_p50", "overhead_ms_p95", "llm_ms_p50", "tool_ms_p50", "plan_ms_p50", "wall_ms_p50", "baseline_graph_ms_p50",
                    "pass_hat_1", "pass_hat_2", "pass_hat_3", "pass_hat_4", "turn_pass_rate",
                    "template_fallback_rate"):
            table.add_row(key, f"{getattr(self, key):.3f}")
        return table


def pass_hat(successes: list[int], n: int, k: int) -> float:
    """tau-bench's pass^k: mean over tasks of C(c, k) / C(n, k)."""
    return float(np.mean([comb(c, k) / comb(n, k) for c in successes])) if successes else 0.0


class _Baseline:
    """A no-op graph of the same shape (4 nodes, SQLite checkpointer) to time LangGraph's own floor."""

    def __init__(self, path: Path) -> None:
        import sqlite3
        from typing import TypedDict

        from langgraph.checkpoint.sqlite import SqliteSaver
        from langgraph.graph import END, START, StateGraph

        class S(TypedDict, total=False):
            message: str
            n: int

        g = StateGraph(S)
        names = ["understand", "search", "compose", "check"]  # one action node a turn
        for name in names:
            g.add_node(name, lambda state: {"n": state.get("n", 0) + 1})
        g.add_edge(START, names[0])
        for a, b in zip(names, names[1:]):
            g.add_edge(a, b)
        g.add_edge(names[-1], END)
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")  # as agent.checkpoint opens it
        self.conn.execute("PRAGMA synchronous=NORMAL")
        saver = SqliteSaver(self.conn)
        saver.setup()
        self.graph = g.compile(checkpointer=saver)
        self.times: list[float] = []

    def tick(self, thread: str) -> None:
        start = time.perf_counter()
        self.graph.invoke({"message": "x"}, {"configurable": {"thread_id": thread}}, durability="exit")
        self.times.append((time.perf_counter() - start) * 1000)


def _run_conversation(runtime: Any, conversation: Any, run: int, catalog: Any, baseline: _Baseline | None = None
                      ) -> tuple[bool, list[Any], list[list[str]]]:
    from evals.agent.judge import judge_turn

    thread = f"bench-{conversation.name}-{run}-{time.time_ns()}"
    previous = None
    results, fails = [], []
    for turn in conversation.turns:
        result = runtime.run_turn(thread, turn.message, user_id=turn.user_id)
        fails.append([f"{conversation.name}: {f}" for f in judge_turn(result, turn.expect, catalog, previous)])
        results.append(result)
        previous = result
        if baseline is not None:
            baseline.tick(thread)
    return not any(fails), results, fails


def run_agent_bench(settings: Settings, embedded: bool = False, runs: int = 4, temperature: float = 0.7,
                    max_tokens: int = 40, workers: int = 8, use_llm: bool = True, chat_model: Any = None,
                    limit: int | None = None) -> AgentBenchResult:
    """Run the fixed conversations ``runs`` times on a seeded demo catalog; figures side by side from one run."""
    from contextlib import ExitStack, nullcontext

    from evals.agent.judge import load_conversations
    from agent.runtime import AgentRuntime
    from core.heap import freeze_heap
    from shopagent.services import Services
    from core.llm.serve import llm_endpoint
    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import Catalog, write_catalog

    started = time.perf_counter()
    conversations = load_conversations()[:limit]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shopagent-bench-agent-")))
        write_catalog(tmp, generate_demo_catalog(seed=0, n_products=300))
        catalog = Catalog.open(tmp)
        endpoint = stack.enter_context(llm_endpoint(settings, embedded=embedded)) if use_llm and chat_model is None \
            else stack.enter_context(nullcontext(None))
        local = settings.model_copy(update={"data_dir": tmp, "checkpoint_url": None, "chroma_path": None})
        services = stack.enter_context(Services(local, catalog=catalog, use_engines=False))
        runtime = stack.enter_context(AgentRuntime.open(
            local, services.tools(), endpoint, chat_model=chat_model, temperature=temperature,
            reply_max_tokens=max_tokens, embedder=services.encoder()))
        runtime.run_turn("warm-up", "running shoes under $80")  # load MiniLM, open connections
        freeze_heap()
        baseline = _Baseline(tmp / "baseline.sqlite")
        baseline.tick("warm-up")
        baseline.times.clear()
        outcomes: dict[str, list[bool]] = {c.name: [] for c in conversations}
        failures, all_results, timed = [], [], []
        # run 1: conversations one after another, for the latency split (nothing of ours competes for the cores)
        for conv in conversations:
            ok, results, fails = _run_conversation(runtime, conv, 0, catalog, baseline)
            outcomes[conv.name].append(ok)
            timed += results
            all_results += results
            failures += fails
        # runs 2..n: `workers` conversations in flight (the server batches them), for pass^k only
        jobs = [(conv, r) for r in range(1, runs) for conv in conversations]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [(conv, pool.submit(_run_conversation, runtime, conv, r, catalog)) for conv, r in jobs]
            for conv, future in futures:
                ok, results, fails = future.result()
                outcomes[conv.name].append(ok)
                all_results += results
                failures += fails
        planner = runtime.deps.planner.name
        backend = getattr(runtime.deps.registry.ctx.search, "name", "?")
        model = getattr(endpoint, "model", None) if endpoint is not None else (
            "scripted" if chat_model is not None else None)

    def p(values: list[float], q: float) -> float:
        return round(float(np.percentile(values, q)), 3) if values else 0.0

    counts: dict[str, int] = {}
    for f in (x for turn in failures for x in turn):
        counts[f] = counts.get(f, 0) + 1
    successes = [sum(v) for v in outcomes.values()]
    judged_turns = len(all_results)
    return AgentBenchResult(
        conversations=len(conversations), turns=sum(len(c.turns) for c in conversations), runs=runs, model=model,
        planner=planner, search_backend=backend,
        overhead_ms_p50=p([r.timings.overhead_ms for r in timed], 50),
        overhead_ms_p95=p([r.timings.overhead_ms for r in timed], 95),
        llm_ms_p50=p([r.timings.llm_ms for r in timed], 50), tool_ms_p50=p([r.timings.tool_ms for r in timed], 50),
        plan_ms_p50=p([r.timings.plan_ms for r in timed], 50), wall_ms_p50=p([r.timings.wall_ms for r in timed], 50),
        baseline_graph_ms_p50=p(baseline.times, 50),
        **{f"pass_hat_{k}": round(pass_hat(successes, runs, k), 4) if k <= runs else 0.0 for k in range(1, 5)},
        turn_pass_rate=round(sum(not f for f in failures) / max(judged_turns, 1), 4),
        template_fallback_rate=round(sum(r.fallback for r in all_results) / max(judged_turns, 1), 4),
        elapsed_s=round(time.perf_counter() - started, 1),
        failures=dict(sorted(counts.items(), key=lambda kv: -kv[1])[:12]),
    )

