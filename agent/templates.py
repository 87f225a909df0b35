"""Replies built from tool results alone: the facts under every answer (product lines, comparison, the catalog's
description), and the template reply shown when the model's text does not pass the check."""

from __future__ import annotations

from typing import Any

from agent.facts import comparison_text, money, product_line, stars

NO_RESULTS = "I couldn't find products in this shop that match that. Try other words, a brand, or a wider price range."


def product_list(facts: dict[str, Any]) -> str:
    return "\n".join(product_line(p) for p in facts.get("products", []))


def attachment(action: str, facts: dict[str, Any]) -> str:
    """The grounded part of every answer, built by template from this turn's tool results (and, under products
    asked for beside a question for the shop, the shop's policy passage for it, quoted)."""
    return f"{_found(action, facts)}\n\n{beside_policy(action, facts)}".strip()


def beside_policy(action: str, facts: dict[str, Any]) -> str:
    """The quoted policy answer to a question asked beside a request for products ('' when none was asked)."""
    from agent.chat_replies import policy_reply

    return policy_reply(facts["policy"]) if action != "chat" and facts.get("policy") else ""


# notes said above the products: "Nothing matched all of that, so I left out ..." (what a search relaxed), "These are
# from <category>, the nearest ..." (a category the shopper's words did not name) or "Nothing in this shop mentions
# ..." (words no product found says), "These come in <colour>." (a colour asked of what is shown, or that none has it)
_SAID_ABOVE = ("relaxed", "looked_in", "variant")


def _found(action: str, facts: dict[str, Any]) -> str:
    if facts.get("error"):
        return ""
    for note in _SAID_ABOVE:
        if facts.get(note):
            return f"{facts[note]}\n" + _found(action, {k: v for k, v in facts.items() if k != note})
    if action == "compare" and facts.get("comparison"):
        ordered = f"By {facts['ordered_by']}:\n" if facts.get("ordered_by") else ""
        return ordered + product_list(facts) + "\n" + comparison_text(facts)
    if action == "describe" and facts.get("products"):
        p = facts["products"][0]
        attrs = ", ".join(f"{k}: {v}" for k, v in (p.get("attributes") or {}).items())
        about = facts.get("about") or ""
        return product_line(p) + (f"\n{attrs}" if attrs else "") + (f"\nFrom the catalog: {about}" if about else "")
    return product_list(facts)


def fallback_reply(action: str, facts: dict[str, Any]) -> str:
    """A plain reply from the tool results (used when the model's text fails the check twice, or no model answers)."""
    from agent.chat_replies import REPLIES

    if facts.get("error"):
        return f"Sorry, that did not work: {facts['error']}"
    products = facts.get("products", [])
    if action == "chat":
        return REPLIES["help"]
    if not products:
        return facts.get("note") or NO_RESULTS
    top = products[0]
    ref = f"[{top['position']}]"
    if action == "compare":
        return "Here is how these products compare, side by side."
    if action == "describe":
        return f"{ref} {top['title']} costs {money(top.get('price'))} and is rated {stars(top.get('rating'))}."
    lead = {"recommend": "Here are my picks for you", "similar": "Here are similar products",
            "refine": "Here are more" if facts.get("more") else "Here is the narrowed selection"}.get(
        action, "Here is what I found")
    return f"{lead}, starting with {ref} {top['title']} at {money(top.get('price'))}."
