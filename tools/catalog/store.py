"""The normalised local catalog store: Parquet tables in versions under ``<data_dir>/catalog``.

``write_catalog`` is what every loader ends with; ``Catalog.open`` is what every tool starts with. Products are
kept as one columnar table (list/dict fields as JSON text), so opening 50k products takes a fraction of a second
and filters can run on ``frame()`` in memory; ``Product`` objects are built on demand.
"""

from __future__ import annotations

import dataclasses

import json
import logging
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from core.errors import ShopagentError
from tools.catalog import versions
from tools.catalog.models import Interaction, Product, Review, UserProfile
from tools.catalog.versions import KEEP

log = logging.getLogger(__name__)

CATALOG_DIRNAME = "catalog"
FRAME_COLUMNS = ["id", "title", "brand", "category", "category_path", "price", "rating", "rating_count", "in_stock"]
_JSON_COLUMNS = ("categories", "attributes", "features")
REVIEW_COLUMNS = ["id", "product_id", "user_id", "rating", "title", "text", "timestamp"]
INTERACTION_COLUMNS = ["user_id", "item_id", "timestamp", "rating"]


class UnknownProductError(ShopagentError):
    """A product id that is not in the catalog."""

    def __init__(self, product_id: str) -> None:
        super().__init__(f"unknown product id {product_id!r}: use an id from `shopagent search` or the catalog")
        self.product_id = product_id


@dataclass
class CatalogData:
    """Everything one load produces, before it is written."""

    products: list[Product]
    reviews: list[Review] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    user_names: dict[str, str] = field(default_factory=dict)
    source: str = ""
    report: dict = field(default_factory=dict)
    change: dict = field(default_factory=dict)  # an update's added / changed / removed / unchanged counts
    deleted: list[str] = field(default_factory=list)  # ids a partial feed marks deleted (see tools.catalog.update)
    sanitized: bool = False  # every text already cleaned of instructions (an update over a written version)


def catalog_dir(data_dir: Path) -> Path:
    return Path(data_dir) / CATALOG_DIRNAME


def _products_table(products: Sequence[Product]) -> pd.DataFrame:
    rows = []
    for p in products:
        rows.append({
            "id": p.id, "title": p.title, "brand": p.brand, "category": p.category,
            "category_path": p.category_path, "price": p.price, "rating": p.rating,
            "rating_count": p.rating_count, "in_stock": p.in_stock, "description": p.description,
            "categories": json.dumps(p.categories), "attributes": json.dumps(p.attributes),
            "features": json.dumps(p.features),
        })
    df = pd.DataFrame(rows, columns=FRAME_COLUMNS + ["description", *_JSON_COLUMNS])
    df["price"] = df["price"].astype("float64")
    df["rating"] = df["rating"].astype("float64")
    df["rating_count"] = df["rating_count"].astype("int64")
    df["in_stock"] = df["in_stock"].astype(bool)
    return df


def _without_instructions(data: CatalogData) -> CatalogData:
    """``data`` with every sentence that addresses the assistant removed from product and review text (counted in
    the report as ``instructions_removed``): catalog text is data, whoever wrote it."""
    from tools.catalog.sanitize import clean_product, clean_review

    products, reviews, changed = [], [], 0
    for p in data.products:
        p, n = clean_product(p)
        products.append(p)
        changed += n
    for r in data.reviews:
        r, n = clean_review(r)
        reviews.append(r)
        changed += n
    if not changed:
        return data
    log.warning("removed text addressed to the assistant from %d catalog fields", changed)
    return dataclasses.replace(data, products=products, reviews=reviews,
                               report={**(data.report or {}), "instructions_removed": changed})


def write_catalog(data_dir: Path, data: CatalogData, keep: int = KEEP) -> Path:
    """Write ``data`` as a new catalog version of ``data_dir`` and switch readers to it in one atomic step (the
    previous versions stay for rollback; see ``tools.catalog.versions``). Returns the new version's directory."""
    ids = [p.id for p in data.products]
    if len(set(ids)) != len(ids):
        raise ShopagentError("duplicate product ids in the loaded data: each product needs a unique id")
    if not data.sanitized:
        data = _without_instructions(data)
    root = catalog_dir(data_dir)
    with versions.new_version(root, keep=keep) as tmp:
        _write_tables(tmp, data)
    name = versions.current_version(root)
    log.info("catalog version %s written to %s: %d products", name, root, len(data.products))
    return root / versions.VERSIONS / str(name)


def _write_tables(out: Path, data: CatalogData) -> None:
    _products_table(data.products).to_parquet(out / "products.parquet", index=False)
    reviews = pd.DataFrame([r.model_dump() for r in data.reviews], columns=REVIEW_COLUMNS)
    reviews["timestamp"] = reviews["timestamp"].astype("Int64")
    reviews["rating"] = reviews["rating"].astype("float64")
    reviews.to_parquet(out / "reviews.parquet", index=False)
    inter = pd.DataFrame([i.model_dump() for i in data.interactions], columns=INTERACTION_COLUMNS)
    inter["timestamp"] = inter["timestamp"].astype("int64")
    inter["rating"] = inter["rating"].astype("float64")
    # stable sort: time order per user; ties keep the source order
    inter = inter.sort_values(["timestamp"], kind="stable").reset_index(drop=True)
    inter.to_parquet(out / "interactions.parquet", index=False)
    users = pd.DataFrame({"user_id": list(data.user_names), "name": list(data.user_names.values())})
    users.to_parquet(out / "users.parquet", index=False)
    manifest = {
        "source": data.source, "written_at": int(time.time()), "n_products": len(data.products),
        "n_reviews": len(data.reviews), "n_interactions": len(data.interactions), "report": data.report,
        "change": data.change,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))


def served_version(data_dir: Path) -> str | None:
    """The version readers open now (cheap: one small file read); None when there is none or it is unreadable."""
    try:
        found = versions.resolve(catalog_dir(data_dir))
    except ShopagentError:
        return None
    return found[0] if found else None


REPAIR = "run `shopagent data rollback` (the previous version) or reload with `shopagent data load ...`"


class CatalogFileError(ShopagentError):
    """A catalog store file that cannot be read (truncated, corrupt): names the file and what repairs it."""

    def __init__(self, path: Path, exc: BaseException) -> None:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        super().__init__(f"catalog file {path} is unreadable ({reason}): {REPAIR}")
        self.path = path


def _read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ValueError...: all are one message
        raise CatalogFileError(path, exc) from None


def _read_manifest(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogFileError(path, exc) from None
    if not isinstance(manifest, dict):
        raise CatalogFileError(path, ValueError("not a JSON object"))
    return manifest


class Catalog:
    """A read-only view of the catalog store. Open with ``Catalog.open(data_dir)``."""

    def __init__(self, directory: Path, table: pd.DataFrame, manifest: dict) -> None:
        self.directory = directory
        self._table = table
        self.manifest = manifest
        self._row = {pid: i for i, pid in enumerate(table["id"].tolist())}
        self._cache: dict[str, Product] = {}
        self.version = directory.name
        self.data_dir = directory.parent  # the data directory (set by ``open``; this guess fits the old layout)

    @classmethod
    def open(cls, data_dir: Path) -> "Catalog":
        """The version ``CURRENT`` names now (resolved once: every table this object reads comes from it)."""
        found = versions.resolve(catalog_dir(data_dir))
        if found is None:
            raise ShopagentError(
                f"no catalog in {Path(data_dir)}: run `shopagent data demo` or `shopagent data load ...` first"
            )
        version, d = found
        path = d / "products.parquet"
        if not path.exists():
            raise CatalogFileError(path, FileNotFoundError("missing"))
        manifest = _read_manifest(d / "manifest.json")
        table = _read_parquet(path)
        missing = [c for c in FRAME_COLUMNS + ["description", *_JSON_COLUMNS] if c not in table.columns]
        if missing:
            raise CatalogFileError(path, ValueError(f"no column {', '.join(missing)}"))
        catalog = cls(d, table, manifest)
        catalog.version, catalog.data_dir = version, Path(data_dir)
        return catalog

    # --- products ---
    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self._row

    @property
    def ids(self) -> list[str]:
        return self._table["id"].tolist()

    def index_of(self, product_id: str) -> int:
        """Row position of ``product_id`` in ``frame()``."""
        try:
            return self._row[product_id]
        except KeyError:
            raise UnknownProductError(product_id) from None

    def _product_at(self, i: int) -> Product:
        r = self._table.iloc[i]
        price = r["price"]
        rating = r["rating"]
        return Product(
            id=r["id"], title=r["title"], brand=r["brand"] if isinstance(r["brand"], str) else None,
            categories=json.loads(r["categories"]), price=None if pd.isna(price) else float(price),
            rating=None if pd.isna(rating) else float(rating), rating_count=int(r["rating_count"]),
            attributes=json.loads(r["attributes"]), description=r["description"] or "",
            features=json.loads(r["features"]), in_stock=bool(r["in_stock"]),
        )

    def get(self, product_id: str) -> Product:
        p = self._cache.get(product_id)
        if p is None:
            p = self._product_at(self.index_of(product_id))
            self._cache[product_id] = p
        return p

    def get_many(self, product_ids: Iterable[str]) -> list[Product]:
        return [self.get(pid) for pid in product_ids]

    def products(self) -> list[Product]:
        """Every product, in row order (built column-wise: a million in seconds; not kept in the get() cache)."""
        t = self._table
        col = {c: t[c].tolist() for c in ("id", "title", "brand", "categories", "price", "rating", "rating_count",
                                          "attributes", "description", "features", "in_stock")}
        loads = json.loads
        out = []
        for i, pid in enumerate(col["id"]):
            cached = self._cache.get(pid)
            if cached is not None:
                out.append(cached)
                continue
            price, rating, brand = col["price"][i], col["rating"][i], col["brand"][i]
            out.append(Product.model_construct(  # validated when written
                id=pid, title=col["title"][i], brand=brand if isinstance(brand, str) else None,
                categories=loads(col["categories"][i]), price=None if price != price else float(price),
                rating=None if rating != rating else float(rating), rating_count=int(col["rating_count"][i]),
                attributes=loads(col["attributes"][i]), description=col["description"][i] or "",
                features=loads(col["features"][i]), in_stock=bool(col["in_stock"][i])))
        return out

    def frame(self) -> pd.DataFrame:
        """One row per product (row i = ``ids[i]``): id, title, brand, category, category_path, price, rating,
        rating_count, in_stock. A copy: callers may modify it."""
        return self._table[FRAME_COLUMNS].copy()

    def text_frame(self) -> pd.DataFrame:
        """The full product table incl. description and JSON-encoded categories/attributes/features (read-only)."""
        return self._table

    def brands(self) -> list[str]:
        return sorted(b for b in self._table["brand"].dropna().unique().tolist() if b)

    def categories(self) -> list[str]:
        return sorted(c for c in self._table["category_path"].unique().tolist() if c)

    # --- reviews ---
    @cached_property
    def _reviews(self) -> pd.DataFrame:
        path = self.directory / "reviews.parquet"
        return _read_parquet(path) if path.exists() else pd.DataFrame(columns=REVIEW_COLUMNS)

    @cached_property
    def _reviews_by_product(self) -> dict[str, list[int]]:
        return {k: list(v) for k, v in self._reviews.groupby("product_id", sort=False).indices.items()}

    def reviews(self, product_id: str) -> list[Review]:
        self.index_of(product_id)  # raises on unknown ids
        rows = self._reviews_by_product.get(product_id, [])
        out = []
        for r in self._reviews.iloc[rows].itertuples(index=False):
            out.append(Review(
                id=r.id, product_id=r.product_id, user_id=r.user_id if isinstance(r.user_id, str) else None,
                rating=None if pd.isna(r.rating) else float(r.rating), title=r.title or "", text=r.text or "",
                timestamp=None if pd.isna(r.timestamp) else int(r.timestamp),
            ))
        return out

    def review_frame(self) -> pd.DataFrame:
        """All reviews as a table (read-only)."""
        return self._reviews

    # --- users and behaviour ---
    @cached_property
    def _interactions(self) -> pd.DataFrame:
        path = self.directory / "interactions.parquet"
        return _read_parquet(path) if path.exists() else pd.DataFrame(columns=INTERACTION_COLUMNS)

    def interaction_frame(self) -> pd.DataFrame:
        """All interactions as a table, in time order (read-only)."""
        return self._interactions

    def interactions(self) -> list[Interaction]:
        """Every interaction, oldest first."""
        return [
            Interaction(user_id=u, item_id=i, timestamp=int(t), rating=None if pd.isna(r) else float(r))
            for u, i, t, r in self._interactions.itertuples(index=False)
        ]

    @cached_property
    def _user_names(self) -> dict[str, str]:
        path = self.directory / "users.parquet"
        if not path.exists():
            return {}
        users = _read_parquet(path)
        return dict(zip(users["user_id"], users["name"]))

    def user_names(self) -> dict[str, str]:
        """user id -> display name, for the users that have one."""
        return dict(self._user_names)

    def users(self) -> list[str]:
        return sorted(set(self._interactions["user_id"].unique().tolist()) | set(self._user_names))

    def profile(self, user_id: str) -> UserProfile:
        """A user's time-ordered history (empty for an unknown user)."""
        inter = self._interactions
        history = inter.loc[inter["user_id"] == user_id, "item_id"].tolist()
        return UserProfile(user_id=user_id, history=history, name=self._user_names.get(user_id))
