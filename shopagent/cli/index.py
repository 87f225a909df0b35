"""`shopagent index build`: embed the catalog into Chroma and build the keyword index."""

from __future__ import annotations

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

app = typer.Typer(help="The search index (Chroma + BM25) over the catalog.", no_args_is_help=True)


@app.command()
def build(
    reviews: bool = typer.Option(True, help="Also index review texts (for grounded product descriptions)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build or update the index. Idempotent: only new or changed products are embedded again."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tools.search.index import build_index

    s = settings()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(task: str, done: int, total: int) -> None:
            if task not in tasks:
                tasks[task] = bar.add_task(f"embedding {task}", total=total)
            bar.update(tasks[task], completed=done, total=total)

        report = build_index(s, progress=progress, reviews=reviews)
    where = f"{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.chroma_dir)
    console.print(f"index ready ({where}): {report.n_products} products ({report.n_embedded} embedded, "
                  f"{report.n_deleted} removed), {report.n_reviews} reviews ({report.n_reviews_embedded} embedded) "
                  f"in {report.seconds:.1f} s")
    if as_json:
        print_json(report.model_dump())
