"""The keyword side: BM25 (bm25s) over stemmed product texts, scores for every product in one sparse pass."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have i if in into is it its of on or so such that the their then "
    "there these they this to was were will with my me do does can could would should what which who how any "
    "you your we our us".split()
)


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202
    import Stemmer

    return Stemmer.Stemmer("english")


def tokens(text: str) -> list[str]:
    words = [w.replace("'", "") for w in _TOKEN.findall(text.lower())]
    return _stemmer().stemWords([w for w in words if w not in STOPWORDS])


class KeywordIndex:
    """A bm25s index whose document i is product row i."""

    def __init__(self, retriever) -> None:  # noqa: ANN001 - bm25s.BM25
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict
        self.n_docs = int(retriever.scores["num_docs"])

    @classmethod
    def build(cls, texts: Sequence[str]) -> "KeywordIndex":
        import bm25s

        corpus = [tokens(t) or ["__empty__"] for t in texts]
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        return cls(retriever)

    @classmethod
    def build_from_ids(cls, docs: Sequence[Sequence[int]], vocab: dict[str, int]) -> "KeywordIndex":
        """The index of documents already tokenised into ids of ``vocab`` (see ``Vocabulary``)."""
        import bm25s

        retriever = bm25s.BM25()
        retriever.index(([list(d) for d in docs], dict(vocab)), show_progress=False)
        return cls(retriever)

    def save(self, path: Path) -> None:
        self.retriever.save(str(path))

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(path)))

    def query_ids(self, text: str) -> list[int]:
        return [self.vocab[t] for t in tokens(text) if t in self.vocab]

    def scores(self, text: str) -> np.ndarray | None:
        """BM25 score of every document (None when no query word is in the index)."""
        ids = self.query_ids(text)
        if not ids:
            return None
        return self.retriever.get_scores_from_ids(ids)


class Vocabulary:
    """Token -> id, grown as documents are added: lets a rebuild reuse the token ids of unchanged documents."""

    def __init__(self, tokens: Sequence[str] = ()) -> None:
        self.ids: dict[str, int] = {t: i for i, t in enumerate(tokens)}

    def encode(self, text: str) -> list[int]:
        out = []
        for t in tokens(text) or ["__empty__"]:
            i = self.ids.get(t)
            if i is None:
                i = self.ids[t] = len(self.ids)
            out.append(i)
        return out

    def tokens(self) -> list[str]:
        return list(self.ids)
