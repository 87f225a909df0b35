"""The tool API (FastAPI, ``shopagent api``) and the MCP server (``shopagent mcp``) over one ``Services``.

``create_app(settings)`` builds the HTTP app; ``toolbox.Services`` is what the API, the MCP server and the
Streamlit app call.
"""
