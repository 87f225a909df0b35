"""Secure by default: no open listener off loopback, the MCP server checks the token, a shopper's data needs a token
allowed that shopper, and a conversation belongs to whoever started it (everyone else gets 404)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.errors import ShopagentError
from shopagent.api.app import create_app
from shopagent.api.security import check_listen, is_loopback

REPO_ROOT = Path(__file__).resolve().parents[2]
SHOP, TOKEN_A, TOKEN_B = "shop-token", "tok-a", "tok-b"


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SHOPAGENT_API_TOKEN"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run([sys.executable, "-m", "shopagent", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=REPO_ROOT)


@pytest.mark.parametrize("command", [["api", "--host", "0.0.0.0", "--port", "18437"],
                                     ["mcp", "--transport", "streamable-http", "--host", "0.0.0.0",
                                      "--port", "18438"]])
def test_serving_off_loopback_without_a_token_exits_with_one_line(command: list[str]) -> None:
    run = _cli(*command)
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert "SHOPAGENT_API_TOKEN" in lines[0] and "--insecure" in lines[0] and "0.0.0.0" in lines[0]


def test_loopback_and_tokens_listen_and_insecure_warns(api_settings, caplog) -> None:  # noqa: ANN001
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.5") and not is_loopback("shop.example")
    check_listen(api_settings, "127.0.0.1", False, "the tool API")
    check_listen(api_settings.model_copy(update={"api_token": SHOP}), "0.0.0.0", False, "the tool API")
    with pytest.raises(ShopagentError, match="without a token"):
        check_listen(api_settings, "10.0.0.5", False, "the tool API")
    with caplog.at_level(logging.WARNING):
        check_listen(api_settings, "0.0.0.0", True, "the tool API")
        check_listen(api_settings, "0.0.0.0", True, "the tool API")
    assert sum("INSECURE" in r.getMessage() for r in caplog.records) == 2  # at every start


def test_mcp_over_http_refuses_a_missing_or_wrong_token(make_toolbox, api_settings) -> None:  # noqa: ANN001
    from shopagent.api.mcp_server import build_server, http_app

    s = api_settings.model_copy(update={"api_token": SHOP, "api_user_tokens": {TOKEN_A: "u1"}})
    app = http_app(build_server(s, make_toolbox(settings=s)), s, "streamable-http", "127.0.0.1")
    hello = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "test", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream"}
    with TestClient(app, base_url="http://127.0.0.1:8090") as client:
        for auth in (None, "Bearer wrong", f"Bearer {TOKEN_A}", SHOP):  # a shopper's token is not the shop's
            headers = {**accept, **({"Authorization": auth} if auth else {})}
            r = client.post("/mcp", json=hello, headers=headers)
            assert r.status_code == 401, auth
            assert r.json()["error"]["type"] == "unauthorized"
        ok = client.post("/mcp", json=hello, headers={**accept, "Authorization": f"Bearer {SHOP}"})
        assert ok.status_code == 200 and "serverInfo" in ok.text


async def test_mcp_started_insecure_refuses_shopper_ids(make_toolbox, api_settings) -> None:  # noqa: ANN001
    from mcp.server.mcpserver.exceptions import ToolError

    from shopagent.api.mcp_server import build_server

    s = api_settings.model_copy(update={"api_insecure": True})
    server = build_server(s, make_toolbox(settings=s))
    with pytest.raises(ToolError, match="shop's token"):
        await server.call_tool("recommend", {"request": {"user_id": "u1", "k": 3}})


@pytest.fixture()
def guarded(make_toolbox, make_agent, api_settings, demo_catalog):  # noqa: ANN001, ANN201
    users = demo_catalog.users()
    s = api_settings.model_copy(update={"api_token": SHOP, "api_user_tokens": {TOKEN_A: users[0],
                                                                                TOKEN_B: users[1]}})
    with TestClient(create_app(s, make_toolbox(settings=s, agent=make_agent()))) as client:
        yield client, users


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_recommend_for_a_shopper_needs_a_token_allowed_that_shopper(guarded) -> None:  # noqa: ANN001
    client, users = guarded
    body = {"user_id": users[0], "k": 4}
    assert client.post("/v1/recommend", json=body).status_code == 401
    assert client.post("/v1/recommend", json=body, headers=_as(TOKEN_A)).status_code == 200
    assert client.post("/v1/recommend", json=body, headers=_as(SHOP)).status_code == 200
    r = client.post("/v1/recommend", json=body, headers=_as(TOKEN_B))
    assert r.status_code == 403 and r.json()["error"]["type"] == "forbidden"
    # a history-only request needs no shopper
    anon = client.post("/v1/recommend", json={"history": [], "k": 4}, headers=_as(TOKEN_B))
    assert anon.status_code == 200


def test_recommend_for_a_shopper_is_refused_on_a_server_started_insecure(make_toolbox, api_settings,
                                                                          demo_catalog) -> None:  # noqa: ANN001
    s = api_settings.model_copy(update={"api_insecure": True})
    with TestClient(create_app(s, make_toolbox(settings=s))) as client:
        r = client.post("/v1/recommend", json={"user_id": demo_catalog.users()[0], "k": 4})
        assert r.status_code == 403
        assert client.post("/v1/search", json={"query": "tent"}).status_code == 200


def test_another_users_thread_is_not_found_for_chat_and_threads(guarded) -> None:  # noqa: ANN001
    client, users = guarded
    started = client.post("/v1/chat", json={"thread_id": "a-1", "message": "show me tents", "stream": False},
                          headers=_as(TOKEN_A))
    assert started.status_code == 200 and started.json()["products"]
    mine = client.get("/v1/threads/a-1", headers=_as(TOKEN_A))
    assert mine.status_code == 200 and len(mine.json()["turn_ids"]) == 1
    assert client.get("/v1/threads/a-1", headers=_as(SHOP), params={"user_id": users[0]}).status_code == 200

    for headers, params in ((_as(TOKEN_B), {}), (_as(SHOP), {}), (_as(SHOP), {"user_id": users[1]})):
        r = client.get("/v1/threads/a-1", headers=headers, params=params)
        assert r.status_code == 404 and r.json()["error"]["type"] == "not_found"
        assert "show me tents" not in r.text
    for stream in (False, True):
        r = client.post("/v1/chat", json={"thread_id": "a-1", "message": "cheaper ones", "stream": stream},
                        headers=_as(TOKEN_B))
        assert r.status_code == 404, stream
    # A's conversation is as A left it: B's attempts ran nothing
    assert len(client.get("/v1/threads/a-1", headers=_as(TOKEN_A)).json()["turn_ids"]) == 1
    assert client.post("/v1/chat", json={"thread_id": "a-1", "message": "cheaper ones", "stream": False},
                       headers=_as(TOKEN_A)).status_code == 200
    # B may not speak as A either
    r = client.post("/v1/chat", json={"thread_id": "b-1", "message": "hi", "user_id": users[0], "stream": False},
                    headers=_as(TOKEN_B))
    assert r.status_code == 403
