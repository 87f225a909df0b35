"""Where tuning keeps its files under the data directory, and the tuned model's served name."""

from __future__ import annotations

from pathlib import Path

from shopagent.config import EMBEDDED_MODEL_NAME, Settings

TUNED_MODEL_NAME = f"{EMBEDDED_MODEL_NAME}-shop"
DONE_MARKER = ".shopagent-complete"


def tuning_dir(settings: Settings) -> Path:
    return settings.data_dir / "tuning"


def data_dir(settings: Settings) -> Path:
    return tuning_dir(settings) / "data"


def runs_dir(settings: Settings) -> Path:
    return tuning_dir(settings) / "runs"


def tuned_model_dir(settings: Settings) -> Path:
    """The merged tuned model vLLM serves (complete only when it holds the done marker)."""
    return settings.models_dir / TUNED_MODEL_NAME


def tuned_model_ready(settings: Settings) -> bool:
    d = tuned_model_dir(settings)
    return (d / DONE_MARKER).is_file() and (d / "config.json").is_file()
