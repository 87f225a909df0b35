"""``create_app(settings)``: the versioned tool API (``/v1``) over one ``Services``."""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import Depends, FastAPI

from shopagent.api.deps import require_token
from shopagent.api.errors import install_error_handlers
from shopagent.api.middleware import BodySizeLimit
from shopagent.api.routes import chat, health, tools
from shopagent.api.switch import SwitchGate
from shopagent.services import Services
from core.config import Settings, get_settings

log = logging.getLogger(__name__)

API_PREFIX = "/v1"


def create_app(settings: Settings | None = None, toolbox: Services | None = None, threads: int | None = None,
               warm: bool = True) -> FastAPI:
    """The FastAPI app. ``toolbox`` defaults to one opened from ``settings``; ``warm`` opens engines at start (and the agent
    right after, in a tool thread)."""
    settings = settings or get_settings()
    box = toolbox or Services(settings)
    threads = threads or settings.api_threads  # tools are CPU-bound; numpy/torch release the GIL

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tool")
        if warm:  # engines before the first request; the agent right after, while requests are already served
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(app.state.executor, box.warm_engines)
            app.state.agent_warming = loop.run_in_executor(app.state.executor, box.warm_agent)
        single_threaded_kernels()
        try:
            yield
        finally:
            app.state.executor.shutdown(wait=False, cancel_futures=True)
            box.close()

    app = FastAPI(title="shopagent tool API", version="1", lifespan=lifespan,
                  description="Search, recommendations, product copy and the shopping agent of a self-hosted shop. "
                              "Errors are `{\"error\": {\"type\", \"message\", \"detail\"}}`.")
    app.state.settings = settings
    app.state.toolbox = box
    app.state.gate = SwitchGate(box)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    install_error_handlers(app)
    guarded = [Depends(require_token)]
    app.include_router(health.router, prefix=API_PREFIX)
    app.include_router(tools.router, prefix=API_PREFIX, dependencies=guarded)
    app.include_router(chat.router, prefix=API_PREFIX, dependencies=guarded)
    return app


def single_threaded_kernels() -> None:
    """One torch thread per call: concurrency comes from the tool threads, not from splitting one small query
    embedding over both cores (which oversubscribes them under load)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (workers import it): settings from the environment."""
    return create_app(get_settings())
