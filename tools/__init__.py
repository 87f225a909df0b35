"""Tools: plain typed functions with pydantic inputs/outputs, usable without the agent and exposed by the API."""
