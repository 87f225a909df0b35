"""The CRM agent loop (scripted model: the real one is in the integration test) and the suite runner."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import SimpleNamespace

import httpx
import openai
import pytest

from evals.crm.agent import CrmAgent
from evals.crm.tools import Org


def _reply(content: str = "", tool_calls: list | None = None) -> SimpleNamespace:
    message = SimpleNamespace(content=content, tool_calls=tool_calls)
    return SimpleNamespace(choices=[SimpleNamespace(message=message)])


class ScriptedClient:
    """Stands in for AsyncOpenAI: answers from a script (the last reply repeats) and records every request."""

    def __init__(self, replies: list) -> None:
        self.replies, self.requests = replies, []
        self.chat = SimpleNamespace(completions=SimpleNamespace(create=self.create))

    async def create(self, **kwargs: object) -> SimpleNamespace:
        self.requests.append(kwargs)
        item = self.replies[min(len(self.requests) - 1, len(self.replies) - 1)]
        if isinstance(item, Exception):
            raise item
        return item


def _run(agent: CrmAgent, query: str = "Which issue?") -> dict:
    return asyncio.run(agent.run("top_issue_identification", "- Today's date: 2024-12-01", query))


def _product_with_cases(crm_org: Path) -> str:
    import sqlite3

    return sqlite3.connect(crm_org).execute(
        'SELECT oi.Product2Id FROM "Case" c JOIN "OrderItem" oi ON oi.Id = c.OrderItemId__c LIMIT 1').fetchone()[0]


def test_react_mode_calls_a_tool_then_answers(crm_org: Path) -> None:
    product = _product_with_cases(crm_org)
    args = json.dumps({"product_id": product, "start_date": "2023-01-01", "end_date": "2024-12-31"})
    client = ScriptedClient([_reply(f"Thought: count issues\nAction: get_issue_counts\nAction Input: {args}"),
                             _reply("Thought: got it\nFinal Answer: a1MSA0000000004")])
    state = _run(CrmAgent(Org(crm_org), client, "m", mode="react"))
    assert state["answer"] == "a1MSA0000000004" and state["tool_calls"] == 1 and state["turns"] == 2
    second = client.requests[1]["messages"]
    assert second[-1]["role"] == "user" and second[-1]["content"].startswith("Observation: IssueId__c | Name")
    assert client.requests[0]["stop"] == ["Observation:"]


def test_guided_mode_sends_a_json_schema_and_reads_json_steps(crm_org: Path) -> None:
    client = ScriptedClient([_reply(json.dumps({"action": "get_case", "action_input": '{"case_id": "bad"}'})),
                             _reply(json.dumps({"action": "final_answer", "action_input": "None"}))])
    state = _run(CrmAgent(Org(crm_org), client, "m", mode="guided"))
    assert state["answer"] == "None"
    assert client.requests[0]["response_format"]["type"] == "json_schema"
    assert "Error: bad arguments for get_case" in client.requests[1]["messages"][-1]["content"]


def test_native_mode_passes_tools_and_returns_tool_messages(crm_org: Path) -> None:
    call = SimpleNamespace(id="c1", function=SimpleNamespace(name="list_issues", arguments="{}"))
    client = ScriptedClient([_reply("", [call]), _reply("Final Answer: a1MSA0000000001")])
    state = _run(CrmAgent(Org(crm_org), client, "m", mode="native"))
    assert state["answer"] == "a1MSA0000000001"
    assert {t["function"]["name"] for t in client.requests[0]["tools"]} >= {"sql_query", "search_knowledge"}
    tool_msg = client.requests[1]["messages"][-1]
    assert tool_msg["role"] == "tool" and tool_msg["tool_call_id"] == "c1" and "Late delivery" in tool_msg["content"]


def test_turn_limit_stops_an_agent_that_never_answers(crm_org: Path) -> None:
    client = ScriptedClient([_reply("Action: list_issues\nAction Input: {}")])
    state = _run(CrmAgent(Org(crm_org), client, "m", mode="react", max_turns=5))
    assert state["turns"] == 5 and len(client.requests) == 5 and not state.get("answer")


def test_model_errors_end_the_episode_without_raising(crm_org: Path) -> None:
    request = httpx.Request("POST", "http://x/v1/chat/completions")
    error = openai.BadRequestError("context too long", response=httpx.Response(400, request=request), body=None)
    state = _run(CrmAgent(Org(crm_org), ScriptedClient([error]), "m", mode="react"))
    assert state["answer"] is None and "refused" in state["error"]


def test_long_conversations_are_trimmed_to_the_context(crm_org: Path) -> None:
    step = 'Action: sql_query\nAction Input: {"query": "SELECT Id, Subject FROM \\"Case\\""}'
    client = ScriptedClient([_reply(step)])
    _run(CrmAgent(Org(crm_org), client, "m", mode="react", max_turns=12, context_tokens=4096))
    sizes = [sum(len(m["content"]) for m in r["messages"]) for r in client.requests]
    assert max(sizes) <= (4096 - 160) * 2.6 and len(client.requests[-1]["messages"]) < 2 + 2 * 11


def test_run_crm_eval_scores_every_type_and_writes_the_shared_report(data_dir: Path, crm_org: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from evals.crm import runner
    from evals.report import load_results
    from core.config import get_settings
    from core.llm.client import Endpoint

    settings = get_settings()
    target = runner.org_path(settings, 0, "small")
    target.parent.mkdir(parents=True)
    shutil.copy(crm_org, target)
    monkeypatch.setattr(runner, "async_openai_client", lambda endpoint: ScriptedClient([_reply("Final Answer: None")]))
    figures = runner.run_crm_eval(settings, Endpoint(base_url="http://x/v1", model="scripted"), data_dir / "evals",
                                  limit=45, trials=2)
    assert figures["tasks"] == 45 and len(figures["per_task"]) == 9 and 0 <= figures["overall"] <= 1
    from evals.crm.tasks import spread, tasks_for_org

    chosen = spread(tasks_for_org(target, seed=0), 45)
    for ttype, value in figures["per_task"].items():  # answering "None" is right exactly on the None tasks
        mine = [t for t in chosen if t.type == ttype]
        expected = 0.0 if ttype == "knowledge_qa" else sum(t.answer is None for t in mine) / len(mine)
        assert value == pytest.approx(expected, abs=1e-4), ttype
    (result,) = load_results(Path(figures["report"]))
    assert result.suite == "crm" and result.questions == 90 and (Path(figures["report"]) / "attempts.jsonl").is_file()
