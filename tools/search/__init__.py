"""Retrieval: hybrid dense (Chroma, MiniLM) + keyword (bm25s) product search with in-memory filters."""

from tools.search.engine import SearchEngine
from tools.search.filters import InvalidFilterError
from tools.search.models import (ParsedQuery, ReviewSnippet, SearchFilters, SearchHit, SearchRequest,
                                 SearchResponse)
from tools.search.query import parse_query

__all__ = ["InvalidFilterError", "ParsedQuery", "ReviewSnippet", "SearchEngine", "SearchFilters", "SearchHit",
           "SearchRequest", "SearchResponse", "parse_query"]
