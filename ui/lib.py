"""What every page shares: the process's ``Services``, clear states (LLM down, no catalog), errors as one line,
and the product card. Presentation only; the work is done by the library."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import streamlit as st

from shopagent.services import Services
from tools.catalog.demo import write_demo_catalog
from core.config import Settings, get_settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)

OVERRIDE_KEY = "toolbox_override"  # tests put a Services here (session state) to run a page against it


_OPEN: dict[tuple[str, str, str], Services] = {}  # one Services per settings, for the process (every session)
_OPEN_LOCK = threading.Lock()


def _toolbox(data_dir: str, llm_url: str, checkpoint: str) -> Services:
    with _OPEN_LOCK:
        key = (data_dir, llm_url, checkpoint)
        if key not in _OPEN:
            get_settings.cache_clear()
            _OPEN[key] = Services(get_settings())
        return _OPEN[key]


def _forget_toolboxes() -> None:
    with _OPEN_LOCK:
        _OPEN.clear()


def warm_in_background() -> threading.Thread:
    """Open the engines and the agent now, off the page, so the first visitor does not wait for them."""
    def work() -> None:
        try:
            toolbox().warm()
        except Exception:  # noqa: BLE001 - warming is an optimisation: the first page opens them otherwise
            log.exception("warming the engines failed")

    thread = threading.Thread(target=work, name="warm", daemon=True)
    thread.start()
    return thread


def toolbox() -> Services:
    """The Services for this process's settings (one per data dir / LLM URL), or the one a test injected."""
    injected = st.session_state.get(OVERRIDE_KEY) if st.runtime.exists() else None
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
        st.error(str(exc), icon=":material/warning:")
    except Exception as exc:  # noqa: BLE001 - the page must stay usable
        log.exception("%s failed", what)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        st.error(f"{what} failed: {first[:300]} (details in the app's log)", icon=":material/warning:")


def llm_banner(box: Services, needed_for: str = "Replies use templates") -> bool:
    """True when the LLM answers; otherwise a banner with the command that starts it."""
    status = box.llm_status()
    if status.ok:
        return True
    st.warning(f"The LLM server is not answering at `{status.url}`. Start it with `shopagent llm serve` "
               f"(or run everything with `shopagent up`). {needed_for} until then; the rest of the app works.",
               icon=":material/power_off:")
    return False


def require_catalog(box: Services) -> bool:
    """True when there is a catalog; otherwise a prompt (and a button) to load the demo shop."""
    if box.has_catalog():
        return True
    problem = box.catalog_problem()
    if problem and not problem.startswith("no catalog"):  # a broken store file: say which, and what repairs it
        st.error(problem, icon="⚠️")
        return False
    st.info("There is no catalog yet. Load the demo shop (3,000 generated products with reviews and shoppers), "
            "or load your own with `shopagent data load FILE --source ...`.", icon=":material/shopping_cart:")
    if st.button("Load demo data", type="primary", key="load-demo"):
        with st.spinner("generating the demo shop ..."), guard("loading the demo data"):
            n = write_demo_catalog(box.settings.data_dir)
            _forget_toolboxes()
            st.session_state.pop(OVERRIDE_KEY, None)
            st.success(f"demo catalog loaded: {n} products. Run `shopagent index build` for hybrid search.")
            st.rerun()
    return False


def sidebar_status(box: Services) -> None:
    """The model endpoint and whether it answers (owner pages only: a shopper never sees it)."""
    status = box.llm_status()
    with st.sidebar:
        st.caption("Model endpoint")
        st.code(status.url, language=None)
        if status.ok:
            st.success(f"healthy: {status.model}", icon=":material/check_circle:")
        else:
            st.error("not answering", icon=":material/power_off:")


def fmt_price(price: float | None) -> str:
    return "-" if price is None else f"${price:,.2f}"


def plural(count: int, word: str) -> str:
    """``1 review``, ``2 reviews``."""
    return f"{count:,} {_inflect().plural(word, count)}"


def _inflect() -> Any:
    import inflect

    global _ENGINE
    if _ENGINE is None:
        _ENGINE = inflect.engine()
    return _ENGINE


_ENGINE: Any = None


def fmt_rating(rating: float | None, count: int | None = None) -> str:
    if rating is None:
        return "no rating"
    return f"{rating:.1f}/5" + (f" ({plural(count, 'review')})" if count else "")


def product_card(item: dict[str, Any], key: str, on_ask: Callable[[dict[str, Any]], None] | None = None,
                 number: int | None = None) -> None:
    """A bordered card: its [n] (the same as in the answer), title, price, rating, category, why it is shown; a
    button to ask about exactly this product."""
    with st.container(border=True, key=f"card-{key}"):
        badge = f"[{number}] " if number is not None else ""
        st.markdown(f"**{badge}{item.get('title', item.get('id', ''))}**")
        st.caption(" · ".join(x for x in (fmt_price(item.get("price")),
                                          fmt_rating(item.get("rating"), item.get("reviews")),
                                          item.get("category") or "", item.get("brand") or "") if x))
        reason = item.get("why") or item.get("reason") or item.get("because")
        if reason and str(reason).strip().casefold() != str(item.get("title", "")).strip().casefold():
            st.caption(f"_{reason}_")
        if on_ask is not None:
            st.button("Ask about this", key=f"ask-{key}", on_click=on_ask, args=(item,))


def card_grid(items: list[dict[str, Any]], key: str, on_ask: Callable[[dict[str, Any]], None] | None = None,
              per_row: int = 2) -> None:
    """Cards in reading order on every width: one row of columns per ``per_row`` cards, so a phone (where columns
    stack) reads 1, 2, 3, 4 top to bottom, as the answer numbers them."""
    for start in range(0, len(items), per_row):
        row = items[start:start + per_row]
        cols = st.columns(per_row)
        for col, item in zip(cols, row):
            with col:
                n = int(item.get("position") or items.index(item) + 1)
                product_card(item, key=f"{key}-{n}-{item.get('id', '')}", on_ask=on_ask, number=n)


def iter_chunks(events: Iterator[Any], sink: list[Any]) -> Iterator[str]:
    """Reply text from agent events (for ``st.write_stream``); every event is also appended to ``sink``."""
    for event in events:
        sink.append(event)
        if event.type == "token" and event.text:
            yield event.text
