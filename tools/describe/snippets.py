"""Review snippets for product copy: from the search engine (ranked by meaning) when an index is open, else ranked
locally by shared words."""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

from tools.catalog.models import Review
from tools.search.models import ReviewSnippet

log = logging.getLogger(__name__)

MAX_SNIPPET_CHARS = 300
_WORD = re.compile(r"[a-z0-9]+")


class SnippetSource(Protocol):
    def review_snippets(self, product_id: str, query: str, k: int) -> list[ReviewSnippet]: ...


def _clipped(snippet: ReviewSnippet) -> ReviewSnippet:
    return snippet.model_copy(update={"text": snippet.text[:MAX_SNIPPET_CHARS]})


def rank_reviews(reviews: list[Review], query: str, k: int) -> list[ReviewSnippet]:
    """Local fallback: the ``k`` reviews sharing most words with ``query`` (ties: higher rating, then id)."""
    q = set(_WORD.findall(query.lower()))
    scored = []
    for r in reviews:
        text = f"{r.title}. {r.text}".strip(". ") if r.title else r.text
        words = set(_WORD.findall(text.lower()))
        overlap = len(q & words) / (len(words) ** 0.5 or 1.0)
        scored.append((overlap, r.rating or 0.0, r.id, text, r))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [ReviewSnippet(review_id=rid, product_id=r.product_id, text=text[:MAX_SNIPPET_CHARS], rating=r.rating,
                          score=s) for s, _, rid, text, r in scored[:k]]


def review_snippets(product_id: str, query: str, k: int, engine: SnippetSource | None = None,
                    catalog: Any = None) -> list[ReviewSnippet]:
    """The ``k`` most relevant review snippets for ``product_id``: the engine's, or the catalog's ranked locally."""
    if k <= 0:
        return []
    if engine is not None:
        try:
            return [_clipped(s) for s in engine.review_snippets(product_id, query, k)][:k]
        except Exception as exc:  # the index may lack this product: fall back rather than fail the item
            log.warning("review_snippets from the search engine failed for %s (%s); ranking locally", product_id, exc)
    if catalog is None:
        return []
    return rank_reviews(catalog.reviews(product_id), query, k)
