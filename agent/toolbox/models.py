"""What the agent's tools take and give: the engines they run over, a product hit, an output and a call's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from pydantic import BaseModel, Field

from tools.catalog.store import Catalog
from tools.recommend.models import RecommendRequest, RecommendResponse, SimilarRequest
from tools.search.models import SearchRequest, SearchResponse


class SearchService(Protocol):
    """``tools.search.SearchEngine`` (hybrid, or keyword-only before an index is built)."""

    def search(self, request: SearchRequest) -> SearchResponse: ...


class RecommendService(Protocol):
    """``tools.recommend.RecommenderService``, or ``CatalogPopularity`` before models are trained."""

    def recommend(self, request: RecommendRequest) -> RecommendResponse: ...

    def similar(self, request: SimilarRequest) -> RecommendResponse: ...


@dataclass
class ToolContext:
    """What the tools run over: the catalog and the engines, opened once by the composition root."""

    catalog: Catalog
    search: SearchService
    recommender: RecommendService


class Hit(BaseModel):
    """A product a tool returns, as the agent shows it: its id, a score and a short reason."""

    id: str
    score: float = 0.0
    why: str = ""


class ToolOutput(BaseModel):
    """What a tool gives back: products (ordered), optional text and structured data, and a note."""

    products: list[Hit] = Field(default_factory=list)
    text: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None


class ToolOutcome(BaseModel):
    """A call as the agent sees it: the validated arguments, output or a readable error, and time taken."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool
    output: ToolOutput | None = None
    error: str | None = None
    ms: float = 0.0


@dataclass
class Tool:
    """A typed function: ``fn(args, ctx) -> ToolOutput``."""

    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[Any, ToolContext], ToolOutput]
