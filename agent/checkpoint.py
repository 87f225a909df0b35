"""Checkpointer factory: SQLite under the data directory by default, Postgres for ``postgresql://`` URLs."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from shopagent.errors import ShopagentError

log = logging.getLogger(__name__)


def sqlite_path(uri: str) -> Path:
    return Path(uri.removeprefix("sqlite:///").removeprefix("sqlite://"))


@contextmanager
def open_checkpointer(uri: str) -> Iterator[Any]:
    """A LangGraph checkpointer for ``uri`` (``sqlite:///PATH``, ``postgresql://...`` or ``memory://``)."""
    if uri.startswith("memory:"):
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
        return
    if uri.startswith(("postgresql://", "postgres://")):
        from langgraph.checkpoint.postgres import PostgresSaver

        try:
            with PostgresSaver.from_conn_string(uri) as saver:
                saver.setup()
                yield saver
        except ShopagentError:
            raise
        except Exception as exc:  # noqa: BLE001 - one line: what happened, what to do
            if "psycopg" in type(exc).__module__:
                raise ShopagentError(f"cannot use the Postgres checkpointer at {uri.split('@')[-1]}: "
                                     f"{str(exc).splitlines()[0]} (check SHOPAGENT_CHECKPOINT_URL)") from exc
            raise
        return
    if uri.startswith("sqlite:"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = sqlite_path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        try:
            saver = SqliteSaver(conn)
            saver.setup()
            yield saver
        finally:
            conn.close()
        return
    raise ShopagentError(f"unknown checkpoint URL {uri!r}: use sqlite:///PATH or postgresql://... "
                         "in SHOPAGENT_CHECKPOINT_URL")
