"""Our catalog-generated task set: coverage, determinism, and answers that follow from the catalog."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evals.shopping_mmlu.data import TRACKS, load_questions, write_questions
from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks


@pytest.fixture(scope="module")
def snapshot() -> CatalogSnapshot:
    from tools.catalog.demo import generate_demo_catalog

    return CatalogSnapshot.from_data(generate_demo_catalog(seed=0, n_products=300))


def test_covers_all_four_skills_and_five_task_types(snapshot: CatalogSnapshot) -> None:
    qs = generate_tasks(snapshot, seed=0, per_task=5)
    tasks = Counter(q.task_name for q in qs)
    assert len(tasks) >= 10
    assert {q.track for q in qs} == set(TRACKS)
    assert {q.task_type for q in qs} == {"multiple-choice", "retrieval", "ranking", "named_entity_recognition",
                                         "generation"}
    assert {"accuracy", "hit rate@3", "ndcg", "micro f1", "rougel", "bleu", "jp-bleu", "sent-transformer"} <= {
        q.metric for q in qs}
    assert all(n <= 5 for n in tasks.values())
    assert len({q.key for q in qs}) == len(qs)  # no duplicate questions


def test_same_seed_same_tasks_other_seed_other_tasks(snapshot: CatalogSnapshot) -> None:
    a = [q.model_dump() for q in generate_tasks(snapshot, seed=3, per_task=4)]
    b = [q.model_dump() for q in generate_tasks(snapshot, seed=3, per_task=4)]
    c = [q.model_dump() for q in generate_tasks(snapshot, seed=4, per_task=4)]
    assert a == b
    assert a != c


def test_targets_follow_from_the_catalog(snapshot: CatalogSnapshot) -> None:
    by_id = {p.id: p for p in snapshot.products}
    by_title = {p.title: p for p in snapshot.products}
    qs = generate_tasks(snapshot, seed=1, per_task=10)
    for q in qs:
        if q.task_name == "gen_cheapest_product":
            prices = [float(m.replace(",", "")) for m in re.findall(r"\(\$([\d,]+\.\d\d)\)\n?", q.input_field)]
            assert len(prices) == 4 and prices[q.output_field] == min(prices)
        elif q.task_name == "gen_title_to_category":
            title = re.search(r"product '(.+)' belong", q.input_field).group(1)
            choices = re.findall(r"^\d\. (.+)$", q.input_field, flags=re.M)
            assert choices[q.output_field] == by_title[title].category
        elif q.task_name in ("gen_same_category_retrieval", "gen_query_product_retrieval"):
            assert len(q.output_field) == 3 and all(1 <= i <= 8 for i in q.output_field)
        elif q.task_name == "gen_query_product_ranking":
            assert len(q.output_field) == 5 and q.output_field.count(1.0) == 1
        elif q.task_name == "gen_next_purchase":
            choices = re.findall(r"^\d\. (.+)$", q.input_field, flags=re.M)
            assert len(choices) == 4
            # the right answer is the item that user actually bought next
            assert any(by_title[choices[q.output_field]].id == h[k]
                       for h in snapshot.histories.values() for k in range(3, len(h)))
        elif q.task_name == "gen_review_rating_prediction":
            assert q.output_field in (1, 2, 3, 4, 5)
        elif q.task_name == "gen_bundle_total":
            m = re.search(r"buys (\d) x .+ at \$([\d,.]+) each and (\d) x .+ at \$([\d,.]+) each", q.input_field)
            qa, pa, qb, pb = int(m[1]), float(m[2].replace(",", "")), int(m[3]), float(m[4].replace(",", ""))
            choices = re.findall(r"^\d\. \$([\d,.]+)$", q.input_field, flags=re.M)
            assert float(choices[q.output_field].replace(",", "")) == pytest.approx(qa * pa + qb * pb)
    assert by_id  # the snapshot is not empty


def test_round_trips_through_the_jsonl_format(snapshot: CatalogSnapshot, tmp_path: Path) -> None:
    qs = generate_tasks(snapshot, seed=0, per_task=2)
    back = load_questions(write_questions(qs, tmp_path / "gen.jsonl"))
    assert [q.model_dump() for q in back] == [q.model_dump() for q in qs]


def test_generates_from_a_stored_catalog_and_skips_tasks_without_data(make_catalog) -> None:  # noqa: ANN001
    from tools.catalog.demo import generate_demo_catalog

    data = generate_demo_catalog(seed=0, n_products=120)
    catalog = make_catalog(data.products)  # no reviews, no interactions
    qs = generate_tasks(CatalogSnapshot.from_catalog(catalog), seed=0, per_task=3)
    names = {q.task_name for q in qs}
    assert "gen_review_rating_prediction" not in names and "gen_next_purchase" not in names
    assert len(names) >= 10 and {q.track for q in qs} == set(TRACKS)
