"""The recommender tool's inputs and outputs (the shared contract the agent, API and UI use)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.search.models import SearchFilters

RecommendFilters = SearchFilters  # the same hard filters as search: category, price range, brand, in stock


class RecommendRequest(BaseModel):
    """Who to recommend for: a known ``user_id`` and/or an explicit ``history`` of product ids (oldest first)."""

    user_id: str | None = Field(None, description="A shopper id; unknown ids get the cold-start path.")
    history: list[str] = Field(default_factory=list, description="Product ids the shopper bought or viewed.")
    k: int = Field(10, ge=1, le=100)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class SimilarRequest(BaseModel):
    """Items like ``item_id`` (same kind of product, or bought together with it)."""

    item_id: str
    k: int = Field(10, ge=1, le=100)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class Recommendation(BaseModel):
    product_id: str
    title: str = ""
    score: float
    because: str = Field(description="Why: the history items or attributes that caused this recommendation.")
    model: str = Field(description="The model that contributed most: sasrec | cf | content | popular.")


class RecommendResponse(BaseModel):
    items: list[Recommendation] = Field(default_factory=list)
    message: str = Field("", description="What path was taken or why the list is short; '' when nothing to say.")
    path: str = Field("", description="sequential | cold_start | popular | similar")


class ScoreRequest(BaseModel):
    """How much the sequential model expects ``user_id`` (and the session's ``history``) to want each item."""

    user_id: str | None = None
    history: list[str] = Field(default_factory=list, description="Product ids viewed in this session, oldest first.")
    item_ids: list[str] = Field(default_factory=list, max_length=200)


class ScoreResponse(BaseModel):
    scores: dict[str, float] = Field(default_factory=dict, description="Item id -> the model's score (higher: "
                                                                       "more likely next); empty when none applies.")
    model: str = ""
    message: str = ""
