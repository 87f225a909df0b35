"""Contract tests of the tool API: one per endpoint, plus auth, size limit, timeout and structured errors."""

from __future__ import annotations

import json
import threading
import time

import pytest
from fastapi.testclient import TestClient

from shopagent.api.app import create_app


def _error(response) -> dict:  # noqa: ANN001
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"type", "message"} <= set(body["error"])
    return body["error"]


def test_health_reports_catalog_and_fallbacks_and_llm_down(api_client: TestClient) -> None:
    r = api_client.get("/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["products"] == 300
    assert body["search"] == "catalog-keyword" and body["recommender"] == "catalog-popularity"
    assert body["llm"]["ok"] is False and "shopagent llm serve" in body["llm"]["message"]
    assert body["status"] == "degraded"


def test_search_respects_query_and_price_filter(api_client: TestClient) -> None:
    r = api_client.post("/v1/search", json={"query": "running shoes", "k": 5, "filters": {"max_price": 70}})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert 0 < len(hits) <= 5
    for h in hits:
        assert h["product"]["price"] <= 70
        assert "running" in (h["product"]["title"] + " ".join(h["product"]["categories"])).lower()


def test_search_rejects_bad_k_naming_the_field(api_client: TestClient) -> None:
    r = api_client.post("/v1/search", json={"query": "tent", "k": 0})
    assert r.status_code == 422
    err = _error(r)
    assert err["type"] == "invalid_request" and "k" in err["message"]


def test_recommend_for_user_leaves_out_their_history(api_client: TestClient, demo_catalog) -> None:  # noqa: ANN001
    user = demo_catalog.users()[0]
    history = set(demo_catalog.profile(user).history)
    r = api_client.post("/v1/recommend", json={"user_id": user, "k": 6})
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == 6
    assert not history & {i["product_id"] for i in items}
    assert all(i["because"] for i in items)


def test_recommend_with_unknown_history_id_is_404(api_client: TestClient) -> None:
    r = api_client.post("/v1/recommend", json={"history": ["NOPE-1"], "k": 3})
    assert r.status_code == 404
    assert _error(r)["type"] == "unknown_product" and "NOPE-1" in _error(r)["message"]


def test_similar_returns_same_category(api_client: TestClient, demo_catalog) -> None:  # noqa: ANN001
    pid = demo_catalog.ids[0]
    r = api_client.post("/v1/similar", json={"item_id": pid, "k": 4})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and pid not in {i["product_id"] for i in items}
    assert all(demo_catalog.get(i["product_id"]).category == demo_catalog.get(pid).category for i in items)


def test_product_by_id_and_unknown_id(api_client: TestClient, demo_catalog) -> None:  # noqa: ANN001
    pid = demo_catalog.ids[3]
    r = api_client.get(f"/v1/products/{pid}")
    assert r.status_code == 200 and r.json()["title"] == demo_catalog.get(pid).title
    r = api_client.get("/v1/products/does-not-exist")
    assert r.status_code == 404 and _error(r)["type"] == "unknown_product"


def test_describe_returns_copy_and_flagged_claims(api_client: TestClient, demo_catalog) -> None:  # noqa: ANN001
    pid = demo_catalog.ids[0]
    r = api_client.post("/v1/describe", json={"product_id": pid, "tone": "premium", "keywords": ["gift"]})
    assert r.status_code == 200
    body = r.json()
    assert body["product_copy"]["seo_keywords"] == ["gift"]
    assert [c["supported"] for c in body["claims"]] == [True, False]


def test_describe_needs_exactly_one_source(api_client: TestClient) -> None:
    r = api_client.post("/v1/describe", json={"product_id": "x", "record": {"title": "y"}})
    assert r.status_code == 422 and _error(r)["type"] == "invalid_request"


def test_describe_with_llm_down_is_503_with_the_command(make_toolbox, api_settings) -> None:  # noqa: ANN001
    box = make_toolbox(describe_fn=None)
    with TestClient(create_app(api_settings, box)) as client:
        r = client.post("/v1/describe", json={"product_id": box.catalog.ids[0]})
    assert r.status_code == 503
    err = _error(r)
    assert err["type"] == "unavailable" and "shopagent llm serve" in err["message"]


def test_chat_json_turn_shows_products_and_trace(chat_client: TestClient) -> None:
    r = chat_client.post("/v1/chat", json={"thread_id": "t1", "message": "show me tents", "stream": False})
    assert r.status_code == 200
    body = r.json()
    assert body["thread_id"] == "t1" and body["products"]
    assert any(c["name"].startswith("search") for c in body["tool_calls"])


def test_chat_streams_sse_events_ending_with_final(chat_client: TestClient) -> None:
    with chat_client.stream("POST", "/v1/chat", json={"thread_id": "t2", "message": "show me running shoes"}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = [line.removeprefix("event: ").strip() for line in text.splitlines() if line.startswith("event:")]
    assert events[0] == "tool_start" and events[-1] == "final"
    assert "products" in events
    data = [json.loads(line.removeprefix("data: ")) for line in text.splitlines() if line.startswith("data:")]
    final = data[-1]["result"]
    assert final["thread_id"] == "t2" and final["products"]


def test_chat_continues_a_thread(chat_client: TestClient) -> None:
    first = chat_client.post("/v1/chat", json={"thread_id": "t3", "message": "show me running shoes",
                                              "stream": False}).json()
    second = chat_client.post("/v1/chat", json={"thread_id": "t3", "message": "cheaper ones", "stream": False}).json()
    top = min(p["price"] for p in first["products"])
    assert second["products"] and all(p["price"] < top for p in second["products"])


def test_token_required_when_configured(make_toolbox, api_settings) -> None:  # noqa: ANN001
    s = api_settings.model_copy(update={"api_token": "s3cret"})
    with TestClient(create_app(s, make_toolbox(settings=s))) as client:
        assert client.get("/v1/health").status_code == 200  # health is open
        r = client.post("/v1/search", json={"query": "tent"})
        assert r.status_code == 401 and _error(r)["type"] == "unauthorized"
        assert client.post("/v1/search", json={"query": "tent"},
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.post("/v1/search", json={"query": "tent"},
                           headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_request_body_over_the_limit_is_413(make_toolbox, api_settings) -> None:  # noqa: ANN001
    s = api_settings.model_copy(update={"api_max_body_bytes": 200})
    with TestClient(create_app(s, make_toolbox(settings=s))) as client:
        r = client.post("/v1/search", json={"query": "x" * 500})
        assert r.status_code == 413 and _error(r)["type"] == "too_large"
        assert client.post("/v1/search", json={"query": "tent"}).status_code == 200


def test_slow_tool_times_out_with_504(make_toolbox, api_settings, monkeypatch) -> None:  # noqa: ANN001
    s = api_settings.model_copy(update={"api_timeout_s": 0.2})
    box = make_toolbox(settings=s)
    monkeypatch.setattr(box, "search", lambda request: time.sleep(5.0))
    with TestClient(create_app(s, box)) as client:
        r = client.post("/v1/search", json={"query": "tent"})
    assert r.status_code == 504 and _error(r)["type"] == "timeout"


def test_chat_during_the_agent_warm_up_waits_for_it_or_says_retry(make_toolbox, make_agent, api_settings,  # noqa: ANN001
                                                                  monkeypatch) -> None:  # noqa: ANN001
    def slow_warm_up(box, done: threading.Event | None = None, seconds: float = 0.0):  # noqa: ANN001, ANN202
        opened = box.warm_agent  # held until the test lets it finish (a loaded machine may start the app slowly)
        return lambda: ((done.wait(30) if done is not None else time.sleep(seconds)), opened())

    turn = {"thread_id": "t-warm", "message": "show me tents", "stream": False}
    quick = api_settings.model_copy(update={"api_timeout_s": 0.3})
    box = make_toolbox(settings=quick, agent=make_agent())
    finish = threading.Event()
    monkeypatch.setattr(box, "warm_agent", slow_warm_up(box, done=finish))
    with TestClient(create_app(quick, box)) as client:
        r = client.post("/v1/chat", json=turn)  # the warm-up outlasts the timeout: 503 with when to retry, not 504
        assert r.status_code == 503 and _error(r)["type"] == "unavailable", r.text
        assert "still starting" in _error(r)["message"] and r.headers["retry-after"] == "5"
        finish.set()
        codes = []
        for _ in range(50):  # the warm-up done, the same turn is answered
            codes.append(client.post("/v1/chat", json=turn).status_code)
            if codes[-1] == 200:
                break
            time.sleep(0.2)
        assert codes[-1] == 200 and set(codes) <= {200, 503}, codes
    patient = api_settings.model_copy(update={"api_timeout_s": 10.0})
    box = make_toolbox(settings=patient, agent=make_agent())
    monkeypatch.setattr(box, "warm_agent", slow_warm_up(box, seconds=0.5))
    with TestClient(create_app(patient, box)) as client:
        assert client.post("/v1/chat", json=turn).status_code == 200  # a shorter warm-up is waited for


def test_an_agent_that_cannot_open_at_start_is_named_in_health(make_toolbox, api_settings, monkeypatch) -> None:  # noqa: ANN001
    from core.errors import ShopagentError

    box = make_toolbox()

    def broken() -> None:
        raise ShopagentError("cannot use PostgreSQL at db:5432: refused (is it up? check SHOPAGENT_CHECKPOINT_URL)")

    monkeypatch.setattr(box, "agent", broken)
    with TestClient(create_app(api_settings, box)) as client:
        for _ in range(50):  # the warm-up runs in a tool thread right after start
            health = client.get("/v1/health").json()
            if health["notes"] and health["notes"][-1].startswith("agent:"):
                break
            time.sleep(0.1)
    assert not health["agent_ready"]
    assert health["notes"][-1].startswith("agent: not opened at start (cannot use PostgreSQL at db:5432")


def test_unexpected_failure_is_500_without_a_traceback(make_toolbox, api_settings, monkeypatch) -> None:  # noqa: ANN001
    box = make_toolbox()

    def boom(request):  # noqa: ANN001, ANN202
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(box, "similar", boom)
    with TestClient(create_app(api_settings, box), raise_server_exceptions=False) as client:
        r = client.post("/v1/similar", json={"item_id": "x"})
    assert r.status_code == 500
    err = _error(r)
    assert err["type"] == "internal_error" and "secret" not in r.text and "Traceback" not in r.text


def test_openapi_documents_every_endpoint_with_errors(api_client: TestClient) -> None:
    spec = api_client.get("/openapi.json").json()
    for path in ["/v1/search", "/v1/recommend", "/v1/similar", "/v1/describe", "/v1/chat",
                 "/v1/products/{product_id}", "/v1/health"]:
        assert path in spec["paths"], path
        op = next(iter(spec["paths"][path].values()))
        assert "200" in op["responses"], path
        if path != "/v1/health":
            assert "422" in op["responses"] and "401" in op["responses"], path
    assert "text/event-stream" in spec["paths"]["/v1/chat"]["post"]["responses"]["200"]["content"]


def test_chat_on_a_busy_thread_is_409_before_any_event(chat_client: TestClient) -> None:
    agent = chat_client.app.state.toolbox.agent()
    lease = agent.acquire("held")
    try:
        for stream in (True, False):
            r = chat_client.post("/v1/chat", json={"thread_id": "held", "message": "show me tents", "stream": stream})
            assert r.status_code == 409, r.text
            assert r.json()["error"]["type"] == "thread_busy" and "turn in progress" in r.json()["error"]["message"]
    finally:
        lease.release()
    assert chat_client.post("/v1/chat", json={"thread_id": "held", "message": "show me tents",
                                              "stream": False}).status_code == 200


def test_chat_when_the_store_is_down_is_503_with_what_to_do(chat_client: TestClient, monkeypatch) -> None:  # noqa: ANN001
    from agent.turnlock import outage

    agent = chat_client.app.state.toolbox.agent()

    def down(thread_id: str) -> None:
        raise outage(ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(agent, "acquire", down)
    r = chat_client.post("/v1/chat", json={"thread_id": "pg", "message": "show me tents"})
    assert r.status_code == 503
    assert r.json()["error"]["type"] == "unavailable" and "retry in a few seconds" in r.json()["error"]["message"]


def test_a_retried_turn_id_is_answered_from_the_store(chat_client: TestClient) -> None:
    body = {"thread_id": "idem", "message": "show me running shoes", "stream": False, "turn_id": "k1"}
    first = chat_client.post("/v1/chat", json=body).json()
    with chat_client.stream("POST", "/v1/chat", json={**body, "stream": True}) as r:
        lines = [line for line in r.iter_lines() if line.startswith("event:")]
    assert lines == ["event: final"]  # nothing ran again: just the recorded turn
    state = chat_client.get("/v1/threads/idem").json()
    assert state["turn_ids"] == ["k1"] and first["turn_id"] == "k1" and not first["replayed"]
    assert [m["role"] for m in state["messages"]] == ["user", "assistant"]
