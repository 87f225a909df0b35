"""Recommendations: SASRec (sequential), item-item CF, content-based cold start and popularity, blended per
shopper with filters, de-duplication and a reason on every item. Entry point: ``RecommenderService``."""

from tools.recommend.models import (
    Recommendation, RecommendFilters, RecommendRequest, RecommendResponse, SimilarRequest,
)
from tools.recommend.service import RecommenderService

__all__ = ["RecommenderService", "RecommendRequest", "RecommendResponse", "Recommendation", "RecommendFilters",
           "SimilarRequest"]
