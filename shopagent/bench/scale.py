"""`shopagent bench scale`: the server profile under simulated shoppers, on real services on loopback.

Set-up (all real, all started here): a throwaway PostgreSQL cluster (conversations), a ``chroma run`` server
(vectors; the demo shop is indexed into it), and ``shopagent api`` worker processes with that profile's settings.
Shoppers run the agent's scenario conversations (``evals/agent/conversations.json``) as streamed ``/v1/chat`` turns,
round-robin over the workers (each turn of a thread may land on another worker), closed loop with no think time.

1. **app capacity**: the LLM is a scripted OpenAI-compatible responder (fixed reply, 150 ms to the first token,
   then 12 chunks 10 ms apart), so the app's own limit shows: turns/s with 1 worker and with 2, and the app's
   overhead per turn (wall - LLM - tools, measured inside the worker). Two workers are started once; each round
   drives the first alone and then both (or both, then the first alone: who goes first switches each round), so
   load from other processes falls on both arms; the 2/1 ratio is the median of the per-round ratios, with their
   min-max and verdict (``shopagent.bench.spread``), and turns/s per arm are the medians of its rounds;
2. **failover**: 2 workers, and worker 0 is SIGKILLed while it streams turns; clients resend each cut turn with
   the same ``turn_id`` to the other worker;
3. **end to end** (``--e2e``): the same alternating 1- and 2-worker rounds on the embedded vLLM.

Afterwards every thread's completed-turn log is read from PostgreSQL and compared with what the shoppers sent:
a turn missing there is lost, a turn there twice (or never sent) is duplicated.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Awaitable, Callable

import numpy as np
from pydantic import BaseModel, Field

from shopagent.cluster.chroma import ChromaServer
from shopagent.cluster.postgres import TempPostgres
from shopagent.cluster.responder import ScriptedLLM
from shopagent.cluster.shopper import ShopperClient, TurnOutcome
from shopagent.cluster.workers import ApiWorker
from core.config import Settings
from shopagent.bench.spread import Spread, alternate, ratio_of

Say = Callable[[str], None]
CONVERSATIONS = Path(__file__).resolve().parents[2] / "evals" / "agent" / "conversations.json"
WORKING = {"token", "tool_start", "tool_end", "products"}


class ModeFigures(BaseModel):
    turns_per_s_1: float = Field(description="Median over rounds of the 1-worker runs' turns/s.")
    turns_per_s_2: float = Field(description="Median over rounds of the 2-worker runs' turns/s.")
    ratio: float = Field(description="Median over rounds of (2-worker turns/s / 1-worker turns/s) in that round.")
    spread: Spread = Field(description="The per-round 2/1 ratios, their median, min, max and verdict.")
    rounds: int
    turns_per_s_1_rounds: list[float]
    turns_per_s_2_rounds: list[float]
    turns_1: int = Field(description="Turns completed in all 1-worker runs.")
    turns_2: int = Field(description="Turns completed in all 2-worker runs.")
    turn_ms_p50: float = Field(description="Client-side wall time of a turn, 2 workers (all rounds).")
    turn_ms_p95: float
    overhead_ms_p50: float = Field(description="App overhead per turn inside the worker (wall - LLM - tools), 2 "
                                               "workers.")
    overhead_ms_p95: float
    solo_overhead_ms_p50: float = Field(description="The same with one shopper (no queueing, no contention).")
    solo_overhead_ms_p95: float
    shoppers: int
    seconds: float = Field(description="Seconds per run (each round runs each arm once).")


class FailoverFigures(BaseModel):
    turns: int
    killed_mid_stream: bool = Field(description="Worker 0 was killed, and streams it had begun were cut mid-turn.")
    cut_streams: int = Field(description="Streams cut mid-turn by the kill (each resent to the other worker).")
    failovers: int = Field(description="Turns whose stream was cut (or refused) and resent to the other worker.")
    busy_retries: int
    all_turns_completed: bool


class ScaleResult(BaseModel):
    workers: int
    turns: int = Field(description="Turns completed in all phases.")
    errors: int = Field(description="Turns that never completed, plus 5xx answers and `error` events.")
    lost_turns: int
    duplicated_turns: int
    turns_per_s_1: float = Field(description="App capacity, 1 worker (scripted LLM).")
    turns_per_s_2: float = Field(description="App capacity, 2 workers (scripted LLM).")
    ratio: float = Field(description="App capacity 2/1 workers: the median per-round ratio (capacity.spread).")
    failover_ok: bool
    capacity: ModeFigures
    failover: FailoverFigures
    e2e: ModeFigures | None = None
    threads_checked: int
    n_products: int
    cores: int
    setup_s: float


class Ledger:
    """Every turn the shoppers sent (by thread), for the check against PostgreSQL."""

    def __init__(self) -> None:
        self.sent: dict[str, list[str]] = {}
        self.outcomes: list[TurnOutcome] = []

    def add(self, outcome: TurnOutcome) -> None:
        self.sent.setdefault(outcome.thread_id, []).append(outcome.turn_id)
        self.outcomes.append(outcome)


def conversations() -> list[list[str]]:
    return [[t["message"] for t in c["turns"]] for c in json.loads(CONVERSATIONS.read_text())]


async def drive(urls: list[str], shoppers: int, seconds: float, ledger: Ledger, tag: str,
                on_event: Callable[[int, str], None] | None = None,
                during: Callable[[], Awaitable[None]] | None = None) -> tuple[list[TurnOutcome], float]:
    """``shoppers`` concurrent shoppers for ``seconds``: (outcomes of turns started in time, elapsed seconds)."""
    convs = conversations()
    client = ShopperClient(urls, on_event=on_event)
    outcomes: list[TurnOutcome] = []
    t0 = time.perf_counter()
    deadline = t0 + seconds

    async def shopper(i: int) -> None:
        rng = random.Random(i)
        n = 0
        while time.perf_counter() < deadline:
            thread = f"{tag}-s{i}-{uuid.uuid4().hex[:8]}"
            for message in rng.choice(convs):
                if time.perf_counter() >= deadline:
                    break
                out = await client.turn(thread, message, uuid.uuid4().hex, first_worker=i + n)
                n += 1
                ledger.add(out)
                outcomes.append(out)

    tasks = [asyncio.create_task(shopper(i)) for i in range(shoppers)]
    if during is not None:
        tasks.append(asyncio.ensure_future(during()))
    try:
        await asyncio.gather(*tasks)
    finally:
        await client.aclose()
    return outcomes, time.perf_counter() - t0


def start_workers(settings: Settings, n: int, log_dir: Path) -> list[ApiWorker]:
    workers = [ApiWorker(settings, log_dir) for _ in range(n)]
    for w in workers:
        w.start()
    for w in workers:
        w.wait_http(f"{w.url}/v1/health", 240)
    return workers


def warm(workers: list[ApiWorker]) -> None:
    """One turn on each worker (opens the agent: planner encoder, checkpointer pool), not counted."""
    async def run() -> None:
        client = ShopperClient([w.url for w in workers], max_attempts=3)
        try:
            for i in range(len(workers)):
                out = await client.turn(f"warm-{uuid.uuid4().hex[:8]}", "show me running shoes", uuid.uuid4().hex, i)
                if not out.ok:
                    raise RuntimeError(f"warm-up turn failed on {workers[i].url}: {out.server_errors}")
        finally:
            await client.aclose()

    asyncio.run(run())


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else 0.0


Run = Callable[[list[str], str], tuple[list[TurnOutcome], float]]


def measure_mode(settings: Settings, shoppers: int, seconds: float, ledger: Ledger, tag: str, log_dir: Path,
                 say: Say, rounds: int = 5) -> ModeFigures:
    """Two workers started once; ``rounds`` alternating rounds of (the first worker alone, both workers)."""
    workers = start_workers(settings, 2, log_dir)
    try:
        warm(workers)
        urls = [w.url for w in workers]

        def run(targets: list[str], run_tag: str) -> tuple[list[TurnOutcome], float]:
            return asyncio.run(drive(targets, shoppers, seconds, ledger, run_tag))

        figures = alternating_rounds(urls, run, rounds, tag, say)
        solo, _ = asyncio.run(drive(urls, 1, min(seconds, 8.0), ledger, f"{tag}-solo"))
    finally:
        for w in workers:
            w.stop()
    solo_overheads = [o.result["timings"]["overhead_ms"] for o in solo if o.result]
    return figures.model_copy(update={"solo_overhead_ms_p50": pct(solo_overheads, 50),
                                      "solo_overhead_ms_p95": pct(solo_overheads, 95), "shoppers": shoppers,
                                      "seconds": seconds})


def alternating_rounds(urls: list[str], run: Run, rounds: int, tag: str, say: Say) -> ModeFigures:
    """``rounds`` rounds, each running ``run(urls[:1])`` and ``run(urls)`` (who goes first switches every round):
    per-arm turns/s per round, their medians, the per-round 2/1 ratios' spread, and latency over the 2-worker runs."""
    per_arm: dict[int, list[float]] = {1: [], 2: []}
    counts = {1: 0, 2: 0}
    two: list[TurnOutcome] = []
    for r in range(rounds):
        rate = {}
        for n in alternate(r, 1, 2):
            outcomes, elapsed = run(urls[:n], f"{tag}-{n}w-r{r}")
            done = [o for o in outcomes if o.ok]
            rate[n] = len(done) / elapsed if elapsed else 0.0
            per_arm[n].append(rate[n])
            counts[n] += len(done)
            if n == 2:
                two += done
            say(f"{tag} round {r + 1}/{rounds}: {n} worker(s): {len(done)} turns in {elapsed:.1f} s "
                f"= {rate[n]:.1f}/s")
    spread = Spread.of([ratio_of(a, b) for a, b in zip(per_arm[2], per_arm[1])], digits=3)
    say(f"{tag}: 2/1 workers {spread.text()}")
    walls = [o.wall_s * 1000 for o in two]
    overheads = [o.result["timings"]["overhead_ms"] for o in two if o.result]
    return ModeFigures(turns_per_s_1=round(float(np.median(per_arm[1])), 2),
                       turns_per_s_2=round(float(np.median(per_arm[2])), 2), ratio=spread.median, spread=spread,
                       rounds=rounds, turns_per_s_1_rounds=[round(x, 2) for x in per_arm[1]],
                       turns_per_s_2_rounds=[round(x, 2) for x in per_arm[2]],
                       turns_1=counts[1], turns_2=counts[2], turn_ms_p50=pct(walls, 50), turn_ms_p95=pct(walls, 95),
                       overhead_ms_p50=pct(overheads, 50), overhead_ms_p95=pct(overheads, 95),
                       solo_overhead_ms_p50=0.0, solo_overhead_ms_p95=0.0, shoppers=0, seconds=0.0)


def failover_phase(settings: Settings, shoppers: int, seconds: float, ledger: Ledger, log_dir: Path,
                   say: Say) -> FailoverFigures:
    workers = start_workers(settings, 2, log_dir)
    working = asyncio.Event()

    def on_event(w: int, event: str) -> None:
        if w == 0 and event in WORKING:
            working.set()

    async def killer() -> None:
        await asyncio.sleep(seconds / 3)
        working.clear()
        await working.wait()  # worker 0 is streaming a turn right now
        await asyncio.get_running_loop().run_in_executor(None, workers[0].kill)
        say("failover: worker 0 killed (SIGKILL) mid-stream")

    try:
        warm(workers)
        outcomes, _ = asyncio.run(drive([w.url for w in workers], shoppers, seconds, ledger, "failover",
                                        on_event=on_event, during=killer))
        killed = not workers[0].alive() and workers[1].alive()
    finally:
        for w in workers:
            w.stop()
    cut = sum(o.cut_streams for o in outcomes)
    resent = sum(o.failovers for o in outcomes)
    say(f"failover: {len(outcomes)} turns, {cut} streams cut mid-turn, {resent} attempts resent to the other worker")
    return FailoverFigures(turns=sum(o.ok for o in outcomes), killed_mid_stream=killed and cut > 0,
                           cut_streams=cut, failovers=resent,
                           busy_retries=sum(o.busy_retries for o in outcomes),
                           all_turns_completed=all(o.ok for o in outcomes))


def check_store(url: str, ledger: Ledger) -> tuple[int, int]:
    """(lost, duplicated) turns: every thread's completed-turn log in PostgreSQL against what was sent."""
    from agent.checkpoint import postgres_saver

    lost = duplicated = 0
    with postgres_saver(url) as saver:
        for thread, sent in ledger.sent.items():
            tup = saver.get_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
            stored = list((tup.checkpoint["channel_values"] if tup else {}).get("turn_ids", []))
            lost += sum(1 for t in sent if t not in stored)
            duplicated += sum(stored.count(t) - 1 for t in set(stored)) + sum(1 for t in set(stored) if t not in sent)
    return lost, duplicated


def run_scale_bench(settings: Settings, shoppers: int = 32, seconds: float = 10.0, e2e: bool = True,
                    e2e_shoppers: int = 8, e2e_seconds: float = 30.0, n_products: int = 1000, rounds: int = 5,
                    say: Say = lambda _: None) -> ScaleResult:
    import os

    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import write_catalog
    from tools.search.index import build_index

    t0 = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="shopagent-scale-"))
    ledger = Ledger()
    try:
        with ExitStack() as stack:
            data, logs = root / "data", root / "logs"
            data.mkdir()
            settings.models_dir.mkdir(parents=True, exist_ok=True)
            (data / "models").symlink_to(settings.models_dir.resolve(), target_is_directory=True)
            write_catalog(data, generate_demo_catalog(seed=0, n_products=n_products))
            pg = stack.enter_context(TempPostgres(log_path=logs / "postgres.log"))
            chroma = stack.enter_context(ChromaServer(root / "chroma", log_path=logs / "chroma.log"))
            base = Settings(data_dir=data, chroma_host="127.0.0.1", chroma_port=chroma.port, checkpoint_url=pg.url,
                            planner="rules", llm_max_retries=0, api_threads=4)
            build_index(base, reviews=False)
            responder = stack.enter_context(ScriptedLLM(logs))
            say(f"set up in {time.perf_counter() - t0:.0f} s: PostgreSQL :{pg.port}, chroma run :{chroma.port}, "
                f"{n_products} products indexed, scripted LLM :{responder.port}")
            setup_s = time.perf_counter() - t0
            scripted = base.model_copy(update={"llm_url": responder.url})
            capacity = measure_mode(scripted, shoppers, seconds, ledger, "capacity", logs, say, rounds)
            failover = failover_phase(scripted, shoppers, seconds, ledger, logs, say)
            e2e_figures = None
            if e2e:
                from core.llm.serve import embedded_server

                say("starting the embedded vLLM for the end-to-end runs ...")
                server = stack.enter_context(embedded_server(settings, progress=False))
                real = base.model_copy(update={"llm_url": server.spec.base_url, "llm_model": server.spec.served_name,
                                               "llm_max_retries": 1})
                e2e_figures = measure_mode(real, e2e_shoppers, e2e_seconds, ledger, "e2e", logs, say, rounds)
            lost, duplicated = check_store(pg.url, ledger)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    outcomes = ledger.outcomes
    errors = sum(not o.ok for o in outcomes) + sum(len(o.server_errors) for o in outcomes)
    return ScaleResult(
        workers=2, turns=sum(o.ok for o in outcomes), errors=errors, lost_turns=lost, duplicated_turns=duplicated,
        turns_per_s_1=capacity.turns_per_s_1, turns_per_s_2=capacity.turns_per_s_2, ratio=capacity.ratio,
        failover_ok=failover.killed_mid_stream and failover.all_turns_completed and failover.failovers > 0
        and lost == 0 and duplicated == 0,
        capacity=capacity, failover=failover, e2e=e2e_figures, threads_checked=len(ledger.sent),
        n_products=n_products, cores=os.cpu_count() or 0, setup_s=round(setup_s, 1))
