"""`shopagent up`: prepare what is missing, start the LLM server in the background and open the Streamlit app."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import typer

from shopagent.cli.common import console, settings
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
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none",
           "--client.toolbarMode", "viewer"]  # no "Deploy" or developer menu in front of shoppers
    app = subprocess.Popen(cmd, env=env)
    console.print(f"app on http://localhost:{port} (Ctrl-C stops the app and the LLM server)")
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
