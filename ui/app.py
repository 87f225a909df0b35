"""shopagent's app: `streamlit run ui/app.py` (or `shopagent up`). Four pages over the shop's library."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # `streamlit run ui/app.py` from a checkout: make `ui` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="shopagent", page_icon="🛍️", layout="wide")
page = st.navigation([
    st.Page(PAGES / "chat.py", title="Chat", icon="💬", default=True),
    st.Page(PAGES / "catalog.py", title="Catalog & recommendations", icon="🗂️"),
    st.Page(PAGES / "studio.py", title="Description studio", icon="✍️"),
    st.Page(PAGES / "evaluations.py", title="Evaluations", icon="📊"),
])
page.run()
