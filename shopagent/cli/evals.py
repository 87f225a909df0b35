"""`shopagent eval ...` (evaluation suites, leaderboard) and `shopagent bench eval`.

One command per suite; each loads its library inside the function and prints with the shared helpers. A new
suite adds one `@app.command("name")` function here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings

app = typer.Typer(help="Evaluation suites (Shopping MMLU, ...) and the leaderboard.", no_args_is_help=True)

REPORTS_OPTION = typer.Option(None, "--reports", help="Reports folder (default: <data_dir>/evals).")


def _reports_dir(reports: Optional[Path]) -> Path:
    from evals.report import default_reports_dir

    return reports or default_reports_dir(settings())


@app.command("shopping-mmlu")
def shopping_mmlu(
    data: Optional[Path] = typer.Option(
        None, "--data", help="ShopBench .jsonl file or folder (skill-wise or task-wise layout). "
                             "Default: our task set generated from the loaded catalog (or the demo catalog)."),
    model: Optional[str] = typer.Option(
        None, "--model", help="Served model name, base URL (http://host:8000/v1), or URL/NAME. "
                              "Default: SHOPAGENT_LLM_URL / SHOPAGENT_LLM_MODEL."),
    concurrency: int = typer.Option(16, "--concurrency", min=1, help="Requests in flight at once."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N questions of every task."),
    seed: int = typer.Option(0, help="Seed of the generated task set (when --data is left out)."),
    reports: Optional[Path] = REPORTS_OPTION,
    fresh: bool = typer.Option(False, "--fresh", help="Ignore cached answers of this model and ask again."),
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Score a model on Shopping MMLU / ShopBench questions: per task, per skill, overall; writes a report folder."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from evals.report import short_skill
    from evals.shopping_mmlu.data import limit_per_task
    from evals.shopping_mmlu.suite import eval_endpoint, load_or_generate, run_suite

    s = settings()
    questions, dataset = load_or_generate(s, data, seed=seed)
    questions = limit_per_task(questions, limit)
    with eval_endpoint(s, model, embedded) as endpoint:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=json_out) as progress:
            bar = progress.add_task(f"asking {endpoint.model}", total=len(questions))
            result, stats, out_dir = run_suite(
                questions, endpoint, _reports_dir(reports), dataset=dataset, concurrency=concurrency, fresh=fresh,
                on_answer=lambda n: progress.advance(bar, n))
    table = Table(title=f"Shopping MMLU: {result.model} ({result.questions} questions, {result.seconds:.1f} s)")
    table.add_column("skill")
    table.add_column("score", justify="right")
    for skill, score in result.per_skill.items():
        table.add_row(short_skill(skill), f"{score:.4f}")
    table.add_row("[bold]overall[/]", f"[bold]{result.overall:.4f}[/]")
    console.print(table)
    console.print(f"{stats.asked} asked, {stats.cached} from cache, {stats.errors} failed; report: {out_dir}")
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")
    if json_out:
        print_json(result.summary())


@app.command("crm")
def crm(
    model: Optional[str] = typer.Option(
        None, "--model", help="Served model name, base URL (http://host:8000/v1), or URL/NAME. "
                              "Default: SHOPAGENT_LLM_URL / SHOPAGENT_LLM_MODEL."),
    tasks: str = typer.Option("all", "--tasks", help="all, or comma-separated task types."),
    trials: int = typer.Option(1, "--trials", min=1, help="Runs per task (pass^k uses all of them)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N tasks in all, spread over the types."),
    mode: str = typer.Option("react", "--mode", help="react (ReAct text), native (tool calls) or guided (JSON)."),
    seed: int = typer.Option(0, help="Seed of the org and the task draw."),
    size: str = typer.Option("small", "--size", help="Org size: small or medium."),
    concurrency: int = typer.Option(8, "--concurrency", min=1, help="Episodes in flight at once."),
    reports: Optional[Path] = REPORTS_OPTION,
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Score a model as a CRM agent on the nine CRMArena-style task types (offline org); writes a report folder."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from evals.crm.runner import run_crm_eval
    from evals.shopping_mmlu.suite import eval_endpoint

    s = settings()
    types = None if tasks.strip() == "all" else [t.strip() for t in tasks.split(",") if t.strip()]
    with eval_endpoint(s, model, embedded) as endpoint:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=json_out) as progress:
            bar = progress.add_task(f"CRM episodes ({endpoint.model}, {mode})", total=None)
            figures = run_crm_eval(s, endpoint, _reports_dir(reports), task_types=types, trials=trials, limit=limit,
                                   mode=mode, seed=seed, size=size, concurrency=concurrency,  # type: ignore[arg-type]
                                   on_done=lambda n: progress.advance(bar, n))
    table = Table(title=f"CRM suite: {figures['model']} ({figures['tasks']} tasks x {trials}, {figures['seconds']} s)")
    table.add_column("task type")
    table.add_column("score", justify="right")
    table.add_column(f"pass^{trials}", justify="right")
    for ttype, value in figures["per_task"].items():
        table.add_row(ttype, f"{value:.4f}", f"{figures[f'pass^{trials}'][ttype]:.4f}")
    table.add_row("[bold]overall[/]", f"[bold]{figures['overall']:.4f}[/]", "")
    console.print(table)
    console.print(f"report: {figures['report']}")
    if json_out:
        print_json(figures)


@app.command("converse")
def converse(
    users: int = typer.Option(500, "--users", min=1, help="Simulated shoppers (Amazon Beauty users, drawn by --seed)."),
    turns: int = typer.Option(5, "--turns", min=1, max=20, help="Most turns per conversation."),
    seed: int = typer.Option(0, help="Seed of the shoppers' draw, the simulator's phrasing and the bootstrap."),
    simulator: str = typer.Option("rule", "--simulator", help="rule (deterministic, no model) or llm."),
    simulator_model: Optional[str] = typer.Option(
        None, "--simulator-model", help="The LLM shopper's served model (name, URL or URL/NAME); default: the "
                                        "embedded model with --embedded, else SHOPAGENT_LLM_URL's."),
    model: Optional[str] = typer.Option(None, "--model", help="The agent's served model (its planner and replies)."),
    replies: bool = typer.Option(False, "--replies", help="Run the reply model too (what is shown does not depend "
                                                          "on it; slower)."),
    ablations: str = typer.Option("all", "--ablations", help="all, none, or comma-separated ablation names."),
    workers: int = typer.Option(4, "--workers", min=1, help="Conversations of different shoppers at once."),
    reports: Optional[Path] = REPORTS_OPTION,
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Simulated shoppers with a hidden target (Amazon Beauty): hit@k turns and average turns for the agent, its
    ablations and the baselines, with bootstrap intervals; writes a report folder with a plot."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from evals.converse.runner import ABLATIONS, run_converse
    from evals.converse.suite import converse_models, write_converse_report

    s = settings()
    chosen = ABLATIONS.select(ablations)
    with converse_models(s, embedded=embedded, model=model, replies=replies, simulator=simulator,
                         simulator_model=simulator_model) as (endpoint, sim_endpoint, notes):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=json_out) as progress:
            bar = progress.add_task("shoppers", total=users)
            result, logs = run_converse(
                s, users=users, turns=turns, seed=seed, endpoint=endpoint, replies=replies, simulator=simulator,
                simulator_llm=sim_endpoint, ablations=chosen, workers=workers,
                say=lambda m: console.print(f"[dim]{m}[/]"), on_done=lambda n: progress.advance(bar, n))
    result.notes += notes
    name = (getattr(endpoint, "model", None) if endpoint is not None else None) or \
        ("embedded" if embedded else "no-model")
    out_dir = write_converse_report(result, logs, _reports_dir(reports), f"{name}-{result.planner}-{simulator}")
    table = Table(title=f"converse: {result.shoppers} shoppers, {turns} turns, {result.seconds:.0f} s "
                        f"(planner {result.planner}, simulator {result.simulator})")
    for col in ("arm", *[f"hit@{k}" for k in range(1, turns + 1)], f"hit@{turns} 95% CI", "avg turns"):
        table.add_column(col, justify="left" if col == "arm" else "right")
    arms = {"agent": result.agent, **result.baselines, **{f"- {a}": f for a, f in result.ablations.items()}}
    for arm, f in arms.items():
        table.add_row(arm, *[f"{v:.3f}" for v in f.hit_at], f"[{f.hit5_ci95[0]:.3f}, {f.hit5_ci95[1]:.3f}]",
                      f"{f.avg_turns:.2f}")
    console.print(table)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")
    console.print(f"report: {out_dir}")
    if json_out:
        print_json({**result.model_dump(), "report": str(out_dir)})


@app.command()
def generate(
    out: Path = typer.Option(Path("shopping_mmlu_generated.jsonl"), "--out", help="JSONL file to write."),
    seed: int = typer.Option(0, help="Random seed (the same seed and catalog give the same tasks)."),
    per_task: int = typer.Option(20, "--per-task", min=1, help="Questions per task."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write our Shopping MMLU-style task set, generated from the loaded catalog (or the demo catalog)."""
    from collections import Counter

    from evals.shopping_mmlu.data import write_questions
    from evals.shopping_mmlu.suite import load_or_generate

    questions, source = load_or_generate(settings(), None, seed=seed, per_task=per_task)
    write_questions(questions, out)
    tasks = Counter(q.task_name for q in questions)
    console.print(f"{len(questions)} questions in {len(tasks)} tasks ({source}) written to {out}")
    if json_out:
        print_json({"path": str(out), "questions": len(questions), "tasks": dict(tasks)})


@app.command()
def leaderboard(
    reports: Optional[Path] = REPORTS_OPTION,
    out: Optional[Path] = typer.Option(None, "--out", help="Where leaderboard.md and charts go (default: --reports)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Combine every model's results.json under the reports folder into one leaderboard per suite."""
    from evals.report import build_leaderboard

    boards, out_dir = build_leaderboard(_reports_dir(reports), out)
    for b in boards:
        console.print(b.markdown())
    console.print(f"leaderboard written to {out_dir / 'leaderboard.md'}")
    if json_out:
        print_json({b.suite: b.rows for b in boards})


def bench(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
    concurrency: int = typer.Option(16, help="Requests in flight at once (both sides)."),
    questions: int = typer.Option(96, help="Generated questions per round."),
    rounds: int = typer.Option(5, help="Alternating rounds (each: runner and bare); the ratio is the median of the "
                               "per-round ratios, with their min-max and verdict."),
) -> None:
    """Evaluation runner throughput vs a bare async OpenAI client on the same server and requests."""
    from shopagent.bench.eval import run_eval_bench

    result = run_eval_bench(settings(), embedded=embedded, concurrency=concurrency, n_questions=questions,
                            rounds=rounds)
    if json_out:
        print_json(result.model_dump())
    else:
        console.print(result.as_table())
