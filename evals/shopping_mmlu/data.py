"""The ShopBench question format and its readers (skill-wise JSONL, and the task-wise folder layout)."""

from __future__ import annotations

import ast
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BaseModel, Field

from core.errors import ShopagentError

log = logging.getLogger(__name__)

TaskType = Literal["multiple-choice", "retrieval", "ranking", "named_entity_recognition", "generation"]
Metric = Literal[
    "accuracy", "hit rate@3", "ndcg", "micro f1", "rougel", "bleu", "jp-bleu", "sent-transformer",
    "multilingual-sent-transformer",
]
TRACKS = (
    "amazon-kdd-cup-24-understanding-shopping-concepts",
    "amazon-kdd-cup-24-shopping-knowledge-reasoning",
    "amazon-kdd-cup-24-user-behavior-alignment",
    "amazon-kdd-cup-24-multi-lingual-abilities",
)
TRACK_PREFIX = "amazon-kdd-cup-24-"
DEFAULT_METRIC: dict[str, str] = {
    "multiple-choice": "accuracy", "retrieval": "hit rate@3", "ranking": "ndcg",
    "named_entity_recognition": "micro f1", "generation": "rougel",
}
TASKWISE_DIRS: dict[str, str] = {
    "multiple_choice": "multiple-choice", "retrieval": "retrieval", "ranking": "ranking",
    "named_entity_recognition": "named_entity_recognition", "generation": "generation",
}


class Question(BaseModel):
    """One ShopBench question, exactly the public fields (``output_field`` keeps its JSON type)."""

    input_field: str
    output_field: Any
    task_name: str
    task_type: TaskType
    metric: Metric
    is_multiple_choice: bool = False
    track: str = Field("", description="The skill; empty when the source does not say.")

    @property
    def key(self) -> str:
        """A stable id of the question's content (answers are cached under it)."""
        raw = f"{self.task_name}\x00{self.task_type}\x00{self.input_field}"
        return hashlib.sha1(raw.encode()).hexdigest()[:20]


def skill_label(track: str) -> str:
    """A short display name for a track ('amazon-kdd-cup-24-user-behavior-alignment' -> 'user behavior alignment')."""
    name = track.removeprefix(TRACK_PREFIX) or "unspecified"
    return name.replace("-", " ")


def _read_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):  # a JSON array is accepted too
        return list(json.loads(stripped))
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ShopagentError(f"{path}:{n} is not valid JSON ({exc.msg}): expected one question a line") from None
    return rows


def _question(row: dict, where: str, defaults: dict[str, Any]) -> Question:
    merged = {**defaults, **{k: v for k, v in row.items() if v is not None}}
    if "target_field" in merged and "output_field" not in merged:  # the task-wise files name it so
        merged["output_field"] = merged.pop("target_field")
    merged.setdefault("metric", DEFAULT_METRIC.get(merged.get("task_type", ""), "accuracy"))
    merged.setdefault("is_multiple_choice", merged.get("task_type") == "multiple-choice")
    try:
        return Question.model_validate(merged)
    except Exception as exc:  # pydantic.ValidationError: say where, keep one line
        first = str(exc).splitlines()
        raise ShopagentError(f"{where}: not a ShopBench question ({' '.join(first[:3])})") from None


def _mc_csv(path: Path, task: str) -> list[Question]:
    import pandas as pd

    df = pd.read_csv(path)
    missing = {"question", "choices", "answer"} - set(df.columns)
    if missing:
        raise ShopagentError(f"{path}: missing columns {sorted(missing)} (expected question, choices, answer)")
    out = []
    rating = "review_rating_prediction" in task
    for i, row in enumerate(df.itertuples(index=False)):
        prompt = str(row.question)
        if not rating:
            try:
                choices = ast.literal_eval(str(row.choices))
            except (ValueError, SyntaxError):
                raise ShopagentError(f"{path} row {i + 2}: choices is not a Python/JSON list") from None
            for j, choice in enumerate(choices):
                prompt += f"\n{j}. {choice}"
        prompt += "\nAnswer: "
        out.append(Question(
            input_field=prompt, output_field=int(row.answer), task_name=task, task_type="multiple-choice",
            metric="accuracy", is_multiple_choice=True, track="",
        ))
    return out


def _taskwise(root: Path) -> list[Question]:
    questions: list[Question] = []
    for sub, task_type in TASKWISE_DIRS.items():
        d = root / sub
        if not d.is_dir():
            continue
        for path in sorted(d.iterdir()):
            task = path.name.removesuffix("_dataset.csv").removesuffix("_dataset.json").removesuffix(".jsonl")
            if path.suffix == ".csv" and task_type == "multiple-choice":
                questions += _mc_csv(path, task)
            elif path.suffix in (".json", ".jsonl"):
                defaults = {"task_name": task, "task_type": task_type}
                questions += [_question(r, f"{path} row {i + 1}", defaults) for i, r in enumerate(_read_jsonl(path))]
    return questions


def load_questions(path: Path) -> list[Question]:
    """Questions from a ShopBench JSONL file, a folder of such files, or the task-wise layout
    (``multiple_choice/{task}_dataset.csv`` and ``{retrieval,ranking,...}/{task}_dataset.json``)."""
    path = Path(path)
    if not path.exists():
        raise ShopagentError(f"no evaluation data at {path}: pass a ShopBench .jsonl file or folder, "
                             "or run `shopagent eval generate`")
    if path.is_file():
        return [_question(r, f"{path} row {i + 1}", {}) for i, r in enumerate(_read_jsonl(path))]
    if any((path / sub).is_dir() for sub in TASKWISE_DIRS):
        questions = _taskwise(path)
    else:
        questions = []
        for f in sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file()):
            questions += [_question(r, f"{f} row {i + 1}", {}) for i, r in enumerate(_read_jsonl(f))]
    if not questions:
        raise ShopagentError(f"no questions found under {path}: expected ShopBench .json/.jsonl files")
    return questions


def limit_per_task(questions: Iterable[Question], limit: int | None) -> list[Question]:
    """At most ``limit`` questions of every task, in file order (None: all)."""
    if limit is None:
        return list(questions)
    seen: dict[str, int] = {}
    out = []
    for q in questions:
        if seen.get(q.task_name, 0) < limit:
            seen[q.task_name] = seen.get(q.task_name, 0) + 1
            out.append(q)
    return out


def write_questions(questions: Iterable[Question], path: Path) -> Path:
    """Write questions as ShopBench JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q.model_dump(), ensure_ascii=False) + "\n")
    return path
