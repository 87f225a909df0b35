"""search: find products for what was said (also a ``refine`` with nothing on screen yet). A reference to a shown
product with nothing shown asks what the shopper means; filters that leave nothing, or nothing but products the
shopper has already seen and passed over, are relaxed, softest first (the category the planner inferred, then the
band around an "about $X"), and the answer says which."""

from __future__ import annotations

from typing import Any

from agent.facts import SHOWN, money
from agent.nodes.shopper import KIND, fresh, keep_earlier_filters, own_words, stems
from agent.nodes.step import ASK_WHICH, SEARCH_KEYS, Step, action_node
from agent.toolbox import ToolOutcome
from tools.language import normalise, parse_bounds

WIDE_BAND = 0.5  # an "about $X" band relaxed to X +- 50%
DROP_ORDER = (("min_price", "max_price"), ("brand",), ("category",))  # carried filters, softest first


def _around(message: str) -> float | None:
    """The X of an "about $X" the message says, when that is its only price phrase."""
    mentions = parse_bounds(message).mentions
    return mentions[0].low if len(mentions) == 1 and mentions[0].kind == "around" else None


def nothing_new(step: Step, out: ToolOutcome) -> bool:
    """The search found products, but only ones the shopper has seen and passed over in this conversation (a dead
    end as much as nothing found: the same products again tell them nothing; never with the memory off)."""
    return bool(out.ok and out.output and out.output.products and not fresh(step, list(out.output.products)))


def relax(step: Step, new_only: bool = False) -> tuple[str | None, list[str]]:
    """Search again with the softest constraint relaxed, then the next: (the note saying what was relaxed, or None
    when nothing relaxed finds a product (with ``new_only``, one the shopper has not passed over), the constraints
    are then left as they were; what was tried)."""
    first = dict(step.constraints)
    dropped = []
    nothing = "Nothing new matched" if new_only else "Nothing matched"

    def found(out: ToolOutcome) -> bool:
        return bool(out.ok and out.output.products) and not (new_only and nothing_new(step, out))

    if step.constraints.get("category"):
        dropped.append(f"the category {step.constraints['category']}")
        step.constraints["category"] = None
        out = step.search()
        if found(out):
            step.take(out)
            return f"{nothing} all of that, so I left out {dropped[0]}: these are the nearest products.", dropped
    around = _around(step.state["message"])
    if around is not None and step.constraints.get("min_price") is not None:
        lo, hi = round(around * (1 - WIDE_BAND), 2), round(around * (1 + WIDE_BAND), 2)
        step.constraints.update(min_price=lo, max_price=hi)
        dropped.append(f"widened \"about {money(around)}\" to {money(lo)}-{money(hi)}")
        out = step.search()
        if found(out):
            step.take(out)
            done = " and ".join([f"left out {d}" if d.startswith("the category") else d for d in dropped])
            return f"{nothing} all of that, so I {done}: these are the nearest products.", dropped
    step.constraints = first
    return None, dropped


def brand_in_titles(step: Step, out: ToolOutcome) -> ToolOutcome:
    """The brand said, with the need said before, as words of the title rather than the brand field: catalog
    records whose brand field is empty or another name ("Curel" lotions listed with no brand) are still found when
    their titles name it. ``out`` (nothing found) when no title names it; else only the products whose titles do,
    and the brand becomes search words in the constraints."""
    brand = step.constraints["brand"]
    said = normalise(brand).split()
    trial = {**step.constraints, "brand": None, "query": " ".join([brand, step.constraints.get("query") or ""]).strip()}
    first, step.constraints = step.constraints, trial
    found = step.search()
    named = [h for h in (found.output.products if found.ok and found.output else [])
             if said and set(said) <= set(normalise(step.deps.catalog.get(h.id).title).split())]
    if not named:
        step.constraints = first
        return out
    return found.model_copy(update={"output": found.output.model_copy(update={"products": named})})


def words_beyond_the_kind(step: Step, said: dict, out: ToolOutcome) -> ToolOutcome | None:
    """The shopper's own words of this turn ("serums that are diva") in no title of what the inferred category holds,
    but in titles of products of the same kind elsewhere (a category whose path names the kind: Eyes > Serums beside
    Face > Oils & Serums): the category was the planner's guess among leaves that answer to one word, the words are
    the shopper's, so those products come first, said so. None when the words are in the category's titles, in no
    product of that kind elsewhere, or there are none."""
    category = step.constraints.get("category")
    if not (category and out.ok and out.output and out.output.products):
        return None
    words = own_words(step, {**said, "category": category, KIND: step.constraints.get(KIND)})
    catalog = step.deps.catalog
    if not words or any(words & stems(catalog.get(h.id).title) for h in out.output.products):
        return None
    kind = stems(step.constraints.get(KIND) or category)

    def fits(hit: Any) -> bool:
        p = catalog.get(hit.id)
        return bool(words & stems(p.title)) and bool(kind & stems(" ".join(p.categories or [])))

    step.constraints["category"] = None
    wider = step.search()
    found = [h for h in wider.output.products if fits(h)] if wider.ok and wider.output else []
    if not found:
        if not wider.ok:
            step.trace.pop()
        step.constraints["category"] = category
        return None
    said_words = " or ".join(f'"{w}"' for w in sorted(words))
    step.facts["relaxed"] = (f"Nothing in {category} mentions {said_words}, so I looked in other categories of that "
                             "kind: these are the nearest products.")
    rest = [h for h in wider.output.products if h not in found]
    return wider.model_copy(update={"output": wider.output.model_copy(update={"products": found + rest})})


def name_the_guessed_kind(step: Step, own: dict) -> None:
    """A category the planner chose for words that do not name it ("hiking boots" in a shop whose nearest kind is
    Hiking Backpacks, a need told as a story) is said above the products, so the shopper sees where they are from
    rather than taking them for what was asked."""
    category = own.get("category")
    if step.facts.get("relaxed") or not category or step.constraints.get("category") != category:
        return
    head = normalise(category).split()[-1:]
    if head and not stems(head[0]) & stems(step.state["message"]):
        step.facts["looked_in"] = f"These are from {category}, the nearest this shop has to what you asked."


def name_the_unmatched_words(step: Step, own: dict) -> None:
    """The shopper's own words in no title or category of the products found, with no kind to look in ("toaster
    under 40" in a shop that sells none): said above the products, so the nearest ones are not taken for a match."""
    if step.facts.get("relaxed") or step.facts.get("looked_in") or own.get("category") or own.get("brand"):
        return
    words = own_words(step, own)
    shown = [step.deps.catalog.get(c["id"]) for c in step.cands[:SHOWN]]
    if not words or any(words & stems(f"{p.title} {' '.join(p.categories or [])}") for p in shown):
        return
    said = " or ".join(f'"{w}"' for w in sorted(words))
    step.facts["looked_in"] = f"Nothing in this shop mentions {said}; these are the nearest products I found."


SEEN_ALL = "Nothing else matches that: these are the ones you have seen already."


def relax_new(step: Step) -> bool:
    """Only products the shopper passed over are left: relax the softest constraint for new ones (True when that
    found some; they are then the candidates and the answer says what was relaxed). False when nothing relaxed
    finds a new one either: the answer then says the products shown are the ones already seen."""
    relaxed, _ = relax(step, new_only=True)
    step.facts["relaxed"] = relaxed or SEEN_ALL
    return relaxed is not None


@action_node
def search(step: Step) -> None:
    """New candidates and constraints from the plan's query, brand, category and price band."""
    if step.points_at_nothing():
        step.nothing_found(ASK_WHICH)
        return
    step.constraints = {k: step.args.get(k) for k in SEARCH_KEYS}
    if step.action == "refine":  # nothing to refine: search with what was said
        step.constraints["query"] = step.state["message"]
    own = dict(step.constraints)
    carried = keep_earlier_filters(step)
    out = step.search()
    if carried and own.get("brand") and out.ok and not out.output.products:
        out = brand_in_titles(step, out)
    if nothing_new(step, out) and step.constraints.get("brand"):  # more of that brand may be listed under it in
        kept = dict(step.constraints)  # their titles only
        out = brand_in_titles(step, out)
        if nothing_new(step, out):
            step.constraints = kept  # the brand stays a filter for what is relaxed next
    if nothing_new(step, out):
        if relax_new(step):
            return
    else:
        out = words_beyond_the_kind(step, own, out) or out
    for keys in DROP_ORDER:  # what was said before leaves nothing with the new cue: drop it, the band first
        if not (carried and out.ok and not out.output.products):
            break
        dropped = [k for k in keys if k in carried]
        if dropped:
            step.constraints.update({k: own.get(k) for k in dropped})
            out = step.search()
    if out.ok and out.output.products:
        step.take(out)
        name_the_guessed_kind(step, own)
        name_the_unmatched_words(step, own)
        return
    if not out.ok:
        return
    relaxed, tried = relax(step)
    if relaxed:
        step.facts["relaxed"] = relaxed
        return
    also = f" (I also tried {' and '.join(t if t.startswith('widened') else 'without ' + t for t in tried)})" \
        if tried else ""
    step.nothing_found(f"Nothing in this shop matches all of that{also}. Try other words, another brand, or a "
                       "wider price range.")
