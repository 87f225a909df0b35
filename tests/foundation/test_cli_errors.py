"""Bad input at the CLI edge: one clear line on stderr, exit code != 0."""

import subprocess
import sys
from pathlib import Path

from core.llm.serve import free_port


def _run(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shopagent", *args], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "SHOPAGENT_DATA_DIR": str(env_dir), "HOME": str(env_dir)},
    )


def test_serve_wrong_model_path(tmp_path: Path) -> None:
    p = _run("llm", "serve", "--model", str(tmp_path / "missing"), "--port", str(free_port()), env_dir=tmp_path)
    assert p.returncode == 1
    assert p.stderr.strip().splitlines() == [f"error: no model at {tmp_path / 'missing'} (no config.json): "
                                             "run `shopagent llm prepare` or pass a HF model directory"]


def test_models_without_server(tmp_path: Path) -> None:
    port = free_port()
    p = subprocess.run(
        [sys.executable, "-m", "shopagent", "llm", "models"], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "SHOPAGENT_LLM_URL": f"http://127.0.0.1:{port}/v1", "HOME": str(tmp_path)},
    )
    assert p.returncode == 1
    assert "no LLM server at" in p.stderr and "shopagent llm serve" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
