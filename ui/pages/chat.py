"""Chat: the shopping agent with streamed replies, product cards, the tool trace per turn and past conversations."""

from __future__ import annotations

import json
import uuid

import streamlit as st

from ui.lib import guard, iter_chunks, llm_banner, product_card, require_catalog, sidebar_status, toolbox

box = toolbox()
state = st.session_state
state.setdefault("thread_id", uuid.uuid4().hex[:12])
state.setdefault("transcripts", {})


def new_conversation() -> None:
    state.thread_id = uuid.uuid4().hex[:12]


def ask_about(item: dict) -> None:
    state.pending = f"Tell me more about {item.get('title', item.get('id'))}"


def show_products(products: list[dict], turn_key: str) -> None:
    cols = st.columns(3)
    for i, item in enumerate(products):
        with cols[i % 3]:
            product_card(item, key=f"{turn_key}-{i}-{item.get('id', '')}", on_ask=ask_about)


def show_trace(trace: list[dict]) -> None:
    if not trace:
        return
    with st.expander(f"Tool trace ({len(trace)} call{'s' if len(trace) != 1 else ''})"):
        st.dataframe([{"tool": c.get("name") or c.get("tool"), "arguments": json.dumps(c.get("args") or {}),
                       "ms": round(float(c.get("ms") or 0.0), 1), "ok": c.get("ok", True),
                       "error": c.get("error") or ""} for c in trace], hide_index=True, width="stretch")


def as_markdown(text: str) -> str:
    """The answer as written: line breaks kept (markdown would join single newlines), "$" never read as LaTeX."""
    return text.replace("$", "\\$").replace("\n", "  \n")


def show_turn(turn: dict, key: str) -> None:
    with st.chat_message(turn["role"]):
        st.markdown(as_markdown(turn["content"]))
        if turn.get("products"):
            show_products(turn["products"], key)
        show_trace(turn.get("trace", []))


def run_turn(prompt: str, user_id: str | None) -> dict:
    """One agent turn streamed into the page; returns the turn as it is kept in the transcript."""
    events: list = []
    slot = st.empty()
    agent = box.agent()
    # the tokens are the checked answer itself (agent.nodes.check streams only what passed): nothing is withdrawn
    slot.write_stream(as_markdown(t) for t in iter_chunks(agent.iter_turn(state.thread_id, prompt, user_id),
                                                                     events))
    final = next((e.result for e in events if e.type == "final" and e.result is not None), None)
    error = next((e.error for e in events if e.type == "error"), None)
    answer = final.answer if final else "".join(e.text or "" for e in events if e.type == "token")
    if error:
        answer = answer or f"Sorry, that did not work: {error}"
    slot.markdown(as_markdown(answer))
    for note in final.notes if final else []:
        st.caption(note)
    shown = [e.products for e in events if e.type == "products" and e.products]
    products: list[dict] = shown[-1] if shown else []
    if final is not None:
        ids = [p.id for p in final.products]
        by_id = {p.get("id"): p for p in products}
        products = [by_id.get(p.id) or p.model_dump() for p in final.products] if ids else []
    return {"role": "assistant", "content": answer, "products": products,
            "trace": final.tool_calls if final else []}


sidebar_status(box)
st.title("Chat")
llm_banner(box)
if not require_catalog(box):
    st.stop()

with st.sidebar:
    st.button("New conversation", on_click=new_conversation, width="stretch", type="primary")
    users = box.catalog.users()
    user = st.selectbox("Shopper (for personal picks)", ["(anonymous)"] + users[:2000], key="chat_user")
    user_id = None if user == "(anonymous)" else user
    with guard("listing past conversations"):
        past = [t for t in box.conversations() if t != state.thread_id]
        if past:
            st.caption("Past conversations")
            for tid in past[:10]:
                if st.button(tid, key=f"thread-{tid}", width="stretch"):
                    state.thread_id = tid
                    st.rerun()

transcript = state.transcripts.setdefault(state.thread_id, [])
if not transcript:
    with guard("loading the conversation"):
        for m in box.agent().history(state.thread_id):
            transcript.append({"role": m.get("role", "assistant"), "content": m.get("content", "")})
st.caption(f"conversation `{state.thread_id}`")
for i, turn in enumerate(transcript):
    show_turn(turn, f"{state.thread_id}-{i}")

prompt = st.chat_input("Ask for products, compare them, or get recommendations ...")
prompt = prompt or state.pop("pending", None)
if prompt:
    transcript.append({"role": "user", "content": prompt})
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"), guard("the chat turn"):
        turn = run_turn(prompt, user_id)
        transcript.append(turn)
        if turn["products"]:
            show_products(turn["products"], f"{state.thread_id}-{len(transcript) - 1}")
        show_trace(turn["trace"])
