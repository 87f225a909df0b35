"""``shopagent bench planner``: the agent's planner on every request set of the project, one figure per set.

Each set is planned against its catalog (``tuning.evaluate.eval_catalog``) with four products shown, as
``shopagent agent plan`` plans; ``held_out`` marks the sets no rule or example was written from
(``tuning.evalset.HELD_OUT``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from core.config import Settings
from tuning.evalset import GROUPS, HELD_OUT, eval_set_names, load_requests


class GroupScore(BaseModel):
    n: int
    action_acc: float
    args_acc: float
    held_out: bool


class PlannerBench(BaseModel):
    planner: str
    groups: dict[str, GroupScore]
    held_out_n: int
    misses: list[dict[str, Any]]


def run_planner_bench(settings: Settings) -> PlannerBench:
    """Plan every request of every set with the planner ``settings.planner`` names (no LLM: the rule planner)."""
    from agent.planners import make_planner
    from tuning.evaluate import eval_catalog, score_planner

    groups: dict[str, GroupScore] = {}
    misses: list[dict[str, Any]] = []
    name = "rules"
    for group in GROUPS:
        for set_name in eval_set_names():
            requests = load_requests(set_name, group)
            if not requests:
                continue
            catalog = eval_catalog(settings, set_name)

            def make(_n: str, vocab: Any) -> Any:
                nonlocal name
                planner = make_planner(settings.planner, vocab)
                name = planner.name
                return planner

            score = score_planner(make, {set_name: (catalog, requests)})
            groups[f"{group}/{set_name}"] = GroupScore(n=score.requests, action_acc=score.action_acc,
                                                      args_acc=score.args_acc, held_out=HELD_OUT[group])
            misses += [{"group": f"{group}/{set_name}", "message": m["message"], "action": m["action"],
                        "args": m["args"], "diffs": m["diffs"]} for m in score.misses]
    return PlannerBench(planner=name, groups=groups, misses=misses,
                        held_out_n=sum(g.n for g in groups.values() if g.held_out))
