"""Requests as the benchmark makes them: the shopping-assistant system prompt, then the question's own text.

Multiple choice is answered with ONE token, restricted by guided decoding (vLLM structured outputs) to the
choice labels the question lists; every other task type gets up to 100 tokens. Greedy decoding throughout.
"""

from __future__ import annotations

import re
from typing import Any

from evals.shopping_mmlu.data import Question

SYSTEM_PROMPT = (
    "You are a helpful online shopping assistant. Please answer the following question about online shopping "
    "and follow the given instructions.\n\n"
)
MC_MAX_TOKENS = 1
OPEN_MAX_TOKENS = 100

_CHOICE_LINE = re.compile(r"^\s*\(?(\d{1,2})[.)]\s", re.MULTILINE)


def choice_labels(question: Question) -> list[str]:
    """The labels a multiple-choice question offers ('0'..'3' as listed in its text; '1'..'5' for ratings)."""
    if "1 to 5" in question.input_field or "review_rating" in question.task_name:
        return ["1", "2", "3", "4", "5"]
    labels = list(dict.fromkeys(_CHOICE_LINE.findall(question.input_field)))
    return labels if len(labels) >= 2 else ["0", "1", "2", "3"]


def messages(question: Question) -> list[dict[str, str]]:
    """Chat messages: the benchmark's system prompt, then the question text unchanged."""
    return [
        {"role": "system", "content": SYSTEM_PROMPT.strip()},
        {"role": "user", "content": question.input_field},
    ]


def request_params(question: Question, model: str) -> dict[str, Any]:
    """Keyword arguments for ``client.chat.completions.create`` (the runner and the bare baseline share them)."""
    params: dict[str, Any] = {"model": model, "messages": messages(question), "temperature": 0.0}
    if question.task_type == "multiple-choice":
        params["max_tokens"] = MC_MAX_TOKENS
        params["extra_body"] = {"structured_outputs": {"choice": choice_labels(question)}}
    else:
        params["max_tokens"] = OPEN_MAX_TOKENS
    return params
