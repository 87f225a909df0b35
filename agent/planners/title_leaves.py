"""Which catalog leaf a shopper's words point to, read from where the catalog's own product titles use them.

Shoppers name a kind of product by words the category names lack ("sunblock", "face wash", "strip lashes"); the
titles of the products in that leaf hold those words. Each title word's stem ("hiking" and "hike" are one) and each
pair of adjacent stems counts once per product, per leaf; a message's words then vote for leaves, each vote
weighted by how rare the term is (idf) and how much it belongs to one leaf, so ordinary words ("gift", "day",
"good") say next to nothing."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import Stemmer

from tools.language import normalise

_STEMMER = Stemmer.Stemmer("english")  # the search tool's own stemmer: "hiking" and "hike" are one term

_MIN_DF = 3  # a term used by fewer product titles is too rare to say where it belongs
_MAX_TITLES = 100_000  # the statistics of a larger catalog come from an even sample of this many products


def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def terms(text_norm: str, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Word stems (alphabetic, 2+ letters, neither the word nor its stem in ``skip``: "showed" goes with "show") of
    a normalised text and its adjacent stem pairs."""
    words = [s for w in text_norm.split()
             if w.isalpha() and len(w) >= 2 and w not in skip and (s := stem(w)) not in skip]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


class TitleLeaves:
    """Term -> how many products of each leaf have it in their title."""

    def __init__(self, titles: Sequence[str], leaves: Sequence[str]) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.n = 0
        step = -(-len(titles) // _MAX_TITLES) or 1  # every step-th product
        for title, leaf in zip(titles[::step], leaves[::step]):
            if not leaf:
                continue
            self.n += 1
            for term in set(terms(normalise(title or ""))):
                self.counts.setdefault(term, Counter())[leaf] += 1
        self._df = {t: sum(c.values()) for t, c in self.counts.items()}

    def df(self, term: str) -> int:
        """How many product titles (of the sample read) hold ``term``."""
        return self._df.get(term, 0)

    def shares(self, words: list[str]) -> tuple[dict[str, float], float]:
        """Each leaf's share of the evidence the terms ``words`` give, and the evidence in all (0 when none)."""
        total: Counter[str] = Counter()
        for term in dict.fromkeys(words):
            counts = self.counts.get(term)
            df = self._df.get(term, 0)
            if counts is None or df < _MIN_DF:
                continue
            weight = math.log(self.n / df) * max(counts.values()) / df  # rare, and used by one leaf: strong
            for leaf, k in counts.items():
                total[leaf] += weight * k / df
        mass = sum(total.values())
        return ({leaf: v / mass for leaf, v in total.items()} if mass else {}), mass
