"""Description studio: grounded product copy for chosen products, unsupported claims highlighted; batch + JSONL."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from tools.describe.models import DescribeRequest, DescribeResult
from ui.auth import require_owner
from ui.lib import guard, llm_banner, require_catalog, sidebar_status, toolbox

box = toolbox()
require_owner(box.settings)
sidebar_status(box)
st.title("Description studio")
llm_ok = llm_banner(box, needed_for="Generating copy needs it")
if not require_catalog(box):
    st.stop()

catalog = box.catalog
frame = catalog.frame()
labels = {f"{t} ({i})": i for i, t in zip(frame["id"].tolist(), frame["title"].tolist())}
picked = st.multiselect("Products", list(labels), max_selections=20, key="studio_products")
c1, c2, c3 = st.columns(3)
tone = c1.selectbox("Tone", ["neutral", "playful", "premium", "technical"], key="studio_tone")
length = c2.selectbox("Length", ["short", "medium", "long"], index=1, key="studio_length")
mode = c3.selectbox("Unsupported claims", ["regenerate", "remove", "flag"], key="studio_mode",
                    help="regenerate once then remove what is still unsupported / remove / only flag")
keywords = [k.strip() for k in st.text_input("Keywords (comma-separated)", key="studio_keywords").split(",")
            if k.strip()]


def requests_for(ids: list[str]) -> list[DescribeRequest]:
    return [DescribeRequest(product_id=i, tone=tone, length=length, keywords=keywords, on_unsupported=mode)
            for i in ids]


def show_result(result: DescribeResult) -> None:
    with st.container(border=True):
        if result.errors:
            st.error(f"{result.product_id}: {result.errors[0]}")
            return
        copy = result.product_copy
        st.markdown(f"#### {copy.title}")
        for b in copy.bullets:
            st.markdown(f"- {b}")
        st.write(copy.description)
        flagged = [c for c in result.claims if not c.supported]
        if flagged:
            st.markdown("**Claims the facts do not support** (first draft)")
            for c in flagged:
                why = f" — {c.evidence[0]}" if c.evidence else ""
                st.markdown(f":red-background[{c.text}]{why}")
        if result.removed:
            st.caption("removed from the copy: " + "; ".join(result.removed))
        st.caption(f"{result.product_id} · {len(result.claims)} claims checked · "
                   f"{'regenerated' if result.regenerated else 'first draft'}")


single, batch = st.tabs(["Generate", "Batch"])
with single:
    if st.button("Generate", type="primary", disabled=not (picked and llm_ok), key="studio_generate"):
        for req in requests_for([labels[p] for p in picked]):
            with st.spinner(f"writing copy for {req.product_id} ..."), guard(f"describing {req.product_id}"):
                st.session_state.setdefault("studio_results", {})[req.product_id] = box.describe(req)
    for result in st.session_state.get("studio_results", {}).values():
        show_result(result)

with batch:
    n = st.number_input("Products (the selection, else the first N of the catalog)", 1, len(frame),
                        min(20, len(frame)), key="studio_batch_n")
    if st.button("Run batch", disabled=not llm_ok, key="studio_batch"):
        ids = [labels[p] for p in picked] or frame["id"].tolist()[: int(n)]
        bar = st.progress(0.0, text=f"0 / {len(ids)}")
        done: list[DescribeResult] = []

        def on_result(result: DescribeResult) -> None:
            done.append(result)
            bar.progress(len(done) / len(ids), text=f"{len(done)} / {len(ids)}")

        with guard("the batch"):
            out = Path(tempfile.mkdtemp(prefix="studio-")) / "descriptions.jsonl"
            report = box.describe_many(requests_for(ids), out, on_result=on_result)
            st.session_state.studio_batch_file = out.read_bytes() if out.exists() else b""
            st.success(f"{report.done} written, {len(report.failures)} failed in {report.elapsed_s:.1f} s")
            for pid, err in list(report.failures.items())[:10]:
                st.caption(f"{pid}: {err}")
    if st.session_state.get("studio_batch_file"):
        st.download_button("Download JSONL", st.session_state.studio_batch_file, file_name="descriptions.jsonl",
                           mime="application/jsonl", key="studio_download")
