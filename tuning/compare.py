"""`tune eval`: the embedded model and its tuned copy side by side — planner accuracy on the hand-written
request sets, Shopping MMLU-style score, claim support of first-draft product copy — and the planner choice."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from core.artifacts import choose_planner, tuned_model_dir, tuned_model_ready, tuning_dir, write_choice
from core.config import Settings
from core.errors import ShopagentError
from tuning import evaluate as E
from tuning.data import DataConfig
from tuning.runs import last_train_s, make_data, run_training


@dataclass
class Comparison:
    rows: dict[str, dict]  # label -> {"base": x, "tuned": y}
    payload: dict[str, Any]  # what --json prints (also in reports/results.json)
    lines: list[str]  # per-group figures and where the chart and details are


def claims(score: object) -> dict:
    """The JSON's claim-support figures of one model (first drafts, before unsupported claims are removed)."""
    return {k: getattr(score, k) for k in ("rate", "claims", "supported", "described", "products")}


def draw_chart(rows: dict[str, dict], path: Path) -> Path:
    """Base vs tuned bars of every numeric row (PNG at ``path``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [k for k, v in rows.items() if all(isinstance(x, float) for x in v.values())]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(labels)), 3.6))
    width = 0.38
    for i, which in enumerate(("base", "tuned")):
        ax.bar([j + (i - 0.5) * width for j in range(len(labels))], [rows[k][which] for k in labels], width,
               label=which)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.legend()
    ax.set_title("base vs tuned")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def compare_base_tuned(s: Settings, sets: list[str] | None, beauty: Path | None, mmlu_per_task: int,
                       copy_products: int, train_if_missing: bool, say: Callable[[str], None]) -> Comparison:
    """Measure base and tuned in one run (training the tuned model first when there is none and it may), write
    the planner choice and the report."""
    from core.llm.prepare import prepare_embedded_model

    prepare_embedded_model(s.embedded_model_dir, progress=False)
    loaded = E.load_sets(s, sets, beauty or E.BEAUTY_META)
    train_s = None
    if not tuned_model_ready(s):
        if not train_if_missing:
            raise ShopagentError(f"no tuned model at {tuned_model_dir(s)}: run `shopagent tune data` and "
                                 "`shopagent tune train` (or drop --no-train-if-missing)")
        say("no tuned model yet: generating data from the eval shops' catalogs and training it")
        out = tuning_dir(s) / "data"
        make_data([(n, c) for n, (c, _) in loaded.items()], out, DataConfig())
        result = run_training(s, out, on_note=say)
        train_s = result.train_s  # type: ignore[attr-defined]
    if train_s is None:
        train_s = last_train_s(s)
    mmlu_catalog = loaded["demo"][0] if "demo" in loaded else next(iter(loaded.values()))[0]
    t0 = time.monotonic()
    router = E.router_only(loaded)
    groups = E.other_groups(loaded)
    router_groups = {g: E.router_only(gs) for g, gs in groups.items()}
    base = E.evaluate_model(s.embedded_model_dir, E.BASE_NAME, s, loaded, mmlu_catalog, say, mmlu_per_task,
                            copy_products=copy_products)
    tuned = E.evaluate_model(tuned_model_dir(s), E.TUNED_NAME, s, loaded, mmlu_catalog, say, mmlu_per_task,
                             extra=groups, copy_products=copy_products)
    choice = choose_planner((router.action_acc, router.args_acc),
                            (tuned["combined"].action_acc, tuned["combined"].args_acc), s)
    write_choice(s, choice)
    chosen = tuned["combined"] if choice.planner == "tuned" else router
    rows: dict[str, dict] = {
        "planner action (router+model)": {"base": base["combined"].action_acc, "tuned": tuned["combined"].action_acc},
        "planner args (router+model)": {"base": base["combined"].args_acc, "tuned": tuned["combined"].args_acc},
        "model alone: action": {"base": base["alone"].action_acc, "tuned": tuned["alone"].action_acc},
        "model alone: args": {"base": base["alone"].args_acc, "tuned": tuned["alone"].args_acc},
        "MMLU-style overall": {"base": base["mmlu"]["overall"], "tuned": tuned["mmlu"]["overall"]},
    }
    for skill in base["mmlu"]["per_skill"]:
        rows[f"MMLU {skill.removeprefix('amazon-kdd-cup-24-')}"] = {
            "base": base["mmlu"]["per_skill"][skill], "tuned": tuned["mmlu"]["per_skill"].get(skill, 0.0)}
    copy = {"base": base["claim_support"], "tuned": tuned["claim_support"]}
    rows["copy: claims supported (draft)"] = {w: c.rate for w, c in copy.items()}
    rows["copy: claims (products)"] = {w: f"{c.claims} ({c.described}/{c.products})" for w, c in copy.items()}
    rows["ms per plan (router+model)"] = {"base": f"{base['combined'].ms_per_plan:.0f}",
                                          "tuned": f"{tuned['combined'].ms_per_plan:.0f}"}
    lines = [f"router alone: action {router.action_acc:.3f}, args {router.args_acc:.3f} "
             f"({router.requests} requests)"]
    for g, score in router_groups.items():
        note = {"blind": " (blind: committed before any planner ran on it)",
                "blind1": " (the first blind set: measured once, then used to fix the router)"}.get(g, "")
        lines.append(f"{g} requests ({score.requests}){note}: router {score.action_acc:.3f}/{score.args_acc:.3f}, "
                     f"router + tuned model {tuned['groups'][g].action_acc:.3f}/{tuned['groups'][g].args_acc:.3f}")
    lines.append(f"the embedded agent plans with: {choice.planner} ({choice.why})")
    report_dir = tuning_dir(s) / "reports"
    chart = draw_chart(rows, report_dir / "base_vs_tuned.png")
    payload = {
        # base: the router with the base model deciding where it is unsure; tuned: the planner the embedded agent
        # uses after tuning (router + tuned model, or the router alone where that measured as good)
        "base": {"action_acc": base["combined"].action_acc, "args_acc": base["combined"].args_acc,
                 "mmlu_overall": base["mmlu"]["overall"], "claim_support": claims(base["claim_support"])},
        "tuned": {"action_acc": chosen.action_acc, "args_acc": chosen.args_acc,
                  "mmlu_overall": tuned["mmlu"]["overall"], "planner": choice.planner,
                  "claim_support": claims(tuned["claim_support"])},
        "train_s": train_s,
        "router_plus_tuned": {"action_acc": tuned["combined"].action_acc, "args_acc": tuned["combined"].args_acc},
        "planner_choice": choice.why,
        "other_requests": {g: {"requests": router_groups[g].requests,
                               "router": {"action_acc": router_groups[g].action_acc,
                                          "args_acc": router_groups[g].args_acc},
                               "router_plus_tuned": {"action_acc": tuned["groups"][g].action_acc,
                                                     "args_acc": tuned["groups"][g].args_acc}}
                           for g in router_groups},
        # written and committed before any planner ran on it: the generalisation figure
        "blind": {"requests": router_groups["blind"].requests,
                  "per_set": {"router": router_groups["blind"].per_set,
                              "router_plus_tuned": tuned["groups"]["blind"].per_set},
                  "router": {"action_acc": router_groups["blind"].action_acc,
                             "args_acc": router_groups["blind"].args_acc},
                  "router_plus_tuned": {"action_acc": tuned["groups"]["blind"].action_acc,
                                        "args_acc": tuned["groups"]["blind"].args_acc}},
        "model_alone": {"base": {"action_acc": base["alone"].action_acc, "args_acc": base["alone"].args_acc},
                        "tuned": {"action_acc": tuned["alone"].action_acc, "args_acc": tuned["alone"].args_acc}},
        "router_alone": {"action_acc": router.action_acc, "args_acc": router.args_acc},
        "per_set": {"base": base["combined"].per_set, "tuned": tuned["combined"].per_set},
        "mmlu_per_skill": {"base": base["mmlu"]["per_skill"], "tuned": tuned["mmlu"]["per_skill"]},
        "requests": router.requests, "eval_s": round(time.monotonic() - t0, 1), "chart": str(chart),
    }
    (report_dir / "results.json").write_text(json.dumps(
        payload | {"claim_support_detail": {"base": base["claim_support"].model_dump(),
                                            "tuned": tuned["claim_support"].model_dump()},
                   "misses": {"base": base["combined"].misses, "tuned": tuned["combined"].misses,
                              "router": router.misses, "tuned_alone": tuned["alone"].misses,
                              **{f"{g}_router": router_groups[g].misses for g in router_groups},
                              **{f"{g}_tuned": tuned["groups"][g].misses for g in router_groups}}},
        indent=1, default=str))
    lines.append(f"chart: {chart}; details: {report_dir / 'results.json'}")
    return Comparison(rows=rows, payload=payload, lines=lines)


