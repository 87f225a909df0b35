"""`shopagent recsys train|eval` and `shopagent bench recsys`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

app = typer.Typer(help="Train and evaluate the recommenders (SASRec, item-item CF, content, popularity).",
                  no_args_is_help=True)

DATA_OPTION = typer.Option(None, "--data", help="An interaction file (S3-Rec Beauty.txt, *.inter.json, CSV); "
                                                "default: the catalog in the data directory.")


def _sasrec_config(epochs: Optional[int], minutes: Optional[float], catalog: bool):  # noqa: ANN202
    from tools.recommend.sasrec import CATALOG_SASREC, SASRecConfig

    cfg = SASRecConfig(**CATALOG_SASREC) if catalog else SASRecConfig()
    update: dict = {}
    if epochs is not None:
        update["max_epochs"] = epochs
    if minutes is not None:
        update["max_train_s"] = minutes * 60
    return cfg.model_copy(update=update)


class _EpochBar:
    """A rich progress bar over SASRec epochs (stderr), showing the loss and validation NDCG@10."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} ep"),
                                 TimeElapsedColumn(), console=console, transient=False)
        self.task = self.progress.add_task("sasrec", total=total)

    def __enter__(self) -> "_EpochBar":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def __call__(self, model: str, epoch: int, loss: float, valid: float) -> None:
        self.progress.update(self.task, completed=epoch,
                             description=f"{model} loss {loss:.3f} valid NDCG@10 {valid:.4f}")


@app.command()
def train(
    data: Optional[Path] = DATA_OPTION,
    model: str = typer.Option("all", "--model", help="sasrec | cf | content | popular | all"),
    epochs: Optional[int] = typer.Option(None, help="Most SASRec epochs (early stopping on validation)."),
    minutes: Optional[float] = typer.Option(None, help="SASRec training time budget in minutes."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Train models and save them (with config and metrics) under the data directory."""
    from tools.recommend.train import expand, train_catalog, train_file

    s = settings()
    names = expand([model])
    cfg = _sasrec_config(epochs, minutes, catalog=data is None)
    with _EpochBar(cfg.max_epochs) as bar:
        if data is None:
            models = train_catalog(s.data_dir, names, cfg, progress=bar)
        else:
            _, models = train_file(data, s.data_dir, names, cfg, reuse=False, progress=bar)
    summary = {name: {k: m.meta.get(k) for k in ("train_s", "best_epoch", "valid_ndcg10_full") if k in m.meta}
               for name, m in models.items()}
    for name, info in summary.items():
        console.print(f"[green]{name}[/] trained: " + ", ".join(f"{k}={v}" for k, v in info.items()))
    if json_out:
        print_json({"models": summary, "data": str(data or s.data_dir)})


@app.command("eval")
def eval_(
    data: Path = typer.Option(..., "--data", help="An interaction file (S3-Rec Beauty.txt, *.inter.json, CSV)."),
    model: str = typer.Option("sasrec", "--model", help="sasrec | cf | content | popular | blend"),
    retrain: bool = typer.Option(False, help="Train again even if a matching artifact is saved."),
    epochs: Optional[int] = typer.Option(None, help="Most SASRec epochs, when training."),
    minutes: Optional[float] = typer.Option(None, help="SASRec training budget in minutes, when training."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Leave-one-out test figures (HR@10, NDCG@10; full ranking and 99 negatives). Trains first if needed."""
    from rich.table import Table

    from tools.recommend.train import evaluate_file

    s = settings()
    cfg = _sasrec_config(epochs, minutes, catalog=False)
    with _EpochBar(cfg.max_epochs) as bar:
        result = evaluate_file(data, s.data_dir, model, cfg, retrain=retrain, progress=bar)
    table = Table(title=f"{model} on {data.name} (test, leave-one-out)")
    for col in ("HR@10 full", "NDCG@10 full", "HR@10 /99 neg", "NDCG@10 /99 neg", "coverage@10", "train s"):
        table.add_column(col)
    table.add_row(*(f"{result[k]:.4f}" for k in ("hr10_full", "ndcg10_full", "hr10_neg99", "ndcg10_neg99",
                                                   "coverage10")), f"{result['train_s']:.0f}")
    console.print(table)
    if json_out:
        print_json(result)


def bench(
    calls: int = typer.Option(300, help="recommend() calls to time."),
    history: int = typer.Option(50, help="History length of the benchmark shopper."),
    json_out: bool = JSON_OPTION,
) -> None:
    """recommend() latency with a long history, models loaded (p50/p95), beside the popularity-only path."""
    from shopagent.bench.recsys import run_bench

    result = run_bench(settings(), calls=calls, history_len=history)
    console.print(result.as_table())
    if json_out:
        print_json(result.model_dump())
