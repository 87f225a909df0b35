"""``run_converse``: the simulated shoppers against the agent (signed in, anonymous, ablations) and the baselines,
on the same shoppers, in one run.

What is shown does not depend on the reply text: the planner and the tools decide the products. So by default a
turn runs the graph with template replies (no reply model): the shown products are those the full agent shows for
the same planner. ``replies=True`` runs the reply model too (slower; the figures should not move). Conversations of
different shoppers run concurrently (a thread pool: the encoder and the numpy scoring release the GIL).
"""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from pydantic import BaseModel, Field

from core.config import Settings
from evals.converse.data import Shopper, draw_shoppers, ensure_shop
from evals.converse.metrics import Figures, figures
from evals.converse.simulator import Record, RuleShopper, TitleWords, everyday_category, static_cues

log = logging.getLogger(__name__)

SHOWN = 4  # products on screen per answer (the agent shows 4): every baseline is its top-4
BASELINES = ("recommender", "first_search", "all_cues_search", "anonymous")


@dataclass(frozen=True)
class Arm:
    """One way of serving the shopper: the agent signed in or not, with its shopper-aware steps on or off."""

    name: str
    signed_in: bool = True
    options: dict[str, bool] = field(default_factory=dict)  # AgentDeps flags (ablations)


AGENT = Arm("agent")
ANONYMOUS = Arm("anonymous", signed_in=False)


class Conversation(BaseModel):
    """One shopper's conversation with one arm: what was said, what was shown, the turn of the hit."""

    user_id: str
    target: str
    arm: str
    hit: int | None
    said: list[str]
    shown: list[list[str]]
    actions: list[str]


class ConverseResult(BaseModel):
    """What ``--json`` prints (``agent``, ``baselines``, ``ablations``, ``shoppers``, ``seconds``, ...)."""

    agent: Figures
    baselines: dict[str, Figures]
    ablations: dict[str, Figures] = Field(default_factory=dict)
    shoppers: int
    turns: int
    seed: int
    seconds: float
    simulator: str
    planner: str
    replies: str = Field(description="'templates' (the reply model was skipped: shown products do not depend on "
                                     "the reply text) or the reply model's name.")
    workers: int
    notes: list[str] = Field(default_factory=list)
    hit_by_turn: dict[str, list[float]] = Field(default_factory=dict, description="hit@k by turn, every arm.")


def make_shopper(kind: str, target: Record, words: TitleWords, seed: int, llm: Any = None) -> Any:
    if kind == "rule":
        return RuleShopper(target, words, seed)
    from evals.converse.llm_simulator import LLMShopper

    return LLMShopper(target, llm, words, seed=seed)


def converse(runtime: Any, shopper: Any, target: str, records: Callable[[Sequence[str]], list[Record]],
             user_id: str | None, arm: str, turns: int) -> Conversation:
    """Up to ``turns`` turns: the shopper speaks, the agent answers; a hit when the target is on screen."""
    thread = f"converse-{arm}-{uuid.uuid4().hex}"
    said, shown, actions, hit = [], [], [], None
    cue = shopper.opening()
    for turn in range(1, turns + 1):
        said.append(cue.text)
        result = runtime.run_turn(thread, cue.text, user_id=user_id)
        ids = [p.id for p in result.products][:SHOWN]
        shown.append(ids)
        actions.append(result.action)
        if target in ids:
            hit = turn
            break
        if turn < turns:
            cue = shopper.next_cue(records(ids), turn)
    return Conversation(user_id=user_id or "", target=target, arm=arm, hit=hit, said=said, shown=shown,
                        actions=actions)


def all_cues_args(target: Record, words: TitleWords, turns: int) -> dict[str, Any]:
    """Every static cue the shopper would give over ``turns`` turns, as one query with filters."""
    args: dict[str, Any] = {"query": everyday_category(target.categories)}
    extra = []
    for cue in static_cues(target, words)[: max(turns - 1, 0)]:
        if cue.kind == "brand":
            args["brand"] = cue.value
        elif cue.kind == "band":
            lo, hi = cue.value
            args["min_price"] = lo or None
            args["max_price"] = hi
        else:
            extra.append(cue.value)
    args["query"] = " ".join([*extra, args["query"]])
    return {k: v for k, v in args.items() if v is not None}


def _ids(outcome: Any) -> list[str]:
    return [h.id for h in outcome.output.products][:SHOWN] if outcome.ok and outcome.output else []


def baseline_hits(registry: Any, shopper: Shopper, target: Record, words: TitleWords, opening: str,
                  turns: int) -> dict[str, int | None]:
    """The one-shot baselines for one shopper: 1 when the target is in their top-4, else a miss."""
    rec = registry.call("recommend_for_user", {"user_id": shopper.user_id, "k": SHOWN})
    first = registry.call("search_products", {"query": opening, "k": SHOWN})
    cues = registry.call("search_products", {**all_cues_args(target, words, turns), "k": SHOWN})
    return {name: 1 if shopper.target in _ids(out) else None
            for name, out in (("recommender", rec), ("first_search", first), ("all_cues_search", cues))}


def run_converse(settings: Settings, *, users: int = 500, turns: int = 5, seed: int = 0, endpoint: Any = None,
                 replies: bool = False, simulator: str = "rule", simulator_llm: Any = None,
                 ablations: Sequence[Arm] = (), workers: int = 4, source: Any = None, build: dict | None = None,
                 say: Callable[[str], None] = log.info, on_done: Callable[[int], None] | None = None
                 ) -> tuple[ConverseResult, list[Conversation]]:
    """Build (or reuse) the Beauty shop, draw ``users`` shoppers, run every arm and baseline on them."""
    from agent.runtime import AgentRuntime
    from shopagent.services import Services

    directory, everyone = ensure_shop(settings, source, say=say, **(build or {}))
    chosen = draw_shoppers(everyone, users, seed)
    local = settings.model_copy(update={"data_dir": directory, "chroma_path": None, "checkpoint_url": None})
    started = time.perf_counter()
    with ExitStack() as stack:
        services = stack.enter_context(Services(local, endpoint=endpoint))
        catalog = services.catalog
        words = TitleWords(catalog.frame()["title"].fillna("").tolist())
        targets = {s.user_id: Record.of(catalog.get(s.target)) for s in chosen}

        def records(ids: Sequence[str]) -> list[Record]:
            return [Record.of(p) for p in catalog.get_many(list(ids))] if ids else []

        base = stack.enter_context(AgentRuntime.open(
            local, services.tools(), endpoint if replies else None, checkpoint_uri="memory://",
            embedder=services.encoder(), planner=_planner(local, services, endpoint), temperature=0.0))
        arms = [AGENT, ANONYMOUS, *ablations]
        runtimes = {arm.name: _variant(base, arm) for arm in arms}
        hits: dict[str, list[int | None]] = {name: [] for name in [*BASELINES, *(a.name for a in arms)]}
        logs: list[Conversation] = []

        def one(shopper: Shopper) -> tuple[dict[str, int | None], list[Conversation]]:
            target = targets[shopper.user_id]
            opening = make_shopper(simulator, target, words, seed, simulator_llm).opening().text
            out = baseline_hits(base.deps.registry, shopper, target, words, opening, turns)
            talks = []
            for arm in arms:
                sim = make_shopper(simulator, target, words, seed, simulator_llm)
                talk = converse(runtimes[arm.name], sim, shopper.target, records,
                                shopper.user_id if arm.signed_in else None, arm.name, turns)
                out[arm.name] = talk.hit
                talks.append(talk)
            if on_done:
                on_done(1)
            return out, talks

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="shopper") as pool:
            for out, talks in pool.map(one, chosen):
                for name, h in out.items():
                    hits[name].append(h)
                logs += talks
        planner = base.deps.planner.name
    seconds = round(time.perf_counter() - started, 1)
    figs = {name: figures(h, turns, seed) for name, h in hits.items()}
    notes = []
    if not replies:
        notes.append("reply model skipped: the planner and the tools decide what is shown, the reply text does not; "
                     "--replies runs the reply model as well")
    result = ConverseResult(
        agent=figs["agent"], baselines={b: figs[b] for b in BASELINES},
        ablations={a.name: figs[a.name] for a in ablations}, shoppers=len(chosen), turns=turns, seed=seed,
        seconds=seconds, simulator=simulator if simulator == "rule" else f"llm:{getattr(simulator_llm, 'model_name', '') or 'scripted'}",
        planner=planner, replies=(getattr(endpoint, "model", None) or "?") if replies else "templates",
        workers=workers, notes=notes, hit_by_turn={name: f.hit_at for name, f in figs.items()})
    return result, logs


def _planner(settings: Settings, services: Any, endpoint: Any) -> Any:
    """The planner the served model gets (the rule planner on the embedded default, and with no model)."""
    from agent.planners import Vocabulary, make_planner

    return make_planner(settings.planner, Vocabulary.from_catalog(services.catalog), endpoint=endpoint,
                        embedder=services.encoder())


def _variant(base: Any, arm: Arm) -> Any:
    """A runtime over ``base``'s engines and checkpointer with ``arm``'s agent options."""
    import dataclasses

    from agent.runtime import AgentRuntime

    if not arm.options:
        return base
    deps = dataclasses.replace(base.deps, **arm.options)
    return AgentRuntime(deps, base.checkpointer, base.locks)


class Ablations:
    """The agent's shopper-aware steps, each switched off in an arm of its own."""

    def __init__(self, arms: Sequence[Arm]) -> None:
        self.arms = {a.name: a for a in arms}

    def select(self, spec: str) -> list[Arm]:
        """``all``, ``none`` or comma-separated names."""
        from core.errors import ShopagentError

        spec = spec.strip()
        if spec == "all":
            return list(self.arms.values())
        if spec in ("none", ""):
            return []
        names = [n.strip() for n in spec.split(",") if n.strip()]
        unknown = [n for n in names if n not in self.arms]
        if unknown:
            raise ShopagentError(f"unknown ablation(s) {', '.join(unknown)}: use all, none or "
                                 f"{', '.join(self.arms) or '(none defined)'}")
        return [self.arms[n] for n in names]


ABLATIONS = Ablations([
    Arm("no_shopper_rank", options={"shopper_rank": False}),  # search ranked by text relevance alone
    Arm("no_rejected_memory", options={"reject_memory": False}),  # shown-and-not-taken may be shown again
    Arm("no_carried_filters", options={"carry_filters": False}),  # a new search forgets the need said before
    Arm("no_title_neighbours", options={"title_neighbours": False}),  # "more like [n]" by look-alikes alone
])
