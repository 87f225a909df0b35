"""The checkpoint tables of a fresh PostgreSQL, set up by several workers starting at once (a real cluster)."""

from __future__ import annotations

import threading
import time

import pytest

pytestmark = pytest.mark.integration


def test_workers_setting_up_one_fresh_database_at_once_all_finish(postgres) -> None:  # noqa: ANN001
    """LangGraph's migrations build indexes CONCURRENTLY, which waits for every transaction in progress: a worker
    blocked in ``pg_advisory_lock`` is one, while the worker it waits for sits in that build - each waited on the
    other for ever (PostgreSQL cannot see it: the lock is held by another connection of the waiting process)."""
    from agent.checkpoint import postgres_saver

    done: list[float] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(3)

    def open_one() -> None:
        try:
            gate.wait()
            t0 = time.monotonic()
            with postgres_saver(postgres.url, pool_size=4, timeout_s=5.0):
                done.append(time.monotonic() - t0)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=open_one, daemon=True) for _ in range(3)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 90
    for w in workers:
        w.join(max(deadline - time.monotonic(), 0.1))
    assert not errors, errors
    assert len(done) == 3, f"{3 - len(done)} of 3 workers still setting up after 90 s"
