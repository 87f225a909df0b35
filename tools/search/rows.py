"""What the index needs of each product row (text hash, BM25 token ids), reused from the last build for rows that
did not change.

A row's fingerprint is a hash of its stored columns (``pandas.util.hash_pandas_object``, vectorised: a million rows
in about a second). A rebuild after a 1% update builds ``Product`` objects, texts and tokens for that 1% only; the
others keep the hash and token ids the last build saved (``products.rows.npz`` beside the index), so the sync costs
what changed plus a few passes over arrays, not a product-by-product walk of the whole catalog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tools.catalog.store import Catalog
from tools.search.keyword import Vocabulary
from tools.search.text import content_hash, product_text

log = logging.getLogger(__name__)


def meta_for(p, h: str) -> dict:  # noqa: ANN001 - tools.catalog.models.Product
    m = {"h": h, "title": p.title[:200], "category_path": p.category_path, "in_stock": p.in_stock}
    if p.brand:
        m["brand"] = p.brand
    if p.price is not None:
        m["price"] = p.price
    if p.rating is not None:
        m["rating"] = p.rating
    return m


@dataclass
class ProductRows:
    """Per catalog row: id, fingerprint, text hash, token ids; texts and metadata built only where asked."""

    catalog: Catalog
    ids: list[str]
    fingerprints: np.ndarray
    hashes: list[str]
    tokens: list[list[int]]
    vocab: Vocabulary
    n_rebuilt: int
    _built: dict[int, tuple[str, dict]] = field(default_factory=dict)

    def texts_and_metas(self, rows: list[int]) -> tuple[list[str], list[dict]]:
        texts, metas = [], []
        for i in rows:
            got = self._built.get(i)
            if got is None:
                p = self.catalog.get(self.ids[i])
                text = product_text(p)
                got = (text, meta_for(p, self.hashes[i]))
            texts.append(got[0])
            metas.append(got[1])
        return texts, metas

    def save(self, path: Path) -> None:
        flat = np.fromiter((t for doc in self.tokens for t in doc), dtype=np.int32)
        offsets = np.cumsum([0] + [len(doc) for doc in self.tokens], dtype=np.int64)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, ids=np.array(self.ids, dtype=str), fp=self.fingerprints, h=np.array(self.hashes, dtype=str),
                 flat=flat, offsets=offsets, vocab=np.array(self.vocab.tokens(), dtype=str))
        tmp.replace(path)


def _previous(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        with np.load(path) as z:  # plain arrays: no pickle
            return {k: z[k] for k in ("ids", "fp", "h", "flat", "offsets", "vocab")}
    except Exception as exc:  # noqa: BLE001 - a cache: unreadable means rebuilt from the catalog
        log.info("row cache %s unreadable (%s): every row is rebuilt", path, exc)
        return None


def fingerprints(catalog: Catalog) -> np.ndarray:
    return pd.util.hash_pandas_object(catalog.text_frame(), index=False).to_numpy(dtype=np.uint64)


def product_rows(catalog: Catalog, cache: Path) -> ProductRows:
    """Every row's inputs, from ``cache`` where the row's fingerprint is unchanged, else from the catalog."""
    ids = catalog.ids
    fp = fingerprints(catalog)
    prev = _previous(cache)
    hashes: list[str | None] = [None] * len(ids)
    tokens: list[list[int] | None] = [None] * len(ids)
    vocab = Vocabulary(prev["vocab"].tolist() if prev is not None else ())
    if prev is not None:
        j = pd.Index(prev["ids"]).get_indexer(ids)
        same = np.flatnonzero(j >= 0)
        same = same[prev["fp"][j[same]] == fp[same]]
        prev_h, flat, offsets = prev["h"], prev["flat"], prev["offsets"]
        for i, jj in zip(same.tolist(), j[same].tolist()):
            hashes[i] = str(prev_h[jj])
            tokens[i] = flat[offsets[jj]:offsets[jj + 1]].tolist()
    missing = [i for i, h in enumerate(hashes) if h is None]
    everything = catalog.products() if len(missing) > len(ids) // 10 else None  # column-wise when most changed
    built: dict[int, tuple[str, dict]] = {}
    for i in missing:
        p = everything[i] if everything is not None else catalog.get(ids[i])
        text = product_text(p)
        hashes[i] = content_hash(text)
        tokens[i] = vocab.encode(text)
        built[i] = (text, meta_for(p, hashes[i]))
    return ProductRows(catalog, ids, fp, hashes, tokens, vocab, len(built), built)  # type: ignore[arg-type]
