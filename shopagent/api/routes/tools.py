"""``/v1/search``, ``/v1/recommend``, ``/v1/similar``, ``/v1/describe``, ``/v1/products/{id}``: the tools over HTTP."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from shopagent.api.deps import allow_user, get_caller, get_toolbox, json_response, run_tool
from shopagent.api.models import ErrorResponse
from shopagent.api.security import Caller
from shopagent.services import Services
from tools.catalog.models import Product
from tools.describe.models import DescribeRequest, DescribeResult
from tools.recommend.models import RecommendRequest, RecommendResponse, SimilarRequest
from tools.search.models import SearchRequest, SearchResponse

router = APIRouter(tags=["tools"])

ERRORS = {
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "Invalid input (names the field)."},
    503: {"model": ErrorResponse, "description": "Not set up yet (no catalog, LLM down): says what to run."},
    504: {"model": ErrorResponse, "description": "The call took longer than the API timeout."},
}
FORBIDDEN = {403: {"model": ErrorResponse, "description": "The token is not allowed this shopper."}}
NOT_FOUND = {404: {"model": ErrorResponse, "description": "Unknown product id."}}


@router.post("/search", response_model=SearchResponse, responses=ERRORS, summary="Search the catalog")
async def search(body: SearchRequest, request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    """Hybrid (dense + keyword) product search with hard filters."""
    return json_response(await run_tool(request, toolbox.search, body))


@router.post("/recommend", response_model=RecommendResponse, responses={**ERRORS, **NOT_FOUND, **FORBIDDEN},
             summary="Recommend for a shopper")
async def recommend(body: RecommendRequest, request: Request, toolbox: Services = Depends(get_toolbox),
                    caller: Caller = Depends(get_caller)) -> Response:
    """Next items for a user id and/or a history of product ids, each with a reason. A ``user_id`` needs a token
    allowed that shopper (the shop's token, or that shopper's own)."""
    allow_user(caller, body.user_id)
    return json_response(await run_tool(request, toolbox.recommend, body))


@router.post("/similar", response_model=RecommendResponse, responses={**ERRORS, **NOT_FOUND},
             summary="Products like one product")
async def similar(body: SimilarRequest, request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    return json_response(await run_tool(request, toolbox.similar, body))


@router.post("/describe", response_model=DescribeResult, responses=ERRORS, summary="Write checked product copy")
async def describe(body: DescribeRequest, request: Request, toolbox: Services = Depends(get_toolbox)) -> Response:
    """Grounded copy for a catalog product or a raw record; unsupported claims are flagged, regenerated or removed.
    Per-item problems (unknown id, no attributes) come back in ``errors``; an LLM that is down is a 503."""
    return json_response(await run_tool(request, toolbox.describe, body))


@router.get("/products/{product_id}", response_model=Product, responses={**ERRORS, **NOT_FOUND},
            summary="One product")
async def product(request: Request, product_id: str = Path(min_length=1, max_length=200),
                  toolbox: Services = Depends(get_toolbox)) -> Response:
    return json_response(await run_tool(request, toolbox.product, product_id))
