"""The API's routers: tools (search, recommend, similar, describe, products), chat (SSE) and health."""
