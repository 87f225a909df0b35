"""The API bench's parts on a small scale: request bodies drawn from the catalog, and the load generator's open and
closed loops against a real uvicorn server."""

from __future__ import annotations

import threading
import time

import pytest


@pytest.fixture()
def live_api(make_toolbox, api_settings):  # noqa: ANN001, ANN201
    import httpx
    import uvicorn

    from shopagent.api.app import create_app
    from core.llm.serve import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(api_settings, make_toolbox()), host="127.0.0.1", port=port,
                                           log_level="warning", loop="asyncio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_bodies_are_valid_requests_drawn_from_the_catalog(api_settings, demo_catalog) -> None:  # noqa: ANN001
    from shopagent.bench.api import make_bodies
    from tools.recommend.models import RecommendRequest
    from tools.search.models import SearchRequest

    searches, recs = make_bodies(api_settings, n=200, seed=1)
    assert len(searches) == len(recs) == 200
    assert len({b["query"] for b in searches}) > 100  # drawn at random, not one cached query
    assert all(SearchRequest.model_validate(b).query for b in searches)
    users = set(demo_catalog.users())
    assert all(RecommendRequest.model_validate(b).user_id in users for b in recs)


def test_loadgen_open_and_closed_loops_count_requests_and_errors(live_api: str, api_settings) -> None:  # noqa: ANN001
    from shopagent.bench.api import _loadgen, make_bodies

    searches, _ = make_bodies(api_settings, n=50)
    out = _loadgen({"base_url": live_api, "phases": [
        {"name": "open", "kind": "open", "path": "/v1/search", "bodies": searches, "rate": 20, "duration_s": 1},
        {"name": "closed", "kind": "closed", "path": "/v1/search", "bodies": searches, "clients": 4,
         "duration_s": 1},
        {"name": "bad", "kind": "open", "path": "/v1/products-nope", "bodies": [{}], "rate": 10, "duration_s": 0.5},
    ]})
    assert out["open"]["sent"] == 20 and len(out["open"]["latencies_ms"]) == 20 and out["open"]["errors"] == 0
    assert all(ms > 0 for ms in out["open"]["latencies_ms"])
    assert out["closed"]["errors"] == 0 and out["closed"]["rps"] > 0
    assert out["bad"]["errors"] == 5  # a 404 counts as an error


def test_inproc_rps_counts_calls() -> None:
    from shopagent.bench.api import inproc_rps

    calls = []
    rps = inproc_rps(lambda r: (calls.append(r), time.sleep(0.01)), list(range(5)), 0.3, 2)
    assert 20 < rps < 250 and set(calls) <= set(range(5))


def test_http_over_inproc_is_taken_in_alternating_rounds(live_api: str, api_settings, make_toolbox) -> None:  # noqa: ANN001
    from shopagent.bench.api import make_bodies, ratio_rounds
    from tools.search.models import SearchRequest

    searches, _ = make_bodies(api_settings, n=50)
    box = make_toolbox()
    reqs = [SearchRequest.model_validate(b) for b in searches]
    said: list[str] = []
    spread = ratio_rounds(live_api, box.search, reqs, searches, clients=4, threads=2, rounds=3, round_s=0.5,
                          say=said.append)
    assert spread.rounds == 3 and len(said) == 3 and not spread.enough  # fewer than 5 rounds: not a claim
    assert all(r > 0 for r in spread.ratios) and spread.min <= spread.median <= spread.max
