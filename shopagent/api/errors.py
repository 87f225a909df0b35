"""Structured JSON errors: every failure is ``{"error": {"type", "message", "detail"}}`` with a fitting status."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopagent.api.models import ErrorBody, ErrorResponse
from core.errors import ShopagentError

log = logging.getLogger(__name__)

_HTTP_TYPES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
               503: "unavailable"}


def error_response(status: int, type_: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(type=type_, message=message, detail=jsonable_encoder(detail)))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _classify(exc: ShopagentError) -> tuple[int, str]:
    from core.errors import ThreadBusyError
    from tools.catalog.store import UnknownProductError

    if isinstance(exc, UnknownProductError):
        return 404, "unknown_product"
    if isinstance(exc, ThreadBusyError):
        return 409, "thread_busy"
    try:
        from tools.search.filters import InvalidFilterError

        if isinstance(exc, InvalidFilterError):
            return 422, "invalid_filter"
    except ImportError:  # pragma: no cover - retrieval is part of the project
        pass
    return 503, "unavailable"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "invalid_request", f"{where}: {first.get('msg', 'invalid input')}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, _HTTP_TYPES.get(exc.status_code, "http_error"), str(exc.detail),
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(ShopagentError)
    async def _shopagent(_: Request, exc: ShopagentError) -> JSONResponse:
        status, type_ = _classify(exc)
        return error_response(status, type_, str(exc))

    @app.exception_handler(asyncio.TimeoutError)
    async def _timeout(request: Request, _: Exception) -> JSONResponse:
        return error_response(504, "timeout", f"{request.url.path} took longer than the API timeout "
                                              "(SHOPAGENT_API_TIMEOUT_S): try a smaller k or retry")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(500, "internal_error", "internal error: see the API server's log")
