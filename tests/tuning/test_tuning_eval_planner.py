"""Scoring against the hand-written requests, and the router + tuned-model combination (with a scripted model)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tuning.evalset import EvalRequest, eval_set_names, load_requests, score_plan


def test_hand_written_sets_are_large_and_cover_every_action_and_hard_case() -> None:
    rows = [r for n in eval_set_names() for r in load_requests(n)]
    assert len(rows) >= 60
    assert {r.action for r in rows} == {"search", "refine", "recommend", "similar", "describe", "compare", "chat"}
    tags = {t for r in rows for t in r.tags}
    for hard in ("misspelling", "min-price", "range", "number-not-price", "number-words", "last", "all",
                 "injection", "code", "unknown-brand", "html-entity-brand", "pasted-review", "off-topic"):
        assert hard in tags, hard


def test_scoring_rules() -> None:
    r = EvalRequest(message="x", action="search", args={"brand": ["L'Oreal", "L'Oreal Paris"], "max_price": 10})
    assert score_plan(r, "search", {"query": "q", "brand": "L&#39;Oreal Paris", "max_price": 10.0})[:2] == (True, True)
    assert score_plan(r, "search", {"query": "q", "brand": "Maybelline", "max_price": 10.0})[1] is False
    assert score_plan(r, "search", {"query": "q", "brand": "L'Oreal", "max_price": 12})[1] is False
    assert score_plan(r, "search", {"query": "q", "brand": "L'Oreal", "max_price": 10, "category": "Mascara"})[1] \
        is False  # a category the shopper did not name
    assert score_plan(r, "refine", {})[:2] == (False, False)
    c = EvalRequest(message="x", action="compare", args={"items": [1, 3]})
    assert score_plan(c, "compare", {"items": [3, 1]})[1] is True
    f = EvalRequest(message="x", action="refine", args={"cheaper": True})
    assert score_plan(f, "refine", {"cheaper": None})[1] is False
    assert score_plan(EvalRequest(message="x", action="refine", args={}), "refine", {"cheaper": False})[1] is True


class ScriptedClient:
    """An OpenAI-like client whose chat completions return fixed JSON (records what it was asked)."""

    def __init__(self, answer: dict) -> None:
        self.answer = answer
        self.calls: list[dict] = []
        self.chat = SimpleNamespace(completions=SimpleNamespace(create=self._create))

    def _create(self, **kw):  # noqa: ANN003, ANN202
        self.calls.append(kw)
        msg = SimpleNamespace(content=json.dumps(self.answer))
        return SimpleNamespace(choices=[SimpleNamespace(message=msg)])


@pytest.fixture(scope="module")
def vocab():  # noqa: ANN201
    from agent.planners import Vocabulary
    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import Catalog, write_catalog
    import tempfile
    from pathlib import Path

    d = Path(tempfile.mkdtemp())
    write_catalog(d, generate_demo_catalog(seed=0, n_products=300))
    return Vocabulary.from_catalog(Catalog.open(d))


def _context():  # noqa: ANN202
    from agent.planners import PlanContext, ShownProduct

    return PlanContext(shown=[ShownProduct(position=i, id=f"P{i}", title=f"Thing {i}", brand="Asterra", price=10.0 * i)
                              for i in range(1, 5)])


def test_model_decides_when_router_is_unsure_and_catalog_checks_validate(vocab) -> None:  # noqa: ANN001
    from agent.planners.tuned import TunedRouterPlanner

    client = ScriptedClient({"action": "search", "query": "pans", "brand": "France", "category": "Frying Pans",
                             "min_price": None, "max_price": 999})
    planner = TunedRouterPlanner(client, "tuned", vocab, always_ask=True)
    plan = planner.plan("a pan made in France under $40", _context()).action
    assert client.calls and client.calls[0]["response_format"]["type"] == "json_schema"
    assert plan.action == "search" and plan.source == "tuned"
    assert plan.args.brand is None  # "France" is no brand of this catalog
    assert plan.args.category == "Frying Pans"
    assert plan.args.max_price == 40  # the regular expression's price wins over the model's


def test_model_positions_outside_the_shown_products_are_dropped(vocab) -> None:  # noqa: ANN001
    from agent.planners.tuned import ModelOnlyPlanner

    plan = ModelOnlyPlanner(ScriptedClient({"action": "describe", "item": 9}), "m", vocab).plan("x", _context())
    assert plan.action.action == "describe" and plan.action.args.item is None


def test_a_failing_model_leaves_the_router_plan(vocab) -> None:  # noqa: ANN001
    from agent.planners.tuned import TunedRouterPlanner

    class Broken(ScriptedClient):
        def _create(self, **kw):  # noqa: ANN003, ANN202
            raise ConnectionError("server gone")

    planner = TunedRouterPlanner(Broken({}), "tuned", vocab, always_ask=True)
    result = planner.plan("compare the first and third", _context())
    assert result.action.action == "compare" and result.action.args.items == [1, 3]
    assert any("tuned model failed" in n for n in result.notes)


def test_blind_group_has_both_catalogs_and_every_action() -> None:
    rows = {n: load_requests(n, "blind") for n in eval_set_names()}
    assert set(rows) == {"demo", "beauty"} and all(rows.values())
    assert sum(len(r) for r in rows.values()) >= 40
    assert {r.action for rs in rows.values() for r in rs} == {"search", "refine", "recommend", "similar", "describe",
                                                               "compare", "chat"}
