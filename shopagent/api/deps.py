"""Request dependencies: the process's ``Services``, bearer-token auth, and running a tool off the event loop."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.responses import Response

from shopagent.api.security import UNAUTHORIZED, Caller, identify
from shopagent.services import Services

T = TypeVar("T")

bearer = HTTPBearer(auto_error=False, description="Set SHOPAGENT_API_TOKEN on the server to require this token.")


def get_toolbox(request: Request) -> Services:
    return request.app.state.toolbox


def require_token(request: Request,
                  credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Caller:
    """When the server has a token (``SHOPAGENT_API_TOKEN`` or shopper tokens), every call must carry
    ``Authorization: Bearer <token>``; the caller is kept on ``request.state.caller``."""
    caller = identify(request.app.state.settings, credentials.credentials if credentials else None)
    if caller is None:
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    request.state.caller = caller
    return caller


def get_caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Caller:
    """The caller of this request (``require_token`` already ran on every guarded route)."""
    caller = getattr(request.state, "caller", None)
    return caller if caller is not None else require_token(request, credentials)


def allow_user(caller: Caller, user_id: str | None) -> None:
    """403 unless ``caller`` may act for ``user_id`` (a shopper token only for its own shopper; none when the
    server was started ``--insecure``)."""
    if not caller.may_act_for(user_id):
        raise HTTPException(403, f"this token is not allowed shopper {user_id!r}: use that shopper's token "
                                 "(SHOPAGENT_API_USER_TOKENS) or the shop's token")


async def run_tool(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run a (CPU-bound, blocking) tool call in the API's worker threads, bounded by the API timeout."""
    loop = asyncio.get_running_loop()
    state = request.app.state
    executor = getattr(state, "executor", None)  # None (no lifespan run, e.g. a schema tester): the loop's default
    async with state.gate.call():  # a new catalog version is switched in between calls, never during one
        return await asyncio.wait_for(loop.run_in_executor(executor, fn, *args), state.settings.api_timeout_s)


AGENT_STARTING = ("the agent is still starting (it opens right after the search engines, which can take a minute on a "
                  "small machine): retry in a few seconds")


async def open_agent(request: Request, toolbox: Services) -> Any:
    """The agent runtime. While the start-up warm-up is still opening it, wait for that (up to the API timeout)
    instead of opening it a second time; past the timeout answer 503 with ``Retry-After``, not a 504 that blames
    the request."""
    warming = getattr(request.app.state, "agent_warming", None)
    if warming is not None and not warming.done():
        try:
            await asyncio.wait_for(asyncio.shield(warming), request.app.state.settings.api_timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(503, AGENT_STARTING, headers={"Retry-After": "5"}) from None
    return await run_tool(request, toolbox.agent)


def json_response(model: BaseModel) -> Response:
    """Serialise a tool's pydantic result once (the route's ``response_model`` documents it)."""
    return Response(model.model_dump_json(), media_type="application/json")
