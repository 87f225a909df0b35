"""Amazon Reviews metadata and review files (2014, 2018, 2023 releases; plain or gzipped JSON lines), and the
RecBole-style ``*.item.json`` / ``*.inter.json`` pair, mapped onto the catalog models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from tools.catalog.models import Interaction, Product, Review
from tools.catalog.report import FileReport, catalog_price, clean_text, iter_json_lines, open_text
from tools.language.prices import PriceLocale


def _category_path(obj: dict) -> list[str]:
    cats = obj.get("categories")
    if cats is None:
        cats = obj.get("category")
    path: list[str] = []
    if isinstance(cats, list) and cats and isinstance(cats[0], list):  # 2014: a list of paths; take the first
        path = [clean_text(c) for c in cats[0]]
    elif isinstance(cats, list):  # 2018 / 2023: one path
        path = [clean_text(c) for c in cats if isinstance(c, str)]
    elif isinstance(cats, str):  # RecBole item json: "a,b,c"
        path = [clean_text(c) for c in cats.split(",")]
    path = [c for i, c in enumerate(path) if c and (i == 0 or c != path[i - 1])]
    if not path:
        main = obj.get("main_cat") or obj.get("main_category")
        if isinstance(main, str) and main.strip():
            path = [clean_text(main)]
    return path


def _attributes(obj: dict) -> dict[str, str]:
    attrs: dict[str, str] = {}
    details = obj.get("details")
    if isinstance(details, dict):
        for k, v in details.items():
            key = clean_text(k).rstrip(":").strip()
            if not key or key.upper().startswith("ASIN") or isinstance(v, (dict, list)):
                continue
            val = clean_text(v)
            if val:
                attrs[key] = val
    rank = obj.get("salesRank")
    if isinstance(rank, dict) and rank:
        cat, value = next(iter(rank.items()))
        attrs["Sales Rank"] = f"#{value} in {cat}"
    return attrs


def product_from_amazon(obj: dict, fallback_id: str | None = None) -> Product:
    """One metadata record (any release) -> Product. Raises ValueError when it has no id or no title."""
    pid = obj.get("parent_asin") or obj.get("asin") or fallback_id
    if not pid:
        raise ValueError("no asin")
    title = clean_text(obj.get("title"))
    if not title:
        raise ValueError(f"product {pid} has no title")
    brand = clean_text(obj.get("brand") or obj.get("store")) or None
    description = clean_text(obj.get("description"))
    features = obj.get("feature") or obj.get("features") or []
    if isinstance(features, str):
        features = [features]
    features = [f for f in (clean_text(x) for x in features) if f]
    rating = obj.get("average_rating")
    return Product(
        id=str(pid), title=title, brand=brand, categories=_category_path(obj), price=_price(obj.get("price")),
        rating=float(rating) if isinstance(rating, (int, float)) and 0 <= rating <= 5 else None,
        rating_count=int(obj.get("rating_number") or 0), attributes=_attributes(obj),
        description=description, features=list(dict.fromkeys(features)),
    )


def _price(value: object) -> float | None:
    """Amazon's US prices (a decimal point); long strings are page fragments the 2018 scrape left in `price`."""
    if isinstance(value, str) and len(value) > 40:
        return None
    return catalog_price(value, PriceLocale.POINT)


def _is_item_json(path: Path) -> bool:
    """True for one JSON object keyed by item id (RecBole ``*.item.json``), False for JSON lines."""
    with open_text(path) as f:
        first = f.readline().strip()
    if not first.startswith("{"):
        return False
    try:
        json.loads(first)
        return False
    except json.JSONDecodeError:
        return True


def _whole_json(path: Path, report: FileReport) -> dict:
    with open_text(path) as f:
        text = f.read()
    report.n_lines = text.count("\n") + 1
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        report.malformed(exc.lineno, f"not JSON ({exc.msg})")
        return {}
    if not isinstance(obj, dict):
        report.malformed(1, "expected one object keyed by id")
        return {}
    return obj


def read_products(path: Path, report: FileReport) -> Iterator[Product]:
    """Products from an Amazon metadata file (JSON lines, any release) or a RecBole item json."""
    if _is_item_json(path):
        for key, obj in _whole_json(path, report).items():
            if not isinstance(obj, dict):
                report.malformed(0, f"item {key}: expected an object")
                continue
            try:
                yield product_from_amazon(obj, fallback_id=str(key))
            except ValueError as exc:
                report.malformed(0, f"item {key}: {exc}")
        return
    for line_no, obj in iter_json_lines(path, report):
        try:
            yield product_from_amazon(obj)
        except ValueError as exc:
            report.malformed(line_no, str(exc))


def read_reviews(path: Path, report: FileReport) -> Iterator[Review]:
    """Reviews from an Amazon review file (2014/2018: overall/reviewText/unixReviewTime; 2023: rating/text/ms)."""
    for line_no, obj in iter_json_lines(path, report):
        pid = obj.get("parent_asin") or obj.get("asin")
        rating = obj.get("overall", obj.get("rating"))
        ts = obj.get("unixReviewTime", obj.get("timestamp"))
        try:
            ts = int(ts) if ts is not None else None
            if ts is not None and ts > 10**11:  # 2023 files: milliseconds
                ts //= 1000
            rating = float(rating) if rating is not None else None
            if rating is not None and not 0 <= rating <= 5:
                raise ValueError(f"rating {rating} outside 0..5")
        except (TypeError, ValueError) as exc:
            report.malformed(line_no, str(exc))
            continue
        if not pid:
            report.malformed(line_no, "no asin")
            continue
        user = obj.get("reviewerID") or obj.get("user_id")
        yield Review(
            id=f"{pid}:{user}:{ts}:{line_no}", product_id=str(pid), user_id=str(user) if user else None,
            rating=rating, title=clean_text(obj.get("summary", obj.get("title"))),
            text=clean_text(obj.get("reviewText", obj.get("text"))), timestamp=ts,
        )


def read_sequence_json(path: Path, report: FileReport) -> Iterator[Interaction]:
    """RecBole ``*.inter.json`` ({user: [items in time order]}): no times in the file, so the position in the
    sequence is used as the timestamp (it keeps each user's order; it is not a wall-clock time)."""
    for user, items in _whole_json(path, report).items():
        if not isinstance(items, list):
            report.malformed(0, f"user {user}: expected a list of items")
            continue
        for pos, item in enumerate(items):
            yield Interaction(user_id=str(user), item_id=str(item), timestamp=pos)
