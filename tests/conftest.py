"""Shared test set-up.

Fast tests use scripted chat models and small generated data. Integration tests (``-m integration``) start the
real engines; the embedded vLLM server is started once per test session (``llm_endpoint``).
Capability-specific fixtures live in ``tests/fixtures/<name>.py`` and are loaded as plugins.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

TESTS_DIR = Path(__file__).parent
REPO_ROOT = TESTS_DIR.parent
SHARED_DATASETS = REPO_ROOT.parent / "shared" / "datasets"

pytest_plugins = sorted(f"fixtures.{p.stem}" for p in (TESTS_DIR / "fixtures").glob("*.py") if p.stem != "__init__")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """The real public datasets beside the checkout (read-only; never copied into the project)."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"{SHARED_DATASETS} is not there")
    return SHARED_DATASETS


@pytest.fixture(scope="session")
def model_cache_dir() -> Path:
    """Where the converted embedded model is kept across test runs (conversion takes ~20 s)."""
    path = Path(os.environ.get("SHOPAGENT_TEST_MODELS", REPO_ROOT / ".shopagent" / "models"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache_dir: Path) -> Path:
    """A fresh data directory for one test, with SHOPAGENT_DATA_DIR pointing at it."""
    d = tmp_path / "data"
    d.mkdir()
    (d / "models").symlink_to(model_cache_dir, target_is_directory=True)
    monkeypatch.setenv("SHOPAGENT_DATA_DIR", str(d))
    from core.config import get_settings

    get_settings.cache_clear()
    yield d
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def vllm_server(model_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The real embedded vLLM server, started once per test session (~70 s on 2 cores)."""
    from core.config import Settings
    from core.llm.serve import embedded_server

    data = tmp_path_factory.mktemp("vllm-data")
    (data / "models").symlink_to(model_cache_dir, target_is_directory=True)
    settings = Settings(data_dir=data)
    with embedded_server(settings, progress=False) as server:
        yield server


@pytest.fixture(scope="session")
def llm_endpoint(vllm_server: object):  # noqa: ANN201
    """An ``Endpoint`` for the session's embedded vLLM server (model name resolved)."""
    from core.llm.client import Endpoint, check_health

    spec = vllm_server.spec  # type: ignore[attr-defined]
    return check_health(Endpoint(base_url=spec.base_url, model=spec.served_name))
