"""``/v1/chat``: one agent turn, streamed as Server-Sent Events (or one JSON ``TurnResult``); ``/v1/threads/{id}``.

A turn holds its conversation's lock for its whole run: a second request for the same thread meanwhile gets 409,
and a lost PostgreSQL gets 503, both before any event is sent. A retry carrying the same ``turn_id`` returns the
turn that already ran instead of running it again. No conversation state lives in the worker: any worker serves
any turn of any thread.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse
from starlette.responses import Response

from agent.runtime import TurnResult
from core.errors import ThreadNotFoundError
from shopagent.api.deps import allow_user, get_caller, get_toolbox, json_response, open_agent, run_tool
from shopagent.api.models import ChatRequest, ErrorResponse
from shopagent.api.routes.tools import ERRORS, FORBIDDEN
from shopagent.api.security import Caller
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
THREAD_NOT_FOUND = {404: {"model": ErrorResponse, "description": "The conversation belongs to another user or "
                                                                 "token (it is not found for this caller)."}}


class ThreadState(BaseModel):
    """What the conversation store holds for a thread."""

    thread_id: str
    turn_ids: list[str] = Field(description="Completed turns, in order (each exactly once).")
    messages: list[dict[str, str]] = Field(description="The most recent messages.")


@router.post("/chat", response_model=TurnResult, responses={**ERRORS, **BUSY, **THREAD_NOT_FOUND, **FORBIDDEN,
                                                             200: SSE_DOC}, summary="One agent turn")
async def chat(body: ChatRequest, request: Request, toolbox: Services = Depends(get_toolbox),
               caller: Caller = Depends(get_caller)) -> Response:
    """Send a shopper message; the same ``thread_id`` continues the conversation (state is checkpointed). A new
    thread is bound to the caller (its shopper, or its token); anyone else gets 404 for it."""
    allow_user(caller, body.user_id)
    owner = caller.owner(body.user_id)
    agent = await open_agent(request, toolbox)
    timeout = request.app.state.settings.api_timeout_s
    try:
        if not body.stream:
            return json_response(await asyncio.wait_for(agent.submit(
                agent.run_turn, body.thread_id, body.message, body.user_id, body.turn_id, None, owner), timeout))
        # 404 / 409 / 503 before anything is streamed
        events = await asyncio.wait_for(agent.stream_turn(body.thread_id, body.message, body.user_id, body.turn_id,
                                                          owner), timeout)
    except ThreadNotFoundError as exc:
        raise HTTPException(404, str(exc)) from None

    async def sse() -> AsyncIterator[dict[str, str]]:
        async for event in events:
            yield {"event": event.type, "data": event.model_dump_json(exclude_none=True)}

    return EventSourceResponse(sse(), ping=15)


@router.get("/threads/{thread_id}", response_model=ThreadState, responses={**ERRORS, **THREAD_NOT_FOUND},
            summary="A conversation's state")
async def thread(thread_id: str, request: Request, toolbox: Services = Depends(get_toolbox),
                 caller: Caller = Depends(get_caller),
                 user_id: str | None = Query(None, max_length=128, description="The shopper the shop's token asks "
                                                                               "for (as in /v1/chat).")) -> Response:
    """The completed turn ids and recent messages of the caller's conversation (empty for an unknown one; 404 for
    another user's or token's)."""
    allow_user(caller, user_id)
    owner = caller.owner(user_id)
    agent = await open_agent(request, toolbox)
    try:
        values = await run_tool(request, agent.values, thread_id, owner)
    except ThreadNotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    return json_response(ThreadState(thread_id=thread_id, turn_ids=list(values.get("turn_ids", [])),
                                     messages=list(values.get("messages", []))))
