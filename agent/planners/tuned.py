"""The tuned planner: the rule router proposes, the tuned model (JSON-schema constrained) decides where the router
is unsure (no rule on unambiguous words fired and its nearest-neighbour vote is split), and the catalog checks
validate. Implements ``agent.planners.Planner``.

Why both: on the hand-written set the router (nearest labelled examples + regular expressions + the catalog's
vocabulary) and the tuned 135M model fail on different requests. Prices and positions come from the router's
regular expressions when it found any (deterministic), brands and categories only as the catalog spells them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from agent.actions import ActionArgs, NextAction
from agent.planners.base import PlanContext, PlanResult, Planner, validate_plan
from agent.planners.llm_common import ACTION_SCHEMA, parse_action
from agent.planners.vocab import Vocabulary
from agent.planners import tuned_prompt as P

log = logging.getLogger(__name__)

SURE_SHARE = 0.75  # the router's top action holds at least this share of its neighbours' vote: no model call


class TunedRouterPlanner:
    """Router + tuned model + catalog checks (the agent's `tuned` planner)."""

    name = "tuned"

    def __init__(self, client: Any, model: str, vocab: Vocabulary, fallback: Planner | None = None,
                 max_tokens: int = 80, always_ask: bool = False) -> None:
        from agent.planners.rules import RulePlanner

        self.client = client
        self.model = model
        self.vocab = vocab
        self.router = fallback if fallback is not None and hasattr(fallback, "index") else RulePlanner(vocab)
        self.max_tokens = max_tokens
        self.always_ask = always_ask

    # --- the model ---
    def ask_model(self, message: str, context: PlanContext) -> NextAction:
        lines = [P.shown_line(p.position, p.title, p.brand, p.price) for p in context.shown]
        response = self.client.chat.completions.create(
            model=self.model, messages=P.planner_messages(message, lines, context.history[-2:]), temperature=0.0,
            max_tokens=self.max_tokens,
            response_format={"type": "json_schema",
                             "json_schema": {"name": "next_action", "schema": ACTION_SCHEMA, "strict": True}},
        )
        return parse_action(response.choices[0].message.content or "", source="tuned")

    # --- the combination ---
    def router_share(self, message: str) -> tuple[dict[str, float], float]:
        votes, _ = self.router.index.scores(message)
        total = sum(votes.values()) or 1.0
        return votes, max(votes.values(), default=0.0) / total

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        from agent.planners.slots import parse_slots

        start = time.perf_counter()
        routed = self.router.plan(message, context)
        votes, share = self.router_share(message)
        ruled = any(n.startswith("rule:") for n in routed.notes)
        notes = [f"router {routed.action.action} (share {share:.2f})"] + routed.notes
        sure = (share >= SURE_SHARE or ruled) and not self.always_ask
        if sure:  # a rule on unambiguous words, or a clear vote: no model call
            return PlanResult(action=routed.action.model_copy(update={"source": "rules"}), model_ms=routed.model_ms,
                              notes=notes)
        try:
            proposed = self.ask_model(message, context)
        except Exception as exc:  # noqa: BLE001 - a failing model leaves the router's plan
            notes.append(f"tuned model failed: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}")
            return PlanResult(action=routed.action, model_ms=(time.perf_counter() - start) * 1000, notes=notes)
        notes.append(f"model {proposed.action}")
        n_shown = len(context.shown)
        slots = parse_slots(message, self.vocab, n_shown)
        action = proposed.action if plausible(proposed, slots, n_shown) else routed.action.action
        if action != proposed.action:
            notes.append(f"model's {proposed.action} lacks what it needs: router's {action}")
        # the model's answer takes the place of the router's vote; the router's rules still apply to it
        action, rule = self.router.decide(action, message, slots, n_shown, votes)
        if rule:
            notes.append(f"rule: {rule} -> {action}")
        args = merge_args(action, routed.action.args if routed.action.action == action else ActionArgs(),
                          proposed.args, slots, n_shown)
        plan = validate_plan(NextAction(action=action, args=args, source="tuned"), self.vocab, n_shown)
        return PlanResult(action=plan, model_ms=(time.perf_counter() - start) * 1000, notes=notes)


def plausible(proposed: NextAction, slots: Any, n_shown: int) -> bool:
    """Whether the message holds what the model's action needs: products on screen for the actions on them, a
    position for similar/describe, two positions (or "all of them") for compare, a filter for refine."""
    action, args = proposed.action, proposed.args
    if action in ("similar", "describe", "compare", "refine") and not n_shown:
        return False
    if action in ("similar", "describe"):
        return bool(slots.positions)
    if action == "compare":
        return len(slots.positions) >= 2 or slots.all_shown
    if action == "refine":
        return bool(slots.brand or slots.min_price is not None or slots.max_price is not None or slots.cheaper
                    or args.cheaper or args.min_price is not None or args.max_price is not None)
    return True


def merge_args(action: str, routed: ActionArgs, model: ActionArgs, slots: Any, n_shown: int) -> ActionArgs:
    """Arguments for ``action``: the router's regular-expression slots first, the model's where they are empty."""
    def pick(name: str, slot_value: Any) -> Any:
        if slot_value not in (None, [], "", False):
            return slot_value
        value = getattr(routed, name)
        return value if value not in (None, [], "") else getattr(model, name)

    # prices are one reading of the message: the regular expressions' pair when they found either bound ("at
    # least $60" is no maximum), else the model's
    found = slots.min_price is not None or slots.max_price is not None
    lo, hi = (slots.min_price, slots.max_price) if found else (model.min_price, model.max_price)
    if action == "search":
        return ActionArgs(query=routed.query or model.query or slots.query or None,
                          brand=pick("brand", slots.brand), category=pick("category", slots.category),
                          min_price=lo, max_price=hi)
    if action == "refine":
        return ActionArgs(brand=pick("brand", slots.brand), min_price=lo, max_price=hi,
                          cheaper=bool(slots.cheaper or routed.cheaper or model.cheaper) or None)
    if action in ("similar", "describe"):
        return ActionArgs(item=slots.positions[0] if slots.positions else (routed.item or model.item))
    if action == "compare":
        if len(slots.positions) >= 2:
            items = slots.positions
        elif slots.all_shown:
            items = list(range(1, n_shown + 1))
        else:
            items = model.items or routed.items
        return ActionArgs(items=items)
    if action == "recommend":
        return ActionArgs(user_id=slots.user_id)
    return ActionArgs()


class ModelOnlyPlanner(TunedRouterPlanner):
    """The served model alone under the JSON schema (catalog checks still apply): the base-vs-tuned comparison."""

    name = "model"

    def plan(self, message: str, context: PlanContext) -> PlanResult:
        start = time.perf_counter()
        try:
            action = self.ask_model(message, context)
        except Exception as exc:  # noqa: BLE001 - an unusable answer counts as chat
            return PlanResult(action=NextAction(action="chat", source="model"),
                              model_ms=(time.perf_counter() - start) * 1000, notes=[str(exc)[:120]])
        return PlanResult(action=validate_plan(action, self.vocab, len(context.shown)),
                          model_ms=(time.perf_counter() - start) * 1000)
