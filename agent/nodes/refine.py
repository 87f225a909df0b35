"""refine: narrow what is on screen (brand, price band, cheaper), searching again when too few are left that the
shopper has not already seen and passed over; when nothing of the kind inferred has the brand or band said (or
nothing the shopper has not passed over), the nearest products that have it (the category relaxed, as a search
relaxes it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from agent.facts import SHOWN
from agent.nodes.search import nothing_new, relax, relax_new
from agent.nodes.shopper import MAX_POOL, fresh
from agent.nodes.step import Step, action_node
from agent.planners.vocab import colour_alternation
from tools.catalog.models import Product
from tools.language import normalise

NONE_IN = "I found none of these in {variant}; here are more of the same kind."
# a size asked of what is shown: "got these in a 9?", "in size 10.5" (read before ``normalise`` splits "10.5")
# ("in 2 days" is no size: the figure ends the question)
_SIZE = re.compile(r"\b(?:in|size)\s+(?:an?\s+)?(?:size\s+)?(\d{1,2}(?:\.5)?)"
                   r"(?=\s*(?:$|[?!.,;)]|(?:please|pls|too|or|and|then)\b))", re.I)


class Variant(NamedTuple):
    """A colour or a size asked of what is shown: how it is said, the words it adds to the need's, and whether a
    catalog product comes in it (its title or its colour / size attribute)."""

    said: str
    words: str
    fits: Callable[[Product], bool]


def asked_variant(message: str) -> Variant | None:
    """The colour or size a message asks of what is shown ("got these in black?", "in a 9?"), or None."""
    colour = re.search(rf"\b({colour_alternation()})\b", normalise(message))
    if colour:
        word = re.compile(rf"\b{re.escape(colour.group(1))}\b")
        return Variant(colour.group(1), colour.group(1),
                       lambda p: bool(word.search(normalise(f"{p.title} {p.attributes.get('color', '')}"))))
    size = _SIZE.search(message)
    if size:
        figure = re.compile(rf"(?<![\d.]){re.escape(size.group(1))}(?![\d.])")
        return Variant(f"size {size.group(1)}", "", lambda p: bool(figure.search(p.attributes.get("size", ""))))
    return None


def in_variant(step: Step, variant: Variant) -> bool:
    """What is shown asked in a colour or a size (the planner's refine carries no words): the need's products that
    come in it (searched over the widest pool, the colour added to the need's words and kept there) become the
    candidates; False (nothing changed but a note that says so) when none does."""
    need = step.constraints.get("query") or ""
    step.constraints["query"] = f"{need} {variant.words}".strip() or None
    out = step.search(pool=MAX_POOL)
    hits = [h for h in out.output.products if variant.fits(step.deps.catalog.get(h.id))] \
        if out.ok and out.output else []
    if not hits:
        step.constraints["query"] = need or None
        step.facts["variant"] = NONE_IN.format(variant=variant.said)
        return False
    step.take(out.model_copy(update={"output": out.output.model_copy(update={"products": hits})}))
    step.facts["variant"] = f"These come in {variant.said}."
    return True


def _matches(step: Step, pid: str, c: dict[str, Any]) -> bool:
    p = step.deps.catalog.get(pid)
    if c.get("brand") and (p.brand or "").lower() != c["brand"].lower():
        return False
    if c.get("max_price") is not None and (p.price is None or p.price > c["max_price"]):
        return False
    if c.get("min_price") is not None and (p.price is None or p.price < c["min_price"]):
        return False
    return True


@action_node
def refine(step: Step) -> None:
    """Keep the candidates that pass the narrowed constraints; too few left: search with them."""
    args = step.args
    if not any(args.get(k) for k in ("brand", "min_price", "max_price", "cheaper")):
        variant = asked_variant(step.state["message"])
        if variant and in_variant(step, variant):  # "got these in black?": the need's ones in that colour or size
            return
        step.facts["more"] = True  # "next", "show me more": the list's next products, nothing narrowed
    for key in ("brand", "min_price", "max_price"):
        if args.get(key) is not None:
            step.constraints[key] = args[key]
    shown_prices = [p for p in (step.deps.catalog.get(c["id"]).price for c in step.cands[:SHOWN]) if p is not None]
    if args.get("cheaper") and shown_prices:  # cheaper than what is on screen (its first when all cost the same)
        cheaper_than = min(shown_prices) if min(shown_prices) < max(shown_prices) else shown_prices[0]
        step.constraints["max_price"] = round(cheaper_than - 0.01, 2)
    kept = [c for c in step.cands if _matches(step, c["id"], step.constraints)]
    step.trace.append({"name": "filter_candidates", "ok": True, "error": None, "ms": 0.0,
                       "args": {k: v for k, v in step.constraints.items() if v is not None},
                       "product_ids": [c["id"] for c in kept[:SHOWN]]})
    if len(fresh(step, kept)) >= SHOWN:  # enough the shopper has not seen and passed over already
        step.cands = kept
        return
    out = step.search()
    if out.ok and not out.output.products and args.get("cheaper") and shown_prices:
        # nothing cheaper than the cheapest: below the average of what is on screen instead
        step.constraints["max_price"] = round(sum(shown_prices) / len(shown_prices) - 0.01, 2)
        out = step.search()
    if nothing_new(step, out) and relax_new(step):
        return
    if out.ok and out.output.products:
        step.take(out)
        return
    if out.ok and step.constraints.get("category"):  # the brand or band said is not in the kind inferred: the
        # nearest products with it (the search's relaxation: the category the planner inferred goes first)
        relaxed, _ = relax(step)
        if relaxed:
            step.facts["relaxed"] = relaxed
            return
    if out.ok:
        step.nothing_found("Nothing in the shop matches that; the earlier products are still on screen.")
