"""`shopagent bench scale`: the server profile under simulated shoppers, on real services on loopback.

Set-up (all real, all started here): a throwaway PostgreSQL cluster (conversations), a ``chroma run`` server
(vectors; the demo shop is indexed into it), and ``shopagent api`` worker processes with that profile's settings.
Shoppers run the agent's scenario conversations (``evals/agent/conversations.json``) as streamed ``/v1/chat`` turns,
round-robin over the workers (each turn of a thread may land on another worker), closed loop with no think time.

1. **app capacity**: the LLM is a scripted OpenAI-compatible responder (fixed reply, 150 ms to the first token,
   then 12 chunks 10 ms apart), so the app's own limit shows: turns/s with 1 worker, then 2, and the app's
   overhead per turn (wall - LLM - tools, measured inside the worker);
2. **failover**: 2 workers, and worker 0 is SIGKILLed while it streams turns; clients resend each cut turn with
   the same ``turn_id`` to the other worker;
3. **end to end** (``--e2e``): the same 1-then-2 worker runs on the embedded vLLM.

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

Say = Callable[[str], None]
CONVERSATIONS = Path(__file__).resolve().parents[2] / "evals" / "agent" / "conversations.json"
WORKING = {"token", "tool_start", "tool_end", "products"}


class ModeFigures(BaseModel):
    turns_per_s_1: float
    turns_per_s_2: float
    ratio: float = Field(description="turns_per_s_2 / turns_per_s_1, measured in the same run.")
    turns_1: int
    turns_2: int
    turn_ms_p50: float = Field(description="Client-side wall time of a turn, 2 workers.")
    turn_ms_p95: float
    overhead_ms_p50: float = Field(description="App overhead per turn inside the worker (wall - LLM - tools), 2 "
                                               "workers.")
    overhead_ms_p95: float
    solo_overhead_ms_p50: float = Field(description="The same with one shopper (no queueing, no contention).")
    solo_overhead_ms_p95: float
    shoppers: int
    seconds: float


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


def measure_mode(settings: Settings, shoppers: int, seconds: float, ledger: Ledger, tag: str, log_dir: Path,
                 say: Say) -> ModeFigures:
    rates, counts, last, solo = [], [], [], []
    for n in (1, 2):
        workers = start_workers(settings, n, log_dir)
        try:
            warm(workers)
            urls = [w.url for w in workers]
            outcomes, elapsed = asyncio.run(drive(urls, shoppers, seconds, ledger, f"{tag}-{n}w"))
            if n == 2:
                solo, _ = asyncio.run(drive(urls, 1, min(seconds, 8.0), ledger, f"{tag}-solo"))
        finally:
            for w in workers:
                w.stop()
        done = [o for o in outcomes if o.ok]
        rates.append(len(done) / elapsed)
        counts.append(len(done))
        last = done
        say(f"{tag}: {n} worker(s), {shoppers} shoppers: {len(done)} turns in {elapsed:.1f} s = {rates[-1]:.1f}/s")
    walls = [o.wall_s * 1000 for o in last]
    overheads = [o.result["timings"]["overhead_ms"] for o in last if o.result]
    solo_overheads = [o.result["timings"]["overhead_ms"] for o in solo if o.result]
    return ModeFigures(turns_per_s_1=round(rates[0], 2), turns_per_s_2=round(rates[1], 2),
                       ratio=round(rates[1] / rates[0], 3) if rates[0] else 0.0, turns_1=counts[0], turns_2=counts[1],
                       turn_ms_p50=pct(walls, 50), turn_ms_p95=pct(walls, 95), overhead_ms_p50=pct(overheads, 50),
                       overhead_ms_p95=pct(overheads, 95), solo_overhead_ms_p50=pct(solo_overheads, 50),
                       solo_overhead_ms_p95=pct(solo_overheads, 95), shoppers=shoppers, seconds=seconds)


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


def run_scale_bench(settings: Settings, shoppers: int = 32, seconds: float = 20.0, e2e: bool = True,
                    e2e_shoppers: int = 8, e2e_seconds: float = 30.0, n_products: int = 1000,
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
            capacity = measure_mode(scripted, shoppers, seconds, ledger, "capacity", logs, say)
            failover = failover_phase(scripted, shoppers, seconds, ledger, logs, say)
            e2e_figures = None
            if e2e:
                from core.llm.serve import embedded_server

                say("starting the embedded vLLM for the end-to-end runs ...")
                server = stack.enter_context(embedded_server(settings, progress=False))
                real = base.model_copy(update={"llm_url": server.spec.base_url, "llm_model": server.spec.served_name,
                                               "llm_max_retries": 1})
                e2e_figures = measure_mode(real, e2e_shoppers, e2e_seconds, ledger, "e2e", logs, say)
            lost, duplicated = check_store(pg.url, ledger)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    outcomes = ledger.outcomes
    errors = sum(not o.ok for o in outcomes) + sum(len(o.server_errors) for o in outcomes)
    return ScaleResult(
        workers=2, turns=sum(o.ok for o in outcomes), errors=errors, lost_turns=lost, duplicated_turns=duplicated,
        turns_per_s_1=capacity.turns_per_s_1, turns_per_s_2=capacity.turns_per_s_2,
        failover_ok=failover.killed_mid_stream and failover.all_turns_completed and failover.failovers > 0
        and lost == 0 and duplicated == 0,
        capacity=capacity, failover=failover, e2e=e2e_figures, threads_checked=len(ledger.sent),
        n_products=n_products, cores=os.cpu_count() or 0, setup_s=round(setup_s, 1))
