"""`shopagent api` (the HTTP tool API), `shopagent mcp` (the same tools over MCP), `shopagent bench api`."""

from __future__ import annotations

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

INSECURE_OPTION = typer.Option(False, "--insecure", help="Listen on a non-loopback address with no token "
                                                        "(everyone may call; logged as a warning at every start).")


def api(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8080, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Server processes (each loads the engines)."),
    threads: int = typer.Option(4, min=1, help="Tool-call threads per process."),
    insecure: bool = INSECURE_OPTION,
) -> None:
    """Serve the tool API (FastAPI + uvicorn): /v1/search, /recommend, /similar, /describe, /chat, /products, /health.

    Set SHOPAGENT_API_TOKEN to require `Authorization: Bearer <token>` (required off loopback). OpenAPI docs at /docs.
    """
    import os

    import uvicorn

    from core.llm.serve import port_is_free
    from shopagent.api.security import check_listen

    check_listen(settings(), host, insecure, "the tool API")
    if insecure:
        os.environ["SHOPAGENT_API_INSECURE"] = "true"  # the workers refuse shopper-specific calls

    if not port_is_free(host, port):
        from core.errors import ShopagentError

        raise ShopagentError(f"port {port} on {host} is busy: stop what uses it or pass --port")
    os.environ["SHOPAGENT_API_THREADS"] = str(threads)
    console.print(f"tool API on http://{host}:{port}/v1 (docs: http://{host}:{port}/docs)")
    uvicorn.run("shopagent.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                loop="uvloop", http="httptools", access_log=False, log_level="warning", timeout_keep_alive=30)


def mcp(
    transport: str = typer.Option("stdio", help="stdio (for a local agent) | streamable-http | sse"),
    host: str = typer.Option("127.0.0.1", help="Interface for the HTTP transports."),
    port: int = typer.Option(8090, help="Port for the HTTP transports."),
    insecure: bool = INSECURE_OPTION,
) -> None:
    """Serve the shop's tools (search, recommend, similar, describe, product) as an MCP server. Over HTTP, clients
    send `Authorization: Bearer $SHOPAGENT_API_TOKEN` (required off loopback)."""
    from shopagent.api.mcp_server import build_server, http_app
    from shopagent.api.security import check_listen

    s = settings()
    if transport == "stdio":
        build_server(s).run("stdio")
    elif transport in ("streamable-http", "sse"):
        import uvicorn

        check_listen(s, host, insecure, "the MCP server")
        s = s.model_copy(update={"api_insecure": insecure and not s.api_token})
        console.print(f"MCP server ({transport}) on http://{host}:{port}")
        uvicorn.run(http_app(build_server(s), s, transport, host), host=host, port=port, log_level="warning")
    else:
        from core.errors import ShopagentError

        raise ShopagentError(f"unknown transport {transport!r}: use stdio, streamable-http or sse")


def bench(
    products: int = typer.Option(10_000, help="Catalog size of the bench shop (built once, then reused)."),
    rate: float = typer.Option(100.0, help="Open-loop arrival rate (requests/s) per endpoint."),
    duration: float = typer.Option(30.0, help="Seconds per load phase."),
    clients: int = typer.Option(100, help="Closed-loop concurrent clients."),
    threads: int = typer.Option(4, help="Server tool-call threads."),
    chat_only: bool = typer.Option(False, "--chat-only", help="Only the demo shop's memory and chat turns."),
    rounds: int = typer.Option(5, min=0, help="Alternating rounds of HTTP closed loop vs in-process search (the "
                                               "ratio's median and min-max; fewer than 5 is not a claim)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Load the tool API on loopback: open loop (p50/p95/p99, errors), closed loop (req/s) vs in-process search;
    and one API process on the demo shop: resident memory after chat turns, first vs later turn."""
    from rich.table import Table

    from shopagent.bench.api import run_api_bench

    result = run_api_bench(settings(), n_products=products, rate=rate, duration_s=duration, clients=clients,
                           threads=threads, chat_only=chat_only, rounds=rounds,
                           say=lambda m: console.print(m))
    c = result.chat
    console.print(f"demo shop ({c.n_products} products): {c.rss_mb_after_start:.0f} MB at start, "
                  f"{c.rss_mb_after_chat:.0f} MB after {c.turns} chat turns; first turn {c.first_chat_s:.2f} s, "
                  f"later {c.later_chat_s:.2f} s ({c.later_chat_s_range[0]:.2f}-{c.later_chat_s_range[1]:.2f}); "
                  f"replies: {c.reply_model}")
    if chat_only:
        if as_json:
            print_json(result.model_dump())
        return
    table = Table(title=f"tool API at {result.n_products} products ({result.search_backend}, {result.recommender})")
    for col in ("endpoint", "p50 ms", "p95 ms", "p99 ms", "requests", "errors", "closed req/s", "closed errors",
                "closed p99 ms"):
        table.add_column(col, justify="right")
    for name in ("search", "recommend"):
        f = getattr(result, name)
        table.add_row(name, f"{f.p50_ms:.1f}", f"{f.p95_ms:.1f}", f"{f.p99_ms:.1f}", str(f.requests), str(f.errors),
                      f"{f.closed_rps:.1f}", str(f.closed_errors), f"{f.closed_p99_ms:.0f}")
    console.print(table)
    ratio = result.closed_over_inproc_spread.text() if result.closed_over_inproc_spread else \
        f"{result.closed_over_inproc:.2f} (one run)"
    console.print(f"in-process search: {result.inproc_search_rps:.1f} req/s "
                  f"(1 thread {result.inproc_search_rps_1thread:.1f}); HTTP closed loop / in-process = {ratio}")
    if as_json:
        print_json(result.model_dump())


def bench_scale(
    shoppers: int = typer.Option(32, help="Concurrent simulated shoppers (app-capacity and failover runs)."),
    seconds: float = typer.Option(10.0, help="Seconds per run (each round runs 1 worker and 2 workers once)."),
    e2e: bool = typer.Option(True, "--e2e/--no-e2e", help="Also run 1 and 2 workers on the embedded vLLM."),
    e2e_shoppers: int = typer.Option(8, help="Concurrent shoppers in the end-to-end runs."),
    e2e_seconds: float = typer.Option(30.0, help="Seconds per end-to-end run."),
    products: int = typer.Option(1000, help="Demo catalog size indexed into the Chroma server."),
    rounds: int = typer.Option(5, help="Alternating rounds of 1 and 2 workers (capacity and end to end); the 2/1 "
                               "ratio is the median of the per-round ratios, with their min-max and verdict."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Shoppers against 1 and then 2 API workers over real PostgreSQL + `chroma run`: app capacity (scripted LLM),
    a worker SIGKILLed mid-stream, end to end on the embedded vLLM; lost/duplicated turns checked in PostgreSQL."""
    from rich.table import Table

    import signal
    import sys

    from shopagent.bench.scale import run_scale_bench

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the services it started are stopped
    r = run_scale_bench(settings(), shoppers=shoppers, seconds=seconds, e2e=e2e, e2e_shoppers=e2e_shoppers,
                        e2e_seconds=e2e_seconds, n_products=products, rounds=rounds,
                        say=lambda m: console.print(m))
    table = Table(title=f"PostgreSQL + chroma run + API workers, {r.cores} cores shared with the load generator")
    for col in ("run", "turns/s 1w", "turns/s 2w", "ratio (median)", "min-max", "verdict", "per-round ratios",
                "turn p50/p95 ms", "overhead p50/p95 ms", "1 shopper: overhead p50/p95"):
        table.add_column(col, justify="right")
    for name, f in (("capacity (scripted LLM)", r.capacity), ("end to end (vLLM)", r.e2e)):
        if f is not None:
            table.add_row(name, f"{f.turns_per_s_1:.1f}", f"{f.turns_per_s_2:.1f}", f"{f.ratio:.2f}",
                          f"{f.spread.min:.2f}-{f.spread.max:.2f}", f.spread.verdict,
                          ", ".join(f"{x:.2f}" for x in f.spread.ratios),
                          f"{f.turn_ms_p50:.0f} / {f.turn_ms_p95:.0f}",
                          f"{f.overhead_ms_p50:.0f} / {f.overhead_ms_p95:.0f}",
                          f"{f.solo_overhead_ms_p50:.1f} / {f.solo_overhead_ms_p95:.1f}")
    console.print(table)
    console.print(f"failover: worker killed mid-stream={r.failover.killed_mid_stream}, {r.failover.cut_streams} "
                  f"streams cut, {r.failover.failovers} resends; store check over {r.threads_checked} threads: "
                  f"lost {r.lost_turns}, duplicated {r.duplicated_turns}; errors {r.errors}")
    if as_json:
        print_json(r.model_dump())
