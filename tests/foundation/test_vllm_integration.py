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
    import time

    from core.llm.client import async_openai_client

    # eight requests sent at once, 32 tokens each: a server that batches decodes them in the same steps, so they finish
    # together; one that served them one after another would finish the first at about an eighth of the last's time.
    # (Throughput ratios are no test here: on two CPU cores one stream already keeps both busy and eight gave 1.2-1.6x.)
    async def finish_times() -> list[float]:
        client = async_openai_client(llm_endpoint)

        async def one(i: int, t0: float) -> float:
            await client.chat.completions.create(
                model=llm_endpoint.model, messages=[{"role": "user", "content": f"Name a product for shop {i}."}],
                max_tokens=32, temperature=0.0, extra_body={"ignore_eos": True})
            return time.perf_counter() - t0

        await one(0, time.perf_counter())  # warm-up
        t0 = time.perf_counter()
        done = await asyncio.gather(*(one(i, t0) for i in range(8)))
        await client.close()
        return list(done)

    done = asyncio.run(finish_times())
    assert min(done) > 0.5 * max(done), done
