"""The shop's tools as an MCP server (``shopagent mcp``): the same ``Services`` functions the HTTP API calls.

Each tool takes the tool's own pydantic request and returns its pydantic response (structured output). A
problem the caller can act on (unknown id, no catalog, LLM down) comes back as a tool error with one readable line.
"""

from __future__ import annotations

import asyncio
from typing import Any

from shopagent.api.switch import SwitchGate
from shopagent.services import Services
from core.config import Settings
from core.errors import ShopagentError
from tools.catalog.models import Product
from tools.describe.models import DescribeRequest, DescribeResult
from tools.recommend.models import RecommendRequest, RecommendResponse, SimilarRequest
from tools.search.models import SearchRequest, SearchResponse

INSTRUCTIONS = ("Tools of a shop: search_products (free text + hard filters), recommend (for a shopper id or a "
                "history of product ids), similar_products, get_product, describe_product (grounded product copy, "
                "needs the shop's LLM). Product ids come from search results.")


def build_server(settings: Settings, toolbox: Services | None = None) -> Any:
    """An ``MCPServer`` exposing the toolbox's tools."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    box = toolbox or Services(settings)
    server = MCPServer(name="shopagent", instructions=INSTRUCTIONS, version="1", log_level="WARNING")
    gate = SwitchGate(box)

    async def call(fn: Any, *args: Any) -> Any:
        try:
            async with gate.call():  # a new catalog version is switched in between calls
                return await asyncio.to_thread(fn, *args)
        except ShopagentError as exc:
            raise ToolError(str(exc)) from None

    @server.tool()
    async def search_products(request: SearchRequest) -> SearchResponse:
        """Search the shop's catalog: free text plus hard filters (price range, brand, category, rating, stock)."""
        return await call(box.search, request)

    @server.tool()
    async def recommend(request: RecommendRequest) -> RecommendResponse:
        """Products to recommend to a shopper (user_id and/or history of product ids), each with a reason."""
        if request.user_id and settings.api_insecure:
            raise ToolError("recommendations for a shopper id need the shop's token: this server was started "
                            "--insecure (set SHOPAGENT_API_TOKEN)")
        return await call(box.recommend, request)

    @server.tool()
    async def similar_products(request: SimilarRequest) -> RecommendResponse:
        """Products like one product (same kind, or often bought with it)."""
        return await call(box.similar, request)

    @server.tool()
    async def get_product(product_id: str) -> Product:
        """Everything the catalog knows about one product."""
        return await call(box.product, product_id)

    @server.tool()
    async def describe_product(request: DescribeRequest) -> DescribeResult:
        """Write grounded product copy (title, bullets, description); unsupported claims are checked."""
        return await call(box.describe, request)

    server.toolbox = box  # type: ignore[attr-defined]
    return server


def http_app(server: Any, settings: Settings, transport: str, host: str) -> Any:
    """The MCP server's HTTP transport (``streamable-http`` at /mcp, or ``sse``) as an ASGI app that checks the
    shop's bearer token (``SHOPAGENT_API_TOKEN``) on every request when one is set."""
    from shopagent.api.security import BearerGuard

    app = server.sse_app(host=host) if transport == "sse" else server.streamable_http_app(host=host)
    return BearerGuard(app, settings)
