"""Loads that never lose or corrupt the catalog: versions switched atomically, refused loads, killed loads,
rollback, unreadable store files as one line, partial updates."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.errors import ShopagentError
from tools.catalog.load import load_catalog
from tools.catalog.models import Product
from tools.catalog.publish import LoadRefusedError, publish
from tools.catalog.store import Catalog, CatalogData, CatalogFileError, write_catalog
from tools.catalog.versions import list_versions, rollback

REPO = Path(__file__).resolve().parents[2]


def _feed(path: Path, n_good: int, n_bad: int, prefix: str = "p", price: str = "19.99") -> Path:
    """A real CSV feed: ``n_good`` products, then ``n_bad`` rows with too few fields."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "brand", "category", "price"])
        for i in range(n_good):
            w.writerow([f"{prefix}{i}", f"Trail shoe {prefix}{i}", "Acme", "Shoes > Trail", price])
        for i in range(n_bad):
            f.write(f"broken{i},only two fields\n")
    return path


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPAGENT_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "shopagent", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)


def test_feed_with_2pct_bad_lines_is_refused_and_the_old_catalog_still_served(data_dir: Path,
                                                                               tmp_path: Path) -> None:
    publish(data_dir, load_catalog("csv", _feed(tmp_path / "old.csv", 50, 0, prefix="old")))
    before = Catalog.open(data_dir)
    feed = _feed(tmp_path / "new.csv", 98, 2, prefix="new")
    run = _cli(data_dir, "data", "load", str(feed), "--source", "csv")
    assert run.returncode == 1
    err = " ".join(run.stderr.split())
    assert "load refused" in err and "2 of 100 lines malformed" in err
    assert "line 100: expected 5 fields" in err and "line 101" in err  # the first examples, by line number
    after = Catalog.open(data_dir)
    assert after.version == before.version and after.ids == before.ids
    assert len(list_versions(data_dir / "catalog")) == 1


def test_max_bad_fraction_5pct_accepts_the_same_feed_with_a_report(data_dir: Path, tmp_path: Path) -> None:
    feed = _feed(tmp_path / "new.csv", 98, 2)
    run = _cli(data_dir, "data", "load", str(feed), "--source", "csv", "--max-bad-fraction", "0.05", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["accepted"] and out["n_products"] == 98 and out["version"] == "v000001"
    assert out["files"][0]["n_malformed"] == 2 and out["files"][0]["examples"][0].startswith("line 100")
    assert len(Catalog.open(data_dir)) == 98


def test_dry_run_checks_without_switching(data_dir: Path, tmp_path: Path) -> None:
    publish(data_dir, load_catalog("csv", _feed(tmp_path / "old.csv", 10, 0)))
    result = publish(data_dir, load_catalog("csv", _feed(tmp_path / "new.csv", 30, 0, prefix="n")), dry_run=True)
    assert result.accepted and result.version is None and result.n_products == 30
    assert len(Catalog.open(data_dir)) == 10
    with pytest.raises(LoadRefusedError):
        publish(data_dir, load_catalog("csv", _feed(tmp_path / "bad.csv", 10, 5)), dry_run=True)


def test_bytes_that_are_not_utf8_are_counted_with_their_lines(tmp_path: Path) -> None:
    feed = tmp_path / "latin1.csv"
    feed.write_bytes("id,title,price\n1,Caf\u00e9 mug,4.50\n2,Plain mug,3.00\n3,Cr\u00e8me br\u00fbl\u00e9e set,9\n"
                     .encode("latin-1"))
    data = load_catalog("csv", feed)
    rep = data.report["files"][0]
    assert (rep["n_non_utf8_lines"], rep["n_non_utf8_bytes"]) == (2, 4)
    assert rep["non_utf8_examples"] == ["line 2: 1 bytes not UTF-8", "line 4: 3 bytes not UTF-8"]
    assert len(data.products) == 3


_KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import tools.catalog.store as store
    from tools.catalog.models import Product

    real = store._write_tables
    def slow(out, data):
        real(out, data)           # every table of the new version is on disk ...
        Path(sys.argv[2]).touch()
        time.sleep(60)            # ... and the process is killed before the pointer moves
    store._write_tables = slow
    products = [Product(id=f"new{i}", title=f"New {i}") for i in range(20)]
    store.write_catalog(Path(sys.argv[1]), store.CatalogData(products=products, source="killed"))
""")


def test_a_load_killed_midway_leaves_the_previous_version_and_the_next_load_cleans_up(data_dir: Path,
                                                                                      tmp_path: Path) -> None:
    write_catalog(data_dir, CatalogData(products=[Product(id="old1", title="Old")], source="old"))
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(data_dir), str(ready)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the writer did not get midway"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    versions_dir = data_dir / "catalog" / "versions"
    assert [p.name for p in versions_dir.iterdir() if p.name.startswith(".incomplete-")]
    served = Catalog.open(data_dir)
    assert served.ids == ["old1"] and served.manifest["source"] == "old"
    write_catalog(data_dir, CatalogData(products=[Product(id="next1", title="Next")], source="next"))
    assert not [p.name for p in versions_dir.iterdir() if p.name.startswith(".")]
    assert Catalog.open(data_dir).ids == ["next1"]
    assert [v.version for v in list_versions(data_dir / "catalog")] == ["v000001", "v000002"]


def test_a_reader_sees_one_whole_version_while_a_new_one_is_switched_in(data_dir: Path) -> None:
    write_catalog(data_dir, CatalogData(products=[Product(id="a", title="A")],
                                        reviews=[], source="one"))
    reader = Catalog.open(data_dir)
    write_catalog(data_dir, CatalogData(products=[Product(id="b", title="B")], source="two"))
    assert reader.ids == ["a"] and reader.manifest["source"] == "one"
    assert reader.review_frame().empty  # read later, from its own version's directory
    assert Catalog.open(data_dir).ids == ["b"]


def test_old_versions_are_pruned_but_the_served_one_is_kept(data_dir: Path) -> None:
    for i in range(4):
        write_catalog(data_dir, CatalogData(products=[Product(id=f"p{i}", title="P")]), keep=2)
    assert [v.version for v in list_versions(data_dir / "catalog")] == ["v000003", "v000004"]
    rollback(data_dir / "catalog")
    write_catalog(data_dir, CatalogData(products=[Product(id="p5", title="P")]), keep=1)
    assert [v.version for v in list_versions(data_dir / "catalog")] == ["v000005"]


def test_a_catalog_written_before_versions_is_read_and_kept_as_v000000(data_dir: Path) -> None:
    write_catalog(data_dir, CatalogData(products=[Product(id="legacy", title="L")]))
    root = data_dir / "catalog"
    v = root / "versions" / "v000001"
    for f in v.iterdir():  # the layout of earlier releases: tables directly under catalog/
        f.replace(root / f.name)
    v.rmdir()
    (root / "CURRENT").unlink()
    assert Catalog.open(data_dir).ids == ["legacy"]
    write_catalog(data_dir, CatalogData(products=[Product(id="new", title="N")]))
    assert [v.version for v in list_versions(root)] == ["v000000", "v000001"]
    assert rollback(root) == "v000000" and Catalog.open(data_dir).ids == ["legacy"]


# --- unreadable store files ---

def test_a_truncated_products_parquet_is_one_line_naming_the_file_and_the_repair(data_dir: Path) -> None:
    write_catalog(data_dir, CatalogData(products=[Product(id="p1", title="One")]))
    write_catalog(data_dir, CatalogData(products=[Product(id="p2", title="Two")]))
    path = data_dir / "catalog" / "versions" / "v000002" / "products.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CatalogFileError) as err:
        Catalog.open(data_dir)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    assert "shopagent data rollback" in message and "shopagent data load" in message
    run = _cli(data_dir, "data", "info")
    assert run.returncode == 1 and str(path) in run.stderr and "Traceback" not in run.stderr
    assert _cli(data_dir, "data", "rollback").returncode == 0  # the repair the message names works
    assert Catalog.open(data_dir).ids == ["p1"]


def test_a_corrupt_manifest_or_pointer_is_one_line_too(data_dir: Path) -> None:
    write_catalog(data_dir, CatalogData(products=[Product(id="p1", title="One")]))
    manifest = data_dir / "catalog" / "versions" / "v000001" / "manifest.json"
    manifest.write_text('{"source": "x", "n_pro')
    with pytest.raises(CatalogFileError, match=r"manifest\.json is unreadable .*shopagent data rollback"):
        Catalog.open(data_dir)
    (data_dir / "catalog" / "CURRENT").write_text("\x00garbage")
    with pytest.raises(ShopagentError, match="CURRENT is corrupt.*shopagent data rollback"):
        Catalog.open(data_dir)


def test_the_api_answers_503_with_the_broken_file_and_the_repair(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from core.config import Settings
    from shopagent.api.app import create_app
    from shopagent.services import Services

    write_catalog(data_dir, CatalogData(products=[Product(id="p1", title="One")]))
    path = data_dir / "catalog" / "versions" / "v000001" / "products.parquet"
    path.write_bytes(b"PAR1 not really")
    settings = Settings(data_dir=data_dir, llm_url="http://127.0.0.1:9/v1", checkpoint_url="memory://")
    with TestClient(create_app(settings, Services(settings, use_engines=False), warm=False)) as client:
        r = client.post("/v1/search", json={"query": "one"})
        assert r.status_code == 503
        message = r.json()["error"]["message"]
        assert str(path) in message and "shopagent data rollback" in message and "\n" not in message


# --- partial updates ---

def test_an_update_adds_changes_and_removes_and_reports_each(data_dir: Path, tmp_path: Path) -> None:
    publish(data_dir, load_catalog("csv", _feed(tmp_path / "full.csv", 10, 0)))
    update = tmp_path / "update.csv"
    update.write_text("id,title,brand,category,price,deleted\n"
                      "p1,Trail shoe p1,Acme,Shoes > Trail,19.99,\n"      # unchanged
                      "p2,Trail shoe p2 (new colour),Acme,Shoes > Trail,21.00,\n"  # changed
                      "p3,,,,,yes\n"                                       # removed by its column
                      "q1,Rain jacket,Acme,Jackets,80,\n")                 # added
    deletions = tmp_path / "gone.txt"
    deletions.write_text("id\np4\nmissing\n")
    run = _cli(data_dir, "data", "load", str(update), "--source", "csv", "--update", "--delete", str(deletions),
               "--json")
    assert run.returncode == 0, run.stderr
    change = json.loads(run.stdout)["change"]
    assert change == {"added": 1, "changed": 1, "removed": 2, "unchanged": 1, "kept": 6, "deletions_not_found": 1}
    c = Catalog.open(data_dir)
    assert c.ids == ["p0", "p1", "p2", "p5", "p6", "p7", "p8", "p9", "q1"]
    assert c.get("p2").title == "Trail shoe p2 (new colour)" and c.get("p2").price == 21.0
    assert c.manifest["change"] == change


# --- serving while versions switch ---

def _shop(prefix: str, n: int = 40) -> CatalogData:
    return CatalogData(products=[Product(id=f"{prefix}{i}", title=f"{prefix} trail shoe {i}", brand="Acme",
                                         categories=["Shoes"], price=10.0 + i) for i in range(n)],
                       source=prefix)


def test_a_running_api_keeps_answering_through_switches_each_answer_from_one_version(data_dir: Path) -> None:
    import threading

    import httpx
    import uvicorn

    from core.config import Settings
    from shopagent.api.app import create_app
    from shopagent.services import Services

    write_catalog(data_dir, _shop("alpha"))
    settings = Settings(data_dir=data_dir, llm_url="http://127.0.0.1:9/v1", checkpoint_url="memory://")
    app = create_app(settings, Services(settings, use_engines=False), warm=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    answers: list[tuple[int, set[str]]] = []
    stop = threading.Event()

    def shopper() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            while not stop.is_set():
                r = client.post("/v1/search", json={"query": "trail shoe", "k": 20})
                prefixes = {h["product"]["id"].rstrip("0123456789") for h in r.json().get("hits", [])} \
                    if r.status_code == 200 else set()
                answers.append((r.status_code, prefixes))

    shoppers = [threading.Thread(target=shopper) for _ in range(3)]
    try:
        for t in shoppers:
            t.start()
        for prefix in ("beta", "gamma", "delta", "alpha", "omega"):
            time.sleep(0.4)
            write_catalog(data_dir, _shop(prefix))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (not answers or answers[-1][1] != {"omega"}):
            time.sleep(0.05)
    finally:
        stop.set()
        for t in shoppers:
            t.join(30)
        server.should_exit = True
    assert len(answers) > 20
    assert {status for status, _ in answers} == {200}
    assert all(len(p) == 1 for _, p in answers)  # never a mix of two versions in one answer
    seen = {next(iter(p)) for _, p in answers}
    assert {"alpha", "omega"} <= seen and len(seen) >= 3  # the new versions were picked up without a restart
    assert answers[-1][1] == {"omega"}


def test_rollback_restores_the_previous_versions_search_results_exactly(data_dir: Path) -> None:
    from core.config import Settings
    from tools.search import SearchEngine, SearchRequest
    from tools.search.index import build_index

    from tools.catalog.demo import generate_demo_catalog

    settings = Settings(data_dir=data_dir)
    first = generate_demo_catalog(seed=1, n_products=60)
    write_catalog(data_dir, first)
    build_index(settings, reviews=False)
    queries = ["warm jacket", "wireless headphones under 100", "face cream", "kitchen knife"]

    def results() -> list[list[tuple[str, float]]]:
        engine = SearchEngine.open(settings)
        return [[(h.product.id, h.score) for h in engine.search(SearchRequest(query=q, k=8)).hits]
                for q in queries]

    before = results()
    changed = [p.model_copy(update={"title": f"Discount {p.title}", "price": 1.0}) for p in first.products[::2]]
    write_catalog(data_dir, CatalogData(products=changed + first.products[1::2][:10], source="second"))
    build_index(settings, reviews=False)
    assert results() != before
    assert rollback(data_dir / "catalog") == "v000001"
    report = build_index(settings, reviews=False)
    assert report.n_embedded == 30 + 20  # the products the second version changed or dropped, nothing else
    assert results() == before


def test_a_corrupt_index_file_is_one_line_naming_it_and_the_rebuild(data_dir: Path) -> None:
    from core.config import Settings
    from tools.search import SearchEngine
    from tools.search.index import build_index

    write_catalog(data_dir, _shop("alpha", 8))
    settings = Settings(data_dir=data_dir)
    build_index(settings, reviews=False)
    mirror = data_dir / "index" / "products.npy"
    mirror.write_bytes(mirror.read_bytes()[:100])  # the local mirror is a cache: re-read from Chroma
    assert len(SearchEngine.open(settings).matrix) == 8
    (data_dir / "index" / "meta.json").write_text("{not json")
    with pytest.raises(ShopagentError) as err:
        SearchEngine.open(settings)
    assert "meta.json is unreadable" in str(err.value) and "shopagent index build" in str(err.value)
    assert "\n" not in str(err.value)


# --- prices as the file means them ---

def test_feed_prices_are_read_with_the_feeds_decimal_mark_and_impossible_ones_are_malformed(tmp_path: Path) -> None:
    feed = tmp_path / "eu.csv"
    feed.write_text("id;title;price\n"
                    "a;Mug;12,50 €\n"
                    "b;Kettle;€1.299,00\n"
                    "c;Rug;1 299 kr\n"
                    "d;Lamp;1.299\n"      # no decimal mark of its own: the feed's comma makes it 1299
                    "e;Vase;1e308\n"
                    "f;Desk;-5,00\n"
                    "g;Cup;\n", encoding="utf-8")
    data = load_catalog("csv", feed)
    prices = {p.id: p.price for p in data.products}
    assert prices == {"a": 12.5, "b": 1299.0, "c": 1299.0, "d": 1299.0, "g": None}
    rep = data.report["files"][0]
    assert rep["price_locale"] == "comma" and rep["n_malformed"] == 2
    assert rep["examples"][0].startswith("line 6: impossible price '1e308'")
    assert rep["examples"][1].startswith("line 7: impossible price '-5,00'")


def test_an_explicit_price_locale_rejects_strings_that_contradict_it(tmp_path: Path) -> None:
    feed = tmp_path / "us.csv"
    feed.write_text('id,title,price\na,Mug,"$1,299.00"\nb,Kettle,"12,50 €"\nc,Lamp,"1,500"\n', encoding="utf-8")
    data = load_catalog("csv", feed, price_locale="en_US")
    assert {p.id: p.price for p in data.products} == {"a": 1299.0, "c": 1500.0}
    assert data.report["files"][0]["examples"][0].startswith("line 3: impossible price '12,50 €'")
    with pytest.raises(ShopagentError, match="--price-locale"):
        load_catalog("csv", feed, price_locale="12")
