"""Turn safety: one turn at a time per conversation, turn ids recorded once at the end (a retry never runs twice),
a failed turn leaves its thread as it was, and a reply model that stops answering ends the turn with a clear note."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.nodes.compose import LLM_DOWN
from agent.turnlock import FileTurnLocks
from core.errors import ThreadBusyError


def test_a_retried_turn_id_returns_the_recorded_turn_and_runs_nothing(make_agent) -> None:
    agent = make_agent()
    first = agent.run_turn("r1", "show me running shoes", turn_id="turn-a")
    prompts = len(agent.deps.chat_model.prompts)
    again = agent.run_turn("r1", "show me running shoes", turn_id="turn-a")
    assert again.replayed and not first.replayed
    assert again.answer == first.answer and [p.id for p in again.products] == [p.id for p in first.products]
    assert len(agent.deps.chat_model.prompts) == prompts  # the model was not asked again
    assert agent.turn_ids("r1") == ["turn-a"]
    assert [m["role"] for m in agent.history("r1")] == ["user", "assistant"]


def test_an_old_turn_id_after_later_turns_is_refused(make_agent) -> None:
    agent = make_agent()
    agent.run_turn("r2", "show me running shoes", turn_id="one")
    agent.run_turn("r2", "cheaper ones", turn_id="two")
    with pytest.raises(ThreadBusyError, match="was done already"):
        agent.run_turn("r2", "show me running shoes", turn_id="one")
    assert agent.turn_ids("r2") == ["one", "two"]


def test_a_second_turn_of_a_busy_thread_is_refused_at_once(make_agent) -> None:
    agent = make_agent()
    lease = agent.acquire("busy")
    try:
        t0 = time.perf_counter()
        with pytest.raises(ThreadBusyError, match="turn in progress"):
            agent.run_turn("busy", "show me tents")
        assert time.perf_counter() - t0 < 1.0
        assert agent.run_turn("other", "show me tents").products  # other threads are not held up
    finally:
        lease.release()
    assert agent.run_turn("busy", "show me tents").products
    assert len(agent.turn_ids("busy")) == 1


def test_stream_turn_raises_before_any_event_when_the_thread_is_busy(make_agent) -> None:
    import asyncio

    agent = make_agent()
    lease = agent.acquire("s-busy")

    async def start() -> None:
        await agent.stream_turn("s-busy", "show me tents")

    try:
        with pytest.raises(ThreadBusyError):
            asyncio.run(start())
    finally:
        lease.release()


def test_a_failed_turn_leaves_the_thread_as_it_was(make_agent, rule_planner, tmp_path: Path) -> None:
    class Flaky:
        def __init__(self) -> None:
            self.fail = False

        def plan(self, message, context):  # noqa: ANN001, ANN201
            if self.fail:
                raise RuntimeError("planner crashed")
            return rule_planner.plan(message, context)

    planner = Flaky()
    agent = make_agent(planner=planner, checkpoint_uri=f"sqlite:///{tmp_path / 'cp.sqlite'}")
    agent.run_turn("f1", "show me running shoes", turn_id="ok-1")
    before = agent.history("f1")
    planner.fail = True
    events = list(agent.iter_turn("f1", "cheaper ones", turn_id="bad-2"))
    assert events[-1].type == "error" and "planner crashed" in events[-1].error
    assert agent.turn_ids("f1") == ["ok-1"] and agent.history("f1") == before
    planner.fail = False
    assert agent.run_turn("f1", "cheaper ones", turn_id="bad-2").replayed is False  # the retry runs, once
    assert agent.turn_ids("f1") == ["ok-1", "bad-2"]


def test_a_reply_model_that_stops_answering_ends_the_turn_with_a_clear_note(make_agent) -> None:
    def down(prompt: str) -> str:
        raise ConnectionError("Connection refused")

    agent = make_agent(script=down)
    r = agent.run_turn("llm-down", "show me running shoes", turn_id="x")
    assert r.fallback and r.notes == [LLM_DOWN] and r.answer.startswith(LLM_DOWN)
    assert r.products and agent.turn_ids("llm-down") == ["x"]


def test_file_locks_exclude_threads_and_die_with_their_process(tmp_path: Path) -> None:
    locks = FileTurnLocks(tmp_path)
    held = locks.acquire("t")
    with pytest.raises(ThreadBusyError):
        locks.acquire("t")
    locks.acquire("u").release()
    held.release()
    locks.acquire("t").release()
    code = ("import sys, time; from pathlib import Path; from agent.turnlock import FileTurnLocks; "
            f"FileTurnLocks(Path({str(tmp_path)!r})).acquire('t'); print('held', flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(ThreadBusyError):
            locks.acquire("t")  # held by another process
    finally:
        child.kill()
        child.wait()
    locks.acquire("t").release()  # the lock died with its holder
