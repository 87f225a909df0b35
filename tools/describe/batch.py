"""Describe many products with bounded concurrency (so vLLM batches them), appending each result as it finishes.

The output is JSON Lines, one ``DescribeResult`` a line, written and flushed the moment an item is done, so an
interrupted batch loses nothing finished; running it again skips the ids already there. Failed items are not
written (a rerun retries them): they come back in ``BatchReport.failures``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any, Callable, Iterable

from pydantic import BaseModel, Field

from tools.describe.models import DescribeRequest, DescribeResult
from tools.describe.pipeline import Describer

log = logging.getLogger(__name__)


class BatchReport(BaseModel):
    """What one batch run did."""

    done: int = 0
    skipped: int = Field(0, description="Ids already in the output file.")
    failures: dict[str, str] = Field(default_factory=dict, description="id -> first error line.")
    completion_tokens: int = 0
    claims: int = 0
    unsupported_claims: int = 0
    elapsed_s: float = 0.0

    @property
    def unsupported_rate(self) -> float | None:
        return self.unsupported_claims / self.claims if self.claims else None


def done_ids(out_path: Path) -> set[str]:
    """Ids already written to ``out_path`` (a line cut by a crash is ignored)."""
    if not out_path.exists():
        return set()
    ids = set()
    with out_path.open() as f:
        for line in f:
            try:
                ids.add(json.loads(line)["product_id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return ids


class _Appender:
    """Appends one JSON line per result and flushes it to disk at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f = path.open("a", encoding="utf-8")
        if path.stat().st_size > 0:
            self._terminate_cut_line(path)

    def _terminate_cut_line(self, path: Path) -> None:
        with path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                self._f.write("\n")

    def write(self, result: DescribeResult) -> None:
        self._f.write(result.model_dump_json() + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        self._f.close()


async def run_requests(describer: Describer, requests: Iterable[DescribeRequest], concurrency: int,
                       on_result: Callable[[DescribeResult], None]) -> None:
    """Describe ``requests`` with at most ``concurrency`` in flight; ``on_result`` gets each result as it ends."""
    queue: asyncio.Queue[DescribeRequest] = asyncio.Queue()
    for r in requests:
        queue.put_nowait(r)

    async def worker() -> None:
        while True:
            try:
                request = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            on_result(await describer.describe(request))

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))


async def describe_batch(describer: Describer, requests: list[DescribeRequest], out_path: Path,
                         concurrency: int = 16, on_result: Callable[[DescribeResult], None] | None = None,
                         on_skip: Callable[[int], None] | None = None) -> BatchReport:
    """Describe every request not already in ``out_path``; append each success there as soon as it is done."""
    import time

    seen = done_ids(out_path)
    todo = [r for r in requests if r.key not in seen]
    report = BatchReport(skipped=len(requests) - len(todo))
    if on_skip is not None:
        on_skip(report.skipped)
    appender = _Appender(out_path)
    t0 = time.perf_counter()

    def record(result: DescribeResult) -> None:
        report.completion_tokens += result.completion_tokens
        report.claims += len(result.claims)
        report.unsupported_claims += sum(not c.supported for c in result.claims)
        if result.errors or result.product_copy is None:
            report.failures[result.product_id] = result.errors[0] if result.errors else "no copy"
        else:
            appender.write(result)
            report.done += 1
        if on_result is not None:
            on_result(result)

    try:
        await run_requests(describer, todo, concurrency, record)
    finally:
        appender.close()
        report.elapsed_s = time.perf_counter() - t0
    return report


def describe_many(endpoint: Any, catalog: Any, engine: Any, requests: list[DescribeRequest], out_path: Path,
                  on_result: Callable[[DescribeResult], None] | None = None, concurrency: int = 8) -> BatchReport:
    """``describe_batch`` from synchronous code (the app, the CLI): opens a ``Describer`` and closes it after."""

    async def run() -> BatchReport:
        describer = Describer.open(endpoint, catalog=catalog, engine=engine)
        try:
            return await describe_batch(describer, requests, out_path, concurrency=concurrency, on_result=on_result)
        finally:
            await describer.aclose()

    return asyncio.run(run())
