"""Generate tuning data and run a training from settings: what `shopagent tune data` / `tune train` /
`tune eval` call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.config import Settings


def make_data(catalogs: list[tuple[str, object]], out: Path, cfg: object) -> dict:
    """Seeded chat-format examples from ``catalogs`` written to ``out`` (train + held-out); the manifest."""
    from tuning.data import build_examples, write_examples

    splits = build_examples(catalogs, cfg)  # type: ignore[arg-type]
    return write_examples(out, splits, {"config": cfg.model_dump(by_alias=True),  # type: ignore[attr-defined]
                                        "catalogs": [n for n, _ in catalogs]})


def run_training(s: Settings, data: Path | None, on_note: Any = None, **options: object) -> Any:
    """Fine-tune the embedded (or ``base_model``) model on ``data`` into the tuned model directory; a killed
    earlier run is marked and its partial model removed first (said through ``on_note``)."""
    from datetime import datetime, timezone

    from core.artifacts import data_dir, runs_dir, tuned_model_dir
    from tuning.data import read_examples
    from tuning.train import TrainConfig, clean_partial_models, mark_killed_runs, train

    data = data or data_dir(s)
    runs = runs_dir(s)
    runs.mkdir(parents=True, exist_ok=True)
    for run in mark_killed_runs(runs):
        if on_note is not None:
            on_note(f"run {run.name} was killed before it wrote a model: starting a clean run")
    clean_partial_models(s.models_dir)
    base = options.pop("base_model", None) or s.embedded_model_dir
    if base == s.embedded_model_dir:
        from core.llm.prepare import prepare_embedded_model

        prepare_embedded_model(s.embedded_model_dir, progress=False)
    train_rows = read_examples(Path(data) / "train.jsonl")
    heldout = read_examples(Path(data) / "heldout.jsonl") if (Path(data) / "heldout.jsonl").is_file() else []
    run_dir = runs / datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    out_model = options.pop("out_model", None) or tuned_model_dir(s)
    cfg = TrainConfig(base_model=Path(base), out_model=Path(out_model), run_dir=run_dir,  # type: ignore[arg-type]
                      **{k: v for k, v in options.items() if v is not None})
    return train(cfg, train_rows, heldout)


def last_train_s(s: Settings) -> float | None:
    """Training seconds of the latest run that wrote its metrics."""
    from core.artifacts import runs_dir

    runs = sorted(runs_dir(s).glob("*/metrics.json"))
    for path in reversed(runs):
        try:
            return json.loads(path.read_text()).get("train_s")
        except (OSError, json.JSONDecodeError):
            continue
    return None
