"""Presentation helpers shared by the command modules (stderr console, JSON output)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

# progress, tables and messages go to stderr so that `--json` leaves exactly one JSON object on stdout
console = Console(stderr=True)

EMBEDDED_OPTION = typer.Option(
    False, "--embedded", help="Start the embedded vLLM server for this command and stop it after."
)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object on stdout (figures only).")


def print_json(payload: Any) -> None:
    """Print ``payload`` as one line of JSON on stdout."""
    typer.echo(json.dumps(payload, default=str))


def settings():  # noqa: ANN201 - re-exported for command modules
    from core.config import get_settings

    return get_settings()
