"""`bench describe`'s rounds without a model: scripted arms, so the per-round ratios, their median, min-max and
verdict, and the alternating order can be checked exactly."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

import shopagent.bench.describe as bench
from tools.describe.models import DescribeRequest, DescribeResult

# (ours tokens, ours seconds), (bare tokens, bare seconds) per round: ratios 1.2, 0.8, 1.5, 1.0, 2.0
ROUNDS = [((120, 1.0), (100, 1.0)), ((80, 1.0), (100, 1.0)), ((150, 1.0), (100, 1.0)),
          ((100, 2.0), (50, 1.0)), ((200, 1.0), (100, 1.0))]


class FakeDescriber:
    closed = False

    def facts_for(self, request: DescribeRequest) -> None:
        return None

    async def aclose(self) -> None:
        self.closed = True


def _script(monkeypatch: pytest.MonkeyPatch, rounds: list) -> list[str]:
    """Patch both arms to play ``rounds``; returns the log of arms in the order they ran (warm-up included)."""
    calls: list[str] = []
    counters = {"ours": 0, "bare": 0}

    async def ours(describer, requests, concurrency):  # noqa: ANN001, ANN202
        (tokens, seconds), _ = rounds[counters["ours"]]
        counters["ours"] += 1
        calls.append("ours")
        # the tokens spread over the results, as the pipeline reports them
        return [DescribeResult(product_id=requests[0].key, completion_tokens=tokens)], seconds

    async def bare(endpoint, prompts, concurrency):  # noqa: ANN001, ANN202
        if not calls:  # the warm-up comes before any round
            calls.append("warm")
            return 1, 1.0
        _, (tokens, seconds) = rounds[counters["bare"]]
        counters["bare"] += 1
        calls.append("bare")
        return tokens, seconds

    monkeypatch.setattr(bench, "_run_ours", ours)
    monkeypatch.setattr(bench, "_run_bare", bare)
    monkeypatch.setattr(bench, "build_messages", lambda request, facts: [])
    return calls


def test_rounds_alternate_and_give_one_ratio_each(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _script(monkeypatch, ROUNDS)
    items = [bench.BenchItem(request=DescribeRequest(product_id=f"p{i}"), reference="x", source="demo")
             for i in range(3)]
    describer = FakeDescriber()
    first, totals, ratios = asyncio.run(bench._bench(SimpleNamespace(), describer, items, 4, 5))
    assert calls == ["warm", "ours", "bare", "bare", "ours", "ours", "bare", "bare", "ours", "ours", "bare"]
    assert ratios == pytest.approx([1.2, 0.8, 1.5, 1.0, 2.0])
    assert totals["ours_tokens"] == 650 and totals["ours_s"] == 6.0 and totals["bare_s"] == 5.0
    assert first[0].completion_tokens == 120 and describer.closed


def test_result_reports_the_median_with_its_spread(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _script(monkeypatch, ROUNDS)

    @contextmanager
    def endpoint(settings, embedded):  # noqa: ANN001, ANN202
        yield SimpleNamespace(model="scripted")

    monkeypatch.setattr(bench, "llm_endpoint", endpoint)
    monkeypatch.setattr(bench.Describer, "open", classmethod(lambda cls, ep, catalog: FakeDescriber()))
    result = bench.run_describe_bench(SimpleNamespace(), embedded=False, n_items=4, concurrency=2,
                                      datasets_dir=tmp_path, with_cosine=False)
    assert result.rounds == 5  # the default
    assert result.ratio == 1.2 == result.spread.median  # median of 1.2, 0.8, 1.5, 1.0, 2.0; E-describe reads it
    assert result.pair_ratios == result.spread.ratios == pytest.approx([1.2, 0.8, 1.5, 1.0, 2.0])
    assert (result.spread.min, result.spread.max, result.spread.verdict) == (0.8, 2.0, "no difference")
    assert result.tok_s_ours == round(650 / 6, 2) and result.tok_s_bare == 90.0  # summed: 450 tokens in 5 s
    dumped = result.model_dump()
    assert dumped["ratio"] == 1.2 and dumped["spread"]["verdict"] == "no difference"
    from rich.console import Console

    console = Console(width=400, record=True)
    console.print(result.as_table())
    text = console.export_text()
    assert "no difference" in text and "0.800-2.000" in text and "1.20, 0.80, 1.50, 1.00, 2.00" in text


def test_every_round_faster_reads_faster(monkeypatch: pytest.MonkeyPatch) -> None:
    _script(monkeypatch, [((130 + i, 1.0), (100, 1.0)) for i in range(5)])
    items = [bench.BenchItem(request=DescribeRequest(product_id="p0"), reference="x", source="demo")]
    _, _, ratios = asyncio.run(bench._bench(SimpleNamespace(), FakeDescriber(), items, 1, 5))
    spread = bench.Spread.of(ratios)
    assert spread.verdict == "faster" and spread.min == 1.3 and spread.median == 1.32
