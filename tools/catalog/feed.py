"""A shop's own files: a CSV / JSON-lines product feed and an interactions CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from tools.catalog.models import Interaction, Product
from tools.catalog.report import FileReport, clean_text, iter_json_lines, open_text, parse_price

ID_KEYS = ("id", "product_id", "sku", "asin", "item_id")
KNOWN = {"title", "name", "brand", "category", "categories", "category_path", "price", "rating", "rating_count",
         "description", "features", "in_stock", "attributes", *ID_KEYS}
USER_KEYS = ("user_id", "reviewerID", "user", "customer_id")
ITEM_KEYS = ("item_id", "asin", "parent_asin", "product_id", "item", "sku")
TIME_KEYS = ("timestamp", "unixReviewTime", "time", "ts")
RATING_KEYS = ("rating", "overall", "score")


def _first(row: dict, keys: tuple[str, ...]) -> object:
    for k in keys:
        v = row.get(k)
        if v not in (None, ""):
            return v
    return None


def _categories(value: object) -> list[str]:
    if isinstance(value, list):
        return [clean_text(c) for c in value if clean_text(c)]
    text = clean_text(value)
    for sep in (">", "/", "|"):
        if sep in text:
            return [c.strip() for c in text.split(sep) if c.strip()]
    return [text] if text else []


def _bool(value: object) -> bool:
    if value in (None, ""):
        return True
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "n", "out of stock")


def product_from_row(row: dict) -> Product:
    """One feed row -> Product; columns the model does not know become attributes."""
    pid = _first(row, ID_KEYS)
    if pid is None:
        raise ValueError(f"no id column (one of {', '.join(ID_KEYS)})")
    features = row.get("features") or []
    if isinstance(features, str):
        features = [f.strip() for f in features.split("|") if f.strip()]
    attrs = {str(k): clean_text(v) for k, v in (row.get("attributes") or {}).items()} \
        if isinstance(row.get("attributes"), dict) else {}
    attrs.update({k: clean_text(v) for k, v in row.items() if k not in KNOWN and v not in (None, "")})
    rating = row.get("rating")
    try:
        return Product(
            id=str(pid), title=clean_text(_first(row, ("title", "name"))), brand=clean_text(row.get("brand")) or None,
            categories=_categories(_first(row, ("categories", "category_path", "category"))),
            price=parse_price(row.get("price")),
            rating=float(rating) if rating not in (None, "") else None,
            rating_count=int(float(row.get("rating_count") or 0)), attributes=attrs,
            description=clean_text(row.get("description")), features=[clean_text(f) for f in features],
            in_stock=_bool(row.get("in_stock")),
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise ValueError(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None


def read_feed(path: Path, report: FileReport, fmt: str) -> Iterator[Product]:
    """Products from a CSV (header row) or JSON-lines feed."""
    if fmt == "jsonl":
        rows = iter_json_lines(path, report)
    else:
        rows = _csv_rows(path, report)
    for line_no, row in rows:
        try:
            product = product_from_row(row)
        except ValueError as exc:
            report.malformed(line_no, str(exc))
            continue
        if not product.title:
            report.malformed(line_no, f"product {product.id} has no title")
            continue
        yield product


def _csv_rows(path: Path, report: FileReport) -> Iterator[tuple[int, dict]]:
    with open_text(path) as f:
        sample = f.read(4096)
        f.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(f, dialect=dialect)
        width = len(reader.fieldnames or [])
        for row in reader:
            report.n_lines += 1
            line_no = reader.line_num
            if None in row or (width and sum(v is None for v in row.values())):
                report.malformed(line_no, f"expected {width} fields")
                continue
            yield line_no, row


def read_interactions_csv(path: Path, report: FileReport) -> Iterator[Interaction]:
    """user, item, timestamp (, rating) rows; column names as in Amazon's files or plain (user_id, item_id...)."""
    for line_no, row in _csv_rows(path, report):
        user, item, ts = _first(row, USER_KEYS), _first(row, ITEM_KEYS), _first(row, TIME_KEYS)
        if user is None or item is None or ts is None:
            report.malformed(line_no, "needs user, item and timestamp columns")
            continue
        try:
            t = int(float(ts))
            if t > 10**11:
                t //= 1000
            rating = _first(row, RATING_KEYS)
            yield Interaction(user_id=str(user), item_id=str(item), timestamp=t,
                              rating=float(rating) if rating is not None else None)
        except (ValueError, ValidationError) as exc:
            report.malformed(line_no, str(exc).splitlines()[0])
