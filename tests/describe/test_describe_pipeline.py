"""The describe pipeline with scripted model answers: grounding, claim check, repair, errors, batch resume."""

from __future__ import annotations

import asyncio
import json

import pytest

from fixtures.describe import copy_json
from tools.describe.batch import describe_batch, done_ids
from tools.describe.models import DescribeRequest
from tools.describe.prompts import build_messages, copy_schema
from tools.describe.salvage import salvage_object

GOOD_P1 = copy_json("Stridewell Glide 3 Running Shoes, Navy",
                    ["Engineered mesh upper", "Size US 9.5", "Weighs 250 g"],
                    "The Stridewell Glide 3 has a breathable engineered mesh upper. It has an 8 mm heel-to-toe drop.")
BAD_P1 = copy_json("Stridewell Glide 3 Running Shoes, Navy",
                   ["Engineered mesh upper", "Weighs 300 g", "Waterproof Gore-Tex lining"],
                   "The Stridewell Glide 3 has a breathable engineered mesh upper. It has a 10 mm heel-to-toe drop.")


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


def test_unsupported_claims_are_flagged_and_removed(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, [BAD_P1])
    result = run(d.describe(DescribeRequest(product_id="P1")))
    flagged = {c.text for c in result.claims if not c.supported}
    assert flagged == {"Weighs 300 g", "Waterproof Gore-Tex lining", "It has a 10 mm heel-to-toe drop."}
    copy = result.product_copy
    assert "Weighs 300 g" not in copy.bullets and "10 mm" not in copy.description
    assert 3 <= len(copy.bullets) <= 5  # refilled from the facts
    assert all(c.supported for c in result.final_claims)
    assert set(result.removed) == flagged
    assert result.cited_snippets and set(result.cited_snippets) <= {"R1", "R2"}


def test_correct_copy_is_kept_unchanged(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, [GOOD_P1])
    result = run(d.describe(DescribeRequest(product_id="P1")))
    assert result.errors == [] and result.removed == []
    assert all(c.supported for c in result.claims)
    assert result.product_copy.bullets == ["Engineered mesh upper", "Size US 9.5", "Weighs 250 g"]


def test_regenerate_sends_the_unsupported_claims_back_once(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, [BAD_P1, GOOD_P1])
    result = run(d.describe(DescribeRequest(product_id="P1", on_unsupported="regenerate")))
    assert result.regenerated and len(d.calls) == 2
    assert "Weighs 300 g" in d.calls[1][-1]["content"]
    assert result.product_copy.bullets == ["Engineered mesh upper", "Size US 9.5", "Weighs 250 g"]
    assert result.completion_tokens == 200


def test_flag_only_keeps_the_draft(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, [BAD_P1])
    result = run(d.describe(DescribeRequest(product_id="P1", on_unsupported="flag")))
    assert "Weighs 300 g" in result.product_copy.bullets and result.removed == []


def test_prompt_carries_facts_snippets_keywords_and_tone(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(shoe_catalog, [])
    request = DescribeRequest(product_id="P1", keywords=["marathon"], tone="premium", length="short")
    facts = d.facts_for(request)
    system, user = (m["content"] for m in build_messages(request, facts))
    assert "premium" in system and "US 9.5" in user and "marathon" in user and "3 bullets" in user
    assert "cushioning" in user  # the review snippet most related to the product
    assert "Mystery" not in user


@pytest.mark.parametrize("pid, answer, expected", [
    ("NOPE", GOOD_P1, "unknown product id 'NOPE'"),
    ("P3", GOOD_P1, "has no attributes"),
    ("P1", '{"title": "x", "bull', "not valid JSON"),
    ("P1", "Sure! Here is the copy:", "not valid JSON"),
])
def test_bad_input_becomes_one_error_line_on_the_item(shoe_catalog, scripted_describer, pid, answer, expected) -> None:
    result = run(scripted_describer(shoe_catalog, [answer]).describe(DescribeRequest(product_id=pid)))
    assert result.product_copy is None
    assert len(result.errors) == 1 and expected in result.errors[0]


def test_output_cut_by_the_token_limit_is_salvaged(shoe_catalog, scripted_describer) -> None:
    cut = GOOD_P1[: GOOD_P1.index("It has an 8 mm") + 10]
    result = run(scripted_describer(shoe_catalog, [cut]).describe(DescribeRequest(product_id="P1")))
    assert result.errors == []
    assert result.product_copy.description == "The Stridewell Glide 3 has a breathable engineered mesh upper."


def test_looping_model_output_is_deduplicated(shoe_catalog, scripted_describer) -> None:
    loop = copy_json("1. Stridewell Glide 3", ["Size US 9.5", "Size US 9.5", "1.1", "Navy"],
                     "Great shoes for running. Great shoes for running. Great shoes for running. Great sho")
    result = run(scripted_describer(shoe_catalog, [loop]).describe(DescribeRequest(product_id="P1", on_unsupported="flag")))
    copy = result.product_copy
    assert copy.title == "Stridewell Glide 3"
    assert copy.bullets[:2] == ["Size US 9.5", "Navy"] and len(copy.bullets) == 3
    assert copy.description == "Great shoes for running."


def test_raw_record_needs_a_title_and_something_else(shoe_catalog, scripted_describer) -> None:
    d = scripted_describer(None, [GOOD_P1])
    ok = run(d.describe(DescribeRequest(record={"id": "X1", "title": "Glide 3 shoes", "size": "US 9.5"})))
    assert ok.product_id == "X1" and ok.errors == []
    bare = run(d.describe(DescribeRequest(record={"title": "Lonely title"})))
    assert "has no attributes" in bare.errors[0]


def test_server_down_is_a_clear_per_item_error(shoe_catalog) -> None:
    from core.llm.client import Endpoint
    from core.llm.serve import free_port
    from tools.describe.pipeline import Describer

    endpoint = Endpoint(base_url=f"http://127.0.0.1:{free_port()}/v1", model="m", max_retries=0, timeout_s=2)
    d = Describer.open(endpoint, catalog=shoe_catalog)
    result = run(d.describe(DescribeRequest(product_id="P1")))
    assert result.errors == [f"no LLM server at {endpoint.base_url}: run `shopagent llm serve` or set SHOPAGENT_LLM_URL"]


def test_batch_appends_each_result_resumes_and_lists_failures(shoe_catalog, scripted_describer, tmp_path) -> None:
    out = tmp_path / "copy.jsonl"
    requests = [DescribeRequest(product_id=p) for p in ("P1", "NOPE", "P2", "P3")]
    p2 = copy_json("Hydrafy Sport Water Bottle, 750 ml", ["750 ml", "Stainless steel", "Blue"], "Holds 750 ml.")
    d = scripted_describer(shoe_catalog, {"Stridewell": [GOOD_P1], "Hydrafy": [p2]})
    report = run(describe_batch(d, requests, out, concurrency=2))
    assert report.done == 2 and set(report.failures) == {"NOPE", "P3"}
    assert "unknown product id" in report.failures["NOPE"] and "no attributes" in report.failures["P3"]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {line["product_id"] for line in lines} == {"P1", "P2"}
    # an interrupted write leaves a cut line: it is ignored, and the next result starts on its own line
    with out.open("a") as f:
        f.write('{"product_id": "P9", "prod')
    assert done_ids(out) == {"P1", "P2"}
    again = run(describe_batch(scripted_describer(shoe_catalog, {"Stridewell": [GOOD_P1]}),
                               [*requests, DescribeRequest(product_id="P1")], out, concurrency=2))
    assert again.skipped == 3 and again.done == 0 and set(again.failures) == {"NOPE", "P3"}


def test_batch_keeps_finished_items_when_interrupted(shoe_catalog, scripted_describer, tmp_path) -> None:
    out = tmp_path / "copy.jsonl"
    d = scripted_describer(shoe_catalog, [GOOD_P1])
    original = d.complete

    async def slow_second(messages, limit, length="medium"):  # noqa: ANN001, ANN202
        if len(d.calls) >= 1:
            d.calls.append(messages)
            await asyncio.sleep(30)
        return await original(messages, limit, length)

    d.complete = slow_second

    async def interrupted() -> None:
        task = asyncio.ensure_future(describe_batch(d, [DescribeRequest(product_id="P1"),
                                                        DescribeRequest(product_id="P2")], out, concurrency=1))
        while not out.exists() or not out.read_text():
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(interrupted())
    assert done_ids(out) == {"P1"}


def test_salvage_closes_strings_and_brackets() -> None:
    assert salvage_object('{"a": "x", "b": ["y", "z') == {"a": "x", "b": ["y", "z"]}
    assert salvage_object('{"a": "x", "b') == {"a": "x"}
    assert salvage_object("no json here") is None


def test_schema_bounds_every_string_so_decoding_ends() -> None:
    schema = copy_schema("medium")
    props = schema["properties"]
    assert props["bullets"]["minItems"] == 3 and props["bullets"]["maxItems"] == 5
    assert all("maxLength" in (p.get("items") or p) for p in props.values())
