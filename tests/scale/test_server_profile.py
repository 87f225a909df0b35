"""The server profile on real services: PostgreSQL (a throwaway cluster), ``chroma run``, ``shopagent api`` worker
processes and, for the reply model, the scripted responder or the real embedded vLLM. Faults are real: SIGKILL,
a stopped PostgreSQL, a stopped Chroma server, a killed vLLM."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from typing import Any

import httpx
import pytest

from agent.nodes.compose import LLM_DOWN

pytestmark = pytest.mark.integration


def chat(url: str, thread: str, message: str, turn_id: str | None = None, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{url}/v1/chat", json={"thread_id": thread, "message": message, "turn_id": turn_id,
                                              "stream": False}, timeout=timeout)


def thread_state(url: str, thread: str) -> dict[str, Any]:
    r = httpx.get(f"{url}/v1/threads/{thread}", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def user_messages(state: dict[str, Any]) -> list[str]:
    return [m["content"] for m in state["messages"] if m["role"] == "user"]


def test_any_worker_serves_any_turn_of_any_thread(api_workers) -> None:  # noqa: ANN001
    w0, w1 = api_workers(2)
    for w in (w0, w1):  # a first turn on each worker (checkpointer tables, first search) out of the way
        assert chat(w.url, f"warm-{w.port}", "hi").status_code == 200
    first = chat(w0.url, "roam", "show me running shoes under $120", "roam-1")
    assert first.status_code == 200, first.text
    shown = [p["id"] for p in first.json()["products"]]
    second = chat(w1.url, "roam", "compare the first and second", "roam-2")  # the other worker, same thread
    assert second.status_code == 200, second.text
    assert second.json()["action"] == "compare"
    assert [p["id"] for p in second.json()["products"]] == shown[:2]  # it knew what worker 0 had shown
    for w in (w0, w1):
        state = thread_state(w.url, "roam")
        assert state["turn_ids"] == ["roam-1", "roam-2"]
        assert user_messages(state) == ["show me running shoes under $120", "compare the first and second"]


def test_two_turns_of_one_thread_at_once_one_gets_409(api_workers) -> None:  # noqa: ANN001
    w0, w1 = api_workers(2)
    for w in (w0, w1):  # open each worker's agent first, so both requests really overlap (a turn is >= 0.5 s)
        assert chat(w.url, f"warm-{w.port}", "hi").status_code == 200

    def race(thread: str) -> list[int]:
        statuses: list[int] = []
        gate = threading.Barrier(2)

        def send(url: str, n: int) -> None:
            gate.wait()
            statuses.append(chat(url, thread, f"show me tents number {n}", f"{thread}-{n}").status_code)

        threads = [threading.Thread(target=send, args=(w.url, i)) for i, w in enumerate((w0, w1))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sorted(statuses)

    outcomes = []
    for attempt in range(3):  # a very busy machine may still serialise them: then both turns are stored, in order
        thread = f"race-{attempt}"
        outcomes.append(race(thread))
        state = thread_state(w0.url, thread)
        stored = 1 if outcomes[-1] == [200, 409] else 2
        assert outcomes[-1] in ([200, 409], [200, 200])
        assert len(state["turn_ids"]) == stored and len(user_messages(state)) == stored
        if outcomes[-1] == [200, 409]:
            break
    assert outcomes[-1] == [200, 409], outcomes


def test_worker_killed_mid_stream_the_retry_on_another_completes_it_once(api_workers) -> None:  # noqa: ANN001
    w0, w1 = api_workers(2)
    assert chat(w0.url, "crash", "show me running shoes", "crash-1").status_code == 200
    body = {"thread_id": "crash", "message": "cheaper ones", "turn_id": "crash-2", "stream": True}
    seen: list[str] = []
    with pytest.raises(httpx.HTTPError):  # noqa: PT012 - the stream dies with its worker
        with httpx.stream("POST", f"{w0.url}/v1/chat", json=body, timeout=60) as r:
            for line in r.iter_lines():
                if line.startswith("event:"):
                    seen.append(line[6:].strip())
                if seen and seen[-1] == "products":  # tools done, the reply is being written: kill it now
                    w0.kill(signal.SIGKILL)
    assert "final" not in seen and not w0.alive()
    retry = chat(w1.url, "crash", "cheaper ones", "crash-2")
    assert retry.status_code == 200, retry.text
    assert retry.json()["action"] == "refine" and not retry.json()["replayed"]
    again = chat(w1.url, "crash", "cheaper ones", "crash-2")  # a second retry: the recorded turn, not a new one
    assert again.json()["replayed"] and again.json()["answer"] == retry.json()["answer"]
    state = thread_state(w1.url, "crash")
    assert state["turn_ids"] == ["crash-1", "crash-2"]
    assert user_messages(state) == ["show me running shoes", "cheaper ones"]


def test_postgres_down_is_503_and_the_workers_recover_by_themselves(api_workers, postgres) -> None:  # noqa: ANN001
    (w0,) = api_workers(1)
    assert chat(w0.url, "pg", "show me tents", "pg-1").status_code == 200
    postgres.stop()
    try:
        for stream in (False, True):
            r = httpx.post(f"{w0.url}/v1/chat", json={"thread_id": "pg", "message": "cheaper ones",
                                                      "turn_id": "pg-2", "stream": stream}, timeout=60)
            assert r.status_code == 503, r.text
            assert "PostgreSQL" in r.json()["error"]["message"] and "retry" in r.json()["error"]["message"]
    finally:
        postgres.start()
    deadline = time.monotonic() + 30
    while (r := chat(w0.url, "pg", "cheaper ones", "pg-2")).status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert r.status_code == 200, r.text
    assert thread_state(w0.url, "pg")["turn_ids"] == ["pg-1", "pg-2"]  # nothing lost across the restart


def test_chroma_down_search_turns_still_end(api_workers, chroma_service, profile_settings) -> None:  # noqa: ANN001
    from tools.search import SearchEngine, SearchRequest
    from tools.search.engine import STORE_DOWN

    (w0,) = api_workers(1)
    engine = SearchEngine.open(profile_settings)
    engine.costs.chroma_query = 0.0  # make the engine ask the Chroma server (at 200 products it would not)
    assert engine.search(SearchRequest(query="running shoes", k=5)).path == "chroma"
    chroma_service.stop()
    try:
        direct = engine.search(SearchRequest(query="running shoes", k=5))
        assert direct.path == "exact-store-down" and direct.message == STORE_DOWN and len(direct.hits) == 5
        health = httpx.get(f"{w0.url}/v1/health", timeout=30).json()
        assert health["vectors"] == "server-unreachable" and health["status"] == "degraded"
        r = chat(w0.url, "no-chroma", "show me running shoes", "nc-1")
        assert r.status_code == 200 and r.json()["action"] == "search" and r.json()["products"]
    finally:
        chroma_service.start()
    assert httpx.get(f"{w0.url}/v1/health", timeout=30).json()["vectors"] == "server"


def test_vllm_killed_mid_stream_ends_the_turn_clearly_and_the_next_turn_works(
        vllm_server, llm_endpoint, profile_settings) -> None:  # noqa: ANN001
    """On the real embedded vLLM (the session's server, restarted on its port afterwards), killed once the turn's
    products are known, i.e. as the reply model is asked (text streams only after the check, so there is no model
    stream to cut: the turn must still end clearly, in the shop's own words)."""
    from agent.runtime import AgentRuntime
    from shopagent.services import Services

    settings = profile_settings.model_copy(update={"llm_url": llm_endpoint.base_url, "llm_model": llm_endpoint.model})
    thread = f"vllm-{uuid.uuid4().hex[:6]}"
    with Services(settings, endpoint=llm_endpoint) as services, AgentRuntime.open(
            settings, services.tools(), llm_endpoint, reply_max_tokens=120, embedder=services.encoder()) as agent:
        events = []
        try:
            for event in agent.iter_turn(thread, "show me running shoes", turn_id="v-1"):
                events.append(event)
                if event.type == "products" and vllm_server.proc.poll() is None:
                    os.killpg(vllm_server.proc.pid, signal.SIGKILL)  # mid-turn
                    vllm_server.proc.wait(timeout=30)
        finally:
            if vllm_server.proc.poll() is not None:
                vllm_server.start()
                vllm_server.wait_ready()
        final = events[-1]
        assert final.type == "final" and "token" in [e.type for e in events]
        assert final.result.notes == [LLM_DOWN] and final.result.answer.startswith(LLM_DOWN)
        assert final.result.products  # the shop's data still answered
        assert agent.turn_ids(thread) == ["v-1"]
        after = agent.run_turn(thread, "cheaper ones", turn_id="v-2")
        assert after.notes == [] and after.timings.llm_ms > 0 and LLM_DOWN not in after.answer
        assert agent.turn_ids(thread) == ["v-1", "v-2"]
