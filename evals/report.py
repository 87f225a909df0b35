"""The report format every evaluation suite writes, and the leaderboard that combines them.

A suite turns its per-task scores into a :class:`SuiteResult` (``from_tasks``: per skill = unweighted mean of its
tasks, overall = mean of the skills) and calls :func:`write_report`, which writes into
``<reports>/<suite>/<model>/``: ``results.json`` (the model), ``report.md`` (a table per task and per skill) and bar
charts (``skills.png``, and ``skill-<name>.png`` per skill with its tasks). :func:`build_leaderboard` reads every
``results.json`` under a folder and writes ``leaderboard.md`` and ``leaderboard-<suite>.png`` (one bar group per
skill, one bar per model).
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, Field

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)

RESULTS_FILE = "results.json"


class TaskScore(BaseModel):
    """One task's score for one model."""

    task: str
    skill: str
    metric: str
    score: float
    n: int = Field(description="Questions of the task that were asked.")
    answered: int = Field(description="Questions that got an answer (the rest scored 0).")
    task_type: str = ""
    chance: float | None = Field(None, description="Score of guessing at random (multiple choice: the mean of "
                                                   "1 / options); None where it is not defined.")


class SuiteResult(BaseModel):
    """One model's results on one suite: what `results.json` holds."""

    suite: str
    model: str
    dataset: str = ""
    questions: int
    answered: int
    per_task: dict[str, float]
    per_skill: dict[str, float]
    overall: float
    seconds: float
    tasks: list[TaskScore]
    created_at: str = Field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    notes: list[str] = Field(default_factory=list)

    @classmethod
    def from_tasks(cls, suite: str, model: str, tasks: list[TaskScore], seconds: float, dataset: str = "",
                   notes: Iterable[str] = ()) -> "SuiteResult":
        per_task, per_skill, overall = aggregate(tasks)
        return cls(
            suite=suite, model=model, dataset=dataset, questions=sum(t.n for t in tasks),
            answered=sum(t.answered for t in tasks), per_task=per_task, per_skill=per_skill, overall=overall,
            seconds=round(seconds, 3), tasks=tasks, notes=list(notes),
        )

    def summary(self) -> dict:
        """The figures a `--json` command prints."""
        return {
            "questions": self.questions, "answered": self.answered, "per_task": self.per_task,
            "per_skill": self.per_skill, "overall": self.overall, "seconds": self.seconds,
        }


def aggregate(tasks: Iterable[TaskScore]) -> tuple[dict[str, float], dict[str, float], float]:
    """Per task the score; per skill the unweighted mean of its tasks; overall the mean of the skills."""
    per_task: dict[str, float] = {}
    by_skill: dict[str, list[float]] = defaultdict(list)
    for t in tasks:
        per_task[t.task] = t.score
        by_skill[t.skill].append(t.score)
    per_skill = {s: sum(v) / len(v) for s, v in by_skill.items()}
    overall = sum(per_skill.values()) / len(per_skill) if per_skill else 0.0
    return per_task, per_skill, overall


def slug(text: str) -> str:
    """A file-name-safe form of a model or skill name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "unnamed"


def default_reports_dir(settings: Settings) -> Path:
    return settings.data_dir / "evals"


def model_report_dir(reports: Path, suite: str, model: str) -> Path:
    return Path(reports) / slug(suite) / slug(model)


def short_skill(skill: str) -> str:
    return skill.removeprefix("amazon-kdd-cup-24-").replace("-", " ")


def task_label(task: TaskScore) -> str:
    """A name a reader understands: 'gen_title_to_category' -> 'title to category'; the KDD Cup's bare
    'task7' -> 'concept understanding 7 (multiple choice)', from the task's skill and type."""
    numbered = re.fullmatch(r"task[_ -]?(\d+)", task.task)
    kind = task.task_type.replace("-", " ").replace("_", " ")
    if numbered:
        skill = short_skill(task.skill) if task.skill and task.skill != "unspecified" else "task"
        return f"{skill} {numbered.group(1)}" + (f" ({kind})" if kind else "")
    return re.sub(r"^gen_", "", task.task).replace("_", " ").replace("-", " ")


def choice_chance(prompts: Iterable[str]) -> float | None:
    """The score of a random guess over multiple-choice prompts ('0. ...' / '1. ...' option lines), or None."""
    odds = []
    for text in prompts:
        options = re.findall(r"^\s*\d+\.\s", text, flags=re.M)
        if len(options) >= 2:
            odds.append(1.0 / len(options))
    return sum(odds) / len(odds) if odds else None


def markdown(result: SuiteResult) -> str:
    """The per-task and per-skill tables of one model."""
    lines = [f"# {result.suite}: {result.model}", ""]
    if result.dataset:
        lines += [f"Data: `{result.dataset}`", ""]
    lines += [
        f"{result.questions} questions, {result.answered} answered, {result.seconds:.1f} s; "
        f"overall **{result.overall:.4f}**", "",
        "| skill | score |", "|---|---:|",
    ]
    lines += [f"| {short_skill(s)} | {v:.4f} |" for s, v in result.per_skill.items()]
    lines += ["", "| task | skill | type | metric | n | answered | score |", "|---|---|---|---|---:|---:|---:|"]
    for t in result.tasks:
        lines.append(f"| {t.task} | {short_skill(t.skill)} | {t.task_type} | {t.metric} | {t.n} | {t.answered} | "
                     f"{t.score:.4f} |")
    if result.notes:
        lines += ["", "Notes:", *[f"- {n}" for n in result.notes]]
    return "\n".join(lines) + "\n"


def _bar_chart(path: Path, labels: list[str], series: dict[str, list[float]], title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_series = max(len(series), 1)
    width = 0.8 / n_series
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(labels) * max(1, n_series / 2) + 2), 4.5))
    for k, (name, values) in enumerate(series.items()):
        xs = [i + (k - (n_series - 1) / 2) * width for i in range(len(labels))]
        ax.bar(xs, values, width=width, label=name)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_report(result: SuiteResult, directory: Path) -> Path:
    """Write results.json, report.md and the bar charts of one model into ``directory``; returns it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / RESULTS_FILE).write_text(result.model_dump_json(indent=2), encoding="utf-8")
    (directory / "report.md").write_text(markdown(result), encoding="utf-8")
    skills = list(result.per_skill)
    _bar_chart(directory / "skills.png", [short_skill(s) for s in skills],
               {result.model: [result.per_skill[s] for s in skills]}, f"{result.suite}: {result.model} per skill")
    for skill in skills:
        tasks = [t for t in result.tasks if t.skill == skill]
        _bar_chart(directory / f"skill-{slug(short_skill(skill))}.png", [t.task for t in tasks],
                   {result.model: [t.score for t in tasks]}, f"{short_skill(skill)}: {result.model}")
    return directory


def load_results(root: Path) -> list[SuiteResult]:
    """Every results.json under ``root`` (or ``root`` itself when it is such a file)."""
    root = Path(root)
    files = [root] if root.is_file() else sorted(root.rglob(RESULTS_FILE))
    out = []
    for f in files:
        try:
            out.append(SuiteResult.model_validate_json(f.read_text(encoding="utf-8")))
        except Exception as exc:
            log.warning("skipping %s: not a results file (%s)", f, str(exc).splitlines()[0])
    return out


class Leaderboard(BaseModel):
    suite: str
    skills: list[str]
    rows: list[dict]  # {"model", "overall", "questions", <skill>: score}, best overall first

    def markdown(self) -> str:
        head = "| rank | model | overall | " + " | ".join(short_skill(s) for s in self.skills) + " | questions |"
        sep = "|---:|---|---:|" + "---:|" * len(self.skills) + "---:|"
        lines = [f"## {self.suite}", "", head, sep]
        for i, r in enumerate(self.rows, 1):
            cells = " | ".join("-" if r.get(s) is None else f"{r[s]:.4f}" for s in self.skills)
            lines.append(f"| {i} | {r['model']} | {r['overall']:.4f} | {cells} | {r['questions']} |")
        return "\n".join(lines) + "\n"


def leaderboards(results: Iterable[SuiteResult]) -> list[Leaderboard]:
    """One leaderboard per suite; the newest result per (suite, model) counts."""
    newest: dict[tuple[str, str], SuiteResult] = {}
    for r in results:
        key = (r.suite, r.model)
        if key not in newest or r.created_at >= newest[key].created_at:
            newest[key] = r
    by_suite: dict[str, list[SuiteResult]] = defaultdict(list)
    for (suite, _), r in sorted(newest.items()):
        by_suite[suite].append(r)
    boards = []
    for suite, rs in by_suite.items():
        skills = list(dict.fromkeys(s for r in rs for s in r.per_skill))
        rows = [{"model": r.model, "overall": r.overall, "questions": r.questions,
                 **{s: r.per_skill.get(s) for s in skills}} for r in rs]
        rows.sort(key=lambda row: row["overall"], reverse=True)
        boards.append(Leaderboard(suite=suite, skills=skills, rows=rows))
    return boards


def build_leaderboard(root: Path, out: Path | None = None) -> tuple[list[Leaderboard], Path]:
    """Combine every results.json under ``root`` into ``leaderboard.md`` and one chart per suite in ``out``."""
    results = load_results(root)
    if not results:
        raise ShopagentError(f"no results.json under {root}: run `shopagent eval shopping-mmlu` first")
    out = Path(out or root)
    out.mkdir(parents=True, exist_ok=True)
    boards = leaderboards(results)
    (out / "leaderboard.md").write_text("# Leaderboard\n\n" + "\n".join(b.markdown() for b in boards),
                                        encoding="utf-8")
    for b in boards:
        series = {r["model"]: [r.get(s) or 0.0 for s in b.skills] + [r["overall"]] for r in b.rows}
        _bar_chart(out / f"leaderboard-{slug(b.suite)}.png", [short_skill(s) for s in b.skills] + ["overall"],
                   series, f"{b.suite} leaderboard")
    return boards, out
