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
    def build_from_flat(cls, flat: np.ndarray, offsets: np.ndarray, vocab: dict[str, int]) -> "KeywordIndex":
        """The index of documents already tokenised into ids of ``vocab`` (see ``Vocabulary``): document i is
        ``flat[offsets[i]:offsets[i + 1]]``.

        By hand because bm25s's own build walks the corpus document by document in Python (about 40 s for a million
        products, the bulk of a 1% catalog update); this computes its default (Lucene) BM25 matrix over the flat
        arrays in one pass and hands it to bm25s, which scores, saves and loads it as its own
        (tests/search/test_keyword.py compares the two)."""
        import bm25s
        import scipy.sparse as sp

        retriever = bm25s.BM25()
        if (retriever.method, retriever.idf_method) != ("lucene", "lucene"):
            raise ValueError(f"build_from_flat computes Lucene BM25, not {retriever.method}/{retriever.idf_method}")
        n_docs, n_vocab = len(offsets) - 1, len(vocab)
        lengths = np.diff(offsets)
        docs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # duplicates summed: each stored value is a term frequency, each column a token, its length the token's df
        m = sp.csc_matrix((np.ones(len(flat), dtype=np.float32), (docs, np.asarray(flat, dtype=np.int64))),
                          shape=(n_docs, n_vocab), dtype=np.float32)
        m.sum_duplicates()
        df = np.diff(m.indptr)
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = m.data
        norm = retriever.k1 * ((1 - retriever.b) + retriever.b * lengths[m.indices] / max(float(lengths.mean()), 1e-9))
        m.data = (np.repeat(idf, df) * (tf / (norm + tf))).astype(np.float32)
        retriever.scores = {"data": m.data, "indices": m.indices.astype(np.int32), "indptr": m.indptr,
                            "num_docs": n_docs}
        retriever.vocab_dict = dict(vocab)
        if "" not in retriever.vocab_dict:  # as bm25s.BM25.index leaves it
            retriever.vocab_dict[""] = max(retriever.vocab_dict.values(), default=-1) + 1
        retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
        retriever.nonoccurrence_array = None
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
