"""The async runner against a scripted OpenAI-compatible server: concurrency bound, cache resume, failures."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import openai
import pytest

from evals.shopping_mmlu import runner
from evals.shopping_mmlu.data import Question
from evals.shopping_mmlu.runner import AnswerCache, answer_questions
from core.llm.client import Endpoint

ENDPOINT = Endpoint(base_url="http://scripted/v1", model="scripted-model", max_retries=0, timeout_s=5)


class ScriptedServer:
    """Answers chat completions: the first allowed choice for guided requests, else a fixed text."""

    def __init__(self, fail_on: str | None = None, delay: float = 0.01) -> None:
        self.requests: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.fail_on = fail_on
        self.delay = delay

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(self.delay)
        self.in_flight -= 1
        prompt = body["messages"][-1]["content"]
        if self.fail_on and self.fail_on in prompt:
            return httpx.Response(400, json={"error": {"message": "prompt too long", "type": "BadRequestError"}})
        guided = body.get("structured_outputs", {}).get("choice")
        text = guided[0] if guided else "1, 2, 3"
        return httpx.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 1 if guided else 5, "total_tokens": 11},
        })


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> ScriptedServer:
    srv = ScriptedServer()

    def client(endpoint: Endpoint, max_connections: int = 256) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=endpoint.base_url, api_key="x", max_retries=0,
                                  http_client=httpx.AsyncClient(transport=httpx.MockTransport(srv)))

    monkeypatch.setattr(runner, "async_openai_client", client)
    return srv


def _questions(n: int) -> list[Question]:
    out = []
    for i in range(n):
        if i % 2:
            out.append(Question(input_field=f"Q{i}?\n0. a\n1. b\n2. c\n3. d\nAnswer: ", output_field=0,
                                task_name="mc", task_type="multiple-choice", metric="accuracy"))
        else:
            out.append(Question(input_field=f"Q{i}: pick 3\nOutput: ", output_field=[1, 2, 3], task_name="ret",
                                task_type="retrieval", metric="hit rate@3"))
    return out


def test_answers_with_bounded_concurrency_and_guided_choices(server: ScriptedServer) -> None:
    qs = _questions(40)
    done: list[int] = []
    outputs, stats = asyncio.run(answer_questions(qs, ENDPOINT, concurrency=4, on_answer=done.append))
    assert server.max_in_flight <= 4 and server.max_in_flight >= 2
    assert stats.asked == 40 and stats.errors == 0 and sum(done) == 40
    assert stats.completion_tokens == 20 * 1 + 20 * 5
    mc_requests = [r for r in server.requests if "structured_outputs" in r]
    assert len(mc_requests) == 20 and all(r["max_tokens"] == 1 for r in mc_requests)
    assert all(outputs[q.key] == ("0" if q.task_type == "multiple-choice" else "1, 2, 3") for q in qs)


def test_resume_asks_only_what_the_cache_lacks(server: ScriptedServer, tmp_path: Path) -> None:
    qs = _questions(10)
    cache = tmp_path / "answers.jsonl"
    asyncio.run(answer_questions(qs[:6], ENDPOINT, cache=AnswerCache(cache)))
    with cache.open("a") as f:
        f.write('{"key": "cut-off-li')  # an interrupted write is ignored
    server.requests.clear()
    outputs, stats = asyncio.run(answer_questions(qs, ENDPOINT, cache=AnswerCache(cache)))
    assert stats.cached == 6 and stats.asked == 4 and len(server.requests) == 4
    assert all(outputs[q.key] is not None for q in qs)


def test_a_failed_request_is_unanswered_not_cached_and_the_run_goes_on(
        server: ScriptedServer, tmp_path: Path) -> None:
    server.fail_on = "Q3?"
    qs = _questions(6)
    cache = tmp_path / "answers.jsonl"
    outputs, stats = asyncio.run(answer_questions(qs, ENDPOINT, cache=AnswerCache(cache)))
    assert stats.errors == 1 and outputs[qs[3].key] is None
    assert sum(1 for _ in cache.open()) == 5
    server.fail_on = None
    _, again = asyncio.run(answer_questions(qs, ENDPOINT, cache=AnswerCache(cache)))
    assert again.asked == 1 and again.cached == 5


def test_duplicate_questions_are_asked_once(server: ScriptedServer) -> None:
    q = _questions(1)[0]
    done: list[int] = []
    _, stats = asyncio.run(answer_questions([q, q, q], ENDPOINT, on_answer=done.append))
    assert stats.asked == 1 and len(server.requests) == 1 and sum(done) == 3
