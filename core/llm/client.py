"""The one place that builds LLM clients from settings: ``openai`` (sync/async) and LangChain ``ChatOpenAI``.

Every client has a timeout and retries transient errors with backoff, so nothing hangs; ``check_health`` turns
"nothing is listening" into one line that says what to do.
"""

from __future__ import annotations

import logging

import httpx
import openai
from pydantic import BaseModel

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)


class Endpoint(BaseModel):
    """An OpenAI-compatible endpoint: where, which model, and how long to wait."""

    base_url: str
    model: str | None = None
    api_key: str = "EMPTY"
    timeout_s: float = 120.0
    max_retries: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> "Endpoint":
        return cls(
            base_url=settings.llm_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )

    def with_model(self, model: str | None) -> "Endpoint":
        return self.model_copy(update={"model": model})


def unreachable_message(base_url: str) -> str:
    return f"no LLM server at {base_url}: run `shopagent llm serve` or set SHOPAGENT_LLM_URL"


def served_models(endpoint: Endpoint, timeout_s: float = 5.0) -> list[str]:
    """Model names the server lists at ``/v1/models``; one clear error if nothing answers."""
    url = endpoint.base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {endpoint.api_key}"}
    try:
        response = httpx.get(url, timeout=timeout_s, headers=headers)
    except httpx.HTTPError as exc:
        raise ShopagentError(unreachable_message(endpoint.base_url)) from exc
    if response.status_code != 200:
        raise ShopagentError(f"LLM server at {endpoint.base_url} answered {response.status_code} on /models")
    return [m["id"] for m in response.json().get("data", [])]


def check_health(endpoint: Endpoint) -> Endpoint:
    """Return ``endpoint`` with its model resolved (first served model when unset); raise if unusable."""
    models = served_models(endpoint)
    if not models:
        raise ShopagentError(f"LLM server at {endpoint.base_url} serves no model")
    if endpoint.model is None:
        return endpoint.with_model(models[0])
    if endpoint.model not in models:
        raise ShopagentError(
            f"model {endpoint.model!r} is not served at {endpoint.base_url} (it serves {', '.join(models)}): "
            "set SHOPAGENT_LLM_MODEL"
        )
    return endpoint


def openai_client(endpoint: Endpoint) -> openai.OpenAI:
    """A sync ``openai`` client with timeout and retries."""
    return openai.OpenAI(
        base_url=endpoint.base_url, api_key=endpoint.api_key, timeout=endpoint.timeout_s,
        max_retries=endpoint.max_retries,
    )


def async_openai_client(endpoint: Endpoint, max_connections: int = 256) -> openai.AsyncOpenAI:
    """An async ``openai`` client with timeout, retries and a connection pool large enough for batch work."""
    http_client = httpx.AsyncClient(
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        timeout=endpoint.timeout_s,
    )
    return openai.AsyncOpenAI(
        base_url=endpoint.base_url, api_key=endpoint.api_key, timeout=endpoint.timeout_s,
        max_retries=endpoint.max_retries, http_client=http_client,
    )


def chat_model(endpoint: Endpoint, temperature: float = 0.0, max_tokens: int | None = 512, **kwargs: object):
    """LangChain ``ChatOpenAI`` bound to ``endpoint`` (model resolved, timeout and retries set)."""
    from langchain_openai import ChatOpenAI

    if endpoint.model is None:
        endpoint = check_health(endpoint)
    return ChatOpenAI(
        base_url=endpoint.base_url, api_key=endpoint.api_key, model=endpoint.model, temperature=temperature,
        max_tokens=max_tokens, timeout=endpoint.timeout_s, max_retries=endpoint.max_retries, **kwargs,
    )
