"""Server mode: index into and search through a real `chroma run` server (HttpClient)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopagent.cluster.chroma import ChromaServer
from core.config import Settings
from core.llm.serve import free_port
from tools.catalog.demo import generate_demo_catalog
from tools.catalog.store import write_catalog
from tools.search import SearchEngine, SearchRequest
from tools.search.index import build_index
from tools.search.store import PRODUCTS, chroma_client, collection

pytestmark = pytest.mark.integration


@pytest.fixture()
def chroma_server(tmp_path: Path):  # noqa: ANN201
    with ChromaServer(tmp_path / "server-db", log_path=tmp_path / "chroma.log") as server:
        yield server.port


def test_index_and_search_through_a_chroma_server(chroma_server: int, tmp_path: Path, model_cache_dir: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    (d / "models").symlink_to(model_cache_dir, target_is_directory=True)
    write_catalog(d, generate_demo_catalog(seed=1, n_products=60))
    settings = Settings(data_dir=d, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = build_index(settings, reviews=False)
    assert report.n_embedded == 60
    assert not (d / "chroma").exists()  # nothing went to the embedded store
    assert collection(chroma_client(settings), PRODUCTS).count() == 60
    # the local mirror is only a cache: without it, the engine reads the vectors back from the server
    (d / "index" / "products.npy").unlink()
    engine = SearchEngine.open(settings)
    p = engine.catalog.products()[7]
    assert p.id in [h.product.id for h in engine.search(SearchRequest(query=p.title, k=3)).hits]
    assert build_index(settings, reviews=False).n_embedded == 0


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from core.errors import ShopagentError

    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(ShopagentError, match="no Chroma server"):
        chroma_client(settings)
