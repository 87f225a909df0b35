"""The source facts a copy may use: a product's (or a raw record's) attributes plus the review snippets given
to the model."""

from __future__ import annotations

from pydantic import BaseModel, Field

from core.errors import ShopagentError
from tools.catalog.models import Product
from tools.search.models import ReviewSnippet

# record keys that describe the product as a whole rather than one attribute
_RECORD_FIELDS = ("id", "title", "brand", "category", "price")


class NoAttributesError(ShopagentError):
    """A product with nothing to ground copy on."""

    def __init__(self, product_id: str) -> None:
        super().__init__(
            f"product {product_id!r} has no attributes or features to write copy from: add attributes in the catalog"
        )
        self.product_id = product_id


class SourceFacts(BaseModel):
    """Everything the copy is allowed to state, and what the claim checker compares it with."""

    product_id: str
    title: str
    brand: str | None = None
    category: str = ""
    price: float | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    features: list[str] = Field(default_factory=list)
    snippets: list[ReviewSnippet] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="The owner's own keywords: facts they vouch for.")

    @classmethod
    def from_product(cls, product: Product, snippets: list[ReviewSnippet] | None = None) -> "SourceFacts":
        if not product.attributes and not product.features:
            raise NoAttributesError(product.id)
        return cls(
            product_id=product.id, title=product.title, brand=product.brand, category=product.category_path,
            price=product.price, attributes=dict(product.attributes), features=list(product.features),
            snippets=list(snippets or []),
        )

    @classmethod
    def from_record(cls, record: dict[str, str]) -> "SourceFacts":
        """A raw attribute record: ``title`` (required), optional ``id``/``brand``/``category``/``price``, the rest
        are attributes."""
        title = (record.get("title") or "").strip()
        key = record.get("id") or title or "record"
        attributes = {k: str(v) for k, v in record.items() if k not in _RECORD_FIELDS and str(v).strip()}
        if not title:
            raise ShopagentError(f"record {key!r} has no title: give at least a title and some attributes")
        if not attributes and not record.get("brand") and not record.get("category"):
            raise NoAttributesError(key)
        price = record.get("price")
        try:
            price_value = float(str(price).lstrip("$")) if price not in (None, "") else None
        except ValueError:
            price_value = None
            attributes["price"] = str(price)
        return cls(
            product_id=key, title=title, brand=record.get("brand") or None, category=record.get("category") or "",
            price=price_value, attributes=attributes,
        )

    def statements(self) -> list[str]:
        """The facts as short lines (the prompt's fact list; also the claim checker's evidence)."""
        lines = [f"title: {self.title}"]
        if self.brand:
            lines.append(f"brand: {self.brand}")
        if self.category:
            lines.append(f"category: {self.category}")
        if self.price is not None:
            lines.append(f"price: ${self.price:.2f}")
        lines += [f"{k}: {v}" for k, v in self.attributes.items()]
        lines += [f"feature: {f}" for f in self.features]
        lines += [f"keyword: {k}" for k in self.keywords]
        return lines

    def snippet_lines(self) -> list[str]:
        return [f"review {s.review_id}: {s.text}" for s in self.snippets]

    def evidence_lines(self) -> list[str]:
        """Every source line a claim may be supported by."""
        return self.statements() + self.snippet_lines()
