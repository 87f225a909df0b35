"""The pieces of ``bench scale`` on their own: the scripted OpenAI-compatible responder (through the same LangChain
client the agent uses), the SSE parsing of the shopper client, and the PostgreSQL store check (it must catch a
lost and a doubled turn, or the bench's zeros would mean nothing)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopagent.cluster.responder import MODEL, REPLY, create_app
from shopagent.cluster.shopper import parse_sse


def test_scripted_responder_speaks_openai_streamed_and_not() -> None:
    from langchain_openai import ChatOpenAI

    client = TestClient(create_app(ttft_s=0.0, token_s=0.0))
    assert client.get("/v1/models").json()["data"][0]["id"] == MODEL
    model = ChatOpenAI(base_url="http://testserver/v1", api_key="x", model=MODEL, http_client=client, max_retries=0)
    assert model.invoke("hi").content == REPLY
    chunks = [c.content for c in model.stream("hi")]
    assert "".join(chunks) == REPLY and len([c for c in chunks if c]) > 5


def test_parse_sse_reads_event_and_multiline_data() -> None:
    assert parse_sse(["event: final", 'data: {"a":', "data: 1}"]) == ("final", '{"a":\n1}')
    assert parse_sse(["data: x"]) == ("message", "x")


@pytest.mark.integration
def test_store_check_finds_lost_and_doubled_turns(postgres, make_agent) -> None:  # noqa: ANN001
    from shopagent.bench.scale import Ledger, check_store
    from shopagent.cluster.shopper import TurnOutcome

    agent = make_agent(checkpoint_uri=postgres.url)
    ledger = Ledger()
    for thread, turns in {"ok": ["a", "b"], "lost": ["c", "d"], "doubled": ["e"]}.items():
        for t in turns:
            ledger.add(TurnOutcome(thread_id=thread, turn_id=t, ok=True))
    for t in ("a", "b"):
        agent.run_turn("ok", "show me tents", turn_id=t)
    agent.run_turn("lost", "show me tents", turn_id="c")  # "d" never reached the store
    agent.run_turn("doubled", "show me tents", turn_id="e")
    agent.graph.update_state({"configurable": {"thread_id": "doubled"}}, {"turn_ids": ["e", "stray"]})
    assert check_store(postgres.url, ledger) == (1, 2)  # d lost; e twice and a turn nobody sent
