"""The shared report format and leaderboard (also written by the CRM suite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.report import SuiteResult, TaskScore, build_leaderboard, load_results, write_report
from core.errors import ShopagentError


def _result(model: str, scores: dict[str, float], suite: str = "shopping-mmlu") -> SuiteResult:
    tasks = [TaskScore(task=t, skill=f"amazon-kdd-cup-24-{'user-behavior-alignment' if t.startswith('b') else 'multi-lingual-abilities'}",
                       metric="accuracy", score=s, n=4, answered=4, task_type="multiple-choice")
             for t, s in scores.items()]
    return SuiteResult.from_tasks(suite, model, tasks, seconds=1.5, dataset="d.jsonl")


def test_report_folder_has_results_table_and_charts(tmp_path: Path) -> None:
    result = _result("org/model-a", {"b1": 1.0, "b2": 0.5, "m1": 0.25})
    out = write_report(result, tmp_path / "m")
    data = json.loads((out / "results.json").read_text())
    assert data["per_skill"] == {"amazon-kdd-cup-24-user-behavior-alignment": 0.75,
                                 "amazon-kdd-cup-24-multi-lingual-abilities": 0.25}
    assert data["overall"] == pytest.approx(0.5) and data["questions"] == 12
    md = (out / "report.md").read_text()
    assert "| user behavior alignment | 0.7500 |" in md and "| b2 | user behavior alignment |" in md
    for png in ("skills.png", "skill-user-behavior-alignment.png", "skill-multi-lingual-abilities.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(result.summary()) == {"questions", "answered", "per_task", "per_skill", "overall", "seconds"}


def test_leaderboard_ranks_models_per_suite(tmp_path: Path) -> None:
    write_report(_result("weak", {"b1": 0.1, "m1": 0.3}), tmp_path / "shopping-mmlu" / "weak")
    write_report(_result("strong", {"b1": 0.9, "m1": 0.7}), tmp_path / "shopping-mmlu" / "strong")
    write_report(_result("strong", {"b1": 0.4}, suite="crm"), tmp_path / "crm" / "strong")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "results.json").write_text("{not json")
    assert len(load_results(tmp_path)) == 3
    boards, out = build_leaderboard(tmp_path)
    smm = next(b for b in boards if b.suite == "shopping-mmlu")
    assert [r["model"] for r in smm.rows] == ["strong", "weak"]
    md = (out / "leaderboard.md").read_text()
    assert md.index("| 1 | strong | 0.8000 |") < md.index("| 2 | weak | 0.2000 |")
    assert "## crm" in md
    assert (out / "leaderboard-shopping-mmlu.png").exists() and (out / "leaderboard-crm.png").exists()


def test_leaderboard_without_results_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ShopagentError, match="shopagent eval shopping-mmlu"):
        build_leaderboard(tmp_path)
