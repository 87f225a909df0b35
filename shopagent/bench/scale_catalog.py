"""`shopagent bench scale-catalog`: what the shop costs as the catalog grows (10k, 100k, 1M products).

Per size, on a generated catalog (seeded: brands, three-level categories, prices, ratings; no reviews):
- ``load_s``: ``publish`` of the whole catalog (sanitising, Parquet, fsync, the atomic switch);
- ``full_build_s``: ``build_index`` from scratch (vectors into Chroma's HNSW, the local mirror, BM25);
- ``update_1pct_s``: ``build_index`` after a partial feed changed 1% of the products (``update_load_s`` is the
  ``publish(update=True)`` that wrote it);
- ``store_mb`` (the catalog version on disk), ``index_mb`` (Chroma + mirror + BM25);
- in a fresh process that opens the engine as an API worker does: ``rss_mb`` and ``vectors_mb`` (the float32
  vectors alone), and search p50/p95 over queries without filters and with each filter kind (price range, brand,
  category), with the dense path each query took.

Vectors are synthetic at every size (stated in the output as ``embeddings``): a seeded unit vector per text,
clustered by category, of the encoder's dimension (384), and the query vector is made the same way. A real query
embedding costs ``query_embed_ms`` more per search (measured once with the real encoder when it is installed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from core.config import Settings

log = logging.getLogger(__name__)

DIM = 384
SIZES = (10_000, 100_000, 1_000_000)
Say = Callable[[str], None]

_BRANDS = [f"{a}{b}" for a in ("Alder", "Birch", "Cedar", "Delta", "Ember", "Fjord", "Garnet", "Harbor", "Iris",
                                "Juniper", "Kestrel", "Lumen", "Maple", "Nimbus", "Onyx", "Pioneer", "Quartz",
                                "Raven", "Summit", "Tundra")
           for b in ("", " Co", " Labs", " Works", " Goods", " Home", " Sport", " Tech", " Outdoor", " Studio",
                     " Supply", " Make", " Craft", " Pro", " One", " Max", " Lite", " Prime", " Basic", " Plus",
                     " North", " South", " East", " West", " Bay")]  # 500 brands
_ROOTS = {
    "Sports & Outdoors": ["Camping", "Hiking", "Cycling", "Running", "Climbing", "Fishing"],
    "Home & Kitchen": ["Cookware", "Bedding", "Storage", "Lighting", "Cutlery", "Decor"],
    "Electronics": ["Headphones", "Speakers", "Cameras", "Chargers", "Monitors", "Keyboards"],
    "Beauty": ["Skin Care", "Hair Care", "Fragrance", "Makeup", "Nail Care", "Bath"],
    "Clothing": ["Jackets", "Shoes", "Shirts", "Trousers", "Socks", "Hats"],
    "Toys & Games": ["Puzzles", "Board Games", "Building Sets", "Dolls", "Outdoor Play", "Learning"],
}
_LEAVES = ("Basic", "Premium", "Compact", "Travel", "Kids", "Pro")
_ADJ = ("lightweight", "waterproof", "wireless", "compact", "durable", "soft", "stainless", "portable", "warm",
        "quiet", "fast", "ergonomic", "organic", "classic", "slim", "heavy-duty", "foldable", "rechargeable")
_NOUN = ("tent", "jacket", "kettle", "lamp", "speaker", "cream", "shoe", "backpack", "bottle", "pan", "charger",
         "blanket", "puzzle", "helmet", "brush", "camera", "sock", "mug", "knife", "mat", "chair", "bag")


def categories() -> list[list[str]]:
    return [[root, mid, f"{mid} {leaf}"] for root, mids in _ROOTS.items() for mid in mids for leaf in _LEAVES]


def generate(n: int, seed: int = 0):  # noqa: ANN201 - tools.catalog.store.CatalogData
    """``n`` products, seeded (the same n and seed give the same catalog)."""
    from tools.catalog.models import Product
    from tools.catalog.store import CatalogData

    rng = np.random.default_rng(seed)
    cats = categories()
    cat = rng.integers(0, len(cats), n)
    brand = rng.zipf(1.3, n) % len(_BRANDS)
    adj = rng.integers(0, len(_ADJ), (n, 2))
    noun = rng.integers(0, len(_NOUN), n)
    price = np.round(np.exp(rng.normal(3.4, 1.0, n)), 2)
    rating = np.round(rng.uniform(2.5, 5.0, n), 1)
    count = rng.integers(0, 5000, n)
    stock = rng.random(n) > 0.1
    products = [
        Product.model_construct(
            id=f"S{i:07d}", title=f"{_BRANDS[brand[i]]} {_ADJ[adj[i, 0]]} {_ADJ[adj[i, 1]]} {_NOUN[noun[i]]} "
                                  f"model {i % 997}",
            brand=_BRANDS[brand[i]], categories=cats[cat[i]], price=float(price[i]), rating=float(rating[i]),
            rating_count=int(count[i]), attributes={"colour": ("black", "blue", "green", "red", "white")[i % 5]},
            description=f"A {_ADJ[adj[i, 0]]} {_NOUN[noun[i]]} for {cats[cat[i]][1].lower()}.", features=[],
            in_stock=bool(stock[i]))
        for i in range(n)]
    return CatalogData(products=products, source=f"generated(n={n}, seed={seed})")


class SyntheticEmbedder:
    """Seeded unit vectors of the encoder's dimension: one per text (by its hash), pulled towards the centroid of
    the category named in the text, so that neighbours are of one kind as with a real encoder."""

    backend = "synthetic"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        rng = np.random.default_rng(1234)
        names = sorted({c[1].lower() for c in categories()})
        self._centroids = {name: rng.standard_normal(dim).astype(np.float32) for name in names}

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        low = text.lower()
        for name, c in self._centroids.items():
            if name in low:
                v = v * 0.6 + c
                break
        return v / np.linalg.norm(v)

    def encode(self, texts: Sequence[str], batch_size: int = 64, bulk: bool | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)


def _mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0
    return round(total / 2**20, 1)


def _updated_feed(data, fraction: float, seed: int):  # noqa: ANN001, ANN202
    """A partial feed changing ``fraction`` of the products (title and price), the way a daily feed does."""
    from tools.catalog.store import CatalogData

    rng = np.random.default_rng(seed)
    n = max(1, int(len(data.products) * fraction))
    rows = rng.choice(len(data.products), n, replace=False)
    changed = [data.products[i].model_copy(update={"title": data.products[i].title + " (new edition)",
                                                   "price": round(data.products[i].price * 0.9, 2)})
               for i in rows]
    return CatalogData(products=changed, source="generated 1% update")


def measure_size(work: Path, n: int, say: Say, seed: int = 0) -> dict:
    """Load, full build, 1% update and index sync at ``n`` products; search and memory in a fresh process."""
    from tools.catalog.publish import publish
    from tools.search.index import build_index

    d = work / f"n{n}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    settings = Settings(data_dir=d)
    embedder = SyntheticEmbedder()
    say(f"{n}: generating")
    data = generate(n, seed)
    say(f"{n}: loading")
    t0 = time.perf_counter()
    publish(d, data)
    load_s = time.perf_counter() - t0
    say(f"{n}: full index build")
    t0 = time.perf_counter()
    full = build_index(settings, reviews=False, embedder=embedder)
    full_s = time.perf_counter() - t0
    say(f"{n}: 1% update")
    feed = _updated_feed(data, 0.01, seed + 1)
    del data
    t0 = time.perf_counter()
    result = publish(d, feed, update=True)
    update_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sync = build_index(settings, reviews=False, embedder=embedder)
    update_s = time.perf_counter() - t0
    say(f"{n}: serving probe")
    probe = _probe(d, say)
    return {
        "n_products": n, "load_s": round(load_s, 2), "full_build_s": round(full_s, 2),
        "full_build_embedded": full.n_embedded, "update_load_s": round(update_load_s, 2),
        "update_1pct_s": round(update_s, 2), "update_embedded": sync.n_embedded, "update_change": result.change,
        "update_vs_full": round(update_s / full_s, 4),
        "store_mb": _mb(d / "catalog" / "versions" / str(result.version)), "index_mb": _mb(d / "index") + _mb(d / "chroma"),
        **probe,
    }


def _probe(data_dir: Path, say: Say) -> dict:
    """Open the engine in a fresh process (as an API worker does) and measure search and memory there."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                         os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "shopagent.bench.scale_catalog", str(data_dir)], env=env,
                         capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise RuntimeError(f"search probe failed: {run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def probe(data_dir: Path, n_queries: int = 200, seed: int = 0) -> dict:
    """Search p50/p95 without and with filters, process memory: what one API worker over ``data_dir`` costs."""
    from core.heap import freeze_heap
    from tools.search import SearchEngine, SearchFilters, SearchRequest

    rss_before = _rss_mb()
    t0 = time.perf_counter()
    engine = SearchEngine.open(Settings(data_dir=data_dir), embedder=SyntheticEmbedder())
    open_s = time.perf_counter() - t0
    freeze_heap()  # as an API worker's heap is once its engines and agent are open (AgentRuntime.open)
    rss = _rss_mb()
    rng = np.random.default_rng(seed)
    cats = categories()
    brands = engine.catalog.brands()
    queries = [f"{_ADJ[rng.integers(len(_ADJ))]} {_NOUN[rng.integers(len(_NOUN))]} for "
               f"{cats[rng.integers(len(cats))][1].lower()}" for _ in range(n_queries)]
    kinds = {
        "none": lambda i: SearchFilters(),
        "price_range": lambda i: SearchFilters(min_price=float(10 + i % 20), max_price=float(40 + i % 30)),
        "brand": lambda i: SearchFilters(brand=brands[int(rng.integers(len(brands)))]),
        "category": lambda i: SearchFilters(category=cats[i % len(cats)][1]),
    }
    for q in queries[:10]:  # warm
        engine.search(SearchRequest(query=q, k=10))
    per_kind: dict[str, dict] = {}
    times: dict[str, list[float]] = {}
    for kind, make in kinds.items():
        ts, paths, allowed = [], {}, []
        for i, q in enumerate(queries):
            f = make(i)
            t = time.perf_counter()
            res = engine.search(SearchRequest(query=q, filters=f, k=10))
            ts.append((time.perf_counter() - t) * 1000)
            paths[res.path] = paths.get(res.path, 0) + 1
            allowed.append(res.n_candidates)
        times[kind] = ts
        per_kind[kind] = {"p50_ms": round(float(np.percentile(ts, 50)), 2),
                          "p95_ms": round(float(np.percentile(ts, 95)), 2), "paths": paths,
                          "median_in_scope": int(np.median(allowed))}
    filtered = times["price_range"] + times["brand"] + times["category"]
    n = len(engine.ids)
    return {
        "search_p50_ms": round(float(np.percentile(times["none"], 50)), 2),
        "search_p95_ms": round(float(np.percentile(times["none"], 95)), 2),
        "search_p50_ms_filtered": round(float(np.percentile(filtered, 50)), 2),
        "search_p95_ms_filtered": round(float(np.percentile(filtered, 95)), 2),
        "per_filter": per_kind, "engine_open_s": round(open_s, 2), "rss_mb": rss,
        "rss_engine_mb": round(rss - rss_before, 1), "vectors_mb": round(n * DIM * 4 / 2**20, 1),
        "dense_path_costs": {"exact_ns_per_row": round(engine.costs.exact_per_row * 1e9, 2),
                             "chroma_query_ms": round(engine.costs.chroma_query * 1000, 2)},
    }


def query_embed_ms(models_dir: Path) -> float | None:
    """p50 of one real query embedding (None when the encoder is not installed)."""
    try:
        from tools.search.embed import Embedder

        e = Embedder(models_dir)
        e.query("warm up")
        ts = []
        for i in range(30):
            t0 = time.perf_counter()
            e.query(f"waterproof hiking jacket {i}")
            ts.append((time.perf_counter() - t0) * 1000)
        return round(float(np.percentile(ts, 50)), 2)
    except Exception as exc:  # noqa: BLE001 - the figure is optional: said in the output
        log.info("no real encoder for the query-embedding figure: %s", exc)
        return None


def run_scale_catalog(settings: Settings, sizes: Sequence[int] = SIZES, say: Say = lambda _m: None,
                      keep: bool = False) -> dict:
    """Every size in ``sizes`` (smallest first); partial results are written to ``results.json`` as each size
    finishes, so a long run stopped midway keeps what it measured."""
    work = settings.data_dir / "bench" / "scale-catalog"
    work.mkdir(parents=True, exist_ok=True)
    out = {"embeddings": f"synthetic unit vectors, dimension {DIM}, clustered by category (see the module doc)",
           "reviews": "none (products only)", "cpus": os.cpu_count(), "sizes": {},
           "query_embed_ms": query_embed_ms(settings.models_dir)}
    t_start = time.perf_counter()
    for n in sorted(sizes):
        out["sizes"][str(n)] = measure_size(work, n, say)
        (work / "results.json").write_text(json.dumps(out, indent=2))
        if not keep:
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    out["seconds"] = round(time.perf_counter() - t_start, 1)
    (work / "results.json").write_text(json.dumps(out, indent=2))
    return out


def plot(results: dict, path: Path) -> Path:
    """The curves of a run (``results`` as ``run_scale_catalog`` returns it) as one PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results["sizes"], key=int)
    n = [int(x) for x in sizes]
    col = {k: [results["sizes"][x][k] for x in sizes] for k in (
        "search_p50_ms", "search_p95_ms", "search_p50_ms_filtered", "search_p95_ms_filtered", "load_s",
        "full_build_s", "update_1pct_s", "rss_mb", "vectors_mb", "store_mb", "index_mb")}
    fig, ax = plt.subplots(2, 2, figsize=(11, 8))
    a = ax[0][0]
    for k, style in (("search_p50_ms", "o-"), ("search_p95_ms", "o--"), ("search_p50_ms_filtered", "s-"),
                     ("search_p95_ms_filtered", "s--")):
        a.plot(n, col[k], style, label=k.replace("search_", ""))
    a.axhline(25, color="grey", lw=0.8, ls=":", label="target p95 filtered (25 ms)")
    a.set(title="search latency (synthetic query vector)", ylabel="ms")
    a = ax[0][1]
    for k in ("load_s", "full_build_s", "update_1pct_s"):
        a.plot(n, col[k], "o-", label=k)
    a.plot(n, [0.05 * f for f in col["full_build_s"]], ":", color="grey", label="5% of full build")
    a.set(title="load and index build", ylabel="s", yscale="log")
    a = ax[1][0]
    a.plot(n, col["rss_mb"], "o-", label="API-process RSS (engine open)")
    a.plot(n, col["vectors_mb"], "o--", label="float32 vectors alone")
    a.set(title="memory", ylabel="MB", yscale="log")
    a = ax[1][1]
    a.plot(n, col["store_mb"], "o-", label="catalog version (Parquet)")
    a.plot(n, col["index_mb"], "o-", label="index (Chroma + mirror + BM25)")
    a.set(title="on disk", ylabel="MB", yscale="log")
    for a in ax.flat:
        a.set(xscale="log", xlabel="products")
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
    fig.suptitle(f"shopagent bench scale-catalog ({results.get('cpus')} cores; {results['embeddings']})", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":  # the serving probe: `python -m shopagent.bench.scale_catalog DATA_DIR`
    print(json.dumps(probe(Path(sys.argv[1]))))
