"""`shopagent bench search`: retrieval quality (dense / keyword / hybrid), query latency per filter kind at 50k
products, and index build throughput against raw sentence-transformers encoding, all measured in one run.

Data (defaults; docs/retrieval.md explains the choice):
- quality: (1) the Beauty 2014 catalog (12,094 products) with seeded pseudo-queries, three title words + the
  leaf category, each answered by the product it came from; (2) the ePQA dev set: 977 shopper questions over its
  888 products (title, bullets, attributes, descriptions; no Q&A text), each answered by the product asked about.
  Every query set is split in half: fusion weights are chosen on the validation half, figures are the test half.
- latency: a 50,000-product catalog made of the Beauty catalog replicated (same texts and embeddings, prices,
  ratings and stock re-drawn per copy, seeded), searched with queries of each filter kind, broad and narrow.
- index build: a fresh catalog of N Beauty products indexed from scratch (embedding + Chroma + BM25 + mirror),
  against ``SentenceTransformer.encode`` of the same texts.
Built indexes are cached under ``<data_dir>/bench/search`` (embeddings keyed by text hash), so a rerun only
measures; the index-build figure is always measured from scratch.
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np
from pydantic import BaseModel

from core.config import Settings
from core.errors import ShopagentError
from shopagent.bench.spread import MIN_ROUNDS, Spread, alternate, ratio_of

log = logging.getLogger(__name__)

BEAUTY = Path("amazon-beauty-2014/meta_Beauty.jsonl")
EPQA = Path("amazon-pqa/ePQA_dev.csv")
N_LATENCY = 50_000
WEIGHTS = [round(x * 0.1, 1) for x in range(11)]
Say = Callable[[str], None]


class QualitySet(BaseModel):
    name: str
    n_products: int
    n_queries_valid: int
    n_queries_test: int
    recall10: dict[str, float]
    ndcg10: dict[str, float]


# ---------------------------------------------------------------- data


def _shared_datasets() -> Path:
    here = Path(__file__).resolve().parents[2]
    for cand in (here.parent / "shared" / "datasets", Path.cwd().parent / "shared" / "datasets"):
        if cand.is_dir():
            return cand
    raise ShopagentError("no ../shared/datasets beside the checkout: pass --data DIR (a data dir with a catalog)")


def _epqa_catalog(path: Path):  # noqa: ANN202 - (CatalogData, queries)
    import pandas as pd

    from tools.catalog.models import Product, Review
    from tools.catalog.report import clean_text
    from tools.catalog.store import CatalogData

    df = pd.read_csv(path)
    products, reviews = [], []
    for asin, g in df.groupby("ASIN", sort=True):
        by = {s: list(dict.fromkeys(clean_text(c) for c in g.loc[g["source"] == s, "candidate"])) for s in
              ("bullet", "attribute", "description", "review")}
        attrs = [re.sub(r"\s*\{\s*value:\s*(.*?)\s*\}", r" \1", a).replace("_", " ") for a in by["attribute"]]
        products.append(Product(id=str(asin), title=clean_text(g["title"].iloc[0]), features=by["bullet"] + attrs,
                                description=" ".join(by["description"])))
        reviews += [Review(id=f"{asin}-r{i}", product_id=str(asin), text=t) for i, t in enumerate(by["review"])]
    queries = [(clean_text(q), str(a)) for q, a in df.drop_duplicates("qid")[["question", "ASIN"]].itertuples(index=False)]
    return CatalogData(products=products, reviews=reviews, source=f"epqa:{path}"), queries


def _pseudo_queries(catalog, n: int, seed: int) -> list[tuple[str, str]]:  # noqa: ANN001
    """Three title words (not the brand's) + the leaf category -> the product they came from."""
    from tools.language import normalise

    rng = random.Random(seed)
    frame = catalog.frame()
    rows = rng.sample(range(len(frame)), min(n * 2, len(frame)))
    out = []
    for i in rows:
        title, brand, leaf = frame["title"].iloc[i], frame["brand"].iloc[i], frame["category"].iloc[i]
        brand = brand if isinstance(brand, str) else ""
        bw = set(normalise(brand).split())
        words = [w for w in dict.fromkeys(re.findall(r"[A-Za-z]{3,}", title)) if normalise(w) not in bw]
        if len(words) < 3 or not leaf:
            continue
        out.append((" ".join(rng.sample(words, 3) + [leaf]).lower(), frame["id"].iloc[i]))
        if len(out) == n:
            break
    return out


class CachingEmbedder:
    """An Embedder that remembers vectors by text hash on disk (reruns and replicated texts encode nothing)."""

    def __init__(self, inner, path: Path) -> None:  # noqa: ANN001
        from tools.search.text import content_hash

        self.inner, self.path, self._hash = inner, path, content_hash
        self.cache: dict[str, np.ndarray] = {}
        if path.exists():
            z = np.load(path)
            self.cache = dict(zip(z["keys"].tolist(), z["vectors"]))

    def encode(self, texts, batch_size: int = 64, bulk: bool | None = None) -> np.ndarray:  # noqa: ANN001
        keys = [self._hash(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache))
        if todo:
            first = {k: t for k, t in zip(keys, texts)}
            for k, v in zip(todo, self.inner.encode([first[k] for k in todo], batch_size=batch_size,
                                                              bulk=bulk)):
                self.cache[k] = v
        return np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return self.inner.query(text)

    def save(self) -> None:
        keys = list(self.cache)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.cache[k] for k in keys]))


def _ensure_index(directory: Path, make_data: Callable, embedder, say: Say, reviews: bool = False):  # noqa: ANN001, ANN202
    """A catalog + search index in ``directory``, built once and reused (the build is idempotent)."""
    from tools.catalog.store import Catalog, write_catalog
    from tools.search.engine import SearchEngine
    from tools.search.index import build_index

    settings = Settings(data_dir=directory)
    try:
        return _remember(SearchEngine.open(settings, embedder=embedder), embedder)
    except ShopagentError:
        pass
    try:
        Catalog.open(directory)
    except ShopagentError:
        write_catalog(directory, make_data())
    say(f"building the index in {directory} (once; cached for later runs)")
    build_index(settings, reviews=reviews, embedder=embedder)
    embedder.save()
    return _remember(SearchEngine.open(settings, embedder=embedder), embedder)


def _remember(engine, embedder: "CachingEmbedder"):  # noqa: ANN001, ANN202
    """Put an index's product vectors into the embedding cache (replicated catalogs then encode nothing)."""
    from tools.search.text import product_text

    before = len(embedder.cache)
    for p, v in zip(engine.catalog.products(), engine.matrix):
        embedder.cache.setdefault(embedder._hash(product_text(p)), v)
    if len(embedder.cache) > before:
        embedder.save()
    return engine


# ---------------------------------------------------------------- quality


def _metrics(ranked: list[np.ndarray], targets: list[int]) -> tuple[float, float]:
    rec, ndcg = [], []
    for r, t in zip(ranked, targets):
        pos = np.flatnonzero(r[:10] == t)
        rec.append(1.0 if len(pos) else 0.0)
        ndcg.append(1.0 / np.log2(pos[0] + 2) if len(pos) else 0.0)
    return float(np.mean(rec)), float(np.mean(ndcg))


def _quality(engine, queries: list[tuple[str, str]], name: str, seed: int) -> tuple[dict, list]:  # noqa: ANN001
    """Per-query candidate scores once; every ranking (dense, keyword, fusion weights) is then a cheap re-sort."""
    from tools.search.engine import CANDIDATES, _top
    from tools.search.fusion import query_type

    qs = [(q, engine.catalog.index_of(pid)) for q, pid in queries if pid in engine.catalog]
    qv = engine.embedder.inner.encode([q for q, _ in qs]) if hasattr(engine.embedder, "inner") else \
        engine.embedder.encode([q for q, _ in qs])
    per_query = []
    for (q, target), v in zip(qs, qv):
        dense_all = engine.matrix @ v
        kw = engine.keyword.scores(q)
        cand, ds, ks, _ = engine.candidates(v, kw, None, None, CANDIDATES)
        per_query.append({
            "type": query_type(q), "target": target, "cand": cand, "dense_s": ds, "kw_s": ks,
            "dense": _top(dense_all, 10), "keyword": np.array([], dtype=np.int64) if kw is None else
            [i for i in _top(kw, 10) if kw[i] > 0],
        })
    rng = random.Random(seed)
    idx = list(range(len(per_query)))
    rng.shuffle(idx)
    half = len(idx) // 2
    return {"name": name, "n_products": len(engine.ids)}, [(per_query[i], "valid" if j < half else "test")
                                                            for j, i in enumerate(idx)]


def _hybrid_ranks(items: list[dict], weight_of: Callable[[str], float]) -> list[np.ndarray]:
    from tools.search.engine import _top
    from tools.search.fusion import fuse

    out = []
    for it in items:
        fused = fuse(it["dense_s"], it["kw_s"], weight_of(it["type"]))
        out.append(it["cand"][_top(fused, 10)])
    return out


def _rrf_ranks(items: list[dict]) -> list[np.ndarray]:
    from tools.search.engine import _top

    out = []
    for it in items:
        score = np.zeros(len(it["cand"]))
        for s in (it["dense_s"], it["kw_s"]):
            if s is not None:
                ranks = np.empty(len(s))
                ranks[np.argsort(-s, kind="stable")] = np.arange(len(s))
                score += 1.0 / (60 + ranks + 1) * (s > 0 if s is it["kw_s"] else 1)
        out.append(it["cand"][_top(score, 10)])
    return out


def choose_weights(valid: list[dict]):  # noqa: ANN201 - FusionWeights
    """The dense weight per query type that maximises NDCG@10 on the validation queries of that type."""
    from tools.search.fusion import FusionWeights

    chosen = {}
    for qtype in ("keyword", "question"):
        items = [it for it in valid if it["type"] == qtype]
        if not items:
            chosen[qtype] = FusionWeights().weight("?" if qtype == "question" else "x")
            continue
        targets = [it["target"] for it in items]
        best = max(WEIGHTS, key=lambda w: (_metrics(_hybrid_ranks(items, lambda _t: w), targets)[1], -abs(w - 0.5)))
        chosen[qtype] = best
    return FusionWeights(keyword_query=chosen["keyword"], question=chosen["question"], source="bench validation")


# ---------------------------------------------------------------- latency


def _latency_data(base, seed: int):  # noqa: ANN001, ANN202
    """The base catalog replicated to N_LATENCY rows; each copy gets its own id, price, rating and stock."""
    from tools.catalog.store import CatalogData

    rng = random.Random(seed)
    base_products = base.products()
    products = []
    copy = 0
    while len(products) < N_LATENCY:
        for p in base_products:
            if len(products) == N_LATENCY:
                break
            price = p.price if p.price is not None else rng.uniform(3, 60)
            products.append(p.model_copy(update={
                "id": f"{p.id}-{copy}", "price": round(price * (rng.uniform(0.7, 1.4) if copy else 1.0), 2),
                "rating": round(min(5.0, max(1.0, rng.gauss(4.1, 0.6))), 1), "rating_count": rng.randint(0, 500),
                "in_stock": rng.random() > 0.1}))
        copy += 1
    return CatalogData(products=products, source=f"bench: {base.manifest.get('source')} replicated to {N_LATENCY}")


def _filter_kinds(engine) -> dict:  # noqa: ANN001
    from tools.search.models import SearchFilters

    frame = engine.catalog.frame()
    brands = frame["brand"].value_counts()
    leaves = frame["category_path"].value_counts()
    top_level = frame["category_path"].str.split(" > ").str[:2].str.join(" > ").value_counts()
    return {
        "none": SearchFilters(),
        "price_broad": SearchFilters(max_price=50),
        "price_narrow": SearchFilters(min_price=20, max_price=21),
        "brand_common": SearchFilters(brand=str(brands.index[0])),
        "brand_rare": SearchFilters(brand=str(brands.index[len(brands) // 2])),
        "category_broad": SearchFilters(category=str(top_level.index[0])),
        "category_narrow": SearchFilters(category=str(leaves.index[len(leaves) // 3])),
        "rating": SearchFilters(min_rating=4.5),
        "in_stock": SearchFilters(in_stock=True),
        "combined": SearchFilters(category=str(top_level.index[0]), max_price=30, min_rating=4.0, in_stock=True),
    }


def _latency(engine, queries: list[str], per_kind: int) -> dict:  # noqa: ANN001
    from tools.search.models import SearchRequest

    kinds = _filter_kinds(engine)
    for q in queries[:10]:  # warm-up
        engine.search(SearchRequest(query=q, k=10))
    out, every = {}, []
    for i, (kind, f) in enumerate(kinds.items()):
        times, paths, sizes = [], {}, 0
        for q in queries[i * per_kind:(i + 1) * per_kind]:
            t0 = time.perf_counter()
            res = engine.search(SearchRequest(query=q, filters=f, k=10))
            times.append((time.perf_counter() - t0) * 1000)
            paths[res.path] = paths.get(res.path, 0) + 1
            sizes = res.n_candidates
        every += times
        out[kind] = {"p50_ms": round(float(np.percentile(times, 50)), 2),
                     "p95_ms": round(float(np.percentile(times, 95)), 2),
                     "p99_ms": round(float(np.percentile(times, 99)), 2), "n_allowed": sizes, "paths": paths,
                     "filter": f.model_dump(exclude_none=True)}
    return {"per_filter": out, "p50_ms": float(np.percentile(every, 50)), "p95_ms": float(np.percentile(every, 95)),
            "p99_ms": float(np.percentile(every, 99)), "n_queries": len(every)}


# ---------------------------------------------------------------- index build throughput


def _index_ratio(base, work: Path, n: int, say: Say, models_dir: Path, rounds: int = MIN_ROUNDS) -> dict:  # noqa: ANN001
    """Our index build (ONNX embedding + Chroma upsert + BM25 + mirror) of ``n`` products from scratch vs
    ``SentenceTransformer.encode`` of the same texts, in ``rounds`` alternating rounds (who goes first switches):
    the ratio raw-time / build-time per round, reported as the median with its min-max; also against the same ONNX
    encoder alone (the Chroma/BM25/mirror overhead)."""
    from tools.catalog.store import CatalogData, write_catalog
    from tools.search.embed import Embedder, load_encoder
    from tools.search.index import build_index
    from tools.search.text import product_text

    products = base.products()[:n]
    texts = [product_text(p) for p in products]
    st = load_encoder()
    embedder = Embedder(models_dir)
    st.encode(texts[:64])
    embedder.encode(texts[:64])  # warm both
    say(f"index build vs raw encode on {len(texts)} texts, {rounds} alternating rounds")

    def timed(arm: str, d: Path) -> float:
        if arm == "build":  # a new folder each round: Chroma keeps a client per path, records and all
            shutil.rmtree(d, ignore_errors=True)
            write_catalog(d, CatalogData(products=products, source="bench index build"))
        t0 = time.perf_counter()
        if arm == "raw":
            st.encode(texts, batch_size=64, normalize_embeddings=True)
        elif arm == "build":
            build_index(Settings(data_dir=d), reviews=False, embedder=embedder)
        else:
            embedder.encode(texts, bulk=True)  # as the build runs it
        return time.perf_counter() - t0

    ratios, same, times = [], [], {"raw": [], "build": [], "same": []}
    timed("build", work / "index-build-warm")  # untimed: Chroma's and BM25's one-time start-up is no round's cost
    shutil.rmtree(work / "index-build-warm", ignore_errors=True)
    for r in range(rounds):
        took = {arm: timed(arm, work / f"index-build-{r}") for arm in (*alternate(r, "raw", "build"), "same")}
        for arm, t in took.items():
            times[arm].append(t)
        ratios.append(ratio_of(took["raw"], took["build"]))
        same.append(ratio_of(took["same"], took["build"]))
        shutil.rmtree(work / f"index-build-{r}", ignore_errors=True)
    spread, spread_same = Spread.of(ratios, 3), Spread.of(same, 3)

    def rate(arm: str) -> float:
        return round(len(texts) / float(np.median(times[arm])), 1)

    return {"n_texts": len(texts), "raw_st_texts_per_s": rate("raw"), "build_texts_per_s": rate("build"),
            "raw_encoder_texts_per_s": rate("same"), "index_ratio": spread.median,
            "index_ratio_spread": spread.model_dump(), "index_ratio_same_encoder": spread_same.median,
            "index_ratio_same_encoder_spread": spread_same.model_dump(), "encoder": embedder.backend}


# ---------------------------------------------------------------- the run


def run_search_bench(settings: Settings, data: Path | None = None, n_queries: int = 400, per_kind: int = 40,
                     n_build: int = 300, seed: int = 0, say: Say = lambda _m: None) -> dict:
    from tools.catalog.load import load_catalog
    from tools.catalog.store import Catalog
    from tools.search.embed import Embedder

    t_start = time.perf_counter()
    work = settings.data_dir / "bench" / "search"
    work.mkdir(parents=True, exist_ok=True)
    embedder = CachingEmbedder(Embedder(settings.models_dir), work / "embeddings.npz")
    sets = []
    if data is not None:
        base_dir = Path(data)
        Catalog.open(base_dir)  # a clear error when there is no catalog
        base_engine = _ensure_index(work / f"data-{abs(hash(str(base_dir.resolve()))) % 10**8}",
                                    lambda: _copy_catalog(base_dir), embedder, say)
        sets.append(("catalog", base_engine, _pseudo_queries(base_engine.catalog, n_queries, seed)))
    else:
        shared = _shared_datasets()
        base_engine = _ensure_index(work / "beauty", lambda: load_catalog("amazon2014", shared / BEAUTY),
                                    embedder, say)
        sets.append(("beauty_pseudo", base_engine, _pseudo_queries(base_engine.catalog, n_queries, seed)))
        epqa_data, epqa_queries = _epqa_catalog(shared / EPQA)
        epqa = _ensure_index(work / "epqa", lambda: epqa_data, embedder, say)
        sets.append(("epqa_questions", epqa, epqa_queries))

    say("quality: scoring queries")
    prepared = [(_quality(engine, queries, name, seed), name) for name, engine, queries in sets]
    valid = [it for (meta, items), _ in prepared for it, split in items if split == "valid"]
    weights = choose_weights(valid)
    results = []
    for (meta, items), name in prepared:
        v = [it for it, s in items if s == "valid"]
        t = [it for it, s in items if s == "test"]
        targets = [it["target"] for it in t]
        rec, nd = {}, {}
        for mode, ranks in (("dense", [it["dense"] for it in t]), ("keyword", [np.asarray(it["keyword"]) for it in t]),
                            ("rrf", _rrf_ranks(t)), ("hybrid", _hybrid_ranks(t, lambda ty: weights.weight(
                                "?" if ty == "question" else "x")))):
            rec[mode], nd[mode] = (round(x, 4) for x in _metrics(ranks, targets))
        results.append(QualitySet(name=name, n_products=meta["n_products"], n_queries_valid=len(v),
                                  n_queries_test=len(t), recall10=rec, ndcg10=nd))
    for _, engine, _q in sets:
        weights.save(engine.catalog.data_dir / "index" / "fusion.json")

    say("latency at 50k products")
    lat_engine = _ensure_index(work / f"latency-{N_LATENCY}-{sets[0][0]}", lambda: _latency_data(base_engine.catalog, seed),
                               embedder, say)
    lat_engine.weights = weights
    lat_queries = [q for q, _ in _pseudo_queries(lat_engine.catalog, per_kind * 10 + 10, seed + 1)]
    if len(lat_queries) < per_kind * 10 + 10:
        lat_queries = (lat_queries * (per_kind * 10 + 10))[: per_kind * 10 + 10]
    lat = _latency(lat_engine, lat_queries[10:] + lat_queries[:10], per_kind)

    build = _index_ratio(base_engine.catalog, work, n_build, say, settings.models_dir)

    def avg(key: str) -> dict:
        return {m: round(float(np.mean([getattr(r, key)[m] for r in results])), 4)
                for m in ("dense", "keyword", "hybrid", "rrf")}

    return {
        "n_products": len(lat_engine.ids), "index_ratio": build["index_ratio"],
        "p50_ms": round(lat["p50_ms"], 2), "p95_ms": round(lat["p95_ms"], 2), "p99_ms": round(lat["p99_ms"], 2),
        "recall10": avg("recall10"), "ndcg10": avg("ndcg10"),
        "sets": [r.model_dump() for r in results], "fusion": weights.model_dump(),
        "latency": {"per_filter": lat["per_filter"], "n_queries": lat["n_queries"],
                    "dense_path_costs": {"exact_ns_per_row": round(lat_engine.costs.exact_per_row * 1e9, 2),
                                         "chroma_query_ms": round(lat_engine.costs.chroma_query * 1000, 2)}},
        "index_build": build, "seconds": round(time.perf_counter() - t_start, 1),
    }


def _copy_catalog(data_dir: Path):  # noqa: ANN202
    from tools.catalog.store import Catalog, CatalogData

    c = Catalog.open(data_dir)
    return CatalogData(products=c.products(), reviews=[], source=f"copy of {c.manifest.get('source')}")
