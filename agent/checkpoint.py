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


def where(uri: str) -> str:
    """The URL without its credentials (for messages)."""
    return uri.split("@")[-1]


@contextmanager
def postgres_saver(uri: str, pool_size: int = 8, timeout_s: float = 5.0) -> Iterator[Any]:
    """``PostgresSaver`` over a connection pool that checks each connection before handing it out, so the saver
    survives a PostgreSQL restart by itself (requests during the outage fail with ``StoreUnavailableError``)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    from agent.turnlock import is_store_outage

    pool = ConnectionPool(uri, min_size=1, max_size=pool_size, timeout=timeout_s, open=False,
                          check=ConnectionPool.check_connection, name="shopagent-checkpoints",
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    try:
        pool.open(wait=True, timeout=timeout_s)
        saver = PostgresSaver(pool)
        saver.setup()
    except Exception as exc:
        pool.close()
        if is_store_outage(exc):
            raise ShopagentError(f"cannot use the Postgres checkpointer at {where(uri)}: "
                                 f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__} "
                                 "(is PostgreSQL up? check SHOPAGENT_CHECKPOINT_URL)") from exc
        raise
    try:
        yield saver
    finally:
        pool.close()


def turn_locks(saver: Any, data_dir: Path, timeout_s: float = 5.0) -> Any:
    """The per-conversation turn locks that fit ``saver``: advisory locks on its PostgreSQL pool, else file locks
    under ``data_dir`` (one machine)."""
    from agent.turnlock import FileTurnLocks, PostgresTurnLocks

    pool = getattr(saver, "conn", None)
    if pool is not None and hasattr(pool, "getconn"):
        return PostgresTurnLocks(pool, timeout_s)
    return FileTurnLocks(data_dir / "locks")


@contextmanager
def open_checkpointer(uri: str, pool_size: int = 8, timeout_s: float = 5.0) -> Iterator[Any]:
    """A LangGraph checkpointer for ``uri`` (``sqlite:///PATH``, ``postgresql://...`` or ``memory://``)."""
    if uri.startswith("memory:"):
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
        return
    if uri.startswith(("postgresql://", "postgres://")):
        with postgres_saver(uri, pool_size, timeout_s) as saver:
            yield saver
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
