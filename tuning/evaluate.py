"""``shopagent tune eval``: base vs tuned, side by side in one run.

(a) planner accuracy on the hand-written requests (``eval_requests/``: demo requests with the demo catalog, Beauty
requests with the Amazon Beauty catalog), for the planner the embedded agent uses (router + model + catalog
checks), the model alone under the JSON schema, and the router alone; (b) the generated Shopping MMLU-style tasks
(seed 0, the items training never sees); (c) the description claim-support rate (``copy_eval``: the describe
pipeline's first drafts for a seeded product sample). Each model is served by vLLM in turn on a free port.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel, Field

from core.config import EMBEDDED_MODEL_NAME, Settings
from core.errors import ShopagentError
from core.artifacts import TUNED_MODEL_NAME, tuning_dir
from tuning.copy_eval import COPY_PRODUCTS
from tuning.evalset import GROUPS, EvalRequest, eval_set_names, load_requests, score_plan

log = logging.getLogger(__name__)

BEAUTY_META = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "amazon-beauty-2014" / "meta_Beauty.jsonl"
MMLU_PER_TASK = 8


class PlannerScore(BaseModel):
    requests: int
    action_acc: float
    args_acc: float
    per_set: dict[str, dict[str, float]] = Field(default_factory=dict)
    ms_per_plan: float = 0.0
    misses: list[dict[str, Any]] = Field(default_factory=list)


def eval_catalog(settings: Settings, name: str, beauty_meta: Path = BEAUTY_META) -> Any:
    """The catalog an eval set is planned against, written once under ``<data_dir>/tuning/eval-catalogs``."""
    from tools.catalog.store import Catalog, write_catalog

    root = tuning_dir(settings) / "eval-catalogs" / name
    try:
        return Catalog.open(root)
    except ShopagentError:
        pass
    if name == "demo":
        from tools.catalog.demo import generate_demo_catalog

        data = generate_demo_catalog(seed=0, n_products=3000)
    elif name == "beauty":
        if not beauty_meta.is_file():
            raise ShopagentError(f"the Beauty eval set needs {beauty_meta}: pass --beauty PATH or --sets demo")
        from tools.catalog.load import load_catalog

        data = load_catalog("amazon2014", beauty_meta)
    else:
        raise ShopagentError(f"no catalog for the eval set {name!r}: use demo or beauty")
    write_catalog(root, data)
    return Catalog.open(root)


def shown_products(catalog: Any) -> list[Any]:
    """The four products on screen when a request is planned (the same for every planner)."""
    from agent.planners import ShownProduct

    priced = sorted((p for p in catalog.products() if p.price is not None and p.brand), key=lambda p: p.id)[:4]
    return [ShownProduct(position=i, id=p.id, title=p.title, brand=p.brand, price=p.price)
            for i, p in enumerate(priced, 1)]


def score_planner(make: Callable[[str, Any], Any], sets: dict[str, tuple[Any, list[EvalRequest]]],
                  threads: int = 4) -> PlannerScore:
    """Plan every request of every set with ``make(set_name, vocab)`` and score the plans."""
    from agent.planners import PlanContext, Vocabulary

    rows: list[dict[str, Any]] = []
    total_ms = 0.0
    per_set: dict[str, dict[str, float]] = {}
    for name, (catalog, requests) in sets.items():
        vocab = Vocabulary.from_catalog(catalog)
        planner = make(name, vocab)
        shown = shown_products(catalog)

        def one(r: EvalRequest) -> dict[str, Any]:
            result = planner.plan(r.message, PlanContext(history=r.history, shown=shown))
            args = result.action.contract_args()
            ok_a, ok_g, diffs = score_plan(r, result.action.action, args)
            return {"set": name, "message": r.message, "action": result.action.action, "args": args,
                    "ok_action": ok_a, "ok_args": ok_g, "diffs": diffs, "ms": result.model_ms}

        with ThreadPoolExecutor(threads) as pool:
            done = list(pool.map(one, requests))
        rows += done
        total_ms += sum(d["ms"] for d in done)
        per_set[name] = {"action_acc": round(sum(d["ok_action"] for d in done) / len(done), 4),
                         "args_acc": round(sum(d["ok_args"] for d in done) / len(done), 4), "n": len(done)}
    n = max(len(rows), 1)
    return PlannerScore(requests=len(rows), action_acc=round(sum(r["ok_action"] for r in rows) / n, 4),
                        args_acc=round(sum(r["ok_args"] for r in rows) / n, 4), per_set=per_set,
                        ms_per_plan=round(total_ms / n, 1),
                        misses=[r for r in rows if not r["ok_args"]])


def load_sets(settings: Settings, names: list[str] | None, beauty_meta: Path, group: str = "eval",
              ) -> dict[str, tuple[Any, list]]:
    names = names or eval_set_names()
    return {n: (eval_catalog(settings, n, beauty_meta), load_requests(n, group)) for n in names}


def other_groups(sets: dict[str, tuple[Any, list]]) -> dict[str, dict[str, tuple[Any, list]]]:
    """The dev, check and both blind request groups for the same catalogs as ``sets`` (each reported on its own)."""
    return {g: {n: (catalog, load_requests(n, g)) for n, (catalog, _) in sets.items()}
            for g in GROUPS if g != "eval"}


def mmlu_score(endpoint: Any, catalog: Any, reports: Path, per_task: int = MMLU_PER_TASK) -> dict[str, Any]:
    """The generated Shopping MMLU-style tasks (seed 0) for the served model: overall and per skill."""
    from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
    from evals.shopping_mmlu.suite import run_suite

    questions = generate_tasks(CatalogSnapshot.from_catalog(catalog), seed=0, per_task=per_task)
    result, _, out_dir = run_suite(questions, endpoint, reports, dataset="demo catalog, seed 0", fresh=True)
    return {"overall": round(result.overall, 4), "per_skill": {k: round(v, 4) for k, v in result.per_skill.items()},
            "per_task": {k: round(v, 4) for k, v in result.per_task.items()}, "questions": result.questions,
            "report": str(out_dir)}


@contextmanager
def serve(model_dir: Path, name: str, settings: Settings, ready_timeout_s: float = 1800.0) -> Iterator[Any]:
    """A vLLM server for ``model_dir`` on a free port (a busy 2-core machine can take many minutes to start it)."""
    from core.llm.serve import ServerSpec, VLLMServer, free_port

    spec = ServerSpec(model_dir=model_dir, served_name=name, port=free_port(),
                      max_model_len=settings.llm_max_model_len, tool_parser=None)
    server = VLLMServer(spec, settings.logs_dir / f"vllm-tune-{name}-{spec.port}.log")
    server.start()
    try:
        server.wait_ready(timeout_s=ready_timeout_s)
        yield server
    finally:
        server.stop()


def evaluate_model(model_dir: Path, name: str, settings: Settings, sets: dict[str, tuple[Any, list]],
                   mmlu_catalog: Any, say: Callable[[str], None], per_task: int = MMLU_PER_TASK,
                   extra: dict[str, dict[str, tuple[Any, list]]] | None = None,
                   copy_products: int = COPY_PRODUCTS) -> dict[str, Any]:
    """Serve one model and measure: combined planner, the model alone, the Shopping MMLU-style tasks, the claim
    support of its product copy on ``copy_products`` seeded products of ``mmlu_catalog`` (and the combined planner
    on the ``extra`` request groups)."""
    from core.llm.client import Endpoint, check_health, openai_client
    from tuning.copy_eval import claim_support
    from agent.planners.tuned import ModelOnlyPlanner, TunedRouterPlanner

    say(f"serving {name} from {model_dir} ...")
    with serve(model_dir, name, settings) as server:
        endpoint = check_health(Endpoint(base_url=server.spec.base_url, model=name))
        client = openai_client(endpoint)
        say(f"{name}: planning the hand-written requests (router + model) ...")
        combined = score_planner(lambda _n, vocab: TunedRouterPlanner(client, name, vocab), sets)
        groups = {g: score_planner(lambda _n, vocab: TunedRouterPlanner(client, name, vocab), gs)
                  for g, gs in (extra or {}).items()}
        say(f"{name}: planning with the model alone (JSON schema) ...")
        alone = score_planner(lambda _n, vocab: ModelOnlyPlanner(client, name, vocab), sets)
        say(f"{name}: Shopping MMLU-style tasks ...")
        mmlu = mmlu_score(endpoint, mmlu_catalog, tuning_dir(settings) / "reports", per_task=per_task)
        say(f"{name}: product copy for {copy_products} products (claim check of the first drafts) ...")
        copy = claim_support(endpoint, mmlu_catalog, n=copy_products)
    return {"combined": combined, "alone": alone, "mmlu": mmlu, "groups": groups, "claim_support": copy}


def router_only(sets: dict[str, tuple[Any, list]]) -> PlannerScore:
    from agent.planners.rules import RulePlanner

    return score_planner(lambda _n, vocab: RulePlanner(vocab), sets)


BASE_NAME = EMBEDDED_MODEL_NAME
TUNED_NAME = TUNED_MODEL_NAME
