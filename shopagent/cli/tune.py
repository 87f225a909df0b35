"""`shopagent tune ...`: domain tuning of the served model on this shop (issue 14).

`tune data` generates chat-format examples from the loaded catalog, `tune train` fine-tunes the embedded model
(full fine-tuning; LoRA for large models) into a merged model directory vLLM serves, `tune eval` measures base vs
tuned side by side (planner accuracy on the hand-written requests, Shopping MMLU-style tasks, claim support of
the product copy).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import List, Optional

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings

app = typer.Typer(help="Tune the served model on this shop: data, train, eval.", no_args_is_help=True)


def _catalogs(extra: list[Path] | None) -> list[tuple[str, object]]:
    from core.errors import ShopagentError
    from tools.catalog.store import Catalog

    s = settings()
    found: list[tuple[str, object]] = []
    try:
        found.append(("loaded", Catalog.open(s.data_dir)))
    except ShopagentError:
        if not extra:
            raise ShopagentError(f"no catalog loaded in {s.data_dir}: run `shopagent data demo` (or "
                                 "`shopagent data load ...`) before `shopagent tune data`") from None
    for d in extra or []:
        found.append((Path(d).name, Catalog.open(Path(d))))
    return found


@app.command()
def data(
    seed: int = typer.Option(0, help="Random seed (same seed and catalog: same examples)."),
    planner: int = typer.Option(520, help="Planner examples in the training split."),
    reply: int = typer.Option(50, help="Grounded-reply examples."),
    copy: int = typer.Option(30, help="Product-copy examples."),
    mmlu: int = typer.Option(60, help="Shopping MMLU-style examples (never the evaluation's items)."),
    extra_catalog: Optional[List[Path]] = typer.Option(None, help="Another shop's data directory to draw from too."),
    out: Optional[Path] = typer.Option(None, help="Output directory (default <data_dir>/tuning/data)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate seeded chat-format JSONL (train + held-out split with unseen phrasings and vocabulary)."""
    from core.artifacts import data_dir
    from tuning.data import DataConfig
    from tuning.runs import make_data

    cfg = DataConfig(seed=seed, planner=planner, reply=reply, copy=copy, mmlu=mmlu)
    out = out or data_dir(settings())
    t0 = time.monotonic()
    manifest = make_data(_catalogs(extra_catalog), out, cfg)
    summary = {"dir": str(out), "train": manifest["train"]["examples"], "heldout": manifest["heldout"]["examples"],
               "kinds": manifest["train"]["kinds"], "actions": manifest["train"]["actions"],
               "seconds": round(time.monotonic() - t0, 1)}
    console.print(f"wrote {summary['train']} training and {summary['heldout']} held-out examples to {out}")
    if as_json:
        print_json(summary)


@app.command("train")
def train_cmd(
    data: Optional[Path] = typer.Option(None, help="Directory with train.jsonl/heldout.jsonl (default: tune data's)."),
    base_model: Optional[Path] = typer.Option(None, help="HF model directory (default: the embedded model)."),
    out_model: Optional[Path] = typer.Option(None, help="Where the merged model goes (default: models/<name>-shop)."),
    epochs: float = typer.Option(1.0, help="Passes over the training split."),
    lr: float = typer.Option(1e-4, help="Peak learning rate (linear decay)."),
    batch_size: int = typer.Option(8, help="Examples per optimizer step."),
    max_steps: int = typer.Option(-1, help="Stop after this many steps (-1: epochs decide)."),
    max_minutes: float = typer.Option(14.0, help="Wall-clock budget of the optimizer loop."),
    method: str = typer.Option("auto", help="full | lora | auto (LoRA above 1B parameters)."),
    device: str = typer.Option("auto", help="auto | cpu | cuda."),
    bf16: bool = typer.Option(False, help="bfloat16 training (GPU only)."),
    threads: Optional[int] = typer.Option(None, help="CPU threads (default: all cores; 1 helps on a busy machine)."),
    max_len: int = typer.Option(512, help="Longer examples are skipped."),
    eval_steps: int = typer.Option(20, help="Held-out loss every this many steps (early stopping watches it)."),
    eval_examples: int = typer.Option(32, help="Held-out examples the loss is measured on."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Supervised fine-tuning (assistant tokens only); writes a merged model directory vLLM serves."""
    from tuning.runs import run_training

    result = run_training(settings(), data, on_note=lambda m: console.print(f"[yellow]{m}[/]"),
                          base_model=base_model, out_model=out_model, epochs=epochs, lr=lr, batch_size=batch_size, max_steps=max_steps, max_minutes=max_minutes, method=method,
                          device=device, bf16=bf16, threads=threads, max_len=max_len,
                          eval_steps=eval_steps, eval_examples=eval_examples)
    console.print(f"[green]tuned model written to {result.model_dir}[/] ({result.method} on {result.device}, "  # type: ignore[attr-defined]
                  f"{result.steps} steps, {result.train_s:.0f} s, {result.tokens_per_s:.0f} tokens/s, "  # type: ignore[attr-defined]
                  f"held-out loss {result.eval_loss_first} -> {result.eval_loss_best}; {result.stopped})")  # type: ignore[attr-defined]
    if as_json:
        print_json(result.model_dump(mode="json"))  # type: ignore[attr-defined]


def _table(rows: dict[str, dict]) -> None:
    from rich.table import Table

    table = Table(title="tune eval: base vs tuned (same run)")
    for col in ("", "base", "tuned"):
        table.add_column(col, justify="right" if col else "left")
    for label, pair in rows.items():
        table.add_row(label, *(f"{v:.3f}" if isinstance(v, float) else str(v) for v in pair.values()))
    console.print(table)


@app.command("eval")
def eval_cmd(
    embedded: bool = EMBEDDED_OPTION,
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Eval sets (default: all: demo, beauty)."),
    beauty: Optional[Path] = typer.Option(None, help="Amazon Beauty 2014 meta_Beauty.jsonl for the Beauty set."),
    mmlu_per_task: int = typer.Option(8, help="Generated Shopping MMLU-style questions per task (seed 0)."),
    copy_products: int = typer.Option(12, help="Demo products (seed 0) whose first-draft copy is claim-checked."),
    train_if_missing: bool = typer.Option(True, help="Generate data and train first when no tuned model exists."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Base vs tuned: planner accuracy on the hand-written requests, Shopping MMLU-style score, claim support of
    product copy; table + chart."""
    from core.errors import ShopagentError
    from tuning.compare import compare_base_tuned

    if not embedded:
        raise ShopagentError("tune eval compares the embedded model with its tuned copy: pass --embedded")
    result = compare_base_tuned(settings(), sets, beauty, mmlu_per_task, copy_products, train_if_missing,
                                say=lambda m: console.print(m))
    _table(result.rows)
    for line in result.lines:
        console.print(line)
    if as_json:
        print_json(result.payload)
