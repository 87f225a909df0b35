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
    flat: np.ndarray  # every row's BM25 token ids, end to end: row i is flat[offsets[i]:offsets[i + 1]]
    offsets: np.ndarray
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

    def tokens(self, i: int) -> list[int]:
        return self.flat[self.offsets[i]:self.offsets[i + 1]].tolist()

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, ids=np.array(self.ids, dtype=str), fp=self.fingerprints, h=np.array(self.hashes, dtype=str),
                 flat=self.flat, offsets=self.offsets, vocab=np.array(self.vocab.tokens(), dtype=str))
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


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without the Python loop."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(total, dtype=np.int64)


def product_rows(catalog: Catalog, cache: Path) -> ProductRows:
    """Every row's inputs, from ``cache`` where the row's fingerprint is unchanged, else from the catalog."""
    ids = catalog.ids
    fp = fingerprints(catalog)
    prev = _previous(cache)
    n = len(ids)
    hashes = np.full(n, "", dtype=object)
    lengths = np.zeros(n, dtype=np.int64)
    same = np.zeros(0, dtype=np.int64)
    vocab = Vocabulary(prev["vocab"].tolist() if prev is not None else ())
    if prev is not None:
        j = pd.Index(prev["ids"]).get_indexer(ids)
        same = np.flatnonzero(j >= 0)
        same = same[prev["fp"][j[same]] == fp[same]]
        hashes[same] = prev["h"][j[same]].astype(object)
        lengths[same] = np.diff(prev["offsets"])[j[same]]
    reused = np.zeros(n, dtype=bool)
    reused[same] = True
    missing = np.flatnonzero(~reused).tolist()
    everything = catalog.products() if len(missing) > n // 10 else None  # column-wise when most changed
    built: dict[int, tuple[str, dict]] = {}
    new_tokens: list[list[int]] = []
    for i in missing:
        p = everything[i] if everything is not None else catalog.get(ids[i])
        text = product_text(p)
        hashes[i] = content_hash(text)
        new_tokens.append(vocab.encode(text))
        lengths[i] = len(new_tokens[-1])
        built[i] = (text, meta_for(p, hashes[i]))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    flat = np.zeros(int(offsets[-1]), dtype=np.int32)
    if len(same):
        flat[_ranges(offsets[same], lengths[same])] = prev["flat"][_ranges(prev["offsets"][j[same]], lengths[same])]
    if missing:
        miss = np.array(missing, dtype=np.int64)
        flat[_ranges(offsets[miss], lengths[miss])] = np.fromiter(
            (t for doc in new_tokens for t in doc), dtype=np.int32, count=int(lengths[miss].sum()))
    return ProductRows(catalog, ids, fp, hashes.tolist(), flat, offsets, vocab, len(built), built)
