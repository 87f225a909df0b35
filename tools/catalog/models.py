"""The catalog's data shapes: what every loader produces and every tool reads."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Product(BaseModel):
    """One product of the shop's catalog, normalised from whatever format it was loaded from."""

    id: str = Field(description="The shop's product id (an ASIN for Amazon data).")
    title: str
    brand: str | None = None
    categories: list[str] = Field(default_factory=list, description="Category path, root first.")
    price: float | None = Field(None, ge=0)
    rating: float | None = Field(None, ge=0, le=5, description="Mean review rating.")
    rating_count: int = Field(0, ge=0)
    attributes: dict[str, str] = Field(default_factory=dict, description="Attribute name -> value, as sold.")
    description: str = ""
    features: list[str] = Field(default_factory=list)
    in_stock: bool = True

    @property
    def category(self) -> str:
        """The leaf category ('' when the product has none)."""
        return self.categories[-1] if self.categories else ""

    @property
    def category_path(self) -> str:
        return " > ".join(self.categories)


class Review(BaseModel):
    """A shopper's review of one product."""

    id: str
    product_id: str
    user_id: str | None = None
    rating: float | None = Field(None, ge=0, le=5)
    title: str = ""
    text: str = ""
    timestamp: int | None = Field(None, description="Unix seconds.")


class Interaction(BaseModel):
    """A user touched an item at a time (purchase, review, rating)."""

    user_id: str
    item_id: str
    timestamp: int = Field(description="Unix seconds; orders a user's history.")
    rating: float | None = None


class UserProfile(BaseModel):
    """A user and their time-ordered history."""

    user_id: str
    history: list[str] = Field(default_factory=list, description="Item ids, oldest first.")
    name: str | None = None
