"""Request dependencies: the process's ``Toolbox``, bearer-token auth, and running a tool off the event loop."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any, Callable, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.responses import Response

from shopagent.api.toolbox import Toolbox

T = TypeVar("T")

bearer = HTTPBearer(auto_error=False, description="Set SHOPAGENT_API_TOKEN on the server to require this token.")


def get_toolbox(request: Request) -> Toolbox:
    return request.app.state.toolbox


def require_token(request: Request,
                  credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """When the server has ``SHOPAGENT_API_TOKEN``, every call must carry ``Authorization: Bearer <token>``."""
    token = request.app.state.settings.api_token
    if not token:
        return
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong bearer token: send `Authorization: Bearer $SHOPAGENT_API_TOKEN`",
                            headers={"WWW-Authenticate": "Bearer"})


async def run_tool(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run a (CPU-bound, blocking) tool call in the API's worker threads, bounded by the API timeout."""
    loop = asyncio.get_running_loop()
    state = request.app.state
    executor = getattr(state, "executor", None)  # None (no lifespan run, e.g. a schema tester): the loop's default
    async with state.gate.call():  # a new catalog version is switched in between calls, never during one
        return await asyncio.wait_for(loop.run_in_executor(executor, fn, *args), state.settings.api_timeout_s)


def json_response(model: BaseModel) -> Response:
    """Serialise a tool's pydantic result once (the route's ``response_model`` documents it)."""
    return Response(model.model_dump_json(), media_type="application/json")
