"""``/v1/chat``: one agent turn, streamed as Server-Sent Events (or one JSON ``TurnResult``); ``/v1/threads/{id}``.

A turn holds its conversation's lock for its whole run: a second request for the same thread meanwhile gets 409,
and a lost PostgreSQL gets 503, both before any event is sent. A retry carrying the same ``turn_id`` returns the
turn that already ran instead of running it again. No conversation state lives in the worker: any worker serves
any turn of any thread.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse
from starlette.responses import Response

from agent.runtime import TurnResult
from shopagent.api.deps import get_toolbox, json_response, run_tool
from shopagent.api.models import ChatRequest, ErrorResponse
from shopagent.api.routes.tools import ERRORS
from shopagent.services import Services

router = APIRouter(tags=["chat"])

SSE_DOC = {"description": "stream=true: events `token`, `tool_start`, `tool_end`, `products`, `final` (data: a "
                          "JSON AgentEvent; `final` carries the TurnResult) or `error`.",
           "content": {"text/event-stream": {"schema": {
               "type": "object", "required": ["data"],
               "properties": {"event": {"type": "string",
                                        "enum": ["token", "tool_start", "tool_end", "products", "final", "error"]},
                              "data": {"type": "string", "description": "a JSON AgentEvent"}}}}}}
BUSY = {409: {"model": ErrorResponse, "description": "A turn of this conversation is in progress."}}


class ThreadState(BaseModel):
    """What the conversation store holds for a thread."""

    thread_id: str
    turn_ids: list[str] = Field(description="Completed turns, in order (each exactly once).")
    messages: list[dict[str, str]] = Field(description="The most recent messages.")


@router.post("/chat", response_model=TurnResult, responses={**ERRORS, **BUSY, 200: SSE_DOC}, summary="One agent turn")
async def chat(body: ChatRequest, request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    """Send a shopper message; the same ``thread_id`` continues the conversation (state is checkpointed)."""
    agent = await run_tool(request, toolbox.agent)
    timeout = request.app.state.settings.api_timeout_s
    if not body.stream:
        return json_response(await asyncio.wait_for(
            agent.submit(agent.run_turn, body.thread_id, body.message, body.user_id, body.turn_id), timeout))
    # 409 / 503 before anything is streamed
    events = await asyncio.wait_for(agent.stream_turn(body.thread_id, body.message, body.user_id, body.turn_id),
                                    timeout)

    async def sse() -> AsyncIterator[dict[str, str]]:
        async for event in events:
            yield {"event": event.type, "data": event.model_dump_json(exclude_none=True)}

    return EventSourceResponse(sse(), ping=15)


@router.get("/threads/{thread_id}", response_model=ThreadState, responses=ERRORS, summary="A conversation's state")
async def thread(thread_id: str, request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    """The completed turn ids and recent messages of a conversation (empty for an unknown one)."""
    agent = await run_tool(request, toolbox.agent)
    ids, messages = await run_tool(request, lambda: (agent.turn_ids(thread_id), agent.history(thread_id)))
    return json_response(ThreadState(thread_id=thread_id, turn_ids=ids, messages=messages))
