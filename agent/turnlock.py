"""One turn at a time per conversation, across threads, processes and machines.

A turn holds its thread's lock from before it reads the checkpoint until after it writes it, so two requests for
the same thread never interleave: the second gets ``ThreadBusyError`` (the API's 409). The lock dies with its
holder, so a worker killed mid-turn never leaves a thread locked:

- ``FileTurnLocks`` (SQLite or in-memory checkpointer, one machine): ``flock`` on a file per thread.
- ``PostgresTurnLocks`` (``postgresql://`` checkpointer, any number of workers): a session advisory lock on a
  pooled connection, released by the server when that connection closes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Protocol

from core.errors import StoreUnavailableError, ThreadBusyError, first_line


class Lease(Protocol):
    def release(self) -> None: ...


class TurnLocks(Protocol):
    def acquire(self, thread_id: str) -> Lease:
        """The thread's lock, or ``ThreadBusyError`` at once when a turn of it is running."""
        ...


def busy(thread_id: str) -> ThreadBusyError:
    return ThreadBusyError(f"conversation {thread_id!r} has a turn in progress: wait for it to end, then send "
                           "again (with the same turn_id if this is a retry)")


def lock_key(thread_id: str) -> int:
    """A stable signed 64-bit key for ``thread_id`` (advisory-lock space; file names)."""
    return int.from_bytes(hashlib.blake2b(thread_id.encode(), digest_size=8).digest(), "big", signed=True)


class LocalTurnLocks:
    """In-process turn locks (a runtime built by hand, without ``open_turn_locks``: tests, benches)."""

    def __init__(self) -> None:
        self._held: set[str] = set()
        self._guard = threading.Lock()

    def acquire(self, thread_id: str) -> Lease:
        with self._guard:
            if thread_id in self._held:
                raise busy(thread_id)
            self._held.add(thread_id)
        return _LocalLease(self, thread_id)


class _LocalLease:
    def __init__(self, locks: LocalTurnLocks, thread_id: str) -> None:
        self.locks, self.thread_id, self.held = locks, thread_id, True

    def release(self) -> None:
        if self.held:
            with self.locks._guard:
                self.locks._held.discard(self.thread_id)
            self.held = False


class _FileLease:
    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None


class FileTurnLocks:
    """``flock`` per thread under ``directory`` (locks are per open file, so threads of one process exclude too)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def acquire(self, thread_id: str) -> Lease:
        fd = os.open(self.directory / f"{lock_key(thread_id) & (2**64 - 1):016x}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise busy(thread_id) from None
        return _FileLease(fd)


def outage(exc: BaseException) -> StoreUnavailableError:
    return StoreUnavailableError(f"the conversation store (PostgreSQL) is not reachable right now ({first_line(exc)}); "
                                 "retry in a few seconds")


def is_store_outage(exc: BaseException) -> bool:
    """A lost or refused PostgreSQL connection, or a pool that could not hand one out in time."""
    from psycopg import OperationalError
    from psycopg_pool import PoolTimeout

    return isinstance(exc, (OperationalError, PoolTimeout))


class _PgLease:
    def __init__(self, pool: Any, conn: Any, key: int) -> None:
        self.pool, self.conn, self.key = pool, conn, key

    def release(self) -> None:
        if self.conn is None:
            return
        conn, self.conn = self.conn, None
        try:
            conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except Exception as exc:  # noqa: BLE001 - a broken connection took its lock with it
            if not is_store_outage(exc):
                raise
        finally:
            self.pool.putconn(conn)


class PostgresTurnLocks:
    """Session advisory locks on connections of the checkpointer's pool."""

    def __init__(self, pool: Any, timeout_s: float = 5.0) -> None:
        self.pool = pool
        self.timeout_s = timeout_s

    def acquire(self, thread_id: str) -> Lease:
        key = lock_key(thread_id)
        try:
            conn = self.pool.getconn(timeout=self.timeout_s)
        except Exception as exc:
            if is_store_outage(exc):
                raise outage(exc) from exc
            raise
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (key,)).fetchone()
        except Exception as exc:
            self.pool.putconn(conn)
            if is_store_outage(exc):
                raise outage(exc) from exc
            raise
        if not (row["ok"] if isinstance(row, dict) else row[0]):
            self.pool.putconn(conn)
            raise busy(thread_id)
        return _PgLease(self.pool, conn, key)
