"""The keyword index built over flat token arrays is bm25s's own BM25, faster."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.search.keyword import KeywordIndex, Vocabulary

TEXTS = ["waterproof hiking jacket", "hiking boots waterproof waterproof leather", "red kettle",
         "stainless kettle with a whistle", "kids hiking backpack", "jacket", "lamp lamp lamp desk",
         "wireless speaker for hiking trips and camping"]


def _flat(texts: list[str]) -> tuple[np.ndarray, np.ndarray, Vocabulary, list[list[int]]]:
    vocab = Vocabulary()
    docs = [vocab.encode(t) for t in texts]
    offsets = np.cumsum([0] + [len(d) for d in docs]).astype(np.int64)
    return np.array([t for d in docs for t in d], dtype=np.int32), offsets, vocab, docs


def test_the_flat_build_scores_every_query_as_bm25s_does(tmp_path: Path) -> None:
    import bm25s

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(60)]
    texts = TEXTS + [" ".join(rng.choice(words, int(rng.integers(1, 15)))) for _ in range(300)]
    flat, offsets, vocab, docs = _flat(texts)
    ours = KeywordIndex.build_from_flat(flat, offsets, vocab.ids)
    theirs = bm25s.BM25()
    theirs.index((docs, dict(vocab.ids)), show_progress=False)
    for q in ["hiking", "waterproof jacket", "kettle lamp", "w3 w7 w11", "w59", "speaker camping w0"]:
        ids = ours.query_ids(q)
        np.testing.assert_allclose(ours.retriever.get_scores_from_ids(ids), theirs.get_scores_from_ids(ids),
                                   rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25")
    np.testing.assert_array_equal(loaded.scores("waterproof hiking"), ours.scores("waterproof hiking"))
    top = np.argsort(-ours.scores("waterproof hiking"))[:2]
    assert set(top.tolist()) == {0, 1}


def test_a_document_with_repeated_words_scores_higher_for_them_but_not_without_limit() -> None:
    flat, offsets, vocab, _ = _flat(["lamp", "lamp lamp", "lamp lamp lamp lamp lamp lamp lamp lamp", "desk"])
    s = KeywordIndex.build_from_flat(flat, offsets, vocab.ids).scores("lamp")
    assert s[1] > s[0] and s[3] == 0.0
    assert s[2] < 2 * s[0]  # term frequency saturates (k1), document length is normalised (b)
