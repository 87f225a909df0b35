"""The conversation suite end to end: which models it needs, the run, and its report (results.json for the
leaderboard, converse.json with every arm, conversations.jsonl, the hit@k-by-turn plot)."""

from __future__ import annotations

import json
import logging
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator

from core.config import EMBEDDED_MODEL_NAME, Settings
from core.errors import ShopagentError
from evals.converse.runner import ConverseResult, Conversation
from evals.report import SuiteResult, TaskScore, model_report_dir, write_report

log = logging.getLogger(__name__)

SUITE = "converse"
PLOT = "hit_by_turn.png"
FIGURES_FILE = "converse.json"


def planner_kind(settings: Settings, model_name: str | None) -> str:
    """The planner the agent gets for ``model_name`` (the rule planner on the embedded default)."""
    from agent.planners import detect_kind

    return detect_kind(model_name) if settings.planner == "auto" else settings.planner


@contextmanager
def converse_models(settings: Settings, *, embedded: bool, model: str | None, replies: bool, simulator: str,
                    simulator_model: str | None) -> Iterator[tuple[Any, Any, list[str]]]:
    """(the agent's endpoint or None, the LLM shopper's chat model or None, notes). A server is started or asked
    only when something needs it: the rule planner decides what is shown without a model, so the embedded default
    with the rule simulator runs no model unless ``replies``."""
    from evals.shopping_mmlu.suite import endpoint_for, eval_endpoint

    if simulator not in ("rule", "llm"):
        raise ShopagentError(f"--simulator {simulator!r}: use rule or llm")
    if simulator == "rule" and simulator_model:
        raise ShopagentError("--simulator-model is for --simulator llm")
    name = EMBEDDED_MODEL_NAME if embedded else model or settings.llm_model
    kind = planner_kind(settings, name)
    agent_needs = replies or (kind != "rules" and (embedded or model is not None))
    sim_needs_served = simulator == "llm" and (embedded or model) and not simulator_model
    notes = [f"planner: {kind} (the one {name or 'no model'} gets)"]
    with ExitStack() as stack:
        agent = stack.enter_context(eval_endpoint(settings, model, embedded)) \
            if agent_needs or sim_needs_served else None
        sim = None
        if simulator == "llm":
            if simulator_model:
                sim = endpoint_for(settings, simulator_model)
            elif agent is not None:
                sim = agent
            else:
                sim = endpoint_for(settings, None)
        if sim is not None:
            from core.llm.client import chat_model

            notes.append(f"LLM shopper: {sim.model} at {sim.base_url}")
            sim = chat_model(sim, temperature=0.0, max_tokens=60)
        yield (agent if agent_needs else None), sim, notes


def suite_result(result: ConverseResult, model: str) -> SuiteResult:
    """The leaderboard row: the agent's hit@1..hit@turns as skills, every arm's hit@turns as a task."""
    k = result.turns
    per_skill = {f"hit@{i}": v for i, v in enumerate(result.agent.hit_at, start=1)}
    arms = {"agent": ("agent", result.agent), **{b: ("baseline", f) for b, f in result.baselines.items()},
            **{a: ("ablation", f) for a, f in result.ablations.items()}}
    tasks = [TaskScore(task=name, skill=kind, metric=f"hit@{k}", score=f.hit_at[-1], n=f.shoppers,
                       answered=f.shoppers, task_type=f"avg turns {f.avg_turns:.2f}") for name, (kind, f) in arms.items()]
    notes = [*result.notes, f"simulator {result.simulator}, seed {result.seed}, {result.turns} turns, planner "
             f"{result.planner}, replies {result.replies}",
             *[f"{name}: hit@{k} {f.hit_at[-1]:.3f} [{f.hit5_ci95[0]:.3f}, {f.hit5_ci95[1]:.3f}], avg turns "
               f"{f.avg_turns:.2f}" for name, (_, f) in arms.items()]]
    return SuiteResult(suite=SUITE, model=model, dataset="amazon-beauty-2014", questions=result.shoppers,
                       answered=result.shoppers, per_task={t.task: t.score for t in tasks}, per_skill=per_skill,
                       overall=result.agent.hit_at[-1], seconds=result.seconds, tasks=tasks, notes=notes)


def plot_hit_by_turn(result: ConverseResult, path: Path) -> Path:
    """hit@k against the turn k for the agent, its ablations and the baselines (one-shot baselines are flat)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    turns = list(range(1, result.turns + 1))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, values in result.hit_by_turn.items():
        style = "-" if name == "agent" else ":" if name in result.ablations else "--"
        ax.plot(turns, values, style, marker="o", label=name, linewidth=2.5 if name == "agent" else 1.5)
    ax.set_xticks(turns)
    ax.set_xlabel("turn")
    ax.set_ylabel("hit@k (target shown within k turns)")
    ax.set_ylim(0, max(0.05, max(max(v) for v in result.hit_by_turn.values()) * 1.15))
    ax.set_title(f"Amazon Beauty: {result.shoppers} simulated shoppers ({result.simulator} simulator)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_converse_report(result: ConverseResult, conversations: list[Conversation], reports: Path,
                          model: str) -> Path:
    """The report folder: the shared format plus converse.json, conversations.jsonl and the plot."""
    out = write_report(suite_result(result, model), model_report_dir(reports, SUITE, model))
    (out / FIGURES_FILE).write_text(result.model_dump_json(indent=2), encoding="utf-8")
    with (out / "conversations.jsonl").open("w", encoding="utf-8") as f:
        for c in conversations:
            f.write(c.model_dump_json() + "\n")
    plot_hit_by_turn(result, out / PLOT)
    return out


def load_figures(directory: Path) -> dict | None:
    """converse.json of a report folder, or None."""
    path = Path(directory) / FIGURES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
