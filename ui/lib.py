"""What every page shares: the process's ``Toolbox``, clear states (LLM down, no catalog), errors as one line,
and the product card. Presentation only; the work is done by the library."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import streamlit as st

from shopagent.api.toolbox import Toolbox, load_demo_catalog
from core.config import Settings, get_settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)

OVERRIDE_KEY = "toolbox_override"  # tests put a Toolbox here (session state) to run a page against it


@st.cache_resource(show_spinner=False)
def _toolbox(data_dir: str, llm_url: str, checkpoint: str) -> Toolbox:
    get_settings.cache_clear()
    return Toolbox(get_settings())


def toolbox() -> Toolbox:
    """The Toolbox for this process's settings (one per data dir / LLM URL), or the one a test injected."""
    injected = st.session_state.get(OVERRIDE_KEY)
    if injected is not None:
        return injected
    get_settings.cache_clear()
    s = get_settings()
    box = _toolbox(str(s.data_dir), s.llm_url, s.checkpoint_uri)
    box.reopen_if_changed()  # a new catalog version (or index build) is picked up at the next page run
    return box


def settings() -> Settings:
    return toolbox().settings


@contextmanager
def guard(what: str = "this") -> Iterator[None]:
    """Errors become one readable line on the page (never a stack trace); details go to the log."""
    try:
        yield
    except ShopagentError as exc:
        st.error(str(exc), icon="⚠️")
    except Exception as exc:  # noqa: BLE001 - the page must stay usable
        log.exception("%s failed", what)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        st.error(f"{what} failed: {first[:300]} (details in the app's log)", icon="⚠️")


def llm_banner(box: Toolbox, needed_for: str = "Replies use templates") -> bool:
    """True when the LLM answers; otherwise a banner with the command that starts it."""
    status = box.llm_status()
    if status.ok:
        return True
    st.warning(f"The LLM server is not answering at `{status.url}`. Start it with `shopagent llm serve` "
               f"(or run everything with `shopagent up`). {needed_for} until then; the rest of the app works.",
               icon="🔌")
    return False


def require_catalog(box: Toolbox) -> bool:
    """True when there is a catalog; otherwise a prompt (and a button) to load the demo shop."""
    if box.has_catalog():
        return True
    problem = box.catalog_problem()
    if problem and not problem.startswith("no catalog"):  # a broken store file: say which, and what repairs it
        st.error(problem, icon="⚠️")
        return False
    st.info("There is no catalog yet. Load the demo shop (3,000 generated products with reviews and shoppers), "
            "or load your own with `shopagent data load FILE --source ...`.", icon="🛒")
    if st.button("Load demo data", type="primary", key="load-demo"):
        with st.spinner("generating the demo shop ..."), guard("loading the demo data"):
            n = load_demo_catalog(box.settings)
            _toolbox.clear()
            st.session_state.pop(OVERRIDE_KEY, None)
            st.success(f"demo catalog loaded: {n} products. Run `shopagent index build` for hybrid search.")
            st.rerun()
    return False


def sidebar_status(box: Toolbox) -> None:
    status = box.llm_status()
    with st.sidebar:
        st.caption("Model endpoint")
        st.code(status.url, language=None)
        if status.ok:
            st.success(f"healthy: {status.model}", icon="✅")
        else:
            st.error("not answering", icon="🔌")


def fmt_price(price: float | None) -> str:
    return "-" if price is None else f"${price:,.2f}"


def fmt_rating(rating: float | None, count: int | None = None) -> str:
    if rating is None:
        return "no rating"
    return f"{rating:.1f}/5" + (f" ({count} reviews)" if count else "")


def product_card(item: dict[str, Any], key: str, on_ask: Callable[[dict[str, Any]], None] | None = None) -> None:
    """A bordered card: title, price, rating, category, the reason it is shown; a button to ask about it."""
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**{item.get('title', item.get('id', ''))}**")
        st.caption(" · ".join(x for x in (fmt_price(item.get("price")),
                                          fmt_rating(item.get("rating"), item.get("reviews")),
                                          item.get("category") or "", item.get("brand") or "") if x))
        reason = item.get("why") or item.get("reason") or item.get("because")
        if reason:
            st.caption(f"_{reason}_")
        if on_ask is not None and st.button("Ask about this", key=f"ask-{key}"):
            on_ask(item)
