"""The real embedded vLLM server (session fixture): structured output and batching."""

import json

import pytest
from pydantic import BaseModel

from core.llm.client import openai_client

pytestmark = pytest.mark.integration


class Item(BaseModel):
    title: str
    price: float
    in_stock: bool


def test_json_schema_completion_returns_valid_json(llm_endpoint) -> None:  # noqa: ANN001
    client = openai_client(llm_endpoint)
    response = client.chat.completions.create(
        model=llm_endpoint.model,
        messages=[{"role": "user", "content": "Give one product for sale as JSON with title, price, in_stock."}],
        max_tokens=80, temperature=0.0,
        response_format={"type": "json_schema", "json_schema": {"name": "item", "schema": Item.model_json_schema()}},
    )
    item = Item.model_validate(json.loads(response.choices[0].message.content))
    assert item.title


def test_langchain_chat_model_talks_to_vllm(llm_endpoint) -> None:  # noqa: ANN001
    from core.llm.client import chat_model

    reply = chat_model(llm_endpoint, max_tokens=8).invoke("Say hello.")
    assert isinstance(reply.content, str) and reply.content.strip()


def test_concurrent_streams_are_batched(llm_endpoint) -> None:  # noqa: ANN001
    import asyncio

    from shopagent.bench.llm import _throughput

    one = asyncio.run(_throughput(llm_endpoint, 1, max_tokens=32, rounds=1))
    eight = asyncio.run(_throughput(llm_endpoint, 8, max_tokens=32, rounds=1))
    assert eight > 1.5 * one, (one, eight)
