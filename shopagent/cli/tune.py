"""`shopagent tune ...`: domain tuning of the served model on this shop (issue 14).

`tune data` generates chat-format examples from the loaded catalog, `tune train` fine-tunes the embedded model
(full fine-tuning; LoRA for large models) into a merged model directory vLLM serves, `tune eval` measures base vs
tuned side by side (planner accuracy on the hand-written requests, Shopping MMLU-style tasks, claim support of
the product copy).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import List, Optional

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings

app = typer.Typer(help="Tune the served model on this shop: data, train, eval.", no_args_is_help=True)


def _catalogs(extra: list[Path] | None) -> list[tuple[str, object]]:
    from core.errors import ShopagentError
    from tools.catalog.store import Catalog

    s = settings()
    found: list[tuple[str, object]] = []
    try:
        found.append(("loaded", Catalog.open(s.data_dir)))
    except ShopagentError:
        if not extra:
            raise ShopagentError(f"no catalog loaded in {s.data_dir}: run `shopagent data demo` (or "
                                 "`shopagent data load ...`) before `shopagent tune data`") from None
    for d in extra or []:
        found.append((Path(d).name, Catalog.open(Path(d))))
    return found


def make_data(catalogs: list[tuple[str, object]], out: Path, cfg: object) -> dict:
    from tuning.data import build_examples, write_examples

    splits = build_examples(catalogs, cfg)  # type: ignore[arg-type]
    return write_examples(out, splits, {"config": cfg.model_dump(by_alias=True),  # type: ignore[attr-defined]
                                        "catalogs": [n for n, _ in catalogs]})


@app.command()
def data(
    seed: int = typer.Option(0, help="Random seed (same seed and catalog: same examples)."),
    planner: int = typer.Option(520, help="Planner examples in the training split."),
    reply: int = typer.Option(50, help="Grounded-reply examples."),
    copy: int = typer.Option(30, help="Product-copy examples."),
    mmlu: int = typer.Option(60, help="Shopping MMLU-style examples (never the evaluation's items)."),
    extra_catalog: Optional[List[Path]] = typer.Option(None, help="Another shop's data directory to draw from too."),
    out: Optional[Path] = typer.Option(None, help="Output directory (default <data_dir>/tuning/data)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate seeded chat-format JSONL (train + held-out split with unseen phrasings and vocabulary)."""
    from core.artifacts import data_dir
    from tuning.data import DataConfig

    cfg = DataConfig(seed=seed, planner=planner, reply=reply, copy=copy, mmlu=mmlu)
    out = out or data_dir(settings())
    t0 = time.monotonic()
    manifest = make_data(_catalogs(extra_catalog), out, cfg)
    summary = {"dir": str(out), "train": manifest["train"]["examples"], "heldout": manifest["heldout"]["examples"],
               "kinds": manifest["train"]["kinds"], "actions": manifest["train"]["actions"],
               "seconds": round(time.monotonic() - t0, 1)}
    console.print(f"wrote {summary['train']} training and {summary['heldout']} held-out examples to {out}")
    if as_json:
        print_json(summary)


def run_training(data: Path | None, **options: object) -> "object":
    from datetime import datetime, timezone

    from core.artifacts import data_dir, runs_dir, tuned_model_dir
    from tuning.data import read_examples
    from tuning.train import TrainConfig, clean_partial_models, mark_killed_runs, train

    s = settings()
    data = data or data_dir(s)
    runs = runs_dir(s)
    runs.mkdir(parents=True, exist_ok=True)
    for run in mark_killed_runs(runs):
        console.print(f"[yellow]run {run.name} was killed before it wrote a model: starting a clean run[/]")
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


@app.command("train")
def train_cmd(
    data: Optional[Path] = typer.Option(None, help="Directory with train.jsonl/heldout.jsonl (default: tune data's)."),
    base_model: Optional[Path] = typer.Option(None, help="HF model directory (default: the embedded model)."),
    out_model: Optional[Path] = typer.Option(None, help="Where the merged model goes (default: models/<name>-shop)."),
    epochs: float = typer.Option(1.0, help="Passes over the training split."),
    lr: float = typer.Option(1e-4, help="Peak learning rate (linear decay)."),
    batch_size: int = typer.Option(8, help="Examples per optimizer step."),
    max_steps: int = typer.Option(-1, help="Stop after this many steps (-1: epochs decide)."),
    max_minutes: float = typer.Option(14.0, help="Wall-clock budget of the optimizer loop."),
    method: str = typer.Option("auto", help="full | lora | auto (LoRA above 1B parameters)."),
    device: str = typer.Option("auto", help="auto | cpu | cuda."),
    bf16: bool = typer.Option(False, help="bfloat16 training (GPU only)."),
    threads: Optional[int] = typer.Option(None, help="CPU threads (default: all cores; 1 helps on a busy machine)."),
    max_len: int = typer.Option(512, help="Longer examples are skipped."),
    eval_steps: int = typer.Option(20, help="Held-out loss every this many steps (early stopping watches it)."),
    eval_examples: int = typer.Option(32, help="Held-out examples the loss is measured on."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Supervised fine-tuning (assistant tokens only); writes a merged model directory vLLM serves."""
    result = run_training(data, base_model=base_model, out_model=out_model, epochs=epochs, lr=lr,
                          batch_size=batch_size, max_steps=max_steps, max_minutes=max_minutes, method=method,
                          device=device, bf16=bf16, threads=threads, max_len=max_len,
                          eval_steps=eval_steps, eval_examples=eval_examples)
    console.print(f"[green]tuned model written to {result.model_dir}[/] ({result.method} on {result.device}, "  # type: ignore[attr-defined]
                  f"{result.steps} steps, {result.train_s:.0f} s, {result.tokens_per_s:.0f} tokens/s, "  # type: ignore[attr-defined]
                  f"held-out loss {result.eval_loss_first} -> {result.eval_loss_best}; {result.stopped})")  # type: ignore[attr-defined]
    if as_json:
        print_json(result.model_dump(mode="json"))  # type: ignore[attr-defined]


def _table(rows: dict[str, dict]) -> None:
    from rich.table import Table

    table = Table(title="tune eval: base vs tuned (same run)")
    for col in ("", "base", "tuned"):
        table.add_column(col, justify="right" if col else "left")
    for label, pair in rows.items():
        table.add_row(label, *(f"{v:.3f}" if isinstance(v, float) else str(v) for v in pair.values()))
    console.print(table)


def _chart(rows: dict[str, dict], path: Path) -> Path:
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


@app.command("eval")
def eval_cmd(
    embedded: bool = EMBEDDED_OPTION,
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Eval sets (default: all: demo, beauty)."),
    beauty: Optional[Path] = typer.Option(None, help="Amazon Beauty 2014 meta_Beauty.jsonl for the Beauty set."),
    mmlu_per_task: int = typer.Option(8, help="Generated Shopping MMLU-style questions per task (seed 0)."),
    copy_products: int = typer.Option(12, help="Demo products (seed 0) whose first-draft copy is claim-checked."),
    train_if_missing: bool = typer.Option(True, help="Generate data and train first when no tuned model exists."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Base vs tuned: planner accuracy on the hand-written requests, Shopping MMLU-style score, claim support of
    product copy; table + chart."""
    from core.errors import ShopagentError
    from tuning import evaluate as E
    from core.artifacts import choose_planner, tuned_model_dir, tuned_model_ready, tuning_dir, write_choice
    from tuning.data import DataConfig

    s = settings()
    if not embedded:
        raise ShopagentError("tune eval compares the embedded model with its tuned copy: pass --embedded")
    from core.llm.prepare import prepare_embedded_model

    prepare_embedded_model(s.embedded_model_dir, progress=False)
    loaded = E.load_sets(s, sets, beauty or E.BEAUTY_META)
    train_s = None
    if not tuned_model_ready(s):
        if not train_if_missing:
            raise ShopagentError(f"no tuned model at {tuned_model_dir(s)}: run `shopagent tune data` and "
                                 "`shopagent tune train` (or drop --no-train-if-missing)")
        console.print("no tuned model yet: generating data from the eval shops' catalogs and training it")
        out = tuning_dir(s) / "data"
        make_data([(n, c) for n, (c, _) in loaded.items()], out, DataConfig())
        result = run_training(out)
        train_s = result.train_s  # type: ignore[attr-defined]
    if train_s is None:
        train_s = _last_train_s(s)
    mmlu_catalog = loaded["demo"][0] if "demo" in loaded else next(iter(loaded.values()))[0]
    say = lambda m: console.print(m)  # noqa: E731
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
    _table(rows)
    console.print(f"router alone: action {router.action_acc:.3f}, args {router.args_acc:.3f} "
                  f"({router.requests} requests)")
    for g, score in router_groups.items():
        note = {"blind": " (blind: committed before any planner ran on it)",
                "blind1": " (the first blind set: measured once, then used to fix the router)"}.get(g, "")
        console.print(f"{g} requests ({score.requests}){note}: router {score.action_acc:.3f}/{score.args_acc:.3f}, "
                      f"router + tuned model {tuned['groups'][g].action_acc:.3f}/{tuned['groups'][g].args_acc:.3f}")
    console.print(f"the embedded agent plans with: {choice.planner} ({choice.why})")
    report_dir = tuning_dir(s) / "reports"
    chart = _chart(rows, report_dir / "base_vs_tuned.png")
    payload = {
        # base: the router with the base model deciding where it is unsure; tuned: the planner the embedded agent
        # uses after tuning (router + tuned model, or the router alone where that measured as good)
        "base": {"action_acc": base["combined"].action_acc, "args_acc": base["combined"].args_acc,
                 "mmlu_overall": base["mmlu"]["overall"], "claim_support": _claims(base["claim_support"])},
        "tuned": {"action_acc": chosen.action_acc, "args_acc": chosen.args_acc,
                  "mmlu_overall": tuned["mmlu"]["overall"], "planner": choice.planner,
                  "claim_support": _claims(tuned["claim_support"])},
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
    console.print(f"chart: {chart}; details: {report_dir / 'results.json'}")
    if as_json:
        print_json(payload)


def _claims(score: object) -> dict:
    """The JSON's claim-support figures of one model (first drafts, before unsupported claims are removed)."""
    return {k: getattr(score, k) for k in ("rate", "claims", "supported", "described", "products")}


def _last_train_s(s: object) -> float | None:
    from core.artifacts import runs_dir

    runs = sorted(runs_dir(s).glob("*/metrics.json"))  # type: ignore[arg-type]
    for path in reversed(runs):
        try:
            return json.loads(path.read_text()).get("train_s")
        except (OSError, json.JSONDecodeError):
            continue
    return None
