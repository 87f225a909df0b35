"""Generated tuning data: seeded, complete, with a held-out split that shares no phrasing or vocabulary."""

from __future__ import annotations

import json

import pytest

from core.errors import ShopagentError
from tuning.data import ACTIONS, DataConfig, Example, build_examples, check_examples, eval_item_keys, mmlu_target
from tuning.templates import HELDOUT, TRAIN

SMALL = DataConfig(planner=160, reply=6, copy=4, mmlu=12)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):  # noqa: ANN001, ANN201 - one small demo catalog for the module
    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import Catalog, write_catalog

    d = tmp_path_factory.mktemp("tune-shop")
    write_catalog(d, generate_demo_catalog(seed=0, n_products=300))
    return Catalog.open(d)


@pytest.fixture(scope="module")
def splits(shop):  # noqa: ANN001, ANN201
    return build_examples([("demo", shop)], SMALL)


def test_every_action_is_taught_with_valid_json(splits) -> None:  # noqa: ANN001
    planner = [e for e in splits["train"] if e.kind == "planner"]
    assert {e.action for e in planner} == set(ACTIONS)
    for e in planner:
        answer = json.loads(e.messages[-1]["content"])
        assert answer["action"] == e.action
        if e.action in ("similar", "describe"):
            assert 1 <= answer["item"] <= 4
        if e.action == "compare":
            assert len(answer["items"]) >= 2
    assert {e.kind for e in splits["train"]} == {"planner", "reply", "copy", "mmlu"}


def test_same_seed_same_data_other_seed_other_data(shop, splits) -> None:  # noqa: ANN001
    cfg = SMALL.model_copy(update={"mmlu": 0})
    a = build_examples([("demo", shop)], cfg)["train"]
    b = build_examples([("demo", shop)], cfg)["train"]
    c = build_examples([("demo", shop)], cfg.model_copy(update={"seed": 1}))["train"]
    assert [e.messages for e in a] == [e.messages for e in b]
    assert [e.messages for e in a] != [e.messages for e in c]


def test_heldout_vocabulary_and_phrasings_never_occur_in_training(splits) -> None:  # noqa: ANN001
    def brands_and_leaves(rows: list[Example]) -> set[str]:
        out = set()
        for e in rows:
            if e.kind == "planner":
                ans = json.loads(e.messages[-1]["content"])
                out |= {v for k, v in ans.items() if k in ("brand", "category") and v}
        return out

    train_words, held_words = brands_and_leaves(splits["train"]), brands_and_leaves(splits["heldout"])
    assert held_words and not train_words & held_words
    train_phrases = {t for field in TRAIN.__dataclass_fields__ for t in _flat(getattr(TRAIN, field))}
    held_phrases = {t for field in HELDOUT.__dataclass_fields__ for t in _flat(getattr(HELDOUT, field))}
    assert not (train_phrases & held_phrases) - {"{review}"}


def _flat(value):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        return [t for v in value.values() for t in v]
    return list(value)


def test_training_never_holds_an_evaluation_item(shop, splits) -> None:  # noqa: ANN001
    keys = eval_item_keys(shop)
    mmlu = [e for e in splits["train"] + splits["heldout"] if e.kind == "mmlu"]
    assert mmlu
    assert not {e.messages[1]["content"] for e in mmlu} & keys


def test_mmlu_targets_score_full_marks(shop) -> None:  # noqa: ANN001
    from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
    from evals.shopping_mmlu.scoring import sample_score

    for q in generate_tasks(CatalogSnapshot.from_catalog(shop), seed=3, per_task=2):
        if q.metric in ("accuracy", "hit rate@3", "ndcg"):
            assert sample_score(q, mmlu_target(q)) == pytest.approx(1.0), q.task_name


def test_a_data_set_without_an_action_is_refused() -> None:
    rows = [Example(messages=[], kind="planner", action=a) for a in ACTIONS if a != "compare"]
    with pytest.raises(ShopagentError, match="no planner examples of compare"):
        check_examples(rows, "training")


def test_no_catalog_loaded_is_one_clear_line(data_dir, monkeypatch) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from shopagent.cli import app

    result = CliRunner().invoke(app, ["tune", "data"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ShopagentError)
    assert "no catalog loaded" in str(result.exception) and "shopagent data demo" in str(result.exception)
