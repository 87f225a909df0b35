"""Answer extraction and CRMArena's metrics."""

from __future__ import annotations

import pytest

from evals.crm.scoring import extract_answer, exact_match, pass_hat_k, score, token_f1


@pytest.mark.parametrize("reply,kind,expected", [
    ("Thought: done.\nFinal Answer: 005SA0000000012", "agent", "005SA0000000012"),
    ("The agent 005SA0000000003 was first, but the answer is 005SA0000000007.", "agent", "005SA0000000007"),
    ("Final Answer: a1MSA0000000004 (Late delivery)", "issue", "a1MSA0000000004"),
    ("Final Answer: None", "article", "None"), ("I could not tell.", "article", ""),
    ("No violation was found in this case.", "article", "None"), ("The product is 003SA0000000108.", "product", ""),
    ("Final Answer: the month is **march**.", "month", "March"), ("Answer: Oregon", "state", "OR"),
    ("Final Answer: WA", "state", "WA"), ("Final Answer: 30 days.", "text", "30 days."),
    (None, "agent", ""), ("Final Answer: 01tSA0000000002", "agent", ""),
])
def test_extract_answer(reply: str | None, kind: str, expected: str) -> None:
    assert extract_answer(reply, kind) == expected


def test_exact_match_normalises_and_none_matches_none() -> None:
    assert exact_match("March.", "march") == 1.0
    assert exact_match("None", None) == 1.0
    assert exact_match("April", None) == 0.0
    assert exact_match("", None) == 0.0  # a reply naming nothing is not an answer "None"
    assert score("Final Answer: nothing applies, None", None, "product", "exact_match")[0] == 1.0


def test_token_f1() -> None:
    assert token_f1("30 days", "30 days") == 1.0
    assert token_f1("within 30 days", "30 days") == pytest.approx(0.8)
    assert token_f1("forty", "30 days") == 0.0


def test_pass_hat_k() -> None:
    assert pass_hat_k([2, 0], trials=2, k=2) == 0.5
    assert pass_hat_k([1], trials=2, k=2) == 0.0
    assert pass_hat_k([1], trials=2, k=1) == 0.5
