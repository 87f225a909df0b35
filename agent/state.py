"""The graph's state: one typed dict, kept small (plain dicts and lists) so checkpoints are cheap."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

MAX_MESSAGES = 8  # user/assistant messages kept across turns (the candidate set carries the real memory)
MAX_LOG = 100  # turns kept as shown (what a reopened conversation redraws)


class Candidate(TypedDict):
    """A product in the current candidate set: what the shopper is looking at, in order."""

    id: str
    score: float
    why: str


class ToolCall(TypedDict, total=False):
    """One tool call of this turn: what was asked, whether it worked, how long it took."""

    name: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    ms: float
    product_ids: list[str]


def keep_recent(left: list[dict] | None, right: list[dict] | None) -> list[dict]:
    """Messages reducer: append, keep the last ``MAX_MESSAGES``."""
    return ((left or []) + (right or []))[-MAX_MESSAGES:]


def keep_log(left: list[dict] | None, right: list[dict] | None) -> list[dict]:
    """Shown-turns reducer: append, keep the last ``MAX_LOG``."""
    return ((left or []) + (right or []))[-MAX_LOG:]


MAX_VIEWED = 50


def keep_viewed(left: list[str] | None, right: list[str] | None) -> list[str]:
    """Viewed-products reducer: append (a repeat moves to the end), keep the last ``MAX_VIEWED``."""
    out = [i for i in (left or []) if i not in set(right or [])] + list(dict.fromkeys(right or []))
    return out[-MAX_VIEWED:]


class Shown(TypedDict, total=False):
    """One completed turn as the shopper saw it: what they asked, the answer, the product cards, the tool trace."""

    at: str  # ISO time (UTC) the turn completed
    request: str
    answer: str
    products: list[dict[str, Any]]  # agent.facts.product_facts records, in their [n] order
    trace: list[ToolCall]
    notes: list[str]


class Turn(TypedDict, total=False):
    """This turn's working data (one channel, replaced by each node: cheap to checkpoint)."""

    plan: dict[str, Any]  # action, args, source, notes
    tool_calls: list[ToolCall]
    facts: dict[str, Any]  # products (position, id, title, price...), comparison, description, note, error, more
    # (a refine that narrowed nothing: the list's next products)
    draft: str  # the reply model's text of the last attempt
    drafts: list[str]  # the model's text of every attempt, in order
    defects: list[str]  # kinds of defects the check found in the last draft (agent.grounding.DEFECT_KINDS)
    constructed: bool  # the answer was built from the shop's data alone (template, chat intent, tool error)
    chat_template: bool  # a chat turn answered by its intent template on purpose
    answer: str  # what the shopper sees
    attempts: int
    violations: list[str]
    grounded: bool
    fallback: bool
    timings: dict[str, float]  # llm_ms, tool_ms, plan_ms (model inference inside planning)
    notes: list[str]  # what the shopper should know about this turn (e.g. the reply model was not answering)


class AgentState(TypedDict, total=False):
    """Everything a turn reads and writes. Persisted per thread by the checkpointer."""

    # across turns
    messages: Annotated[list[dict], keep_recent]  # {"role": "user"|"assistant", "content": str}
    candidates: list[Candidate]  # ordered; the first four are on screen (positions 1-4)
    constraints: dict[str, Any]  # query, brand, category, min_price, max_price
    user_id: str | None
    turn_ids: Annotated[list[str], operator.add]  # ids of the completed turns, in order (written at the end)
    viewed: Annotated[list[str], keep_viewed]  # product ids the shopper looked at closely (described, compared,
    # asked for similar ones), oldest first: the session's history the sequential recommender ranks from
    owner: str  # who the conversation belongs to (set by its first turn; others are told it does not exist)
    shown: Annotated[list[Shown], keep_log]  # the completed turns as shown, for redrawing a reopened conversation
    # this turn
    message: str
    focus: dict[str, Any] | None  # a product the shopper pointed at on screen ({"id", "position"}): describe it
    turn_id: str  # the client's idempotency key (or a fresh id): recorded in ``turn_ids`` once the turn is done
    turn: Turn
