"""The search engine over a small demo catalog with the real encoder, Chroma and bm25s."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.config import Settings
from core.errors import ShopagentError
from tools.catalog.demo import generate_demo_catalog
from tools.catalog.store import Catalog, CatalogData, UnknownProductError, write_catalog
from tools.search import InvalidFilterError, SearchEngine, SearchFilters, SearchRequest, parse_query
from tools.search import store
from tools.search.index import build_index


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, model_cache_dir: Path) -> SearchEngine:
    d = tmp_path_factory.mktemp("search")
    (d / "models").symlink_to(model_cache_dir, target_is_directory=True)
    write_catalog(d, generate_demo_catalog(seed=0, n_products=150))
    settings = Settings(data_dir=d)
    report = build_index(settings)
    assert report.n_embedded == 150 and report.n_reviews_embedded == report.n_reviews > 0
    return SearchEngine.open(settings)


def test_search_before_index_build_says_what_to_run(demo_catalog: Catalog, data_dir: Path) -> None:
    with pytest.raises(ShopagentError, match="shopagent index build"):
        SearchEngine.open(Settings(data_dir=data_dir))


def test_exact_title_words_find_the_product(engine: SearchEngine) -> None:
    p = engine.catalog.products()[17]
    res = engine.search(SearchRequest(query=p.title, k=5))
    assert p.id in [h.product.id for h in res.hits]
    assert res.hits[0].snippet


def test_filters_hold_on_every_hit(engine: SearchEngine) -> None:
    parsed = parse_query("running shoes under $150 3.5 stars and up in stock", engine.catalog)
    res = engine.search(SearchRequest(query=parsed.query, filters=parsed.filters, k=20))
    assert res.hits
    for h in res.hits:
        p = h.product
        assert p.price <= 150 and p.rating >= 3.5 and p.in_stock and p.category == "Running Shoes"


def test_each_mode_respects_a_brand_filter(engine: SearchEngine) -> None:
    brand = engine.catalog.get(engine.catalog.ids[0]).brand
    for mode in ("hybrid", "dense", "keyword"):
        res = engine.search(SearchRequest(query="great quality", filters=SearchFilters(brand=brand.upper()),
                                          k=10, mode=mode))
        assert all(h.product.brand == brand for h in res.hits), mode


def test_empty_query_gives_popular_items_in_scope(engine: SearchEngine) -> None:
    res = engine.search(SearchRequest(query="  ", filters=SearchFilters(category="Beauty"), k=5))
    counts = [h.product.rating_count for h in res.hits]
    assert len(counts) == 5 and counts == sorted(counts, reverse=True)
    assert all(h.product.categories[0] == "Beauty" for h in res.hits)
    in_scope = [p.rating_count for p in engine.catalog.products() if p.categories[0] == "Beauty"]
    assert counts[0] == max(in_scope)
    assert "popular" in res.message


def test_impossible_price_range_is_a_clear_error(engine: SearchEngine) -> None:
    with pytest.raises(InvalidFilterError, match="above max_price"):
        engine.search(SearchRequest(query="shoes", filters=SearchFilters(min_price=100, max_price=10)))


def test_unknown_category_lists_the_closest(engine: SearchEngine) -> None:
    res = engine.search(SearchRequest(query="shoes", filters=SearchFilters(category="Runing Shoe")))
    assert res.hits == [] and "Running Shoes" in res.message


def test_review_snippets_come_from_that_product(engine: SearchEngine) -> None:
    pid = engine.catalog.review_frame()["product_id"].value_counts().index[0]
    snippets = engine.review_snippets(pid, "comfortable", k=2)
    own = {r.id for r in engine.catalog.reviews(pid)}
    assert snippets and all(s.review_id in own for s in snippets)
    assert snippets == sorted(snippets, key=lambda s: -s.score)
    with pytest.raises(UnknownProductError):
        engine.review_snippets("nope", "x")


def test_rebuild_embeds_only_what_changed(tmp_path: Path, model_cache_dir: Path) -> None:
    (tmp_path / "models").symlink_to(model_cache_dir, target_is_directory=True)
    data = generate_demo_catalog(seed=3, n_products=30)
    write_catalog(tmp_path, data)
    s = Settings(data_dir=tmp_path)
    assert build_index(s, reviews=False).n_embedded == 30
    assert build_index(s, reviews=False).n_embedded == 0
    products = data.products[:-1]
    products[0] = products[0].model_copy(update={"title": "Completely new title"})
    write_catalog(tmp_path, CatalogData(products=products))
    report = build_index(s, reviews=False)
    assert (report.n_embedded, report.n_deleted) == (1, 1)
    engine = SearchEngine.open(s)
    res = engine.search(SearchRequest(query="Completely new title", k=1))
    assert res.hits[0].product.id == products[0].id
    # the store of record holds the new vector and metadata once (not only the local mirror)
    col = store.collection(store.chroma_client(s), store.PRODUCTS)
    got = col.get(ids=[products[0].id], include=["embeddings", "metadatas"])
    assert col.count() == 29 and got["metadatas"][0]["title"] == "Completely new title"
    row = engine.catalog.index_of(products[0].id)
    assert np.allclose(got["embeddings"][0], engine.matrix[row], atol=1e-6)


def test_a_sync_trusts_its_local_state_only_while_chroma_agrees(tmp_path: Path, model_cache_dir: Path) -> None:
    from tools.search import store

    (tmp_path / "models").symlink_to(model_cache_dir, target_is_directory=True)
    write_catalog(tmp_path, generate_demo_catalog(seed=4, n_products=20))
    s = Settings(data_dir=tmp_path)
    build_index(s, reviews=False)
    assert (tmp_path / "index" / "products.state.json").exists()
    col = store.collection(store.chroma_client(s), store.PRODUCTS)
    gone = Catalog.open(tmp_path).ids[3]
    col.delete(ids=[gone])  # the collection changed behind the local state's back
    report = build_index(s, reviews=False)
    assert report.n_embedded == 1 and col.count() == 20
    res = SearchEngine.open(s).search(SearchRequest(query=Catalog.open(tmp_path).get(gone).title, k=3, mode="dense"))
    assert gone in [h.product.id for h in res.hits]


def test_a_rebuild_reads_only_the_changed_rows_and_keyword_search_sees_them(tmp_path: Path,
                                                                              model_cache_dir: Path) -> None:
    from tools.search.rows import product_rows

    (tmp_path / "models").symlink_to(model_cache_dir, target_is_directory=True)
    data = generate_demo_catalog(seed=5, n_products=40)
    write_catalog(tmp_path, data)
    s = Settings(data_dir=tmp_path)
    build_index(s, reviews=False)
    products = list(data.products)
    products[7] = products[7].model_copy(update={"title": "Zyzzyva titanium spork"})
    products[8] = products[8].model_copy(update={"price": 1.0})  # a row change the text does not show
    write_catalog(tmp_path, CatalogData(products=products))
    cache = tmp_path / "index" / "products.rows.npz"
    assert product_rows(Catalog.open(tmp_path), cache).n_rebuilt == 2
    fresh = product_rows(Catalog.open(tmp_path), tmp_path / "none.npz")
    cached = product_rows(Catalog.open(tmp_path), cache)
    assert fresh.n_rebuilt == 40 and fresh.hashes == cached.hashes
    words = {"cached": cached.vocab.tokens(), "fresh": fresh.vocab.tokens()}  # the same words, each its own ids
    assert [[words["cached"][t] for t in cached.tokens(i)] for i in range(40)] == \
        [[words["fresh"][t] for t in fresh.tokens(i)] for i in range(40)]
    assert "zyzzyva" in [words["cached"][t] for t in cached.tokens(cached.ids.index(products[7].id))]
    assert build_index(s, reviews=False).n_embedded == 1
    res = SearchEngine.open(s).search(SearchRequest(query="zyzzyva spork", k=1, mode="keyword"))
    assert res.hits[0].product.id == products[7].id


class _RecordingCollection:
    """The Chroma collection, recording how many results each query asked for."""

    def __init__(self, col) -> None:  # noqa: ANN001
        self.col, self.asked = col, []

    def query(self, **kwargs):  # noqa: ANN003, ANN201
        self.asked.append(kwargs["n_results"])
        return self.col.query(**kwargs)


def test_chroma_is_asked_for_at_most_overfetch_times_and_a_filter_it_cannot_fill_is_searched_exactly(
        engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.search.engine import OVERFETCH, CostModel

    recorder = _RecordingCollection(engine.products_col)
    monkeypatch.setattr(engine, "products_col", recorder)
    monkeypatch.setattr(engine, "costs", CostModel(exact_per_row=1.0, chroma_query=1e-9))  # Chroma whenever it can
    prices = np.sort([p.price for p in engine.catalog.products() if p.price is not None])
    broad = SearchFilters(max_price=float(prices[len(prices) * 9 // 10]))  # nine in ten products
    narrow = SearchFilters(max_price=float(prices[len(prices) // 12]))  # a twelfth: 1.5/selectivity would be 18x
    for filters, path in ((broad, "chroma"), (narrow, "exact")):
        recorder.asked.clear()
        res = engine.search(SearchRequest(query="something for running", filters=filters, k=10, mode="dense"))
        assert res.path == path and len(res.hits) == 10
        assert all(h.product.price <= filters.max_price for h in res.hits)
        assert recorder.asked and max(recorder.asked) <= OVERFETCH * 10


def test_an_index_build_encodes_on_every_core_a_few_texts_on_one(tmp_path: Path, model_cache_dir: Path) -> None:
    """Index batches (256 texts) are below the size that opens the all-cores session by itself: the build asks for
    it (a single-threaded build ran at ~0.55x sentence-transformers on two idle cores); a query-sized call does not."""
    from tools.search.embed import Embedder

    texts = [p.title for p in generate_demo_catalog(seed=1, n_products=40).products]
    few = Embedder(model_cache_dir)
    one_core = few.encode(texts)
    assert few._bulk_session is None
    assert np.allclose(few.encode(texts, bulk=True), one_core, atol=1e-5)
    assert few._bulk_session is not None
    built = Embedder(model_cache_dir)
    opened = []
    bulk = built._bulk
    built._bulk = lambda: opened.append(1) or bulk()
    (tmp_path / "models").symlink_to(model_cache_dir, target_is_directory=True)
    write_catalog(tmp_path, generate_demo_catalog(seed=1, n_products=40))
    assert build_index(Settings(data_dir=tmp_path), reviews=False, embedder=built).n_embedded == 40
    assert opened  # index builds run in CLI processes (`shopagent index build`, `up`), never in a serving one
