"""Generation metrics, and the describe CLI's answers to bad input (one red line, exit 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.llm.serve import free_port
from evals.describe.metrics import bleu, embedding_cosine, rouge_l, score_copies
from tools.describe.models import Claim, ProductCopy

REF = "A stainless steel water bottle that keeps drinks cold for 24 hours."


def test_rouge_and_bleu_reward_overlap_with_the_reference() -> None:
    assert rouge_l([REF], [REF]) == 1.0 and bleu([REF], [REF]) == pytest.approx(100.0)
    close = "A stainless steel bottle that keeps drinks cold for 24 hours."
    far = "Comfortable running shoes with a breathable mesh upper."
    assert 0.5 < rouge_l([close], [REF]) < 1.0 and rouge_l([far], [REF]) < 0.2
    assert bleu([close], [REF]) > bleu([far], [REF])


def test_embedding_cosine_and_supported_share() -> None:
    vocab = sorted(set((REF + " running shoes mesh").lower().replace(".", "").split()))

    def embed(texts: list[str]) -> np.ndarray:  # bag of words: enough to check the arithmetic
        return np.array([[t.lower().replace(".", "").split().count(w) for w in vocab] for t in texts], dtype=float)

    assert abs(embedding_cosine([REF], [REF], embed) - 1.0) < 1e-9
    assert embedding_cosine(["running shoes mesh"], [REF], embed) == 0.0
    copy = ProductCopy(title="Bottle", bullets=["a b", "c d", "e f"], description=REF)
    claims = [Claim(text="x", field="bullet", supported=s) for s in (True, True, True, False)]
    m = score_copies([copy], [REF], claims, embed)
    assert m.supported_share == 0.75 and m.n == 1 and 0 < m.rougeL < 1


def _cli_error(*args: str) -> str:
    """The ShopagentError message `shopagent describe ARGS` ends with (main() prints it as one red line)."""
    from typer.testing import CliRunner

    from shopagent.cli import app
    from core.errors import ShopagentError

    result = CliRunner().invoke(app, ["describe", *args])
    assert isinstance(result.exception, ShopagentError), result.output
    return str(result.exception)


def test_cli_bad_input_is_one_clear_error(data_dir: Path) -> None:
    assert _cli_error() == "give a PRODUCT_ID, --record JSON, --all or --category X"
    assert _cli_error("--all") == "--all/--category write a batch: give --out FILE.jsonl"
    assert _cli_error("--record", '{"title": "Lamp"', ).startswith("--record is not JSON")
    assert _cli_error("--record", '{"title": "Lamp"}', "--tone", "angry").startswith("bad option: tone")
    assert _cli_error("P1").startswith(f"no catalog in {data_dir}")


def test_cli_server_down_is_one_red_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHOPAGENT_DATA_DIR": str(tmp_path),
           "SHOPAGENT_LLM_URL": f"http://127.0.0.1:{free_port()}/v1"}
    p = subprocess.run([sys.executable, "-m", "shopagent", "describe", "--record", '{"title": "Lamp", "color": "red"}'],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 1
    assert p.stderr.strip() == f"error: no LLM server at {env['SHOPAGENT_LLM_URL']}: run `shopagent llm serve` or " \
                               "set SHOPAGENT_LLM_URL"


def test_bench_items_hold_out_the_reference(shared_datasets: Path) -> None:
    from shopagent.bench.describe import scientific_items

    items = scientific_items(shared_datasets, 5)
    assert len(items) == 5 and len({it.request.key for it in items}) == 5
    for it in items:
        record = it.request.record
        assert set(record) == {"id", "title", "brand", "category"}
        assert it.reference and it.reference not in " ".join(record.values())
