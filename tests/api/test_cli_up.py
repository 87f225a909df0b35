"""`shopagent up` prepares only what is missing and finds the app; `shopagent api` refuses a busy port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.errors import ShopagentError


def test_app_path_is_the_streamlit_entry() -> None:
    from shopagent.cli.up import app_path

    path = app_path()
    assert path.name == "app.py" and (path.parent / "views" / "chat.py").is_file()


def test_prepare_generates_the_demo_catalog_only_when_missing(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    import shopagent.cli.up as up
    from core.config import Settings
    from tools.catalog.store import Catalog

    built = []
    monkeypatch.setattr("tools.search.index.build_index", lambda s, **k: built.append("index"))
    monkeypatch.setattr("tools.recommend.train.train_catalog", lambda d, names, **k: built.append("recsys"))
    s = Settings(data_dir=data_dir)
    up.prepare(s, llm=False, demo_products=60)
    assert len(Catalog.open(data_dir)) == 60 and built == ["index", "recsys"]
    written = (data_dir / "catalog" / "CURRENT").read_text()
    up.prepare(s, llm=False, demo_products=99)
    assert (data_dir / "catalog" / "CURRENT").read_text() == written  # an existing catalog is kept


def test_api_refuses_a_busy_port() -> None:
    from shopagent.cli.api import api

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(ShopagentError, match="is busy"):
            api(host="127.0.0.1", port=s.getsockname()[1], workers=1, threads=1)
