"""`shopagent bench llm`: server start time and decode throughput at 1 and N concurrent streams."""

from __future__ import annotations

import asyncio
import time

from pydantic import BaseModel
from rich.table import Table

from core.config import Settings
from core.llm.client import Endpoint, async_openai_client
from core.llm.serve import llm_endpoint

PROMPTS = [
    "Write a short product description for a stainless steel water bottle.",
    "Describe a lightweight running shoe for a shopper in three sentences.",
    "Explain what a moisturizing face cream with SPF 30 is good for.",
    "Write a friendly note recommending a wireless mouse to a student.",
]


class LLMBenchResult(BaseModel):
    server_start_s: float | None
    tok_s_1: float
    tok_s_16: float
    streams: int
    max_tokens: int
    model: str

    def as_table(self) -> Table:
        table = Table(title=f"LLM throughput ({self.model})")
        for col in ("server start (s)", "tok/s, 1 stream", f"tok/s, {self.streams} streams", "ratio"):
            table.add_column(col)
        start = "-" if self.server_start_s is None else f"{self.server_start_s:.1f}"
        table.add_row(start, f"{self.tok_s_1:.1f}", f"{self.tok_s_16:.1f}", f"{self.tok_s_16 / self.tok_s_1:.2f}x")
        return table


async def _throughput(endpoint: Endpoint, concurrency: int, max_tokens: int, rounds: int) -> float:
    client = async_openai_client(endpoint)

    async def one(i: int) -> int:
        response = await client.chat.completions.create(
            model=endpoint.model, messages=[{"role": "user", "content": PROMPTS[i % len(PROMPTS)]}],
            max_tokens=max_tokens, temperature=0.0, extra_body={"ignore_eos": True},
        )
        return response.usage.completion_tokens if response.usage else 0

    await one(0)  # warm-up
    t0 = time.perf_counter()
    tokens = sum(await asyncio.gather(*(one(i) for i in range(concurrency * rounds))))
    elapsed = time.perf_counter() - t0
    await client.close()
    return tokens / elapsed


def run_llm_bench(settings: Settings, embedded: bool, max_tokens: int = 128, streams: int = 16) -> LLMBenchResult:
    """Measure throughput side by side in one run on one server."""
    t0 = time.monotonic()
    with llm_endpoint(settings, embedded=embedded) as endpoint:
        start_s = time.monotonic() - t0 if embedded else None
        tok_1 = asyncio.run(_throughput(endpoint, 1, max_tokens, rounds=2))
        tok_n = asyncio.run(_throughput(endpoint, streams, max_tokens, rounds=1))
    return LLMBenchResult(
        server_start_s=start_s, tok_s_1=tok_1, tok_s_16=tok_n, streams=streams, max_tokens=max_tokens,
        model=endpoint.model or "?",
    )
