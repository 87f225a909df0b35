"""Readers of the official formats, request building, and parsers that never crash on malformed answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.shopping_mmlu import parsers
from evals.shopping_mmlu.data import Question, limit_per_task, load_questions, skill_label
from evals.shopping_mmlu.prompts import SYSTEM_PROMPT, choice_labels, request_params
from evals.shopping_mmlu.scoring import score_questions
from core.errors import ShopagentError

ROWS = [
    {"input_field": "Which category fits 'trail shoes'?\n0. Socks\n1. Running Shoes\n2. Tents\n3. Knives\nAnswer: ",
     "output_field": 1, "task_name": "task1", "task_type": "multiple-choice", "metric": "accuracy",
     "is_multiple_choice": True, "track": "amazon-kdd-cup-24-understanding-shopping-concepts"},
    {"input_field": "Pick 3 of:\n1. a\n2. b\n3. c\n4. d\nOutput: ", "output_field": [1, 3], "task_name": "task2",
     "task_type": "retrieval", "metric": "hit rate@3", "is_multiple_choice": False,
     "track": "amazon-kdd-cup-24-user-behavior-alignment"},
    {"input_field": "Rank:\n1. a\n2. b\nOutput: ", "output_field": [0.1, 1.0], "task_name": "task3",
     "task_type": "ranking", "metric": "ndcg", "is_multiple_choice": False,
     "track": "amazon-kdd-cup-24-user-behavior-alignment"},
    {"input_field": "Extract brands from 'nike shoes'.\nOutput: ", "output_field": ["nike"], "task_name": "task4",
     "task_type": "named_entity_recognition", "metric": "micro f1", "is_multiple_choice": False,
     "track": "amazon-kdd-cup-24-understanding-shopping-concepts"},
    {"input_field": "Translate 'red shoes' into Japanese.\nOutput: ", "output_field": "赤い靴", "task_name": "task5",
     "task_type": "generation", "metric": "jp-bleu", "is_multiple_choice": False,
     "track": "amazon-kdd-cup-24-multi-lingual-abilities"},
]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_reads_skill_wise_jsonl_keeping_target_types(tmp_path: Path) -> None:
    qs = load_questions(_jsonl(tmp_path / "dev.json", ROWS))
    assert [q.task_type for q in qs] == [r["task_type"] for r in ROWS]
    assert qs[0].output_field == 1 and qs[1].output_field == [1, 3] and qs[4].output_field == "赤い靴"
    assert skill_label(qs[1].track) == "user behavior alignment"


def test_reads_task_wise_layout(tmp_path: Path) -> None:
    (tmp_path / "multiple_choice").mkdir()
    (tmp_path / "multiple_choice" / "product_type_dataset.csv").write_text(
        'question,choices,answer\n"What is a kettle?","[\'appliance\', \'fruit\', \'car\', \'song\']",0\n')
    (tmp_path / "ranking").mkdir()
    _jsonl(tmp_path / "ranking" / "query_ranking_dataset.json",
           [{"input_field": "Rank:\n1. a\n2. b\nOutput: ", "target_field": [1.0, 0.0]}])
    qs = load_questions(tmp_path)
    mc = next(q for q in qs if q.task_type == "multiple-choice")
    assert mc.task_name == "product_type" and mc.output_field == 0 and mc.metric == "accuracy"
    assert mc.input_field.endswith("\n0. appliance\n1. fruit\n2. car\n3. song\nAnswer: ")
    rk = next(q for q in qs if q.task_type == "ranking")
    assert rk.task_name == "query_ranking" and rk.metric == "ndcg" and rk.output_field == [1.0, 0.0]


def test_bad_files_raise_one_readable_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"input_field": "x"\n')
    with pytest.raises(ShopagentError, match="bad.jsonl:1 is not valid JSON"):
        load_questions(bad)
    with pytest.raises(ShopagentError, match="no evaluation data"):
        load_questions(tmp_path / "missing.jsonl")
    wrong = _jsonl(tmp_path / "wrong.jsonl", [{"input_field": "x", "output_field": 1, "task_name": "t",
                                               "task_type": "essay"}])
    with pytest.raises(ShopagentError, match="wrong.jsonl row 1: not a ShopBench question"):
        load_questions(wrong)


def test_limit_keeps_every_task() -> None:
    qs = [Question(input_field=f"q{i}", output_field=0, task_name=f"t{i % 3}", task_type="multiple-choice",
                   metric="accuracy") for i in range(9)]
    limited = limit_per_task(qs, 2)
    assert len(limited) == 6 and {q.task_name for q in limited} == {"t0", "t1", "t2"}


def test_multiple_choice_is_one_guided_token_over_the_listed_labels() -> None:
    mc = Question.model_validate(ROWS[0])
    params = request_params(mc, "m")
    assert params["max_tokens"] == 1 and params["temperature"] == 0.0
    assert params["extra_body"] == {"structured_outputs": {"choice": ["0", "1", "2", "3"]}}
    assert params["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT.strip()}
    assert params["messages"][1]["content"] == mc.input_field
    rating = mc.model_copy(update={"input_field": "Rate this review on a scale of 1 to 5.\nAnswer: "})
    assert choice_labels(rating) == ["1", "2", "3", "4", "5"]
    other = request_params(Question.model_validate(ROWS[1]), "m")
    assert other["max_tokens"] == 100 and "extra_body" not in other


@pytest.mark.parametrize("garbage", ["", "\n\n", "I cannot answer that.", "[", "x,,-3, 99999999999999999999",
                                     "一、二、三", "None"])
def test_malformed_answers_score_zero_and_never_raise(garbage: str) -> None:
    qs = [Question.model_validate(r) for r in ROWS]
    scores = score_questions(qs, {q.key: garbage for q in qs})
    assert scores[0] == 0.0 and scores[1] == 0.0 and scores[2] == 0.0
    assert scores[3][0] == 0  # no true positive
    assert 0.0 <= scores[4] <= 1.0


def test_parsers_pick_the_first_line_and_skip_non_numbers() -> None:
    assert parsers.parse_int_list("\n[3, 1, x, 2]\n4, 5") == [3, 1, 2]
    assert parsers.parse_entities(" Nike , ,Running Shoes\nmore") == ["nike", "running shoes"]
    assert parsers.parse_choice("  3") == "3"
