"""The retrieval tool's inputs and outputs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.catalog.models import Product


class SearchFilters(BaseModel):
    """Hard constraints on the result set. Evaluated in memory on the catalog table, never in the vector store."""

    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)
    brand: str | None = Field(None, description="Case, accents and punctuation are ignored; 'L'Oreal' matches "
                                                "'L'Oreal Paris'.")
    category: str | None = Field(None, description="A category path prefix ('Beauty > Skin Care') or one category "
                                                   "name anywhere in a path ('Running Shoes').")
    min_rating: float | None = Field(None, ge=0, le=5)
    in_stock: bool | None = Field(None, description="True: only products in stock.")

    def is_empty(self) -> bool:
        return all(v is None for v in self.model_dump().values())


class SearchRequest(BaseModel):
    query: str = Field("", description="Free text; empty = the most popular products within the filters.")
    filters: SearchFilters = Field(default_factory=SearchFilters)
    k: int = Field(10, ge=1, le=200)
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"


class SearchHit(BaseModel):
    product: Product
    score: float
    snippet: str = Field("", description="The product text (or review) sentence that best matches the query.")


class SearchResponse(BaseModel):
    hits: list[SearchHit] = Field(default_factory=list)
    message: str = Field("", description="Why the result is empty or what was assumed; '' when nothing to say.")
    n_candidates: int = Field(0, description="Products that pass the filters.")
    path: str = Field("", description="How the dense side was searched: exact | chroma | popular.")


class ParsedQuery(BaseModel):
    """A free-text shopper query split into what to search for and hard filters."""

    query: str
    filters: SearchFilters = Field(default_factory=SearchFilters)


class ReviewSnippet(BaseModel):
    review_id: str
    product_id: str
    text: str
    rating: float | None = None
    score: float
