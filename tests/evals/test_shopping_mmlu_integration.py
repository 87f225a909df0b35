"""End to end on the real embedded vLLM: generated questions -> guided answers -> scores -> report, and resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.shopping_mmlu import metrics
from evals.shopping_mmlu.data import TRACKS, limit_per_task, write_questions
from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
from evals.shopping_mmlu.prompts import choice_labels
from evals.shopping_mmlu.runner import AnswerCache

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def questions():  # noqa: ANN201
    from tools.catalog.demo import generate_demo_catalog

    snap = CatalogSnapshot.from_data(generate_demo_catalog(seed=0, n_products=300))
    return limit_per_task(generate_tasks(snap, seed=0, per_task=2), 1)


def test_cli_runs_generated_questions_end_to_end_and_resumes(llm_endpoint, questions, tmp_path: Path,  # noqa: ANN001
                                                             data_dir: Path) -> None:
    data = write_questions(questions, tmp_path / "gen.jsonl")
    reports = tmp_path / "reports"
    model_arg = f"{llm_endpoint.base_url}/{llm_endpoint.model}"
    args = ["eval", "shopping-mmlu", "--data", str(data), "--model", model_arg, "--reports", str(reports),
            "--concurrency", "8", "--json"]
    first = CliRunner().invoke(__import__("shopagent.cli", fromlist=["app"]).app, args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert set(summary) == {"questions", "answered", "per_task", "per_skill", "overall", "seconds"}
    assert summary["questions"] == len(questions) == summary["answered"]
    assert set(summary["per_skill"]) == set(TRACKS)
    assert all(0.0 <= v <= 1.0 for v in summary["per_task"].values())
    out = reports / "shopping-mmlu" / llm_endpoint.model
    assert (out / "results.json").exists() and (out / "report.md").exists() and (out / "skills.png").exists()

    # guided decoding: every multiple-choice answer is exactly one of the listed labels
    answers = AnswerCache(out / "answers.jsonl").answers
    for q in questions:
        if q.task_type == "multiple-choice":
            assert answers[q.key] in choice_labels(q), (q.task_name, answers[q.key])

    # resume: everything comes from the cache, same scores, no request
    (out / "answers.jsonl").write_text(  # the answers file is the only state: drop one answer, it is asked again
        "".join(line + "\n" for line in (out / "answers.jsonl").read_text().splitlines()[1:]))
    second = CliRunner().invoke(__import__("shopagent.cli", fromlist=["app"]).app, args)
    assert second.exit_code == 0, second.output
    assert "1 asked, " in second.stderr and f"{len(questions) - 1} from cache" in second.stderr


def test_jp_bleu_uses_mecab_in_this_environment() -> None:
    assert metrics.japanese_tokenizer() == "ja-mecab"
