"""`bench scale`'s alternating 1- and 2-worker rounds without services: a scripted run, so the per-round 2/1
ratios, their median, min-max and verdict, the per-arm medians and the order of the arms can be checked exactly."""

from __future__ import annotations

import pytest

from shopagent.bench.scale import ModeFigures, ScaleResult, alternating_rounds
from shopagent.cluster.shopper import TurnOutcome

URLS = ["http://w0", "http://w1"]


def _outcomes(n: int, ok: bool = True) -> list[TurnOutcome]:
    return [TurnOutcome(thread_id="t", turn_id=str(i), ok=ok, wall_s=0.5,
                        result={"timings": {"overhead_ms": 10.0}}) for i in range(n)]


def _scripted(turns: dict[int, list[int]], log: list[tuple[int, str]]):  # noqa: ANN202
    """A run that completes ``turns[workers][k]`` turns in 10 s on its k-th call, plus one failed turn."""
    calls = {1: 0, 2: 0}

    def run(urls: list[str], tag: str) -> tuple[list[TurnOutcome], float]:
        n = len(urls)
        log.append((n, tag))
        done = turns[n][calls[n]]
        calls[n] += 1
        return _outcomes(done) + _outcomes(1, ok=False), 10.0

    return run


def test_rounds_alternate_over_the_same_workers_and_report_the_median_ratio() -> None:
    log: list[tuple[int, str]] = []
    # turns/s 1 worker: 20, 25, 22, 18, 30; 2 workers: 36, 40, 44, 36, 33 -> 2/1: 1.8, 1.6, 2.0, 2.0, 1.1
    turns = {1: [200, 250, 220, 180, 300], 2: [360, 400, 440, 360, 330]}
    f = alternating_rounds(URLS, _scripted(turns, log), rounds=5, tag="capacity", say=lambda _: None)
    assert [n for n, _ in log] == [1, 2, 2, 1, 1, 2, 2, 1, 1, 2]
    assert all(tag.startswith("capacity-") for _, tag in log) and len({tag for _, tag in log}) == 10
    assert f.turns_per_s_1_rounds == [20.0, 25.0, 22.0, 18.0, 30.0]
    assert f.turns_per_s_2_rounds == [36.0, 40.0, 44.0, 36.0, 33.0]
    assert f.turns_per_s_1 == 22.0 and f.turns_per_s_2 == 36.0  # medians of each arm (what I-scale compares)
    assert f.spread.ratios == [1.8, 1.6, 2.0, 2.0, 1.1]
    assert f.ratio == f.spread.median == 1.8
    assert (f.spread.min, f.spread.max, f.spread.verdict) == (1.1, 2.0, "faster")
    assert f.turns_1 == 1150 and f.turns_2 == 1890 and f.rounds == 5  # failed turns are not counted
    assert f.turn_ms_p50 == 500.0 and f.overhead_ms_p50 == 10.0


def test_a_round_where_one_worker_keeps_up_makes_it_no_difference() -> None:
    turns = {1: [200, 200, 200, 400, 200], 2: [380, 380, 380, 380, 380]}
    f = alternating_rounds(URLS, _scripted(turns, []), rounds=5, tag="e2e", say=lambda _: None)
    assert f.ratio == 1.9 and f.spread.min == 0.95 and f.spread.verdict == "no difference"


def test_json_keeps_the_keys_the_target_checks_read() -> None:
    for key in ("turns_per_s_1", "turns_per_s_2", "lost_turns", "duplicated_turns", "errors", "failover_ok"):
        assert key in ScaleResult.model_fields
    for key in ("ratio", "spread", "rounds", "turns_per_s_1_rounds", "turns_per_s_2_rounds"):
        assert key in ModeFigures.model_fields
