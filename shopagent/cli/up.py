"""`shopagent up`: prepare what is missing, start the LLM server in the background and open the Streamlit app."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings
from core.errors import ShopagentError


def app_path() -> Path:
    """``ui/app.py`` of the installed project."""
    spec = importlib.util.find_spec("ui.lib")  # a module only the app package has (not a namespace of that name)
    if spec is None or spec.origin is None:
        raise ShopagentError("the ui package is missing: reinstall shopagent (`pip install -e .`)")
    return Path(spec.origin).parent / "app.py"


def _step(name: str, fn: Callable[[], Any]) -> None:
    """Run one preparation step; a capability not installed yet is skipped with a note, not a failure."""
    t0 = time.monotonic()
    try:
        fn()
    except ModuleNotFoundError as exc:
        console.print(f"[yellow]skipped[/yellow] {name}: {exc.name} is not installed")
        return
    console.print(f"[green]ready[/green] {name} ({time.monotonic() - t0:.1f} s)")


def prepare(s: Any, llm: bool, demo_products: int) -> None:
    """Embedded model, catalog, search index and recommenders: each built only when missing."""
    if llm:
        def model() -> None:
            from core.llm.prepare import prepare_embedded_model

            prepare_embedded_model(s.embedded_model_dir)

        _step("embedded model", model)

    def catalog() -> None:
        from tools.catalog.store import Catalog, write_catalog

        try:
            Catalog.open(s.data_dir)
        except ShopagentError:
            from tools.catalog.demo import generate_demo_catalog

            console.print(f"no catalog: generating the demo shop ({demo_products} products)")
            write_catalog(s.data_dir, generate_demo_catalog(seed=0, n_products=demo_products))

    def index() -> None:
        from tools.catalog.store import Catalog
        from tools.search.index import build_index, index_stale

        if index_stale(s, Catalog.open(s.data_dir)):
            console.print("building the search index (a few minutes on 2 cores, once)")
            build_index(s)

    def recommenders() -> None:
        from tools.recommend.train import ALL_MODELS, train_catalog, trained_models

        if not trained_models(s.data_dir):
            console.print("training the recommenders (once)")
            train_catalog(s.data_dir, list(ALL_MODELS))

    _step("catalog", catalog)
    _step("search index", index)
    _step("recommenders", recommenders)


def start_llm(s: Any) -> tuple[Any, str]:
    """(server we started or None, base URL): reuse a healthy server at settings.llm_url, else start vLLM."""
    from core.llm.client import Endpoint, check_health
    from core.llm.serve import VLLMServer, embedded_spec

    try:
        check_health(Endpoint.from_settings(s))
        console.print(f"[green]ready[/green] LLM server at {s.llm_url} (already running)")
        return None, s.llm_url
    except ShopagentError:
        pass
    server = VLLMServer(embedded_spec(s), s.logs_dir / f"vllm-up-{s.llm_port}.log")
    server.start()
    console.print(f"starting vLLM on port {s.llm_port} in the background (about a minute; log {server.log_path})")
    return server, server.spec.base_url


def up(
    port: int = typer.Option(8501, help="Port of the Streamlit app."),
    no_llm: bool = typer.Option(False, "--no-llm", help="Do not start vLLM (the app shows how to start it)."),
    demo_products: int = typer.Option(3000, help="Size of the demo shop generated when there is no catalog."),
) -> None:
    """Prepare what is missing (model, demo catalog, index, recommenders), start vLLM and open the app. Ctrl-C stops."""
    from core.llm.serve import port_is_free

    s = settings()
    if not port_is_free("127.0.0.1", port):
        raise ShopagentError(f"port {port} is busy: stop what uses it or pass --port")
    prepare(s, llm=not no_llm, demo_products=demo_products)
    server, llm_url = (None, s.llm_url) if no_llm else start_llm(s)
    env = dict(os.environ, SHOPAGENT_LLM_URL=llm_url, SHOPAGENT_DATA_DIR=str(Path(s.data_dir).resolve()))
    # ui.serve opens the engines at the start of the process and prints "app on http://..." once the app answers
    # with them open, so the first visit is as fast as later ones
    cmd = [sys.executable, "-m", "ui.serve", "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none",
           "--client.toolbarMode", "viewer"]  # no "Deploy" or developer menu in front of shoppers
    app = subprocess.Popen(cmd, env=env)
    console.print(f"starting the app on port {port}: its address follows once it answers (Ctrl-C stops the app and "
                  "the LLM server)")
    try:
        while app.poll() is None:
            if server is not None and server.proc is not None and server.proc.poll() is not None:
                console.print(f"[red]vLLM exited[/red] (code {server.proc.returncode}); log ends:\n{server.log_tail()}")
                server = None
            time.sleep(1.0)
    except KeyboardInterrupt:
        console.print("stopping")
    finally:
        if app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
        if server is not None:
            server.stop()


def bench(
    rounds: int = typer.Option(5, help="Fresh starts of `shopagent up` timed in headless Chromium."),
    users: int = typer.Option(2000, help="Amazon Beauty shoppers held out as anonymous sessions."),
    session_len: int = typer.Option(5, help="Items each held-out shopper 'viewed' (their last before the target)."),
    llm_url: Optional[str] = typer.Option(None, help="A model server to reply with (default: start the embedded "
                                                     "model for the run)."),
    app_only: bool = typer.Option(False, "--app-only", help="Only the start-up timings."),
    sessions_only: bool = typer.Option(False, "--sessions-only", help="Only the session picks."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The shopper app: `up` printing its URL -> first chat page interactive -> first reply (embedded model), in
    headless Chromium; and HR@10 of an anonymous session's picks (SASRec) vs popularity on Amazon Beauty."""
    from shopagent.bench.app import run_app_bench

    say = lambda m: console.print(m, style="dim")  # noqa: E731 - progress (on stderr when --json)
    result = run_app_bench(settings(), rounds=rounds, users=users, session_len=session_len, llm_url=llm_url,
                           app=not sessions_only, sessions=not app_only, say=say)
    if result.app is not None:
        a = result.app
        console.print(f"first page {a.first_page_s:.2f} s ({a.first_page_s_range[0]:.2f}-"
                      f"{a.first_page_s_range[1]:.2f}),"
                      f" first reply {a.first_reply_s:.2f} s ({a.first_reply_s_range[0]:.2f}-"
                      f"{a.first_reply_s_range[1]:.2f}; first words {a.first_text_s:.2f} s) over {a.rounds} starts; "
                      f"{a.replies_from_model}/{a.rounds} replies from {a.reply_model}; `up` -> URL {a.up_to_url_s:.2f} s")
    if result.sessions is not None:
        f = result.sessions
        console.print(f"session picks HR@10 {f.session_hr10:.4f} vs popular {f.popular_hr10:.4f} = {f.ratio:.2f}x "
                      f"({f.users} held-out Beauty shoppers, {f.session_len} viewed each; folds: median "
                      f"{f.ratio_folds_median:.2f}x, {f.ratio_folds_range[0]:.2f}-{f.ratio_folds_range[1]:.2f})")
    if as_json:
        print_json(result.model_dump())
