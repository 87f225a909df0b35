"""An async HTTP load generator (aiohttp), run as its own process so it does not share the server's event loop.

``python -m shopagent.bench.loadgen SPEC.json OUT.json`` writes one JSON object: per phase latencies (ms) and errors.
Open loop: request i is due at ``t0 + i / rate`` whatever happened before; its latency is counted from that due
time (so a stalled server cannot hide its queue: no coordinated omission). Closed loop: ``clients`` tasks, each
sends its next request as soon as the previous one answers.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any


async def _post(session: Any, url: str, body: dict, headers: dict[str, str]) -> bool:
    try:
        async with session.post(url, json=body, headers=headers) as resp:
            await resp.read()
            return resp.status == 200
    except Exception:  # noqa: BLE001 - any failure counts as an error
        return False


async def open_loop(session: Any, url: str, bodies: list[dict], rate: float, duration_s: float,
                    headers: dict[str, str], drain_s: float = 30.0) -> dict[str, Any]:
    n = int(rate * duration_s)
    latencies: list[float] = []
    errors = 0
    lag_max = 0.0

    async def one(i: int, due: float) -> None:
        nonlocal errors
        ok = await _post(session, url, bodies[i % len(bodies)], headers)
        latencies.append((time.perf_counter() - due) * 1000)
        errors += not ok

    tasks = []
    t0 = time.perf_counter() + 0.05
    for i in range(n):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag_max = max(lag_max, -delay)
        tasks.append(asyncio.create_task(one(i, due)))
    done, pending = await asyncio.wait(tasks, timeout=drain_s)
    for t in pending:
        t.cancel()
    return {"latencies_ms": latencies, "errors": errors + len(pending), "sent": n, "unfinished": len(pending),
            "elapsed_s": time.perf_counter() - t0, "send_lag_max_ms": lag_max * 1000}


async def closed_loop(session: Any, url: str, bodies: list[dict], clients: int, duration_s: float,
                      headers: dict[str, str]) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration_s

    async def client(c: int) -> None:
        nonlocal errors
        i = c
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            ok = await _post(session, url, bodies[i % len(bodies)], headers)
            latencies.append((time.perf_counter() - t) * 1000)
            errors += not ok
            i += clients

    t0 = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    elapsed = time.perf_counter() - t0
    return {"latencies_ms": latencies, "errors": errors, "elapsed_s": elapsed, "rps": len(latencies) / elapsed}


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {spec['token']}"} if spec.get("token") else {}
    connector = aiohttp.TCPConnector(limit=spec.get("max_connections", 400), limit_per_host=0)
    timeout = aiohttp.ClientTimeout(total=spec.get("timeout_s", 30.0))
    out: dict[str, Any] = {}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for phase in spec["phases"]:
            url = spec["base_url"] + phase["path"]
            bodies = phase["bodies"]
            if phase["kind"] == "open":
                out[phase["name"]] = await open_loop(session, url, bodies, phase["rate"], phase["duration_s"],
                                                     headers)
            else:
                out[phase["name"]] = await closed_loop(session, url, bodies, phase["clients"], phase["duration_s"],
                                                       headers)
    return out


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    try:
        import uvloop

        result = uvloop.run(run(spec))
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        result = asyncio.run(run(spec))
    with open(sys.argv[2], "w") as f:  # a file, not stdout: the event loop may leave stdout non-blocking
        json.dump(result, f)


if __name__ == "__main__":
    main()
