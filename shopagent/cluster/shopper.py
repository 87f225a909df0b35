"""A shopper's client of the tool API: streams ``/v1/chat`` turns over Server-Sent Events and fails over.

Turns go round-robin over the workers (any worker serves any turn of any thread). When a worker drops a stream
(killed, connection refused) the same turn, with the same ``turn_id``, is sent to the next worker; 409 (the
thread's previous attempt still runs) and 503 (store down) are waited out. A turn is never sent twice under two
ids, so the store can be checked afterwards for lost or duplicated turns.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable

import httpx
from pydantic import BaseModel, Field


class TurnOutcome(BaseModel):
    thread_id: str
    turn_id: str
    ok: bool
    result: dict[str, Any] | None = None
    worker: int = Field(-1, description="The worker that completed the turn.")
    attempts: int = 0
    failovers: int = Field(0, description="Attempts that failed at the transport (worker gone) and were resent to "
                                          "the next worker.")
    cut_streams: int = Field(0, description="Of those, streams that had started (HTTP 200) and were cut mid-turn.")
    busy_retries: int = 0
    unavailable: int = Field(0, description="503 answers (store down) waited out.")
    server_errors: list[str] = Field(default_factory=list, description="5xx other than 503, or an `error` event.")
    wall_s: float = 0.0


def parse_sse(lines: list[str]) -> tuple[str, str]:
    event, data = "message", []
    for line in lines:
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    return event, "\n".join(data)


class ShopperClient:
    """``await client.turn(thread, message, turn_id, first_worker)`` over ``workers`` (base URLs)."""

    def __init__(self, workers: list[str], token: str | None = None, timeout_s: float = 120.0,
                 max_attempts: int = 12, backoff_s: float = 0.25,
                 on_event: Callable[[int, str], None] | None = None) -> None:
        self.workers = workers
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.on_event = on_event
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(timeout_s, connect=5.0),
                                      limits=httpx.Limits(max_connections=512, max_keepalive_connections=512))

    async def aclose(self) -> None:
        await self.http.aclose()

    async def turn(self, thread_id: str, message: str, turn_id: str, first_worker: int = 0,
                   user_id: str | None = None) -> TurnOutcome:
        out = TurnOutcome(thread_id=thread_id, turn_id=turn_id, ok=False)
        body = {"thread_id": thread_id, "message": message, "turn_id": turn_id, "stream": True, "user_id": user_id}
        t0 = time.perf_counter()
        w = first_worker % len(self.workers)
        while out.attempts < self.max_attempts:
            out.attempts += 1
            status, result, opened = await self._stream(w, body)
            if result is not None:
                out.ok, out.result, out.worker = True, result, w
                break
            if status == 409:
                out.busy_retries += 1
                await asyncio.sleep(self.backoff_s)
                continue
            if status == 503:
                out.unavailable += 1
                await asyncio.sleep(self.backoff_s * 4)
            elif status == -1:  # the stream was cut (or never opened): the same turn on the next worker
                out.failovers += 1
                out.cut_streams += int(opened)
                await asyncio.sleep(self.backoff_s)
            elif status >= 500 or status == 0:
                out.server_errors.append(f"worker {w}: {status}")
            else:
                out.server_errors.append(f"worker {w}: HTTP {status}")
                break
            w = (w + 1) % len(self.workers)
        out.wall_s = time.perf_counter() - t0
        return out

    async def _stream(self, w: int, body: dict[str, Any]) -> tuple[int, dict[str, Any] | None, bool]:
        """(status, final result, whether the stream had opened); status -1 when the connection failed or the
        stream ended without a final event, 0 on an ``error`` event."""
        opened = False
        try:
            async with self.http.stream("POST", f"{self.workers[w]}/v1/chat", json=body) as r:
                if r.status_code != 200:
                    await r.aread()
                    return r.status_code, None, False
                opened = True
                return await self._events(w, r)
        except httpx.TransportError:
            return -1, None, opened

    async def _events(self, w: int, r: httpx.Response) -> tuple[int, dict[str, Any] | None, bool]:
        block: list[str] = []
        async for line in r.aiter_lines():
                if line:
                    block.append(line)
                    continue
                if not block:
                    continue
                event, data = parse_sse(block)
                block = []
                if self.on_event is not None:
                    self.on_event(w, event)
                if event == "final":
                    return 200, json.loads(data)["result"], True
                if event == "error":
                    return 0, None, True
        return -1, None, True
