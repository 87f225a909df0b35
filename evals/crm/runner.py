"""``run_crm_eval``: make (or reuse) the org, generate the tasks, run the agent k times per task, score, report.

Results go into the shared report format (``evals.report``): one ``TaskScore`` per task type (skill = CRMArena
persona), so the CRM suite lands on the same leaderboard as Shopping MMLU.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from evals.crm.agent import CrmAgent, Mode
from evals.crm.generate import OrgSizeName, generate_org
from evals.crm.scoring import pass_hat_k, score
from evals.crm.tasks import PERSONA, TASK_TYPES, CrmTask, spread, tasks_for_org
from evals.crm.tools import Org
from evals.report import SuiteResult, TaskScore, model_report_dir, write_report
from core.config import Settings
from core.errors import ShopagentError
from core.llm.client import Endpoint, async_openai_client

log = logging.getLogger(__name__)

SUITE = "crm"
CRMARENA_HEADLINE = "CRMArena (original org): best agent 57.7% with ReAct, 64.3% with function calling"


class Attempt(BaseModel):
    task_id: str
    type: str
    trial: int
    reply: str | None
    extracted: str
    answer: str | None
    score: float
    turns: int
    tool_calls: int
    error: str | None = None
    seconds: float


def shop_products(settings: Settings) -> tuple[list, str]:
    """The shop's catalog products, or (no catalog loaded) the seeded demo catalog's."""
    from tools.catalog.store import Catalog

    try:
        return Catalog.open(settings.data_dir).products(), "catalog"
    except ShopagentError:
        from tools.catalog.demo import generate_demo_catalog

        return generate_demo_catalog(seed=0, n_products=300).products, "demo catalog (seed 0)"


def org_path(settings: Settings, seed: int, size: str) -> Path:
    return settings.data_dir / "crm" / f"org-{size}-seed{seed}.sqlite"


def ensure_org(settings: Settings, seed: int = 0, size: OrgSizeName = "small", fresh: bool = False) -> Path:
    path = org_path(settings, seed, size)
    if fresh or not path.is_file():
        products, source = shop_products(settings)
        log.info("generating the CRM org from the %s", source)
        generate_org(path, products, seed=seed, size=size)
    return path


async def _run_all(agent: CrmAgent, tasks: list[CrmTask], trials: int, concurrency: int,
                   on_done: Callable[[int], None] | None) -> list[Attempt]:
    sem = asyncio.Semaphore(concurrency)

    async def one(task: CrmTask, trial: int) -> Attempt:
        async with sem:
            t0 = time.perf_counter()
            state = await agent.run(task.type, task.context, task.query)
            reply = state.get("answer")
            value, extracted = score(reply, task.answer, task.kind, task.metric)
            if on_done:
                on_done(1)
            return Attempt(task_id=task.id, type=task.type, trial=trial, reply=reply, extracted=extracted,
                           answer=task.answer, score=value, turns=state.get("turns", 0),
                           tool_calls=state.get("tool_calls", 0), error=state.get("error"),
                           seconds=round(time.perf_counter() - t0, 3))

    return list(await asyncio.gather(*(one(t, k) for k in range(trials) for t in tasks)))


def summarise(tasks: list[CrmTask], attempts: list[Attempt], trials: int, model: str, seconds: float, mode: str,
              dataset: str) -> tuple[SuiteResult, dict[str, float]]:
    scores: list[TaskScore] = []
    pass_k: dict[str, float] = {}
    for ttype in TASK_TYPES:
        mine = [a for a in attempts if a.type == ttype]
        if not mine:
            continue
        metric = "token_f1" if ttype == "knowledge_qa" else "exact_match"
        threshold = 0.5 if metric == "token_f1" else 1.0
        successes = [sum(a.score >= threshold for a in mine if a.task_id == t.id) for t in tasks if t.type == ttype]
        pass_k[ttype] = round(pass_hat_k(successes, trials, trials), 4)
        scores.append(TaskScore(task=ttype, skill=PERSONA[ttype], metric=metric,
                                score=round(sum(a.score for a in mine) / len(mine), 4), n=len(mine),
                                answered=sum(a.reply is not None for a in mine), task_type=mode))
    notes = [f"mode {mode}, {trials} trial(s) per task; pass^{trials} per type: {json.dumps(pass_k)}",
             f"{sum(a.error is not None for a in attempts)} episodes ended on a model error; "
             f"mean {sum(a.turns for a in attempts) / max(1, len(attempts)):.1f} turns, "
             f"{sum(a.tool_calls for a in attempts) / max(1, len(attempts)):.1f} tool calls", CRMARENA_HEADLINE]
    result = SuiteResult.from_tasks(SUITE, model, scores, seconds, dataset=dataset, notes=notes)
    return result, pass_k


def run_crm_eval(settings: Settings, endpoint: Endpoint, reports: Path, *, task_types: list[str] | None = None,
                 trials: int = 1, limit: int | None = None, mode: Mode = "react", seed: int = 0,
                 size: OrgSizeName = "small", concurrency: int = 8, max_turns: int = 20,
                 context_tokens: int | None = None, on_done: Callable[[int], None] | None = None) -> dict:
    """Run the suite against ``endpoint``; write the report folder; return the figures of ``--json``."""
    if trials < 1:
        raise ShopagentError("--trials must be at least 1")
    unknown = set(task_types or []) - set(TASK_TYPES)
    if unknown:
        raise ShopagentError(f"unknown task type(s) {', '.join(sorted(unknown))}: use all or {', '.join(TASK_TYPES)}")
    path = ensure_org(settings, seed=seed, size=size)
    tasks = spread(tasks_for_org(path, seed=seed), limit, task_types)
    client = async_openai_client(endpoint)
    agent = CrmAgent(Org(path), client, endpoint.model or "", mode=mode, max_turns=max_turns,
                     context_tokens=context_tokens or settings.llm_max_model_len)
    t0 = time.perf_counter()
    attempts = asyncio.run(_run_all(agent, tasks, trials, concurrency, on_done))
    seconds = time.perf_counter() - t0
    model = endpoint.model or "unknown"
    # one leaderboard row per model and mode: the modes measure different abilities
    result, pass_k = summarise(tasks, attempts, trials, f"{model} [{mode}]", seconds, mode, dataset=str(path.name))
    out_dir = write_report(result, model_report_dir(reports, SUITE, f"{model}-{mode}"))
    with (out_dir / "attempts.jsonl").open("w", encoding="utf-8") as f:
        for a in attempts:
            f.write(a.model_dump_json() + "\n")
    return {"tasks": len(tasks), "trials": trials, "mode": mode, "model": model, "per_task": result.per_task,
            "per_skill": result.per_skill, "overall": round(result.overall, 4), f"pass^{trials}": pass_k,
            "errors": sum(a.error is not None for a in attempts), "seconds": round(seconds, 1),
            "report": str(out_dir)}
