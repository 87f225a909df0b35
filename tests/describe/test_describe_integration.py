"""End to end on the real embedded vLLM: constrained copy that validates, claims checked, batch file written."""

from __future__ import annotations

import asyncio

import pytest

from tools.describe import DescribeRequest, Describer, ProductCopy, describe_batch, describe_product

pytestmark = pytest.mark.integration


def test_describe_one_product_end_to_end(llm_endpoint, demo_catalog) -> None:  # noqa: ANN001
    product = demo_catalog.products()[0]
    result = describe_product(DescribeRequest(product_id=product.id, keywords=["gift"]), llm_endpoint, demo_catalog)
    assert result.errors == []
    ProductCopy.model_validate(result.product_copy.model_dump())
    assert 3 <= len(result.product_copy.bullets) <= 5
    assert result.claims, "the draft was split into claims and checked"
    assert all(c.supported for c in result.final_claims), "unsupported claims were removed"
    review_ids = {r.id for r in demo_catalog.reviews(product.id)}
    assert set(result.cited_snippets) <= review_ids and len(result.cited_snippets) == min(3, len(review_ids))
    assert result.completion_tokens > 0


def test_batch_on_the_real_server_writes_each_item(llm_endpoint, demo_catalog, tmp_path) -> None:  # noqa: ANN001
    ids = [p.id for p in demo_catalog.products()[1:4]] + ["NO-SUCH-ID"]
    out = tmp_path / "copy.jsonl"

    async def run():  # noqa: ANN202
        describer = Describer.open(llm_endpoint, catalog=demo_catalog)
        try:
            return await describe_batch(describer, [DescribeRequest(product_id=i, length="short") for i in ids], out,
                                        concurrency=4)
        finally:
            await describer.aclose()

    report = asyncio.run(run())
    assert "unknown product id 'NO-SUCH-ID'" in report.failures.pop("NO-SUCH-ID")
    assert all("not valid JSON" in e for e in report.failures.values())  # the only failure the model may cause
    report.failures["NO-SUCH-ID"] = "unknown"
    assert report.done + len(report.failures) == len(ids)
    assert len(out.read_text().splitlines()) == report.done
