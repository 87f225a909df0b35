"""The agent's product tools: search, recommend, similar, compare, describe (pydantic in, ToolOutput out)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from agent.toolbox.models import Hit, Tool, ToolContext, ToolOutput
from tools.catalog.sanitize import scrub
from tools.describe.claims import excerpt
from tools.recommend.models import RecommendResponse, RecommendRequest, ScoreRequest, SimilarRequest
from tools.search.models import SearchFilters, SearchRequest


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
    history: list[str] = Field(default_factory=list, description="Product ids looked at in this session, oldest "
                                                                 "first (blended with the shopper's purchases).")
    k: int = Field(8, ge=1, le=50)
    category: str | None = None
    brand: str | None = None
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)


class SimilarArgs(BaseModel):
    item_id: str
    k: int = Field(8, ge=1, le=50)
    brand: str | None = Field(None, description="Only this brand (the conversation's constraints).")
    category: str | None = None
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)


class ShopperScoreArgs(BaseModel):
    user_id: str | None = Field(None, description="The signed-in shopper's id.")
    item_ids: list[str] = Field(min_length=1, max_length=200, description="The candidates to score.")
    history: list[str] = Field(default_factory=list, description="Product ids looked at in this session.")


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


def _recommended(response: RecommendResponse) -> list[Hit]:
    return [Hit(id=r.product_id, score=float(r.score), why=r.because[:160]) for r in response.items]


def search_products(args: SearchArgs, ctx: ToolContext) -> ToolOutput:
    filters = SearchFilters(min_price=args.min_price, max_price=args.max_price, brand=args.brand,
                            category=args.category, min_rating=args.min_rating)
    response = ctx.search.search(SearchRequest(query=args.query, filters=filters, k=args.k))
    hits = [Hit(id=h.product.id, score=float(h.score), why=(h.snippet or "matches your search")[:160])
            for h in response.hits]
    return ToolOutput(products=_known(ctx, hits), message=response.message or None)


def recommend_for_user(args: RecommendArgs, ctx: ToolContext) -> ToolOutput:
    known = bool(args.user_id) and bool(ctx.catalog.profile(args.user_id).history)
    session = [pid for pid in args.history if pid in ctx.catalog]
    request = RecommendRequest(user_id=args.user_id if known else None, history=session, k=args.k,
                               filters=SearchFilters(category=args.category, brand=args.brand,
                                                     min_price=args.min_price, max_price=args.max_price))
    hits = _recommended(ctx.recommender.recommend(request))
    message = None if known or session else "new shopper: popular products shown"
    return ToolOutput(products=_known(ctx, hits), data={"known_user": known, "session_items": len(session)},
                      message=message)


def similar_items(args: SimilarArgs, ctx: ToolContext) -> ToolOutput:
    ctx.catalog.get(args.item_id)  # readable error on unknown ids
    filters = SearchFilters(brand=args.brand, category=args.category, min_price=args.min_price,
                            max_price=args.max_price)
    response = ctx.recommender.similar(SimilarRequest(item_id=args.item_id, k=args.k, filters=filters))
    hits = [h for h in _recommended(response) if h.id != args.item_id]
    return ToolOutput(products=_known(ctx, hits), data={"anchor": args.item_id})


def shopper_scores(args: ShopperScoreArgs, ctx: ToolContext) -> ToolOutput:
    """The sequential model's score of each candidate for this shopper (``data["scores"]``; empty when it has none)."""
    scorer = getattr(ctx.recommender, "score_items", None)
    if scorer is None:
        return ToolOutput(message="this recommender cannot score items")
    response = scorer(ScoreRequest(user_id=args.user_id, history=[p for p in args.history if p in ctx.catalog],
                                   item_ids=args.item_ids))
    return ToolOutput(data={"scores": response.scores, "model": response.model}, message=response.message or None)


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
    about = excerpt(scrub(p.description), ABOUT_CHARS) if p.description else ""
    return ToolOutput(products=[Hit(id=p.id, why="described")], text=catalog_facts_text(ctx, args.item_id),
                      data={"about": about})


TOOLS: list[Tool] = [
    Tool("search_products", "Search the shop's catalog with optional brand, category and price filters.",
         SearchArgs, search_products),
    Tool("recommend_for_user", "Recommend products for a shopper from their history (popular ones if new).",
         RecommendArgs, recommend_for_user),
    Tool("similar_items", "Products similar to one product (optionally within a brand, category, price band).",
         SimilarArgs, similar_items),
    Tool("shopper_scores", "How likely the signed-in shopper is to want each candidate (the sequential model).",
         ShopperScoreArgs, shopper_scores),
    Tool("compare_items", "Compare products side by side (price, rating, attributes).", CompareArgs, compare_items),
    Tool("describe_item", "Facts and a description of one product.", DescribeArgs, describe_item),
]
