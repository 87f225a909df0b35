"""act: run the plan's tools, update the candidate set and constraints, collect the facts the answer may use."""

from __future__ import annotations

import logging
from typing import Any

from langgraph.config import get_stream_writer

from agent.deps import AgentDeps
from agent.facts import SHOWN, product_facts
from agent.state import AgentState
from agent.toolbox import ToolOutcome

log = logging.getLogger(__name__)
POOL = 12  # candidates kept for follow-ups (shown: the first SHOWN)


def _call(deps: AgentDeps, name: str, args: dict[str, Any], trace: list[dict], emit: Any) -> ToolOutcome:
    emit({"type": "tool_start", "tool": name, "args": args})
    outcome = deps.registry.call(name, args)
    ids = [h.id for h in outcome.output.products] if outcome.output else []
    trace.append({"name": name, "args": outcome.args, "ok": outcome.ok, "error": outcome.error,
                  "ms": round(outcome.ms, 3), "product_ids": ids[:SHOWN]})
    emit({"type": "tool_end", "tool": name, "ok": outcome.ok, "ms": outcome.ms, "error": outcome.error})
    return outcome


def _candidates(outcome: ToolOutcome) -> list[dict]:
    return [{"id": h.id, "score": h.score, "why": h.why} for h in outcome.output.products[:POOL]]


def _facts_for(deps: AgentDeps, cands: list[dict], positions: list[int] | None = None) -> list[dict]:
    out = []
    for i, c in enumerate(cands[:SHOWN] if positions is None else cands, start=1):
        pos = positions[i - 1] if positions else i
        out.append(product_facts(deps.catalog.get(c["id"]), pos, c.get("why", "")))
    return out


def _matches(deps: AgentDeps, pid: str, c: dict[str, Any]) -> bool:
    p = deps.catalog.get(pid)
    if c.get("brand") and (p.brand or "").lower() != c["brand"].lower():
        return False
    if c.get("max_price") is not None and (p.price is None or p.price > c["max_price"]):
        return False
    if c.get("min_price") is not None and (p.price is None or p.price < c["min_price"]):
        return False
    return True


def act(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    turn = state["turn"]
    plan = turn["plan"]
    action, args = plan["action"], plan.get("args", {})
    cands = list(state.get("candidates", []))
    constraints = dict(state.get("constraints", {}))
    user_id = args.get("user_id") or state.get("user_id")
    trace: list[dict] = []
    emit = get_stream_writer()
    facts: dict[str, Any] = {}
    update: dict[str, Any] = {}

    def pick(position: int | None) -> dict | None:
        position = position or 1
        return cands[position - 1] if 0 < position <= min(len(cands), SHOWN) else None

    if action == "search" or (action == "refine" and not cands):
        constraints = {k: args.get(k) for k in ("query", "brand", "category", "min_price", "max_price")}
        if action == "refine":  # nothing to refine: search with what was said
            constraints["query"] = state["message"]
        out = _call(deps, "search_products", {**constraints, "query": constraints.get("query") or "", "k": POOL},
                    trace, emit)
        if out.ok and out.output.products:
            cands = _candidates(out)
            facts["note"] = out.output.message
        elif out.ok:  # nothing matches: say so, keep the earlier products for follow-ups
            constraints = dict(state.get("constraints", {}))
            facts["products"] = []
            facts["note"] = out.output.message or ("Nothing in this shop matches that. Try other words, a brand, "
                                                   "or a wider price range.")
    elif action == "refine":
        for key in ("brand", "min_price", "max_price"):
            if args.get(key) is not None:
                constraints[key] = args[key]
        shown_prices = [p for p in (deps.catalog.get(c["id"]).price for c in cands[:SHOWN]) if p is not None]
        if args.get("cheaper") and shown_prices:  # cheaper than what is on screen (its average when nothing is
            cheaper_than = min(shown_prices) if min(shown_prices) < max(shown_prices) else shown_prices[0]
            constraints["max_price"] = round(cheaper_than - 0.01, 2)
        kept = [c for c in cands if _matches(deps, c["id"], constraints)]
        trace.append({"name": "filter_candidates", "args": {k: v for k, v in constraints.items() if v is not None},
                      "ok": True, "error": None, "ms": 0.0, "product_ids": [c["id"] for c in kept[:SHOWN]]})
        if len(kept) >= SHOWN:
            cands = kept
        else:  # too few left on screen: search again with the same words and the narrowed filters
            out = _call(deps, "search_products", {**{k: v for k, v in constraints.items()
                                                     if k in ("query", "brand", "category", "min_price", "max_price")},
                                                  "query": constraints.get("query") or "", "k": POOL}, trace, emit)
            if out.ok and not out.output.products and args.get("cheaper") and shown_prices:
                # nothing cheaper than the cheapest: below the average of what is on screen instead
                constraints["max_price"] = round(sum(shown_prices) / len(shown_prices) - 0.01, 2)
                out = _call(deps, "search_products", {**{k: v for k, v in constraints.items() if k in (
                    "query", "brand", "category", "min_price", "max_price")}, "query": constraints.get("query") or "",
                    "k": POOL}, trace, emit)
            if out.ok and out.output.products:
                cands = _candidates(out)
                facts["note"] = out.output.message
            elif out.ok:  # nothing matches: keep what is on screen and the constraints it was found with
                constraints = dict(state.get("constraints", {}))
                facts["products"] = []
                facts["note"] = "Nothing in the shop matches that; the earlier products are still on screen."
    elif action == "recommend":
        out = _call(deps, "recommend_for_user", {"user_id": user_id, "k": POOL}, trace, emit)
        if out.ok:
            cands = _candidates(out)
            facts["note"] = out.output.message
            update["user_id"] = user_id
    elif action == "similar":
        anchor = pick(args.get("item"))
        if anchor is None:
            facts["note"] = "There is no product on screen to find similar ones to: search first."
        else:
            out = _call(deps, "similar_items", {"item_id": anchor["id"], "k": POOL}, trace, emit)
            if out.ok:
                cands = _candidates(out)
    elif action == "describe":
        position = args.get("item") or 1
        target = pick(position)
        if target is None:
            facts["note"] = "There is no such product on screen: search first."
        else:
            out = _call(deps, "describe_item", {"item_id": target["id"]}, trace, emit)
            if out.ok:
                facts["products"] = _facts_for(deps, [target], [position])
                facts["description"] = out.output.text
                facts["about"] = (out.output.data or {}).get("about", "")
    elif action == "compare":
        positions = [p for p in (args.get("items") or [1, 2]) if pick(p) is not None]
        if len(positions) < 2:
            facts["note"] = "Comparing needs two products on screen: search first."
        else:
            chosen = [pick(p) for p in positions]
            out = _call(deps, "compare_items", {"item_ids": [c["id"] for c in chosen]}, trace, emit)
            if out.ok:
                facts["products"] = _facts_for(deps, chosen, positions)
                facts["comparison"] = {k: out.output.data[k] for k in ("columns", "rows", "cheapest", "best_rated")}

    failed = [t for t in trace if not t["ok"]]
    if failed:
        facts["error"] = failed[-1]["error"]
    elif action in ("search", "refine", "recommend", "similar") and "products" not in facts:
        facts["products"] = _facts_for(deps, cands)
        emit({"type": "products", "products": facts["products"]})
    if facts.get("note") is None:
        facts.pop("note", None)
    timings = {**turn["timings"], "tool_ms": sum(t["ms"] for t in trace)}
    return {"candidates": cands, "constraints": constraints,
            "turn": {**turn, "tool_calls": trace, "facts": facts, "timings": timings}, **update}
