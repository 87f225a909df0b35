"""`shopagent bench app`: the parts that decide its figures, without starting the app or training a model."""

from __future__ import annotations

import httpx
import pytest


def test_held_out_shoppers_are_a_fixed_draw_of_those_with_three_items() -> None:
    from shopagent.bench.app import _held_out

    seqs = {f"u{i}": ["a"] * (1 + i % 4) for i in range(40)}  # lengths 1..4
    first, again = _held_out(seqs, 10, seed=0), _held_out(seqs, 10, seed=0)
    assert first == again and len(set(first)) == 10
    assert all(len(seqs[u]) >= 3 for u in first)
    assert _held_out(seqs, 10, seed=1) != first
    with pytest.raises(Exception, match="3 or more items"):
        _held_out(seqs, 100, seed=0)


def test_the_model_servers_request_count_is_read_from_its_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    from shopagent.bench import app

    text = ('# HELP vllm:request_success_total Count\nvllm:request_success_total{finished_reason="stop",'
            'model_name="m"} 3.0\nvllm:request_success_total{finished_reason="length",model_name="m"} 2.0\n')
    seen = []

    def get(url: str, timeout: float) -> httpx.Response:
        seen.append(url)
        return httpx.Response(200, text=text)

    monkeypatch.setattr(httpx, "get", get)
    assert app._vllm_requests("http://127.0.0.1:9/v1") == 5.0
    assert seen == ["http://127.0.0.1:9/metrics"]
    monkeypatch.setattr(httpx, "get", lambda url, timeout: httpx.Response(200, text="# nothing\n"))
    assert app._vllm_requests("http://127.0.0.1:9/v1") is None
