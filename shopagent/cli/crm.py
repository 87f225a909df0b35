"""`shopagent crm ...`: build the offline CRM org (CRMArena-style) and list its tasks.

Scoring a model on it is `shopagent eval crm`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

app = typer.Typer(help="The offline CRM org of evaluation suite 2 (CRMArena-style).", no_args_is_help=True)

SIZE_OPTION = typer.Option("small", "--size", help="small (16 agents, 260 customers) or medium.")


@app.command()
def generate(
    seed: int = typer.Option(0, "--seed", help="Same seed and catalog give the same org, byte for byte."),
    size: str = SIZE_OPTION,
    out: Optional[Path] = typer.Option(None, "--out", help="SQLite file (default: <data_dir>/crm/org-SIZE-seedS)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Generate the CRM org (16 objects) from the shop's catalog (or the demo catalog when none is loaded)."""
    from evals.crm.generate import SIZES, generate_org
    from evals.crm.runner import org_path, shop_products
    from core.errors import ShopagentError

    if size not in SIZES:
        raise ShopagentError(f"unknown size {size!r}: use small or medium")
    s = settings()
    path = out or org_path(s, seed, size)
    products, source = shop_products(s)
    counts = generate_org(path, products, seed=seed, size=size)  # type: ignore[arg-type]
    console.print(f"CRM org from the {source} written to {path}: "
                  + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if json_out:
        print_json({"path": str(path), "source": source, "records": counts})


@app.command()
def tasks(
    seed: int = typer.Option(0, "--seed", help="Seed of the org and of the task draw."),
    size: str = SIZE_OPTION,
    out: Optional[Path] = typer.Option(None, "--out", help="Write the tasks as JSON lines here."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Generate the nine task types (ground truth computed from the org) and show how many of each."""
    from evals.crm.runner import ensure_org
    from evals.crm.tasks import tasks_for_org

    path = ensure_org(settings(), seed=seed, size=size)  # type: ignore[arg-type]
    items = tasks_for_org(path, seed=seed)
    counts = Counter(t.type for t in items)
    nones = Counter(t.type for t in items if t.answer is None)
    for ttype, n in counts.items():
        console.print(f"{ttype:34s} {n:4d} tasks ({nones[ttype]} with answer None)")
    if out:
        out.write_text("".join(t.model_dump_json() + "\n" for t in items), encoding="utf-8")
        console.print(f"{len(items)} tasks written to {out}")
    if json_out:
        print_json({"org": str(path), "tasks": len(items), "per_type": dict(counts)})
