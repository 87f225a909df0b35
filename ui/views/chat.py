"""Chat: the shopping agent with streamed replies and numbered product cards; the viewer's own past conversations.

The conversation's id is in the URL (``?c=...``): a reload or a shared link redraws it as it was (text, cards,
tool traces) for its owner, and says "not found" to anyone else.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import streamlit as st

from core.errors import ThreadNotFoundError
from ui.auth import viewer
from ui.lib import card_grid, guard, iter_chunks, llm_banner, require_catalog, sidebar_status, toolbox

box = toolbox()
who = viewer(box.settings)
state = st.session_state
EXAMPLES_FALLBACK = ("Show me something under $50", "What would you recommend for me?")


def current_thread() -> str:
    """The conversation in the URL, else a new one (put in the URL once it has a first turn)."""
    tid = st.query_params.get("c")
    if tid:
        state.thread_id = tid
    return state.setdefault("thread_id", uuid.uuid4().hex[:16])


def new_conversation() -> None:
    state.thread_id = uuid.uuid4().hex[:16]
    st.query_params.clear()


def open_conversation(tid: str) -> None:
    state.thread_id = tid
    st.query_params["c"] = tid


def ask_about(item: dict) -> None:
    """A card's button: describe exactly this product (its id), whatever the text on screen says."""
    n = item.get("position")
    label = f"[{n}] {item.get('title', '')}" if n else item.get("title", "")
    state.pending = {"message": f"Tell me more about {label}".strip(),
                     "focus": {"id": item.get("id"), "position": int(n or 1)}}


def ask(text: str) -> None:
    state.pending = {"message": text}


def show_trace(trace: list[dict]) -> None:
    if not trace or not who.is_owner:
        return
    with st.expander(f"Tool trace ({len(trace)} call{'s' if len(trace) != 1 else ''})"):
        st.dataframe([{"tool": c.get("name") or c.get("tool"), "arguments": json.dumps(c.get("args") or {}),
                       "ms": round(float(c.get("ms") or 0.0), 1), "ok": c.get("ok", True),
                       "error": c.get("error") or ""} for c in trace], hide_index=True, width="stretch")


def as_markdown(text: str) -> str:
    """The answer as written: line breaks kept (markdown would join single newlines), "$" never read as LaTeX."""
    return text.replace("$", "\\$").replace("\n", "  \n")


def show_turn(turn: dict, key: str) -> None:
    with st.chat_message("user"):
        st.markdown(as_markdown(turn.get("request", "")))
    with st.chat_message("assistant"):
        st.markdown(as_markdown(turn.get("answer", "")))
        for note in turn.get("notes", []) if who.is_owner else []:
            st.caption(note)
        if turn.get("products"):
            card_grid(turn["products"], key, on_ask=ask_about)
        show_trace(turn.get("trace", []))


def run_turn(tid: str, prompt: str, focus: dict | None) -> None:
    """One agent turn streamed into the page (the turn is then kept in the conversation's state)."""
    events: list = []
    slot = st.empty()
    agent = box.agent()
    # the tokens are the checked answer itself (agent.nodes.check streams only what passed): nothing is withdrawn
    slot.write_stream(as_markdown(t) for t in iter_chunks(
        agent.iter_turn(tid, prompt, who.shopper_id, owner=who.key, focus=focus), events))
    final = next((e.result for e in events if e.type == "final" and e.result is not None), None)
    error = next((e.error for e in events if e.type == "error"), None)
    answer = final.answer if final else "".join(e.text or "" for e in events if e.type == "token")
    if error:
        answer = answer or "Sorry, that did not work. Please try again in a moment."
    slot.markdown(as_markdown(answer))
    shown = agent.shown(tid, who.key)
    if final is not None and shown:
        st.query_params["c"] = tid
        st.rerun()  # redraw from the conversation's state: the same cards a reload shows


def greeting() -> None:
    name = f", {who.name.split(' (')[0]}" if who.kind != "anonymous" else ""
    with st.chat_message("assistant"):
        st.markdown(f"Hi{name}! I can find products, compare them, tell you more about one, and suggest picks "
                    "for you. Try one of these, or type your own:")
        examples = example_requests()
        cols = st.columns(len(examples))
        for i, (col, text) in enumerate(zip(cols, examples)):
            col.button(text, key=f"example-{i}", on_click=ask, args=(text,), width="stretch")


def example_requests() -> list[str]:
    """Requests that fit this shop: its biggest categories, and picks for the shopper."""
    try:
        frame = box.catalog.frame()
        top = frame["category"].value_counts().index[:2].tolist()
        leaf = [str(c).split(" > ")[-1].lower() for c in top]
        price = frame.loc[frame["category"] == top[0], "price"].median() if top else None
        first = f"Show me {leaf[0]} under ${int(price // 10 * 10 + 10)}" if leaf and price == price else None
        return [x for x in (first, f"I'm looking for {leaf[1]}" if len(leaf) > 1 else None,
                            "What would you recommend for me?") if x]
    except Exception:  # noqa: BLE001 - a catalog without categories: generic examples
        return list(EXAMPLES_FALLBACK)


@st.fragment(run_every=1.0)
def wait_for_the_agent() -> None:
    """Polls (this fragment only) until the agent is open, then redraws the page once with the conversations."""
    if box.agent_ready():
        st.rerun(scope="app")


def when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%b %d, %H:%M")
    except ValueError:
        return ""


if who.is_owner:
    sidebar_status(box)
st.title("Chat")
if who.is_owner:
    llm_banner(box)
if not require_catalog(box):
    st.stop()

tid = current_thread()
with st.sidebar:
    st.button("New conversation", on_click=new_conversation, width="stretch", type="primary")
    if who.kind == "anonymous":
        st.caption("Sign in to see your picks and keep your conversations on every device.")
    if box.agent_ready():
        with guard("listing your conversations"):
            mine = [c for c in box.conversations(owner=who.key, limit=30) if c.thread_id != tid]
            if mine:
                st.caption("Your conversations")
                for c in mine:
                    st.button(f"**{c.title}**  \n{when(c.updated)} · {c.preview[:60]}", key=f"thread-{c.thread_id}",
                              on_click=open_conversation, args=(c.thread_id,), width="stretch")
    else:  # the engines are still opening (the app's first seconds): the page does not wait for them
        wait_for_the_agent()

try:
    if st.query_params.get("c") or box.agent_ready():
        with st.spinner("Opening your conversation ...", show_time=False):
            turns = box.agent().shown(tid, who.key)
    else:
        turns = []  # a new conversation has nothing to redraw
except ThreadNotFoundError:
    st.warning("Conversation not found. It may belong to someone else, or the link is wrong.",
               icon=":material/search_off:")
    st.button("Start a new conversation", on_click=new_conversation, type="primary", key="not-found-new")
    st.stop()

for i, turn in enumerate(turns):
    show_turn(turn, f"{tid}-{i}")
pending = state.pop("pending", None)
# (the input is pinned to the page's foot wherever it is called; read first, so that the run answering the first
# message draws no greeting: the page then keeps its layout when the answered conversation is redrawn)
prompt = st.chat_input("Ask for products, compare them, or get recommendations ...")
request = {"message": prompt} if prompt else pending
if not turns and request is None:
    greeting()
if request:
    with st.chat_message("user"):
        st.markdown(as_markdown(request["message"]))
    with st.chat_message("assistant"), guard("the chat turn"):
        run_turn(tid, request["message"], request.get("focus"))
