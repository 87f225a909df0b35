"""Where tuning keeps its files under the data directory, and the tuned model's served name."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from core.config import EMBEDDED_MODEL_NAME, Settings

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


class PlannerChoice(BaseModel):
    """Which planner the embedded agent uses, as `tune eval` measured it on the hand-written requests."""

    planner: Literal["rules", "tuned"]
    why: str
    scores: dict[str, dict[str, float]] = Field(default_factory=dict)  # planner -> action_acc, args_acc
    model_stamp: str | None = None  # the tuned model it was measured with (its done marker's mtime)


def choice_path(settings: Settings) -> Path:
    return tuning_dir(settings) / "reports" / "planner_choice.json"


def model_stamp(settings: Settings) -> str | None:
    marker = tuned_model_dir(settings) / DONE_MARKER
    return f"{marker.stat().st_mtime_ns}" if marker.is_file() else None


def choose_planner(router: tuple[float, float], tuned: tuple[float, float], settings: Settings) -> PlannerChoice:
    """The tuned planner (router + tuned model) only when it beats the router alone on (action, arguments)
    accuracy together; a tie keeps the router (no model call per message)."""
    scores = {"rules": {"action_acc": router[0], "args_acc": router[1]},
              "tuned": {"action_acc": tuned[0], "args_acc": tuned[1]}}
    better = sum(tuned) > sum(router) + 1e-9
    why = (f"router + tuned model {tuned[0]:.3f}/{tuned[1]:.3f} vs router alone {router[0]:.3f}/{router[1]:.3f} "
           f"(action/arguments): {'the tuned model adds' if better else 'the router alone is as good, and needs no model call'}")
    return PlannerChoice(planner="tuned" if better else "rules", why=why, scores=scores,
                         model_stamp=model_stamp(settings))


def write_choice(settings: Settings, choice: PlannerChoice) -> Path:
    path = choice_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(choice.model_dump_json(indent=1))
    tmp.replace(path)
    return path


def tuned_planner_chosen(settings: Settings) -> bool:
    """A complete tuned model exists and `tune eval` measured router + that model best (a retrained model counts
    only once measured again)."""
    if not tuned_model_ready(settings) or not choice_path(settings).is_file():
        return False
    try:
        choice = PlannerChoice.model_validate_json(choice_path(settings).read_text())
    except ValueError:
        return False
    return choice.planner == "tuned" and choice.model_stamp == model_stamp(settings)
