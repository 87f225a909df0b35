"""`shopagent bench eval`: the Shopping MMLU runner's throughput against a bare async OpenAI client.

Same server, same requests (generated questions, the runner's own request parameters), same concurrency. After
one warm-up pass (so both sides find the prefix cache and the guided-decoding grammars warm), the two alternate
round by round (5 by default), switching who goes first; each round gives one runner/bare tok/s ratio, and the ratio
reported is their median, with their min-max and verdict (``shopagent.bench.spread``). tok/s and req/s per side are
over the summed tokens and seconds.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Callable

from pydantic import BaseModel
from rich.table import Table

from evals.shopping_mmlu.data import Question, limit_per_task
from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
from evals.shopping_mmlu.prompts import request_params
from evals.shopping_mmlu.runner import AnswerCache, answer_questions
from core.config import Settings
from core.llm.client import Endpoint, async_openai_client
from core.llm.serve import llm_endpoint
from shopagent.bench.spread import Spread, alternate, ratio_of


class EvalBenchResult(BaseModel):
    tok_s_ours: float
    tok_s_bare: float
    ratio: float  # median over rounds of (runner tok/s / bare tok/s) in that round
    spread: Spread  # the per-round ratios, their median, min, max and verdict
    req_s_ours: float
    req_s_bare: float
    questions: int
    concurrency: int
    rounds: int
    model: str

    def as_table(self) -> Table:
        table = Table(title=f"Eval runner vs bare async client ({self.model}, {self.questions} questions x "
                            f"{self.rounds} rounds, concurrency {self.concurrency})")
        for col in ("tok/s runner", "tok/s bare", "req/s runner", "req/s bare", "ratio (median)", "min-max",
                    "verdict", "per-round ratios"):
            table.add_column(col)
        table.add_row(f"{self.tok_s_ours:.1f}", f"{self.tok_s_bare:.1f}", f"{self.req_s_ours:.2f}",
                      f"{self.req_s_bare:.2f}", f"{self.ratio:.3f}", f"{self.spread.min:.3f}-{self.spread.max:.3f}",
                      self.spread.verdict, ", ".join(f"{r:.2f}" for r in self.spread.ratios))
        return table


def bench_questions(n: int, seed: int = 0) -> list[Question]:
    """``n`` generated questions, spread over every task type (from the demo catalog)."""
    from tools.catalog.demo import generate_demo_catalog

    snapshot = CatalogSnapshot.from_data(generate_demo_catalog(seed=seed, n_products=300))
    questions = generate_tasks(snapshot, seed=seed, per_task=max(1, n // 10))
    per_task = 1
    while len(limit_per_task(questions, per_task)) < n and per_task < n:
        per_task += 1
    return limit_per_task(questions, per_task)[:n]


async def _bare(questions: list[Question], endpoint: Endpoint, concurrency: int) -> tuple[int, float]:
    params = [request_params(q, endpoint.model or "") for q in questions]
    client = async_openai_client(endpoint, max_connections=concurrency * 2)
    sem = asyncio.Semaphore(concurrency)

    async def one(p: dict) -> int:
        async with sem:
            response = await client.chat.completions.create(**p)
            return response.usage.completion_tokens if response.usage else 0

    t0 = time.perf_counter()
    tokens = sum(await asyncio.gather(*(one(p) for p in params)))
    elapsed = time.perf_counter() - t0
    await client.close()
    return tokens, elapsed


async def _ours(questions: list[Question], endpoint: Endpoint, concurrency: int, cache_path: Path) -> tuple[int, float]:
    done = [0]

    def progress(n: int) -> None:
        done[0] += n

    cache_path.unlink(missing_ok=True)  # a fresh cache: every question is asked (and written) each round
    t0 = time.perf_counter()
    _, stats = await answer_questions(questions, endpoint, concurrency=concurrency, cache=AnswerCache(cache_path),
                                      on_answer=progress)
    elapsed = time.perf_counter() - t0
    if stats.errors:
        raise RuntimeError(f"{stats.errors} of {stats.asked} requests failed during the benchmark")
    return stats.completion_tokens, elapsed


def run_eval_bench(settings: Settings, embedded: bool, concurrency: int = 16, n_questions: int = 96,
                   rounds: int = 5) -> EvalBenchResult:
    """Measure both sides alternately in one run on one server."""
    questions = bench_questions(n_questions)
    with llm_endpoint(settings, embedded=embedded) as endpoint, tempfile.TemporaryDirectory() as tmp:
        cache_path = Path(tmp) / "answers.jsonl"
        asyncio.run(_bare(questions, endpoint, concurrency))  # warm-up
        arms = {"ours": lambda: asyncio.run(_ours(questions, endpoint, concurrency, cache_path)),
                "bare": lambda: asyncio.run(_bare(questions, endpoint, concurrency))}
        result = alternating_rounds(arms, rounds, len(questions))
    return result.model_copy(update={"concurrency": concurrency, "model": endpoint.model or "?"})


def alternating_rounds(arms: dict[str, Callable[[], tuple[int, float]]], rounds: int, questions: int
                       ) -> EvalBenchResult:
    """Run ``arms["ours"]`` and ``arms["bare"]`` (each: one pass over the questions -> (completion tokens, seconds))
    ``rounds`` times, switching who goes first; one tok/s ratio per round."""
    totals = {"ours": [0, 0.0], "bare": [0, 0.0]}
    ratios = []
    for r in range(rounds):
        rates = {}
        for side in alternate(r, "ours", "bare"):
            tokens, seconds = arms[side]()
            totals[side][0] += tokens
            totals[side][1] += seconds
            rates[side] = tokens / seconds if seconds else 0.0
        ratios.append(ratio_of(rates["ours"], rates["bare"]))
    spread = Spread.of(ratios)
    n = questions * rounds
    return EvalBenchResult(
        tok_s_ours=totals["ours"][0] / totals["ours"][1], tok_s_bare=totals["bare"][0] / totals["bare"][1],
        ratio=spread.median, spread=spread, req_s_ours=n / totals["ours"][1], req_s_bare=n / totals["bare"][1],
        questions=questions, concurrency=0, rounds=rounds, model="?",
    )
