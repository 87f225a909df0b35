"""Issue 14, item 4(c): the description claim-support rate of a served model.

The project's describe pipeline (``tools/describe``) writes product copy for a fixed, seeded sample of catalog
products; its deterministic claim checker marks each claim of the FIRST draft (before unsupported claims are taken
out) as supported by the product's facts or not. The rate is supported claims / claims over the whole sample.
Products whose copy failed (output that is not JSON, server error) add no claims and are counted in ``failed``.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any, Sequence

from pydantic import BaseModel, Field

from tools.describe.models import DescribeRequest, DescribeResult

COPY_PRODUCTS = 12
COPY_SEED = 0


class ClaimSupport(BaseModel):
    """Claim support of one model's first drafts over a product sample."""

    products: int = Field(description="Products asked for.")
    described: int = Field(description="Products whose first draft came back as usable copy.")
    failed: dict[str, str] = Field(default_factory=dict, description="id -> first error line.")
    claims: int = Field(description="Claims in the first drafts (title, bullets, description sentences).")
    supported: int
    unchecked: int = Field(0, description="Claims with no fact to check (pure marketing), counted as supported.")
    rate: float | None = Field(description="supported / claims (None when there were no claims).")
    completion_tokens: int = 0
    seconds: float = 0.0
    unsupported_examples: list[str] = Field(default_factory=list, description="A few unsupported claims, to read.")


def sample_product_ids(catalog: Any, n: int = COPY_PRODUCTS, seed: int = COPY_SEED) -> list[str]:
    """``n`` describable products (with attributes or features), drawn by ``seed`` from the catalog in id order."""
    ids = sorted(p.id for p in catalog.products() if p.attributes or p.features)
    if not ids:
        raise ValueError("the catalog has no product with attributes or features to describe")
    return random.Random(seed).sample(ids, min(n, len(ids)))


def aggregate(results: Sequence[DescribeResult], seconds: float = 0.0, examples: int = 5) -> ClaimSupport:
    """Claim support of the first drafts (``DescribeResult.claims``) over all products."""
    claims = [c for r in results if r.product_copy is not None for c in r.claims]
    supported = sum(c.supported for c in claims)
    return ClaimSupport(
        products=len(results),
        described=sum(r.product_copy is not None for r in results),
        failed={r.product_id: r.errors[0] for r in results if r.product_copy is None and r.errors},
        claims=len(claims), supported=supported,
        unchecked=sum(c.supported and not c.checked for c in claims),
        rate=round(supported / len(claims), 4) if claims else None,
        completion_tokens=sum(r.completion_tokens for r in results),
        seconds=round(seconds, 1),
        unsupported_examples=[c.text for c in claims if not c.supported][:examples],
    )


async def describe_sample(describer: Any, product_ids: Sequence[str], concurrency: int = COPY_PRODUCTS,
                          ) -> ClaimSupport:
    """Describe every product with ``describer`` (a ``tools.describe.Describer``), all in flight at once so
    vLLM batches them, and aggregate the first drafts' claims."""
    from time import perf_counter

    from tools.describe.batch import run_requests

    results: list[DescribeResult] = []
    t0 = perf_counter()
    await run_requests(describer, [DescribeRequest(product_id=p) for p in product_ids], concurrency, results.append)
    order = {p: i for i, p in enumerate(product_ids)}
    results.sort(key=lambda r: order.get(r.product_id, len(order)))
    return aggregate(results, perf_counter() - t0)


def claim_support(endpoint: Any, catalog: Any, n: int = COPY_PRODUCTS, seed: int = COPY_SEED) -> ClaimSupport:
    """The served model's claim-support rate on ``n`` seeded products of ``catalog`` (sync)."""
    from tools.describe.pipeline import Describer

    async def run() -> ClaimSupport:
        describer = Describer.open(endpoint, catalog=catalog)
        try:
            return await describe_sample(describer, sample_product_ids(catalog, n, seed))
        finally:
            await describer.aclose()

    return asyncio.run(run())
