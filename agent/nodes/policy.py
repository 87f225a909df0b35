"""The shop's policy quoted for a question: the passage it is about, retrieved from the shop's policy file as written
(``tools.policy``), never generated; also for a question asked beside a request for products."""

from __future__ import annotations

from typing import Any

from agent.planners import cues


def look_up_policy(step: Any, question: str) -> None:
    """``facts["policy"]``: the passage ``question`` is about (or that the shop stored no policy), with the shop's
    contact passage when nothing answers it; one ``shop_policy`` entry in the trace."""
    if step.deps.policy is None:
        step.facts["policy"] = {"kind": "no_policy"}
        return
    answer = step.deps.policy.answer(question)
    contact = step.deps.policy.answer("how do I contact customer support?") if answer.kind == "none" else None
    step.facts["policy"] = {"kind": answer.kind, "section": answer.section, "text": answer.text,
                            "contact": contact.text if contact and contact.kind == "passage" else ""}
    step.trace.append({"name": "shop_policy", "ok": True, "error": None, "ms": 0.0,
                       "args": {"question": question[:200]}, "product_ids": [],
                       "section": answer.section, "kind": answer.kind})


def answer_beside(step: Any) -> None:
    """A product asked for beside a question for the shop: the question's passage too (quoted under the products),
    looked up by the question's own words."""
    notes = step.state["turn"]["plan"].get("notes") or []
    if not any(str(n).startswith(cues.BESIDE) for n in notes):
        return
    message = step.state["message"]
    product = cues.product_part(message)
    look_up_policy(step, message.replace(product, " ") if product else message)
