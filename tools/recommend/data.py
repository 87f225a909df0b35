"""Interaction sequences: loaders for the public benchmark formats and the catalog store, and the time split.

Items are indexed 1..N (0 is padding); each user's sequence is in time order. The split is leave-one-out by
time: the last item is the test target, the second-to-last the validation target, the rest is training.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from core.errors import ShopagentError

log = logging.getLogger(__name__)

Split = str  # "train" | "valid" | "test" | "all"


@dataclass
class SequenceData:
    """Users' time-ordered item sequences over an item vocabulary (index 0 = padding)."""

    item_ids: list[str]  # position i holds the external id of item index i+1
    user_ids: list[str]
    sequences: list[np.ndarray]  # int64 item indices (1-based), oldest first
    source: str = ""
    timestamps: list[np.ndarray] | None = None  # unix seconds per sequence position, when known
    _item_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._item_index:
            self._item_index = {item: i + 1 for i, item in enumerate(self.item_ids)}

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_interactions(self) -> int:
        return int(sum(len(s) for s in self.sequences))

    def index_of(self, item_id: str) -> int | None:
        return self._item_index.get(item_id)

    def item_of(self, index: int) -> str:
        return self.item_ids[index - 1]

    def encode(self, items: Iterable[str]) -> np.ndarray:
        """External ids -> indices, dropping ids the vocabulary does not know."""
        idx = [self._item_index.get(i) for i in items]
        return np.asarray([i for i in idx if i is not None], dtype=np.int64)

    def histories(self, split: Split) -> list[np.ndarray]:
        """What a model sees: 'train' and 'valid' -> seq[:-2], 'test' -> seq[:-1], 'all' -> seq."""
        cut = {"train": 2, "valid": 2, "test": 1, "all": 0}[split]
        return [s[: len(s) - cut] if cut else s for s in self.sequences]

    def targets(self, split: Split) -> np.ndarray:
        """The held-out item per user: 'valid' -> seq[-2], 'test' -> seq[-1]."""
        pos = {"valid": -2, "test": -1}[split]
        return np.asarray([s[pos] for s in self.sequences], dtype=np.int64)

    def evaluable(self) -> np.ndarray:
        """Users with at least 3 items (one to learn from, one validation, one test)."""
        return np.asarray([len(s) >= 3 for s in self.sequences])


def _build(raw: Sequence[tuple[str, list[str]]], source: str, item_ids: Sequence[str] = (),
           times: Sequence[list[int]] | None = None) -> SequenceData:
    if not raw:
        raise ShopagentError(f"no interactions in {source}: check the file (one user and their items per record)")
    vocab: dict[str, int] = {item: i + 1 for i, item in enumerate(item_ids)}
    users, seqs, stamps = [], [], []
    for n, (user, items) in enumerate(raw):
        if not items:
            continue
        seqs.append(np.asarray([vocab.setdefault(i, len(vocab) + 1) for i in items], dtype=np.int64))
        users.append(user)
        if times is not None:
            stamps.append(np.asarray(times[n], dtype=np.int64))
    if not seqs:
        raise ShopagentError(f"no interactions in {source}: every user's history is empty")
    return SequenceData(item_ids=list(vocab), user_ids=users, sequences=seqs, source=source,
                        timestamps=stamps if times is not None else None)


def load_s3rec(path: Path) -> SequenceData:
    """The S3-Rec split format: one line a user, ``user item1 item2 ...`` in time order."""
    raw = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2:
                raise ShopagentError(f"{path}:{n}: expected `user item1 item2 ...`, got {line.strip()[:60]!r}")
            raw.append((parts[0], parts[1:]))
    return _build(raw, str(path))


def load_inter_json(path: Path) -> SequenceData:
    """``{user_id: [item ids in time order]}`` (the RecBole-style *.inter.json files)."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ShopagentError(f"{path} is not valid JSON ({exc}): expected {{user: [items]}}") from exc
    if not isinstance(obj, dict) or not all(isinstance(v, list) for v in obj.values()):
        raise ShopagentError(f"{path}: expected a JSON object {{user: [item ids in time order]}}")
    return _build([(str(u), [str(i) for i in items]) for u, items in obj.items()], str(path))


def load_csv(path: Path) -> SequenceData:
    """A CSV with a header naming a user, an item and a time column (e.g. ``reviewerID,asin,unixReviewTime``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or len(header) < 3:
            raise ShopagentError(f"{path}: expected a header `user,item,timestamp`")
        rows: dict[str, list[tuple[float, int, str]]] = {}
        for n, row in enumerate(reader, 2):
            if len(row) < 3:
                raise ShopagentError(f"{path}:{n}: expected 3 columns, got {row!r}")
            try:
                ts = float(row[2])
            except ValueError as exc:
                raise ShopagentError(f"{path}:{n}: timestamp {row[2]!r} is not a number") from exc
            rows.setdefault(row[0], []).append((ts, n, row[1]))
    return _build([(u, [i for _, _, i in sorted(v)]) for u, v in rows.items()], str(path))


def from_interactions(interactions: Iterable[object], item_ids: Sequence[str] = (),
                      source: str = "catalog") -> SequenceData:
    """Sequences from the catalog's ``Interaction`` records (user_id, item_id, timestamp).

    ``item_ids`` (the catalog's product ids) seed the vocabulary, so items nobody touched yet still get an index
    (the content model and SASRec's text side can recommend them)."""
    rows: dict[str, list[tuple[int, int, str]]] = {}
    for n, it in enumerate(interactions):
        rows.setdefault(it.user_id, []).append((it.timestamp, n, it.item_id))  # type: ignore[attr-defined]
    ordered = [(u, sorted(v)) for u, v in rows.items()]
    return _build([(u, [i for _, _, i in v]) for u, v in ordered], source, item_ids,
                  times=[[t for t, _, _ in v] for _, v in ordered])


def load_sequences(path: Path) -> SequenceData:
    """Load any supported interaction file, chosen by its name."""
    path = Path(path)
    if not path.is_file():
        raise ShopagentError(f"no interaction file at {path}: pass --data with a Beauty.txt / *.inter.json / CSV")
    if path.stat().st_size == 0:
        raise ShopagentError(f"{path} is empty: nothing to train on")
    name = path.name.lower()
    if name.endswith(".json"):
        data = load_inter_json(path)
    elif name.endswith(".csv"):
        data = load_csv(path)
    else:
        data = load_s3rec(path)
    log.info("loaded %s: %d users, %d items, %d interactions", path, data.n_users, data.n_items,
             data.n_interactions)
    return data


def _text(title: object, brand: object, categories: object) -> str:
    parts = [str(title or "").strip()]
    if brand:
        parts.append(f"Brand: {brand}")
    if categories:
        parts.append(f"Category: {categories}")
    return ". ".join(p for p in parts if p)


def load_item_texts(path: Path, data: SequenceData) -> list[str] | None:
    """Item texts (title, brand, category) for the data file's items, from the metadata shipped beside it.

    Knows the S3-Rec layout (``benchmark/datamaps.json`` + ``../meta_*.jsonl``) and the ``X.inter.json`` +
    ``X.item.json`` pair. Returns one text per item index (position 0 = item 1), or None if there is none.
    """
    path = Path(path)
    by_id: dict[str, str] = {}
    if path.name.endswith(".inter.json"):
        meta = path.with_name(path.name[: -len(".inter.json")] + ".item.json")
        if meta.is_file():
            for key, rec in json.loads(meta.read_text(encoding="utf-8")).items():
                by_id[str(key)] = _text(rec.get("title"), rec.get("brand"), rec.get("categories"))
    elif (path.parent / "datamaps.json").is_file():
        id2item = json.loads((path.parent / "datamaps.json").read_text(encoding="utf-8")).get("id2item", {})
        metas = sorted(path.parent.parent.glob("meta_*.jsonl"))
        asin_text: dict[str, str] = {}
        for meta in metas:
            with open(meta, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    cats = rec.get("categories") or []
                    cat = " > ".join(cats[0]) if cats and isinstance(cats[0], list) else ""
                    asin_text[rec.get("asin", "")] = _text(rec.get("title"), rec.get("brand"), cat)
        by_id = {k: asin_text.get(v, "") for k, v in id2item.items()}
    if not by_id:
        return None
    texts = [by_id.get(i, "") for i in data.item_ids]
    if sum(bool(t) for t in texts) < 0.5 * len(texts):
        return None
    return texts


def pad_left(seqs: list[np.ndarray], max_len: int) -> np.ndarray:
    """Last ``max_len`` items of each sequence, left-padded with 0 to the longest one in the list."""
    width = max(1, min(max_len, max((len(s) for s in seqs), default=1)))
    out = np.zeros((len(seqs), width), dtype=np.int64)
    for i, s in enumerate(seqs):
        s = s[-width:]
        if len(s):
            out[i, width - len(s):] = s
    return out
