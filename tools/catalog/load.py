"""``load_catalog``: read a source (Amazon 2014/2018/2023 files, a CSV/JSONL feed) into ``CatalogData``.

Products, then reviews (which also give interactions when no interactions file is given), then interactions.
Rows that cannot be read are counted per file with their line numbers (``FileReport``); rows that point at
products not in the catalog are counted as skipped. Rating summaries missing from the metadata are computed from
the reviews (or, for popularity, the interaction counts).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Literal

from core.errors import ShopagentError
from tools.catalog import amazon, feed
from tools.catalog.models import Interaction, Product, Review
from tools.catalog.report import FileReport
from tools.catalog.store import CatalogData
from tools.language.prices import resolve_locale

log = logging.getLogger(__name__)

Source = Literal["amazon2014", "amazon2018", "amazon2023", "csv", "jsonl"]
SOURCES: tuple[str, ...] = ("amazon2014", "amazon2018", "amazon2023", "csv", "jsonl")


def _resolve_dir(path: Path, reviews: Path | None, interactions: Path | None) -> tuple[Path, Path | None, Path | None]:
    """A directory holding an Amazon release: meta_* (or *.item.json), reviews (*_5.json*, reviews_*), *.csv /
    *.inter.json interactions."""
    files = sorted(p for p in path.iterdir() if p.is_file())
    meta = [p for p in files if p.name.startswith("meta_") or p.name.endswith(".item.json")]
    if not meta:
        raise ShopagentError(f"no metadata file (meta_* or *.item.json) in {path}: pass the file itself")
    if reviews is None:
        cands = [p for p in files if p not in meta and (".json" in p.name) and not p.name.endswith(".inter.json")]
        reviews = cands[0] if cands else None
    if interactions is None:
        cands = [p for p in files if p.suffix == ".csv" or p.name.endswith(".inter.json")]
        interactions = cands[0] if cands else None
    return meta[0], reviews, interactions


def _dedupe(products: Iterable[Product], report: FileReport) -> list[Product]:
    seen: dict[str, Product] = {}
    for p in products:
        if p.id in seen:
            report.n_skipped += 1  # the first record of an id wins
            continue
        seen[p.id] = p
    report.n_loaded = len(seen)
    return list(seen.values())


def load_catalog(source: str, path: Path, reviews: Path | None = None, interactions: Path | None = None,
                 limit: int | None = None, partial: bool = False, price_locale: str | None = None) -> CatalogData:
    """Read ``path`` (and optional reviews / interactions files) as ``source``. ``partial``: a partial feed
    (an update), which may hold only deletions. ``price_locale``: the feed's decimal mark ("point", "comma", or a
    locale tag such as "de_DE"); None detects it from the feed's price strings when they agree."""
    if source not in SOURCES:
        raise ShopagentError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
    path = Path(path)
    if not path.exists():
        raise ShopagentError(f"no such file or directory: {path}")
    if path.is_dir():
        if source in ("csv", "jsonl"):
            raise ShopagentError(f"{path} is a directory: pass the {source} feed file")
        path, reviews, interactions = _resolve_dir(path, reviews, interactions)
    reports: list[FileReport] = []

    rep = FileReport(path=str(path))
    reports.append(rep)
    deleted: list[str] = []
    try:
        locale = resolve_locale(price_locale)
    except ValueError as exc:
        raise ShopagentError(f"--price-locale: {exc}") from None
    stream = feed.read_feed(path, rep, source, deleted, locale) if source in ("csv", "jsonl") \
        else amazon.read_products(path, rep)
    products = []
    for p in stream:
        products.append(p)
        if limit and len(products) >= limit:
            break
    products = _dedupe(products, rep)
    if not products and not (partial and deleted):
        raise ShopagentError(f"no products could be read from {path} as {source}: {rep.summary()}")
    known = {p.id for p in products}

    review_list: list[Review] = []
    if reviews is not None:
        rrep = FileReport(path=str(reviews))
        reports.append(rrep)
        for r in amazon.read_reviews(Path(reviews), rrep):
            if r.product_id in known:
                review_list.append(r)
            else:
                rrep.n_skipped += 1
        rrep.n_loaded = len(review_list)

    inter_list: list[Interaction] = []
    if interactions is not None:
        irep = FileReport(path=str(interactions))
        reports.append(irep)
        ipath = Path(interactions)
        rows = amazon.read_sequence_json(ipath, irep) if ipath.name.endswith(".json") \
            else feed.read_interactions_csv(ipath, irep)
        for i in rows:
            if i.item_id in known:
                inter_list.append(i)
            else:
                irep.n_skipped += 1
        irep.n_loaded = len(inter_list)
    elif review_list:  # each review is a user touching an item
        inter_list = [Interaction(user_id=r.user_id, item_id=r.product_id, timestamp=r.timestamp, rating=r.rating)
                      for r in review_list if r.user_id and r.timestamp is not None]

    products = _fill_rating_summaries(products, review_list, inter_list)
    for r in reports:
        log.info("%s", r.summary())
    return CatalogData(
        products=products, reviews=review_list, interactions=inter_list, source=f"{source}:{path}",
        report={"files": [r.model_dump() for r in reports]}, deleted=deleted,
    )


def _fill_rating_summaries(products: list[Product], reviews: list[Review],
                           interactions: list[Interaction]) -> list[Product]:
    ratings: dict[str, list[float]] = defaultdict(list)
    for r in reviews:
        if r.rating is not None:
            ratings[r.product_id].append(r.rating)
    touches: dict[str, int] = defaultdict(int)
    for i in interactions:
        touches[i.item_id] += 1
    out = []
    for p in products:
        update: dict = {}
        rs = ratings.get(p.id)
        if p.rating is None and rs:
            update = {"rating": round(sum(rs) / len(rs), 2), "rating_count": len(rs)}
        elif p.rating_count == 0 and touches.get(p.id):
            update = {"rating_count": touches[p.id]}
        out.append(p.model_copy(update=update) if update else p)
    return out
