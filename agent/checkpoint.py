"""Checkpointer factory: SQLite under the data directory by default, Postgres for ``postgresql://`` URLs."""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from core.errors import ShopagentError, first_line

log = logging.getLogger(__name__)


def sqlite_path(uri: str) -> Path:
    return Path(uri.removeprefix("sqlite:///").removeprefix("sqlite://"))


def where(uri: str) -> str:
    """The URL without its credentials (for messages)."""
    return uri.split("@")[-1]


@contextmanager
def connection_pool(uri: str, size: int, timeout_s: float, name: str) -> Iterator[Any]:
    """An open psycopg pool that checks each connection before handing it out (so it recovers from a PostgreSQL
    restart by itself) and waits at most ``timeout_s`` for one; connections as LangGraph's saver needs them."""
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    from agent.turnlock import is_store_outage

    pool = ConnectionPool(uri, min_size=1, max_size=size, timeout=timeout_s, open=False, name=name,
                          check=ConnectionPool.check_connection,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    try:
        try:
            pool.open(wait=True, timeout=timeout_s)
        except Exception as exc:
            if is_store_outage(exc):
                raise ShopagentError(f"cannot use PostgreSQL at {where(uri)}: {first_line(exc)} (is it up? check "
                                     "SHOPAGENT_CHECKPOINT_URL)") from exc
            raise
        yield pool
    finally:
        pool.close()


SETUP_LOCK = 0x5A0C_5E7  # advisory lock id held while the checkpoint tables are created


@contextmanager
def postgres_saver(uri: str, pool_size: int = 8, timeout_s: float = 5.0) -> Iterator[Any]:
    """``PostgresSaver`` over a checked connection pool: it survives a PostgreSQL restart by itself (requests during
    the outage fail with ``StoreUnavailableError``)."""
    from langgraph.checkpoint.postgres import PostgresSaver

    with connection_pool(uri, pool_size, timeout_s, "shopagent-checkpoints") as pool:
        saver = PostgresSaver(pool)
        with pool.connection() as conn:  # workers starting together: one runs the migrations, the others wait
            _take_setup_lock(conn, uri)
            try:
                saver.setup()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))
        yield saver


def _take_setup_lock(conn: Any, uri: str, wait_s: float = 120.0) -> None:
    """Take the set-up lock by polling ``pg_try_advisory_lock``, never by waiting in ``pg_advisory_lock``: the
    migrations build indexes CONCURRENTLY, which waits for every transaction in progress, and a worker blocked in
    ``pg_advisory_lock`` is one - while the worker it waits for sits in that build (PostgreSQL sees no deadlock: the
    lock is held by another connection of the waiting process)."""
    deadline = time.monotonic() + wait_s
    while not conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (SETUP_LOCK,)).fetchone()["got"]:
        if time.monotonic() > deadline:
            raise ShopagentError(f"the checkpoint tables at {where(uri)} have been being set up by another process "
                                 f"for over {wait_s:.0f} s: is a worker stuck? restart it, or check "
                                 "pg_stat_activity")
        time.sleep(0.2)


@contextmanager
def open_turn_locks(uri: str, data_dir: Path, max_turns: int = 16, timeout_s: float = 5.0) -> Iterator[Any]:
    """Per-conversation turn locks for the checkpointer at ``uri``: advisory locks on a PostgreSQL pool of their
    own (one connection per running turn), else file locks under ``data_dir`` (one machine)."""
    from agent.turnlock import FileTurnLocks, PostgresTurnLocks

    if not uri.startswith(("postgresql://", "postgres://")):
        yield FileTurnLocks(data_dir / "locks")
        return
    with connection_pool(uri, max_turns, timeout_s, "shopagent-turn-locks") as pool:
        yield PostgresTurnLocks(pool, timeout_s)


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
