"""The tuned planner's prompt and answer format: short (the embedded model has 4096 tokens and trains at ~100-200
tokens/s on 2 cores), shared by the training data and the planner so that both see exactly the same text."""

from __future__ import annotations

import json
from typing import Any, Sequence

from agent.actions import CONTRACT_ARGS

PLANNER_SYSTEM = ("You plan a shop assistant's next action. Answer with one JSON object: action (search, refine, "
                  "recommend, similar, describe, compare, chat) and its arguments; null when not said.")
REPLY_SYSTEM = "You are a shop assistant. Answer in one or two sentences using only the products listed."
COPY_SYSTEM = "You write short, factual product descriptions using only the facts given."

# argument keys per action, in the JSON schema's property order (what the tuned model writes)
ANSWER_KEYS: dict[str, tuple[str, ...]] = CONTRACT_ARGS


def shown_line(position: int, title: str, brand: str | None, price: float | None) -> str:
    price_text = f"${price:.2f}" if price is not None else "no price"
    return f"{position}. {title[:30]} | {brand or 'no brand'} | {price_text}"


def planner_user(message: str, shown: Sequence[str], history: Sequence[dict[str, str]] = ()) -> str:
    """The user turn: products on screen (lines from :func:`shown_line`), the last turns, the message."""
    parts = ["Shown:\n" + ("\n".join(shown) if shown else "nothing")]
    if history:
        parts.append("Earlier:\n" + "\n".join(f"{m['role']}: {m['content'][:120]}" for m in history[-2:]))
    parts.append(f"Shopper: {message}")
    return "\n".join(parts)


def planner_messages(message: str, shown: Sequence[str], history: Sequence[dict[str, str]] = ()) -> list[dict]:
    return [{"role": "system", "content": PLANNER_SYSTEM},
            {"role": "user", "content": planner_user(message, shown, history)}]


def planner_answer(action: str, args: dict[str, Any]) -> str:
    """The JSON the model is taught to write: the action, then its contract arguments in schema order."""
    out: dict[str, Any] = {"action": action}
    for key in ANSWER_KEYS[action]:
        value = args.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    return json.dumps(out, ensure_ascii=False)
