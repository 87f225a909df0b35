from pathlib import Path

import pytest

from core.config import Settings


def test_env_prefix_overrides_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPAGENT_LLM_URL", "http://10.0.0.9:9000/v1")
    monkeypatch.setenv("SHOPAGENT_CHROMA_HOST", "chroma.internal")
    monkeypatch.setenv("SHOPAGENT_DATA_DIR", "/srv/shop")
    s = Settings()
    assert s.llm_url == "http://10.0.0.9:9000/v1"
    assert s.chroma_host == "chroma.internal"
    assert s.data_dir == Path("/srv/shop")
    assert s.chroma_dir == Path("/srv/shop/chroma")


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SHOPAGENT_LLM_MODEL=qwen-7b\nSHOPAGENT_PLANNER=rules\n")
    s = Settings()
    assert s.llm_model == "qwen-7b"
    assert s.planner == "rules"


def test_checkpoint_defaults_to_sqlite_in_data_dir(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    assert s.checkpoint_uri == f"sqlite:///{tmp_path.resolve() / 'checkpoints.sqlite'}"
    assert Settings(data_dir=tmp_path, checkpoint_url="postgresql://u@h/db").checkpoint_uri == "postgresql://u@h/db"


def test_invalid_planner_is_rejected() -> None:
    with pytest.raises(ValueError):
        Settings(planner="telepathy")
