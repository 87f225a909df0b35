"""``/v1/chat``: one agent turn, streamed as Server-Sent Events (or one JSON ``TurnResult``)."""

from __future__ import annotations

from typing import AsyncIterator

from fastapi import APIRouter, Depends, Request
from sse_starlette import EventSourceResponse
from starlette.responses import Response

from agent.runtime import TurnResult
from shopagent.api.deps import get_toolbox, json_response, run_tool
from shopagent.api.models import ChatRequest
from shopagent.api.routes.tools import ERRORS
from shopagent.api.toolbox import Toolbox

router = APIRouter(tags=["chat"])

SSE_DOC = {"description": "stream=true: events `token`, `tool_start`, `tool_end`, `products`, `final` (data: a "
                          "JSON AgentEvent; `final` carries the TurnResult) or `error`.",
           "content": {"text/event-stream": {"schema": {
               "type": "object", "required": ["data"],
               "properties": {"event": {"type": "string",
                                        "enum": ["token", "tool_start", "tool_end", "products", "final", "error"]},
                              "data": {"type": "string", "description": "a JSON AgentEvent"}}}}}}


@router.post("/chat", response_model=TurnResult, responses={**ERRORS, 200: SSE_DOC}, summary="One agent turn")
async def chat(body: ChatRequest, request: Request, toolbox: Toolbox = Depends(get_toolbox)) -> Response:
    """Send a shopper message; the same ``thread_id`` continues the conversation (state is checkpointed)."""
    agent = await run_tool(request, toolbox.agent)
    if not body.stream:
        return json_response(await run_tool(request, agent.run_turn, body.thread_id, body.message, body.user_id))

    async def events() -> AsyncIterator[dict[str, str]]:
        async for event in agent.stream_turn(body.thread_id, body.message, body.user_id):
            yield {"event": event.type, "data": event.model_dump_json(exclude_none=True)}

    return EventSourceResponse(events(), ping=15)
