"""``build_index``: embed changed products (and reviews) into Chroma, mirror the embeddings locally, rebuild BM25.

Idempotent: each Chroma record carries a hash of the text it was embedded from; a rebuild embeds only new or
changed records and deletes those no longer in the catalog. The local mirror (``<data_dir>/index``) is a cache of
what Chroma holds, aligned with the catalog's row order, for exact in-memory search.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Callable

import numpy as np
from pydantic import BaseModel

from core.config import Settings
from tools.catalog.store import Catalog
from tools.search import store
from tools.search.embed import MODEL_NAME, Embedder, shared_embedder
from tools.search.keyword import KeywordIndex
from tools.search.rows import product_rows
from tools.search.text import content_hash

log = logging.getLogger(__name__)

BATCH = 256
Progress = Callable[[str, int, int], None]  # (task, done, total)


class BuildReport(BaseModel):
    n_products: int
    n_embedded: int
    n_deleted: int
    n_reviews: int = 0
    n_reviews_embedded: int = 0
    seconds: float
    embed_seconds: float


def index_dir(settings: Settings) -> Path:
    return settings.data_dir / "index"


def index_stale(settings: Settings, catalog: Catalog) -> str | None:
    """Why the search index cannot serve ``catalog`` (what to run), or None when it is built for it."""
    meta_path = index_dir(settings) / "meta.json"
    if not meta_path.exists():
        return f"no search index in {index_dir(settings)}: run `shopagent index build`"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as exc:
        return f"the search index file {meta_path} is unreadable ({exc}): run `shopagent index build`"
    if meta.get("n_products") != len(catalog) or (
            meta.get("catalog_written_at") != catalog.manifest.get("written_at")) or (
            meta.get("catalog_version", catalog.version) != catalog.version):
        return "the search index is older than the catalog: run `shopagent index build`"
    return None


def _local_state(path: Path, mirror_path: Path, col) -> tuple[list[str], list[str], np.ndarray] | None:  # noqa: ANN001
    """(ids, hashes, vectors) of what the last sync left in ``col``, from the local files, when they agree with
    the collection's count (else None: the sync reads Chroma itself)."""
    if not path.exists() or not mirror_path.exists():
        return None
    try:
        state = json.loads(path.read_text())
        mirror = np.load(mirror_path, mmap_mode="r")
    except (OSError, ValueError) as exc:
        log.info("sync state %s unreadable (%s): reading the collection", path, exc)
        return None
    ids, hashes = state.get("ids", []), state.get("h", [])
    if not (len(ids) == len(hashes) == len(mirror) == col.count()):
        return None
    return ids, hashes, mirror


def _sync(col, ids: list[str], hashes: list[str], inputs: Callable[[list[int]], tuple[list[str], list[dict]]],
          embedder: Embedder, progress: Progress | None, task: str, state_path: Path, mirror_path: Path
          ) -> tuple[np.ndarray, int, int, float]:
    """Bring collection ``col`` to exactly ``ids``; returns (embeddings in ``ids`` order, n embedded, n deleted,
    seconds spent encoding). What the collection holds is taken from the previous sync's local state (ids and
    hashes beside the vector mirror) when it matches the collection, else read from the collection."""
    local = _local_state(state_path, mirror_path, col)
    if local is not None:
        old_ids, old_hashes, old_matrix = local
        existing = dict(zip(old_ids, old_hashes))
        old_row = {pid: i for i, pid in enumerate(old_ids)}
    else:
        existing = {pid: m.get("h") for pid, m in store.all_metadata(col).items()}
        old_matrix, old_row = None, {}
    state_path.unlink(missing_ok=True)  # rewritten once the collection is in step again
    todo = [i for i, (pid, h) in enumerate(zip(ids, hashes)) if existing.get(pid) != h]
    gone = list(set(existing) - set(ids))
    for s in store.batches(len(gone), store.PAGE):
        col.delete(ids=gone[s])
    matrix = np.zeros((len(ids), 384), dtype=np.float32)
    embed_s = 0.0
    if progress:
        progress(task, 0, len(todo))
    for s in store.batches(len(todo), BATCH):
        rows = todo[s]
        texts, metas = inputs(rows)
        t0 = time.perf_counter()
        emb = embedder.encode(texts, batch_size=64, bulk=True)  # every core: a batch (256) is below BULK_MIN
        embed_s += time.perf_counter() - t0
        # a changed record is deleted, then added: half what an upsert of an existing record costs in Chroma's
        # HNSW (2.1 vs 3.9 ms at 100k, docs/retrieval.md); a new one is upserted (Chroma's add would silently keep
        # an old record under that id if the sync state were wrong)
        batch = [ids[i] for i in rows]
        changed = [k for k, pid in enumerate(batch) if pid in existing]
        new = [k for k, pid in enumerate(batch) if pid not in existing]
        if changed:
            col.delete(ids=[batch[k] for k in changed])
            col.add(ids=[batch[k] for k in changed], embeddings=emb[changed], metadatas=[metas[k] for k in changed])
        if new:
            col.upsert(ids=[batch[k] for k in new], embeddings=emb[new], metadatas=[metas[k] for k in new])
        matrix[rows] = emb
        if progress:
            progress(task, s.stop, len(todo))
    fresh = np.zeros(len(ids), dtype=bool)
    fresh[todo] = True
    keep = np.flatnonzero(~fresh)
    if len(keep) and old_matrix is not None:
        matrix[keep] = old_matrix[np.array([old_row[ids[i]] for i in keep], dtype=np.int64)]
    elif len(keep):
        got = store.embeddings_for(col, [ids[i] for i in keep])
        for i in keep:
            matrix[i] = got[ids[i]]
    return matrix, len(todo), len(gone), embed_s


def _save_state(state_path: Path, mirror_path: Path, ids: list[str], hashes: list[str], matrix: np.ndarray) -> None:
    """The vector mirror, then the ids and hashes it holds (the state goes last: it vouches for the mirror)."""
    tmp = mirror_path.with_suffix(".tmp.npy")
    np.save(tmp, matrix)
    tmp.replace(mirror_path)
    state_path.write_text(json.dumps({"ids": ids, "h": hashes}))


def build_index(settings: Settings, progress: Progress | None = None, reviews: bool = True,
                embedder: Embedder | None = None) -> BuildReport:
    """Index the catalog in ``settings.data_dir`` (see module docstring)."""
    t_start = time.perf_counter()
    catalog = Catalog.open(settings.data_dir)
    embedder = embedder or shared_embedder(settings.models_dir)
    client = store.chroma_client(settings)
    out = index_dir(settings)
    out.mkdir(parents=True, exist_ok=True)
    rows = product_rows(catalog, out / "products.rows.npz")
    ids = rows.ids
    matrix, n_emb, n_del, embed_s = _sync(store.collection(client, store.PRODUCTS), ids, rows.hashes,
                                          rows.texts_and_metas, embedder, progress, "products",
                                          out / "products.state.json", out / "products.npy")
    _save_state(out / "products.state.json", out / "products.npy", ids, rows.hashes, matrix)
    del matrix
    KeywordIndex.build_from_flat(rows.flat, rows.offsets, rows.vocab.ids).save(out / "bm25")
    rows.save(out / "products.rows.npz")

    n_rev = n_rev_emb = 0
    if reviews:
        rf = catalog.review_frame()
        rf = rf[rf["text"].fillna("").str.len() > 0]
        rids = rf["id"].astype(str).tolist()
        rtexts = [(t or "")[:500] for t in rf["text"].tolist()]
        rmetas = [{"h": content_hash(t), "product_id": pid} for t, pid in zip(rtexts, rf["product_id"].tolist())]
        rhashes = [m["h"] for m in rmetas]
        rmatrix, n_rev_emb, _, e2 = _sync(store.collection(client, store.REVIEWS), rids, rhashes,
                                          lambda r: ([rtexts[i] for i in r], [rmetas[i] for i in r]), embedder,
                                          progress, "reviews", out / "reviews.state.json", out / "reviews.npy")
        embed_s += e2
        n_rev = len(rids)
        _save_state(out / "reviews.state.json", out / "reviews.npy", rids, rhashes, rmatrix)
        (out / "reviews.json").write_text(json.dumps({"ids": rids, "product_ids": rf["product_id"].tolist()}))
    meta = {
        "model": MODEL_NAME, "n_products": len(ids), "catalog_written_at": catalog.manifest.get("written_at"),
        "catalog_version": catalog.version,
        "catalog_source": catalog.manifest.get("source"), "reviews": reviews, "built_at": int(time.time()),
        "chroma": settings.chroma_host and f"{settings.chroma_host}:{settings.chroma_port}" or str(settings.chroma_dir),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    report = BuildReport(n_products=len(ids), n_embedded=n_emb, n_deleted=n_del, n_reviews=n_rev,
                         n_reviews_embedded=n_rev_emb, seconds=time.perf_counter() - t_start, embed_seconds=embed_s)
    log.info("index built: %s", report)
    return report
