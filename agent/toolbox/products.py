"""The agent's product tools: search, recommend, similar, compare, describe (pydantic in, ToolOutput out)."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, Field, field_validator

from agent.toolbox.backends import Filters, ToolContext
from agent.toolbox.registry import Hit, Tool, ToolOutput
from tools.catalog.sanitize import scrub
from tools.describe.claims import excerpt

log = logging.getLogger(__name__)


class SearchArgs(BaseModel):
    query: str = Field("", description="What the shopper looks for.")
    brand: str | None = None
    category: str | None = None
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)
    min_rating: float | None = Field(None, ge=0, le=5)
    k: int = Field(8, ge=1, le=50)


class RecommendArgs(BaseModel):
    user_id: str | None = Field(None, description="The shopper's id; none for a new shopper.")
    k: int = Field(8, ge=1, le=50)
    category: str | None = None
    max_price: float | None = Field(None, ge=0)


class SimilarArgs(BaseModel):
    item_id: str
    k: int = Field(8, ge=1, le=50)


class CompareArgs(BaseModel):
    item_ids: list[str] = Field(min_length=2, max_length=6)

    @field_validator("item_ids", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return [s.strip() for s in v.split(",")] if isinstance(v, str) else v


class DescribeArgs(BaseModel):
    item_id: str


def _known(ctx: ToolContext, hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if h.id in ctx.catalog]


def search_products(args: SearchArgs, ctx: ToolContext) -> ToolOutput:
    filters = Filters(min_price=args.min_price, max_price=args.max_price, brand=args.brand, category=args.category,
                      min_rating=args.min_rating)
    hits, message = ctx.search.search(args.query, filters, args.k)
    return ToolOutput(products=_known(ctx, hits), message=message)


def recommend_for_user(args: RecommendArgs, ctx: ToolContext) -> ToolOutput:
    known = bool(args.user_id) and bool(ctx.catalog.profile(args.user_id).history)
    hits = ctx.recommender.recommend(args.user_id if known else None, args.k,
                                     Filters(category=args.category, max_price=args.max_price))
    return ToolOutput(products=_known(ctx, hits), data={"known_user": known},
                      message=None if known else "new shopper: popular products shown")


def similar_items(args: SimilarArgs, ctx: ToolContext) -> ToolOutput:
    ctx.catalog.get(args.item_id)  # readable error on unknown ids
    hits = [h for h in ctx.recommender.similar(args.item_id, args.k) if h.id != args.item_id]
    return ToolOutput(products=_known(ctx, hits), data={"anchor": args.item_id})


def compare_items(args: CompareArgs, ctx: ToolContext) -> ToolOutput:
    """Side by side: price, rating, brand and every attribute any of the products has."""
    products = ctx.catalog.get_many(args.item_ids)
    names: list[str] = []
    for p in products:
        names += [a for a in p.attributes if a not in names]
    rows = {
        "price": [p.price for p in products], "rating": [p.rating for p in products],
        "reviews": [p.rating_count for p in products], "brand": [p.brand for p in products],
        **{a: [scrub(p.attributes.get(a, "")) or None for p in products] for a in names[:8]},
    }
    priced = [p for p in products if p.price is not None]
    rated = [p for p in products if p.rating is not None]
    summary = {"cheapest": min(priced, key=lambda p: p.price).id if priced else None,
               "best_rated": max(rated, key=lambda p: p.rating).id if rated else None}
    return ToolOutput(products=[Hit(id=p.id, why="compared") for p in products],
                      data={"columns": [p.id for p in products], "rows": rows, **summary})


ABOUT_CHARS = 320  # the catalog's own description shown under a "tell me more" answer: whole sentences up to this


def catalog_facts_text(ctx: ToolContext, product_id: str) -> str:
    p = ctx.catalog.get(product_id)
    parts = [scrub(p.description)] if p.description else []
    parts += [scrub(f) for f in p.features[:5]]
    reviews = [r for r in ctx.catalog.reviews(product_id) if r.text][:2]
    parts += [f'A reviewer ({r.rating:g}/5) wrote: "{quote}"' for r in reviews
              if r.rating is not None and (quote := excerpt(scrub(r.text), 160))]
    return " ".join(x for x in parts if x)


def describe_item(args: DescribeArgs, ctx: ToolContext) -> ToolOutput:
    p = ctx.catalog.get(args.item_id)
    text = None
    source = "catalog"
    if ctx.describer is not None:
        try:
            text = scrub(ctx.describer(args.item_id))
            source = "describe"
        except Exception as exc:  # noqa: BLE001 - copy generation is optional: catalog facts answer
            log.warning("describe_product failed for %s: %s", args.item_id, exc)
    text = text or catalog_facts_text(ctx, args.item_id)
    about = excerpt(scrub(p.description), ABOUT_CHARS) if p.description else ""
    return ToolOutput(products=[Hit(id=p.id, why="described")], text=text, data={"source": source, "about": about})


def llm_describer(endpoint: Any, catalog: Any, engine: Any):  # noqa: ANN201
    """A describer over ``tools.describe.describe_product`` (raises ImportError when it is not there)."""
    from tools.describe import DescribeRequest, describe_product

    def describe(product_id: str) -> str:
        result = describe_product(DescribeRequest(product_id=product_id, length="short"), endpoint, catalog, engine)
        copy = result.product_copy
        if copy is None:
            raise RuntimeError("; ".join(result.errors) or "no copy written")
        return " ".join([copy.description, *copy.bullets])

    return describe


TOOLS: list[Tool] = [
    Tool("search_products", "Search the shop's catalog with optional brand, category and price filters.",
         SearchArgs, search_products, primary_arg="query"),
    Tool("recommend_for_user", "Recommend products for a shopper from their history (popular ones if new).",
         RecommendArgs, recommend_for_user, primary_arg="user_id"),
    Tool("similar_items", "Products similar to one product.", SimilarArgs, similar_items, primary_arg="item_id"),
    Tool("compare_items", "Compare products side by side (price, rating, attributes).", CompareArgs, compare_items,
         primary_arg="item_ids"),
    Tool("describe_item", "Facts and a description of one product.", DescribeArgs, describe_item,
         primary_arg="item_id"),
]
