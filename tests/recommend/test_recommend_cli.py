"""`shopagent recsys train|eval` and `shopagent bench recsys` on small generated data."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from shopagent.cli import app

runner = CliRunner()


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_eval_trains_once_then_reuses_the_artifact(pattern_file, data_dir: Path) -> None:  # noqa: ANN001
    path = pattern_file()
    args = ["recsys", "eval", "--data", str(path), "--model", "sasrec", "--epochs", "15", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    j = _last_json(first.stdout)
    for key in ("hr10_full", "ndcg10_full", "hr10_neg99", "ndcg10_neg99", "train_s"):
        assert isinstance(j[key], float)
    assert j["hr10_full"] > 0.5  # the pattern is learnable
    saved = list((data_dir / "recsys").glob("pattern-*/sasrec/meta.json"))
    assert len(saved) == 1
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert _last_json(second.stdout)["train_s"] == j["train_s"]  # loaded, not trained again
    assert saved[0].stat().st_mtime == list((data_dir / "recsys").glob("pattern-*/sasrec/meta.json"))[0].stat().st_mtime
    blend = runner.invoke(app, [*args[:4], "--model", "blend", "--epochs", "15", "--json"])
    assert blend.exit_code == 0, blend.output
    jb = _last_json(blend.stdout)
    assert jb["model"] == "blend" and jb["weights"] == {"sasrec": 1.0, "cf": 0.25}
    assert jb["hr10_full"] > 0.5


def test_eval_of_an_empty_file_is_one_clear_error_and_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["recsys", "eval", "--data", str(empty), "--json"])
    assert result.exit_code != 0 and "empty" in str(result.exception)
    assert not (data_dir / "recsys").exists() or not any((data_dir / "recsys").rglob("meta.json"))


def test_train_cf_on_a_file_and_unknown_model_name(pattern_file, data_dir: Path) -> None:  # noqa: ANN001
    ok = runner.invoke(app, ["recsys", "train", "--data", str(pattern_file()), "--model", "cf", "--json"])
    assert ok.exit_code == 0, ok.output
    assert "cf" in _last_json(ok.stdout)["models"]
    bad = runner.invoke(app, ["recsys", "train", "--data", str(pattern_file()), "--model", "bert4rec"])
    assert bad.exit_code != 0 and "bert4rec" in str(bad.exception)


def test_bench_reports_latency_of_a_trained_catalog(recsys_catalog_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from core.config import get_settings

    monkeypatch.setenv("SHOPAGENT_DATA_DIR", str(recsys_catalog_dir))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["bench", "recsys", "--calls", "30", "--history", "20", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    j = _last_json(result.stdout)
    assert 0 < j["p50_ms"] <= j["p95_ms"] and j["history_len"] == 20 and "sasrec" in j["models"]
    assert j["sasrec"]["dim"] == 32 and j["sasrec"]["members"] >= 1  # the fixture's small ensemble
