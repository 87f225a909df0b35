"""`bench eval`'s rounds without a model: scripted runner and bare arms, so the per-round ratios, their median,
min-max and verdict, and who goes first in each round can be checked exactly."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest

import shopagent.bench.eval as bench


def _arms(ours: list[tuple[int, float]], bare: list[tuple[int, float]], log: list[str]) -> dict:
    it = {"ours": iter(ours), "bare": iter(bare)}

    def arm(side: str):  # noqa: ANN202
        def run() -> tuple[int, float]:
            log.append(side)
            return next(it[side])
        return run

    return {"ours": arm("ours"), "bare": arm("bare")}


def test_alternating_rounds_median_of_per_round_ratios() -> None:
    log: list[str] = []
    # per round ours/bare tok/s: 1.1, 0.9, 1.3, 1.05, 0.7 -> median 1.05, range 0.7-1.3: no difference
    ours = [(110, 1.0), (90, 1.0), (130, 1.0), (210, 2.0), (70, 1.0)]
    bare = [(100, 1.0)] * 5
    r = bench.alternating_rounds(_arms(ours, bare, log), rounds=5, questions=10)
    assert log == ["ours", "bare", "bare", "ours", "ours", "bare", "bare", "ours", "ours", "bare"]
    assert r.spread.ratios == pytest.approx([1.1, 0.9, 1.3, 1.05, 0.7])
    assert r.ratio == r.spread.median == 1.05
    assert (r.spread.min, r.spread.max, r.spread.verdict) == (0.7, 1.3, "no difference")
    # tok/s and req/s per side stay over the summed tokens and seconds
    assert r.tok_s_ours == pytest.approx(610 / 6) and r.tok_s_bare == pytest.approx(100.0)
    assert r.req_s_ours == pytest.approx(50 / 6) and r.req_s_bare == pytest.approx(10.0)


def test_a_ratio_of_sums_would_differ_from_the_median() -> None:
    """One very slow bare round drags a ratio of sums; the median of per-round ratios does not follow it."""
    ours = [(100, 1.0)] * 5
    bare = [(100, 1.0), (100, 1.0), (100, 10.0), (100, 1.0), (100, 1.0)]
    r = bench.alternating_rounds(_arms(ours, bare, []), rounds=5, questions=1)
    assert r.tok_s_ours / r.tok_s_bare == pytest.approx(500 / 5 / (500 / 14))  # 2.8 as a ratio of sums
    assert r.ratio == 1.0 and r.spread.max == 10.0 and r.spread.verdict == "no difference"


def test_run_eval_bench_defaults_to_five_rounds_and_reports_the_spread(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    async def bare(questions, endpoint, concurrency):  # noqa: ANN001, ANN202
        calls.append("bare")
        return 100, 1.0

    async def ours(questions, endpoint, concurrency, cache_path):  # noqa: ANN001, ANN202
        calls.append("ours")
        return 150, 1.0

    @contextmanager
    def endpoint(settings, embedded):  # noqa: ANN001, ANN202
        yield SimpleNamespace(model="scripted")

    monkeypatch.setattr(bench, "_bare", bare)
    monkeypatch.setattr(bench, "_ours", ours)
    monkeypatch.setattr(bench, "llm_endpoint", endpoint)
    monkeypatch.setattr(bench, "bench_questions", lambda n: list(range(n)))
    r = bench.run_eval_bench(SimpleNamespace(), embedded=False, concurrency=3, n_questions=8)
    assert calls[0] == "bare" and calls.count("ours") == 5 and calls.count("bare") == 6  # warm-up + 5 rounds
    assert r.rounds == 5 and r.spread.rounds == 5 and r.concurrency == 3 and r.model == "scripted"
    assert r.ratio == 1.5 and r.spread.verdict == "faster" and r.questions == 8
    dumped = r.model_dump()
    assert dumped["ratio"] == 1.5 and dumped["spread"]["ratios"] == [1.5] * 5
    from rich.console import Console

    console = Console(width=300, record=True)
    console.print(r.as_table())
    text = console.export_text()
    assert "faster" in text and "1.500-1.500" in text and "1.50, 1.50, 1.50, 1.50, 1.50" in text
