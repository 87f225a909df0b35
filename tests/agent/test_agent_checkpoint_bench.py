"""Checkpointer factory and the bench's pass^k arithmetic."""

from __future__ import annotations

import pytest

from agent.checkpoint import open_checkpointer
from agent.planners import make_planner
from shopagent.bench.agent import pass_hat
from core.errors import ShopagentError


def test_unknown_checkpoint_url_is_one_clear_error() -> None:
    with pytest.raises(ShopagentError, match="SHOPAGENT_CHECKPOINT_URL"):
        with open_checkpointer("redis://localhost"):
            pass


def test_sqlite_checkpointer_creates_its_directory(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "deep" / "cp.sqlite"
    with open_checkpointer(f"sqlite:///{path}") as saver:
        assert saver is not None
    assert path.exists()


def test_pass_hat_follows_tau_bench() -> None:
    # two tasks, n=4: one always succeeds, one succeeds twice
    assert pass_hat([4, 2], 4, 1) == pytest.approx((1 + 0.5) / 2)
    assert pass_hat([4, 2], 4, 2) == pytest.approx((1 + 1 / 6) / 2)
    assert pass_hat([4, 2], 4, 4) == pytest.approx(0.5)


def test_embedded_model_gets_the_rule_planner(rule_planner) -> None:  # noqa: ANN001
    from core.llm.client import Endpoint

    planner = make_planner("auto", rule_planner.vocab, endpoint=Endpoint(base_url="http://x/v1",
                                                                         model="smollm2-135m-instruct"))
    assert planner.name == "rules"
