"""The CRM agent: a small LangGraph loop ``think -> act -> think ...`` over the org's tools, in three modes.

- ``react``: ReAct text (Thought / Action / Action Input / Final Answer), parsed by rules.
- ``native``: the server's native tool calling (OpenAI ``tools``; vLLM's tool-call parser).
- ``guided``: JSON-schema guided decoding of ``{"action", "action_input"}`` (always well-formed, even from a tiny
  model).

At most ``max_turns`` model calls per task; the conversation is trimmed to the model's context; every model or tool
failure ends or continues the episode with a note, never an exception.
"""

from __future__ import annotations

import asyncio
import json
import logging
import operator
import re
from typing import Annotated, Literal, TypedDict

import openai
from langgraph.graph import END, START, StateGraph

from evals.crm import prompts
from evals.crm.tools import TOOLS, Org, call_tool, tool_specs

log = logging.getLogger(__name__)

Mode = Literal["react", "native", "guided"]
MODES: tuple[str, ...] = ("react", "native", "guided")
OBSERVATION_CHARS = 1500


class AgentState(TypedDict, total=False):
    messages: Annotated[list[dict], operator.add]
    pending: list[dict]  # tool calls the last turn asked for: {"id", "name", "args"}
    turns: int
    answer: str | None
    tool_calls: int
    error: str | None


def parse_react(text: str) -> tuple[str | None, dict | None]:
    """(final answer, tool call) from ReAct text; a reply with neither is taken as the answer."""
    m = re.search(r"Final Answer\s*:\s*(.*)", text, re.I | re.S)
    act = re.search(r"Action\s*:\s*([A-Za-z_]+)", text)
    if act and (not m or act.start() < m.start()) and act.group(1) in TOOLS:
        inp = re.search(r"Action Input\s*:\s*(.*)", text[act.end():], re.S)
        raw = inp.group(1).strip() if inp else ""
        brace = re.search(r"\{.*\}", raw, re.S)
        return None, {"name": act.group(1), "args": brace.group(0) if brace else raw.splitlines()[0] if raw else ""}
    if m:
        return m.group(1).strip(), None
    return text.strip(), None


def parse_guided(text: str) -> tuple[str | None, dict | None]:
    try:
        obj = json.loads(text)
        action, arg = str(obj.get("action", "")), obj.get("action_input", "")
    except (json.JSONDecodeError, AttributeError):
        return text.strip(), None
    if action in TOOLS:
        return None, {"name": action, "args": arg}
    return (arg if isinstance(arg, str) else json.dumps(arg)), None


def guided_schema() -> dict:
    return {"type": "object", "properties": {
        "action": {"type": "string", "enum": [*TOOLS, "final_answer"]},
        "action_input": {"type": "string"}}, "required": ["action", "action_input"]}


def trim(messages: list[dict], budget_chars: int) -> list[dict]:
    """Keep the system prompt and the task; drop the oldest steps until the rest fits ``budget_chars``."""
    head, steps = messages[:2], messages[2:]

    def size(ms: list[dict]) -> int:
        return sum(len(str(m.get("content") or "")) + len(json.dumps(m.get("tool_calls", ""))) for m in ms)

    while steps and size(head + steps) > budget_chars:
        steps = steps[1:]
        while steps and steps[0]["role"] == "tool":  # a tool result must follow its call
            steps = steps[1:]
    return head + steps


class CrmAgent:
    """Builds and runs the graph for one org, one endpoint, one mode."""

    def __init__(self, org: Org, client: openai.AsyncOpenAI, model: str, mode: Mode = "react", max_turns: int = 20,
                 context_tokens: int = 4096, max_tokens: int = 160) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        self.org, self.client, self.model, self.mode = org, client, model, mode
        self.max_turns, self.max_tokens = max_turns, max_tokens
        self.budget_chars = int((context_tokens - max_tokens) * 2.6) - (5200 if mode == "native" else 0)
        self.graph = self._build()

    def _build(self):  # noqa: ANN202 - CompiledStateGraph
        g = StateGraph(AgentState)
        g.add_node("think", self.think)
        g.add_node("act", self.act)
        g.add_edge(START, "think")
        g.add_conditional_edges("think", self.route, {"act": "act", "done": END})
        g.add_edge("act", "think")
        return g.compile()

    def route(self, state: AgentState) -> str:
        if state.get("pending") and state.get("turns", 0) < self.max_turns and not state.get("error"):
            return "act"
        return "done"

    async def _complete(self, messages: list[dict]):  # noqa: ANN202 - ChatCompletion
        kwargs: dict = {"model": self.model, "messages": messages, "max_tokens": self.max_tokens, "temperature": 0.0}
        if self.mode == "native":
            kwargs.update(tools=tool_specs(), tool_choice="auto")
        elif self.mode == "react":
            kwargs["stop"] = ["Observation:"]
        else:
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {"name": "step",
                                                                                "schema": guided_schema()}}
        return await self.client.chat.completions.create(**kwargs)

    async def think(self, state: AgentState) -> dict:
        turns = state.get("turns", 0) + 1
        try:
            response = await self._complete(trim(state["messages"], self.budget_chars))
        except openai.BadRequestError as exc:  # e.g. the context is full
            return {"turns": turns, "pending": [], "answer": None,
                    "error": f"model refused the request: {str(exc)[:160]}"}
        except (openai.APIError, asyncio.TimeoutError) as exc:
            return {"turns": turns, "pending": [], "answer": None, "error": f"model call failed: {type(exc).__name__}"}
        msg = response.choices[0].message
        text = msg.content or ""
        if self.mode == "native":
            calls = [{"id": c.id, "name": c.function.name, "args": c.function.arguments} for c in msg.tool_calls or []]
            if calls:
                out = {"role": "assistant", "content": text, "tool_calls": [
                    {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["args"]}}
                    for c in calls]}
                return {"turns": turns, "pending": calls, "messages": [out]}
            answer, call = parse_react(text)  # a model that writes its call as text still gets to act
            if call is None:
                return {"turns": turns, "pending": [], "answer": answer, "messages": [{"role": "assistant",
                                                                                         "content": text}]}
            calls = [{"id": f"text-{turns}", "text": True, **call}]
        else:
            answer, call = (parse_react if self.mode == "react" else parse_guided)(text)
            calls = [{"id": f"call-{turns}", **call}] if call else []
        return {"turns": turns, "pending": calls, "answer": answer if not calls else None,
                "messages": [{"role": "assistant", "content": text}]}

    async def act(self, state: AgentState) -> dict:
        out = []
        for call in state.get("pending", []):
            result = await asyncio.to_thread(call_tool, self.org, call["name"], call["args"])
            result = result[:OBSERVATION_CHARS]
            if self.mode == "native" and not call.get("text"):
                out.append({"role": "tool", "tool_call_id": call["id"], "content": result})
            else:
                out.append({"role": "user", "content": f"Observation: {result}"})
        return {"messages": out, "pending": [], "tool_calls": state.get("tool_calls", 0) + len(out)}

    async def run(self, task_type: str, context: str, query: str) -> AgentState:
        """One episode; returns the final state (``answer`` None when the agent gave none)."""
        state: AgentState = {"messages": [
            {"role": "system", "content": prompts.system_prompt(self.mode)},
            {"role": "user", "content": prompts.task_prompt(task_type, context, query)}], "turns": 0, "tool_calls": 0}
        try:
            return await self.graph.ainvoke(state, {"recursion_limit": 2 * self.max_turns + 5})
        except Exception as exc:  # noqa: BLE001 - one broken episode must not stop the suite
            log.warning("episode failed: %s", exc)
            return {**state, "answer": None, "error": f"{type(exc).__name__}: {str(exc)[:160]}"}
