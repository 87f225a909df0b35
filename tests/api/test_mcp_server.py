"""The MCP server exposes the same tools as the API, with structured results and readable tool errors."""

from __future__ import annotations

import json

import pytest


@pytest.fixture()
def mcp_server(make_toolbox, api_settings):  # noqa: ANN001, ANN201
    from shopagent.api.mcp_server import build_server

    return build_server(api_settings, make_toolbox())


async def test_lists_the_shop_tools_with_input_schemas(mcp_server) -> None:  # noqa: ANN001
    tools = {t.name: t for t in await mcp_server.list_tools()}
    assert {"search_products", "recommend", "similar_products", "get_product", "describe_product"} <= set(tools)
    assert "query" in json.dumps(tools["search_products"].input_schema)


async def test_search_tool_returns_structured_hits_within_filters(mcp_server) -> None:  # noqa: ANN001
    result = await mcp_server.call_tool("search_products",
                                        {"request": {"query": "tent", "k": 3, "filters": {"max_price": 500}}})
    hits = result.structured_content["hits"]
    assert 0 < len(hits) <= 3
    assert all(h["product"]["price"] <= 500 for h in hits)


async def test_unknown_product_is_a_readable_tool_error(mcp_server) -> None:  # noqa: ANN001
    from mcp.server.mcpserver.exceptions import ToolError

    with pytest.raises(ToolError, match="unknown product id 'nope'"):
        await mcp_server.call_tool("get_product", {"product_id": "nope"})
