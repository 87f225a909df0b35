"""What of a product is searched: one text for the encoder and the keyword index, and sentence snippets."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from tools.catalog.models import Product

_SENT = re.compile(r"(?<=[.!?;])\s+")
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its of on or that the this to was will with my me "
    "can does do what which how any".split()
)


def product_text(p: Product, max_chars: int = 600) -> str:
    """Title, brand, category path, attributes, features, description: the most telling first (the encoder
    reads the first 128 tokens)."""
    parts = [p.title]
    if p.brand and p.brand.lower() not in p.title.lower():
        parts.append(p.brand)
    if p.categories:
        parts.append(" > ".join(p.categories[1:] or p.categories))
    attrs = [f"{k}: {v}" for k, v in p.attributes.items() if k != "Sales Rank"]
    if attrs:
        parts.append("; ".join(attrs))
    parts.extend(p.features[:5])
    if p.description:
        parts.append(p.description)
    return ". ".join(parts)[:max_chars]


def content_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if len(s.strip()) > 2]


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


@lru_cache(maxsize=4096)
def _prefixes(word: str) -> str:
    return word[:5]


def best_snippet(query: str, candidates: list[str]) -> str:
    """The candidate sentence sharing most (prefix-matched) words with the query; the first one if none does."""
    if not candidates:
        return ""
    q = {_prefixes(w) for w in words(query)}
    best, best_score = candidates[0], 0
    for s in candidates:
        score = len(q & {_prefixes(w) for w in words(s)})
        if score > best_score:
            best, best_score = s, score
    return best[:300]


def product_sentences(p: Product) -> list[str]:
    out = [p.title]
    out.extend(p.features)
    out.extend(sentences(p.description))
    out.extend(f"{k}: {v}" for k, v in p.attributes.items() if k != "Sales Rank")
    return out
