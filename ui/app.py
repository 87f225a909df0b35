"""shopagent's app: `streamlit run ui/app.py` (or `shopagent up`). Shoppers get the chat and their own
conversations; the shop's owner, once signed in, also gets the catalog & recommendations, the description studio and
the evaluations (with the model endpoint and tool traces)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # `streamlit run ui/app.py` from a checkout: make `ui` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.auth import keep_cookies, viewer  # noqa: E402
from ui.lib import toolbox, warm_in_background  # noqa: E402

PAGES = Path(__file__).resolve().parent / "views"


@st.cache_resource(show_spinner=False)
def _warming() -> object:
    """Once per process: the engines and the agent open in the background while the first page draws."""
    return warm_in_background()


st.set_page_config(page_title="Shop assistant", page_icon=":material/shopping_bag:", layout="wide")
st.set_option("client.toolbarMode", "viewer")  # no "Deploy" or developer menu in front of shoppers, however started
_warming()
settings = toolbox().settings
who = viewer(settings)
keep_cookies(settings, who)
# the owner's pages are listed for the owner only; anyone else who opens their address is told they are the
# owner's (each page checks who is signed in before drawing anything)
shown = "visible" if who.is_owner else "hidden"
pages = [st.Page(PAGES / "chat.py", title="Chat", icon=":material/chat:", default=True),
         st.Page(PAGES / "catalog.py", title="Catalog & recommendations", icon=":material/inventory_2:",
                 visibility=shown),
         st.Page(PAGES / "studio.py", title="Description studio", icon=":material/edit_note:", visibility=shown),
         st.Page(PAGES / "evaluations.py", title="Evaluations", icon=":material/bar_chart:", visibility=shown)]
pages.append(st.Page(PAGES / "account.py", title="Sign in" if who.kind == "anonymous" else "Account",
                     icon=":material/person:", url_path="account"))
page = st.navigation(pages)
page.run()
