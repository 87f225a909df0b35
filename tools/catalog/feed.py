"""A shop's own files: a CSV / JSON-lines product feed and an interactions CSV."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from tools.catalog.models import Interaction, Product
from tools.catalog.report import FileReport, catalog_price, clean_text, iter_json_lines, read_lines
from tools.language.prices import PriceLocale, detect_locale

ID_KEYS = ("id", "product_id", "sku", "asin", "item_id")
DELETE_KEYS = ("deleted", "delete", "_delete", "_deleted", "removed")
KNOWN = {"title", "name", "brand", "category", "categories", "category_path", "price", "rating", "rating_count",
         "description", "features", "in_stock", "attributes", *ID_KEYS, *DELETE_KEYS}
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


def product_from_row(row: dict, locale: PriceLocale | None = None) -> Product:
    """One feed row -> Product; columns the model does not know become attributes; ``price`` is read with the
    feed's decimal mark ``locale`` (an impossible price is a ValueError: the row is malformed)."""
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
            price=catalog_price(row.get("price"), locale),
            rating=float(rating) if rating not in (None, "") else None,
            rating_count=int(float(row.get("rating_count") or 0)), attributes=attrs,
            description=clean_text(row.get("description")), features=[clean_text(f) for f in features],
            in_stock=_bool(row.get("in_stock")),
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise ValueError(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None


def _marked_deleted(row: dict) -> bool:
    value = _first(row, DELETE_KEYS)
    return value is not None and str(value).strip().lower() in ("1", "true", "yes", "y", "x", "deleted", "delete")


def _rows(path: Path, report: FileReport, fmt: str) -> Iterator[tuple[int, dict]]:
    return iter_json_lines(path, report) if fmt == "jsonl" else _csv_rows(path, report)


def feed_locale(path: Path, fmt: str, report: FileReport) -> PriceLocale | None:
    """The decimal mark of the feed's price column, when its strings agree (recorded in ``report``)."""
    found = detect_locale(row.get("price") for _, row in _rows(path, FileReport(path=str(path)), fmt))
    report.price_marks = {"point": found.point, "comma": found.comma, "undecided": found.undecided}
    report.price_locale = found.locale.value if found.locale else None
    return found.locale


def read_feed(path: Path, report: FileReport, fmt: str, deleted: list[str] | None = None,
              locale: PriceLocale | None = None) -> Iterator[Product]:
    """Products from a CSV (header row) or JSON-lines feed. Prices are read with ``locale``'s decimal mark, or
    (None) the one the feed's price strings agree on, or each string's own. Rows whose ``deleted`` column (or
    ``delete``, ``removed``) is true are not products: their ids are appended to ``deleted``."""
    if locale is None:
        locale = feed_locale(path, fmt, report)
    else:
        report.price_locale = locale.value
    for line_no, row in _rows(path, report, fmt):
        if _marked_deleted(row):
            pid = _first(row, ID_KEYS)
            if pid is None:
                report.malformed(line_no, f"a deletion without an id column (one of {', '.join(ID_KEYS)})")
            elif deleted is not None:
                deleted.append(str(pid))
            continue
        try:
            product = product_from_row(row, locale)
        except ValueError as exc:
            report.malformed(line_no, str(exc))
            continue
        if not product.title:
            report.malformed(line_no, f"product {product.id} has no title")
            continue
        yield product


def _csv_rows(path: Path, report: FileReport) -> Iterator[tuple[int, dict]]:
    lines = (text for _, text in read_lines(path, report))
    head: list[str] = []
    for text in lines:
        head.append(text)
        if sum(map(len, head)) >= 4096:
            break
    try:
        dialect = csv.Sniffer().sniff("".join(head), delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(itertools.chain(head, lines), dialect=dialect)
    width = len(reader.fieldnames or [])
    for row in reader:
        report.n_lines += 1
        line_no = reader.line_num
        if None in row or (width and sum(v is None for v in row.values())):
            report.malformed(line_no, f"expected {width} fields")
            continue
        yield line_no, row


def read_id_list(path: Path, report: FileReport) -> list[str]:
    """Product ids, one a line (a first line naming an id column is a header); blank lines are skipped."""
    ids = []
    for line_no, text in read_lines(path, report):
        value = text.strip().split(",")[0].strip().strip('"')
        if not value:
            continue
        report.n_lines += 1
        if line_no == 1 and value.lower() in ID_KEYS:
            continue
        ids.append(value)
    report.n_loaded = len(ids)
    return ids


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
