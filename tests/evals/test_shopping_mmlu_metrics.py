"""Every Shopping MMLU metric against cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals.report import TaskScore, aggregate
from evals.shopping_mmlu import metrics
from evals.shopping_mmlu.data import Question
from evals.shopping_mmlu.scoring import score_questions, task_scores


def test_accuracy_reads_the_first_answer_character() -> None:
    assert metrics.accuracy(" 2", 2) == 1.0
    assert metrics.accuracy("2. Water Bottles", 2) == 1.0
    assert metrics.accuracy("3", 2) == 0.0
    assert metrics.accuracy("", 0) == 0.0
    assert metrics.accuracy("The answer is 2", 2) == 0.0  # the benchmark reads the first character only


def test_hit_rate_at_3_is_overlap_of_top3_over_truth_size() -> None:
    assert metrics.hit_rate_at_3("3, 1, 7", [1, 2, 3]) == pytest.approx(2 / 3)
    assert metrics.hit_rate_at_3("[5, 2, 9, 1]", [1, 2]) == pytest.approx(1 / 2)  # 1 is 4th: not counted
    assert metrics.hit_rate_at_3("2,1\nbecause ...", [1, 2]) == 1.0
    assert metrics.hit_rate_at_3("no idea", [1, 2]) == 0.0


def test_ndcg_uses_gain_two_to_the_relevance_minus_one() -> None:
    # relevance of candidates 1..2 = [0, 1]; ranking 1,2 puts the relevant one second: DCG = 1/log2(3), IDCG = 1
    assert metrics.ndcg([1, 2], [0.0, 1.0]) == pytest.approx(1 / math.log2(3))
    assert metrics.ndcg([2, 1], [0.0, 1.0]) == pytest.approx(1.0)
    # graded: rel [1, 0.1, 0]; ranking 3,2,1
    g = 2**0.1 - 1
    dcg = 0 + g / math.log2(3) + 1 / math.log2(4)
    idcg = 1 + g / math.log2(3)
    assert metrics.ndcg([3, 2, 1], [1.0, 0.1, 0.0]) == pytest.approx(dcg / idcg)
    assert metrics.ndcg_score("3, 2, 1", [1.0, 0.1, 0.0]) == pytest.approx(dcg / idcg)


def test_ndcg_out_of_range_repeats_and_no_relevance_never_exceed_bounds() -> None:
    assert metrics.ndcg([9, 2], [0.0, 1.0]) == pytest.approx(1 / math.log2(3))
    assert metrics.ndcg([1, 1, 1], [1.0, 0.0, 0.0]) == pytest.approx(1.0)  # counted once, never above 1
    assert metrics.ndcg([1, 2], [0.0, 0.0]) == 0.0
    assert metrics.ndcg_score("", [1.0, 0.5]) == 0.0


def test_micro_f1_sums_counts_over_the_task() -> None:
    a = metrics.tp_fp_fn("Nike, running shoes, red", ["Nike", "Running Shoes"])
    b = metrics.tp_fp_fn("adidas", ["Puma"])
    assert a == (2, 1, 0)
    assert b == (0, 1, 1)
    # tp 2, fp 2, fn 1: P = 1/2, R = 2/3, F1 = 4/7 (not the mean of per-question F1s)
    assert metrics.micro_f1([a, b]) == pytest.approx(4 / 7)
    assert metrics.micro_f1([(0, 0, 3)]) == 0.0


def test_rouge_l_is_the_lcs_f_measure() -> None:
    # LCS("the cat sat on the mat", "the cat on the mat") = 5: P = 5/6, R = 1, F = 10/11
    assert metrics.rouge_l("the cat sat on the mat", "the cat on the mat") == pytest.approx(10 / 11)
    assert metrics.rouge_l("", "the cat") == 0.0


def test_bleu_is_sacrebleu_on_the_first_line_lowercased() -> None:
    # n-gram precisions 5/6, 3/5, 2/4, 1/3, no brevity penalty: BLEU = (5/6 * 3/5 * 1/2 * 1/3) ** (1/4)
    expected = (5 / 6 * 3 / 5 * 1 / 2 * 1 / 3) ** 0.25
    assert metrics.bleu("the cat sat on the mat", "the cat sat on a mat") == pytest.approx(expected, abs=1e-4)
    assert metrics.bleu("The Cat Sat On The Mat\nextra words here", "the cat sat on the mat") == pytest.approx(1.0)


def test_jp_bleu_tokenizes_japanese_with_mecab() -> None:
    pytest.importorskip("MeCab")
    pytest.importorskip("ipadic")
    # MeCab: 東京|都|に|住ん|で|い|ます vs 東京|に|住ん|で|い|ます -> precisions 6/7, 4/6, 3/5, 2/4, no brevity penalty
    expected = (6 / 7 * 4 / 6 * 3 / 5 * 2 / 4) ** 0.25
    assert metrics.japanese_tokenizer() == "ja-mecab"
    assert metrics.bleu("東京都に住んでいます", "東京に住んでいます", japanese=True) == pytest.approx(expected, abs=1e-4)
    # whitespace tokenization would see one token each and score 0
    assert metrics.bleu("東京都に住んでいます", "東京に住んでいます") == 0.0


def _fake_encoder(vectors: dict[str, list[float]]) -> metrics.Encoder:
    return lambda texts: np.array([vectors[t] for t in texts], dtype=float)


def test_sentence_cosine_is_clipped_at_zero_and_averaged_over_references() -> None:
    enc = _fake_encoder({"g": [1, 0], "diag": [1, 1], "x": [1, 0], "y": [0, 1], "neg": [-1, 0]})
    scores = metrics.sent_transformer_scores(["g", "g", "g"], ["diag", ["x", "y"], "neg"], enc)
    assert scores == pytest.approx([1 / math.sqrt(2), 0.5, 0.0])


@pytest.mark.integration  # loads the real MiniLM (~10-30 s on 2 busy cores)
def test_minilm_scores_paraphrases_above_unrelated_text() -> None:
    enc = metrics.minilm_encoder()
    close, far = metrics.sent_transformer_scores(
        ["A blender mixes and purees food.", "The stock market fell today."],
        ["Blenders are kitchen appliances that blend food.", "Blenders are kitchen appliances that blend food."],
        enc)
    assert 0.5 < close <= 1.0
    assert far < close


def _q(task: str, track: str, metric: str, task_type: str, target: object) -> Question:
    return Question(input_field=f"{task} {target}", output_field=target, task_name=task, task_type=task_type,
                    metric=metric, track=track)


def test_task_skill_and_overall_aggregation() -> None:
    qs = [
        _q("mc", "A", "accuracy", "multiple-choice", 1), _q("mc", "A", "accuracy", "multiple-choice", 2),
        _q("ner", "A", "micro f1", "named_entity_recognition", ["x", "y"]),
        _q("ner", "A", "micro f1", "named_entity_recognition", ["z"]),
        _q("rank", "B", "ndcg", "ranking", [0.0, 1.0]),
    ]
    outputs = {qs[0].key: "1", qs[1].key: "0", qs[2].key: "x, y", qs[3].key: None, qs[4].key: "2,1"}
    scores = score_questions(qs, outputs)
    tasks = task_scores(qs, scores, [o is not None for o in outputs.values()])
    by = {t.task: t for t in tasks}
    assert by["mc"].score == 0.5
    # tp 2, fp 0, fn 0 + unanswered (fn 1): P = 1, R = 2/3 -> F1 = 0.8
    assert by["ner"].score == pytest.approx(0.8)
    assert by["ner"].answered == 1
    per_task, per_skill, overall = aggregate(tasks)
    assert per_skill == pytest.approx({"A": (0.5 + 0.8) / 2, "B": 1.0})
    assert overall == pytest.approx(((0.5 + 0.8) / 2 + 1.0) / 2)  # mean of skills, not of tasks


def test_aggregate_weights_skills_equally() -> None:
    tasks = [TaskScore(task="a", skill="S1", metric="accuracy", score=1.0, n=1, answered=1),
             TaskScore(task="b", skill="S1", metric="accuracy", score=0.0, n=1, answered=1),
             TaskScore(task="c", skill="S2", metric="accuracy", score=0.9, n=1, answered=1)]
    _, per_skill, overall = aggregate(tasks)
    assert per_skill == {"S1": 0.5, "S2": 0.9}
    assert overall == pytest.approx(0.7)
