"""``/v1/health``: what is ready (catalog, search and recommender backends, LLM). Never needs the token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from shopagent.api.deps import get_toolbox, json_response, run_tool
from shopagent.services import Health, Services

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Readiness")
async def health(request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    return json_response(await run_tool(request, toolbox.health))
