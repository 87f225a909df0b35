"""The one CLI, ``shopagent``: a thin layer that parses input, calls the library and presents the result.

Each capability owns one module in this package. The tables below wire them in; a module that is not there
(yet) is skipped, so capabilities land independently. Command modules import heavy libraries inside their
functions, so ``shopagent --help`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

import typer

from core.errors import ShopagentError

app = typer.Typer(
    name="shopagent", help="An e-commerce LLM agent a shop runs on its own hardware.", no_args_is_help=True,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(help="Benchmarks: each prints side-by-side figures (--json: one JSON object).",
                        no_args_is_help=True)

# sub-command groups: name -> module with a `app` Typer
GROUPS: dict[str, str] = {
    "llm": "shopagent.cli.llm",
    "data": "shopagent.cli.data",
    "index": "shopagent.cli.index",
    "recsys": "shopagent.cli.recsys",
    "eval": "shopagent.cli.evals",
    "crm": "shopagent.cli.crm",
    "tune": "shopagent.cli.tune",
    "agent": "shopagent.cli.agent",
}
# single commands: name -> "module:function"
COMMANDS: dict[str, str] = {
    "up": "shopagent.cli.up:up",
    "search": "shopagent.cli.search:search",
    "describe": "shopagent.cli.describe:describe",
    "chat": "shopagent.cli.agent:chat",
    "graph": "shopagent.cli.agent:graph",
    "api": "shopagent.cli.api:api",
    "mcp": "shopagent.cli.api:mcp",
}
# benchmarks: `shopagent bench NAME` -> "module:function"
BENCHES: dict[str, str] = {
    "llm": "shopagent.cli.llm:bench",
    "search": "shopagent.cli.search:bench",
    "recsys": "shopagent.cli.recsys:bench",
    "describe": "shopagent.cli.describe:bench",
    "eval": "shopagent.cli.evals:bench",
    "agent": "shopagent.cli.agent:bench",
    "replies": "shopagent.cli.agent:bench_replies",
    "planner": "shopagent.cli.agent:bench_planner",
    "api": "shopagent.cli.api:bench",
    "scale": "shopagent.cli.api:bench_scale",
    "scale-catalog": "shopagent.cli.data:bench_scale_catalog",
}


def _load(target: str) -> object | None:
    module_name, _, attr = target.partition(":")
    if importlib.util.find_spec(module_name) is None:
        return None
    module = importlib.import_module(module_name)
    return getattr(module, attr or "app", None)


def _register() -> None:
    for name, module in GROUPS.items():
        group = _load(module)
        if group is not None:
            app.add_typer(group, name=name)
    for name, target in COMMANDS.items():
        fn = _load(target)
        if fn is not None:
            app.command(name)(fn)
    for name, target in BENCHES.items():
        fn = _load(target)
        if fn is not None:
            bench_app.command(name)(fn)
    app.add_typer(bench_app, name="bench")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log at INFO level to stderr.")) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


_register()


def main() -> None:
    """Console entry point: user-facing errors become one line on stderr and exit code 1."""
    try:
        app()
    except ShopagentError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
