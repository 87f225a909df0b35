"""`shopagent eval ...` at the CLI edge (no model needed): generate, leaderboard, --model parsing, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.shopping_mmlu import suite
from shopagent.cli import app
from core.config import Settings
from core.llm.serve import free_port


def test_generate_writes_the_task_set_from_the_demo_catalog(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen.jsonl"
    result = CliRunner().invoke(app, ["eval", "generate", "--out", str(out), "--per-task", "3", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary["questions"] == len(rows) and len(summary["tasks"]) >= 10
    assert {"input_field", "output_field", "task_name", "task_type", "metric", "is_multiple_choice", "track"} == set(rows[0])


def test_generate_uses_the_loaded_catalog(demo_catalog, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "gen.jsonl"
    result = CliRunner().invoke(app, ["eval", "generate", "--out", str(out), "--per-task", "2"])
    assert result.exit_code == 0, result.output
    ids_in_catalog = {p.title for p in demo_catalog.products()}
    first = json.loads(out.read_text().splitlines()[0])
    assert any(t in first["input_field"] for t in ids_in_catalog)


def test_model_option_accepts_name_url_or_url_with_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suite, "check_health", lambda e: e)
    s = Settings(llm_url="http://default:8000/v1")
    assert suite.endpoint_for(s, "my-model").model_dump(include={"base_url", "model"}) == {
        "base_url": "http://default:8000/v1", "model": "my-model"}
    assert suite.endpoint_for(s, "http://h:9/v1").model_dump(include={"base_url", "model"}) == {
        "base_url": "http://h:9/v1", "model": None}
    assert suite.endpoint_for(s, "http://h:9/v1/Qwen/Qwen2.5-7B").model_dump(include={"base_url", "model"}) == {
        "base_url": "http://h:9/v1", "model": "Qwen/Qwen2.5-7B"}


def test_no_server_is_one_red_line(tmp_path: Path) -> None:
    data = tmp_path / "q.jsonl"
    data.write_text(json.dumps({"input_field": "x\n0. a\n1. b\nAnswer: ", "output_field": 0, "task_name": "t",
                                "task_type": "multiple-choice", "metric": "accuracy"}) + "\n")
    p = subprocess.run(
        [sys.executable, "-m", "shopagent", "eval", "shopping-mmlu", "--data", str(data), "--model",
         f"http://127.0.0.1:{free_port()}/v1"], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHOPAGENT_DATA_DIR": str(tmp_path)},
    )
    assert p.returncode == 1
    assert p.stderr.strip().startswith("error: no LLM server at") and len(p.stderr.strip().splitlines()) == 1


def test_leaderboard_command_prints_rows_as_json(tmp_path: Path) -> None:
    from evals.report import SuiteResult, TaskScore, write_report

    for model, score in (("a", 0.2), ("b", 0.6)):
        task = TaskScore(task="t", skill="s", metric="accuracy", score=score, n=1, answered=1)
        write_report(SuiteResult.from_tasks("shopping-mmlu", model, [task], 1.0), tmp_path / "shopping-mmlu" / model)
    result = CliRunner().invoke(app, ["eval", "leaderboard", "--reports", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout.strip().splitlines()[-1])["shopping-mmlu"]
    assert [r["model"] for r in rows] == ["b", "a"]
    assert (tmp_path / "leaderboard.md").exists()
