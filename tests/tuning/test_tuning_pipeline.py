"""The whole tuning pipeline on a tiny data set: generate, a few optimizer steps, vLLM serves the result and plans
one request. Plus the bad-input lines of `tune train` (GPU-only option on CPU, a killed run)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.errors import ShopagentError


def test_gpu_only_options_on_a_cpu_machine_are_one_clear_line() -> None:
    import torch

    from tuning.train import resolve_device

    if torch.cuda.is_available():
        pytest.skip("a GPU is visible")
    with pytest.raises(ShopagentError, match="--device cuda needs a GPU"):
        resolve_device("cuda", False)
    with pytest.raises(ShopagentError, match="--bf16 is a GPU option"):
        resolve_device("auto", True)
    assert resolve_device("auto", False) == "cpu"


def test_a_killed_run_is_marked_and_never_leaves_a_model(tmp_path: Path) -> None:
    from tuning.train import clean_partial_models, mark_killed_runs

    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    dead_pid = 2 ** 22 + 12345
    (run / "status.json").write_text(json.dumps({"status": "running", "pid": dead_pid}))
    alive = tmp_path / "runs" / "r2"
    alive.mkdir()
    (alive / "status.json").write_text(json.dumps({"status": "running", "pid": os.getpid()}))
    partial = tmp_path / "models" / ".tune-abc"
    partial.mkdir(parents=True)
    (partial / "model.safetensors").write_text("half")
    assert mark_killed_runs(tmp_path / "runs") == [run]
    assert json.loads((run / "status.json").read_text())["status"] == "killed"
    assert json.loads((alive / "status.json").read_text())["status"] == "running"
    clean_partial_models(tmp_path / "models")
    assert not partial.exists()


@pytest.mark.integration
def test_tiny_pipeline_trains_serves_and_plans(demo_catalog, data_dir: Path) -> None:  # noqa: ANN001
    from agent.planners import PlanContext, ShownProduct, Vocabulary
    from core.config import get_settings
    from core.llm.client import Endpoint, check_health, openai_client
    from core.llm.serve import ServerSpec, VLLMServer, free_port
    from core.artifacts import DONE_MARKER
    from tuning.data import DataConfig, build_examples
    from agent.planners.tuned import TunedRouterPlanner
    from tuning.train import TrainConfig, train

    settings = get_settings()
    splits = build_examples([("demo", demo_catalog)], DataConfig(planner=70, reply=2, copy=2, mmlu=0))
    out = data_dir / "tuned"
    result = train(TrainConfig(base_model=settings.embedded_model_dir, out_model=out, run_dir=data_dir / "run",
                               max_steps=2, batch_size=2, max_len=256, eval_steps=2, eval_examples=2,
                               threads=os.cpu_count()), splits["train"], splits["heldout"], progress=False)
    assert result.steps == 2 and result.train_tokens > 0
    assert (out / DONE_MARKER).is_file() and (out / "model.safetensors").is_file()
    assert not list(out.parent.glob(".tune-*"))
    metrics = json.loads((data_dir / "run" / "metrics.json").read_text())
    assert metrics["eval_loss_first"] is not None and metrics["tokens_per_s"] > 0

    spec = ServerSpec(model_dir=out, served_name="tiny-tuned", port=free_port(), tool_parser=None,
                      max_model_len=2048)
    with VLLMServer(spec, data_dir / "vllm-tiny.log"):
        endpoint = check_health(Endpoint(base_url=spec.base_url, model="tiny-tuned"))
        planner = TunedRouterPlanner(openai_client(endpoint), "tiny-tuned", Vocabulary.from_catalog(demo_catalog),
                                     always_ask=True)
        shown = [ShownProduct(position=i, id=p.id, title=p.title, brand=p.brand, price=p.price)
                 for i, p in enumerate(demo_catalog.products()[:4], 1)]
        result = planner.plan("compare the first and the third one", PlanContext(shown=shown))
    assert not any("failed" in n for n in result.notes), result.notes
    assert any(n.startswith("model ") for n in result.notes)  # the served tuned model answered
    from agent.actions import ACTIONS

    assert result.action.action in ACTIONS and result.action.source == "tuned"  # schema-valid, catalog-checked
    if result.action.action == "compare":
        assert result.action.args.items == [1, 3]
