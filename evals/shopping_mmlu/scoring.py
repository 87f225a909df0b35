"""Answers -> scores: per question, per task (mean, or micro-F1), per skill (mean of its tasks), overall."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Callable, Mapping, Sequence

from evals.report import TaskScore, choice_chance
from evals.shopping_mmlu import metrics
from evals.shopping_mmlu.data import Question

log = logging.getLogger(__name__)

SENT_METRICS = ("sent-transformer", "multilingual-sent-transformer")


def _safe(fn: Callable[[], float], question: Question) -> float:
    try:
        return float(fn())
    except Exception as exc:  # a malformed answer or target scores 0, never stops the run
        log.warning("scoring %s (%s) failed: %s", question.task_name, question.metric, exc)
        return 0.0


def sample_score(question: Question, output: str) -> float | tuple[int, int, int]:
    """One question's score (``(tp, fp, fn)`` for micro-F1). Sentence-embedding metrics go through
    :func:`score_questions`, which batches the encoder."""
    truth = question.output_field
    m = question.metric
    if m == "accuracy":
        return _safe(lambda: metrics.accuracy(output, truth), question)
    if m == "hit rate@3":
        return _safe(lambda: metrics.hit_rate_at_3(output, [int(t) for t in truth]), question)
    if m == "ndcg":
        return _safe(lambda: metrics.ndcg_score(output, [float(t) for t in truth]), question)
    if m == "micro f1":
        try:
            return metrics.tp_fp_fn(output, [str(t) for t in truth])
        except Exception as exc:
            log.warning("scoring %s failed: %s", question.task_name, exc)
            return (0, 0, len(truth) if isinstance(truth, list) else 1)
    if m == "rougel":
        return _safe(lambda: metrics.rouge_l(output, truth), question)
    if m == "bleu":
        return _safe(lambda: metrics.bleu(output, truth), question)
    if m == "jp-bleu":
        return _safe(lambda: metrics.bleu(output, truth, japanese=True), question)
    raise ValueError(f"metric {m!r} needs the batched encoder")


def score_questions(questions: Sequence[Question], outputs: Mapping[str, str | None],
                    encoder: metrics.Encoder | None = None) -> list[float | tuple[int, int, int]]:
    """Scores in question order; a question without an answer (``None``) scores 0."""
    scores: list[float | tuple[int, int, int] | None] = [None] * len(questions)
    sent_idx = []
    for i, q in enumerate(questions):
        out = outputs.get(q.key)
        if q.metric in SENT_METRICS:
            sent_idx.append(i)
        elif out is None:
            scores[i] = (0, 0, len(q.output_field) if isinstance(q.output_field, list) else 1) \
                if q.metric == "micro f1" else 0.0
        else:
            scores[i] = sample_score(q, out)
    answered_sent = [i for i in sent_idx if outputs.get(questions[i].key) is not None]
    for i in sent_idx:
        scores[i] = 0.0
    if answered_sent:
        encode = encoder or metrics.minilm_encoder()
        try:
            values = metrics.sent_transformer_scores(
                [outputs[questions[i].key] or "" for i in answered_sent], [questions[i].output_field for i in answered_sent],
                encode)
            for i, v in zip(answered_sent, values):
                scores[i] = v
        except Exception as exc:
            log.warning("sentence-embedding scoring failed, those answers score 0: %s", exc)
    return scores  # type: ignore[return-value]


def task_scores(questions: Sequence[Question], scores: Sequence[float | tuple[int, int, int]],
                answered: Sequence[bool]) -> list[TaskScore]:
    """Per task: mean of its questions' scores (micro-F1 from summed counts), in first-seen task order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        groups[q.task_name].append(i)
    out = []
    for task, idx in groups.items():
        first = questions[idx[0]]
        if first.metric == "micro f1":
            value = metrics.micro_f1([scores[i] for i in idx])  # type: ignore[misc]
        else:
            value = sum(float(scores[i]) for i in idx) / len(idx)  # type: ignore[arg-type]
        chance = choice_chance(questions[i].input_field for i in idx) if first.is_multiple_choice else None
        out.append(TaskScore(task=task, skill=first.track or "unspecified", metric=first.metric, score=value,
                             n=len(idx), answered=sum(1 for i in idx if answered[i]), task_type=first.task_type,
                             chance=round(chance, 4) if chance is not None else None))
    return out
