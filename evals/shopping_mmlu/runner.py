"""Ask a model every question with bounded concurrency; answers are cached on disk as they arrive, so a run that
is interrupted resumes without asking again. Per-request work is kept to the request itself (the benchmark
`shopagent bench eval` holds it to a bare client's throughput)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Callable, Sequence

from pydantic import BaseModel

from evals.shopping_mmlu.data import Question
from evals.shopping_mmlu.prompts import request_params
from core.llm.client import Endpoint, async_openai_client

log = logging.getLogger(__name__)


class RunStats(BaseModel):
    questions: int = 0
    unique: int = 0
    cached: int = 0
    asked: int = 0
    errors: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


class AnswerCache:
    """Answers by question key in a JSON Lines file (one ``{"key", "output", "model"}`` a line, appended)."""

    def __init__(self, path: Path | None) -> None:
        self.path = Path(path) if path else None
        self.answers: dict[str, str] = {}
        self._file = None
        if self.path and self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                    self.answers[row["key"]] = row["output"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue  # a line cut by an interruption
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, output: str, model: str) -> None:
        self.answers[key] = output
        if self.path is None:
            return
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(json.dumps({"key": key, "output": output, "model": model}, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


async def answer_questions(
    questions: Sequence[Question], endpoint: Endpoint, concurrency: int = 16, cache: AnswerCache | None = None,
    on_answer: Callable[[int], None] | None = None,
) -> tuple[dict[str, str | None], RunStats]:
    """Answers by question key (``None`` where the request failed: it scores 0 and is asked again next run).

    ``on_answer(n)`` is called as answers arrive with the number of questions just answered (a progress bar's
    advance)."""
    cache = cache or AnswerCache(None)
    model = endpoint.model or ""
    stats = RunStats(questions=len(questions))
    by_key: dict[str, Question] = {}
    weight: dict[str, int] = {}
    for q in questions:
        by_key.setdefault(q.key, q)
        weight[q.key] = weight.get(q.key, 0) + 1
    stats.unique = len(by_key)
    outputs: dict[str, str | None] = {}
    pending = []
    for key, q in by_key.items():
        if key in cache.answers:
            outputs[key] = cache.answers[key]
            stats.cached += 1
        else:
            pending.append((key, request_params(q, model)))
    if on_answer and stats.cached:
        on_answer(sum(weight[k] for k in outputs))
    client = async_openai_client(endpoint, max_connections=max(concurrency, 1) * 2)
    queue = iter(pending)
    t0 = time.perf_counter()

    async def worker() -> None:
        for key, params in queue:  # a shared iterator: each item goes to one worker
            try:
                response = await client.chat.completions.create(**params)
                text = response.choices[0].message.content or ""
                if response.usage is not None:
                    stats.completion_tokens += response.usage.completion_tokens
                cache.put(key, text, model)
                outputs[key] = text
            except Exception as exc:  # every failure is one unanswered question, never the end of the run
                stats.errors += 1
                outputs[key] = None
                log.warning("question %s failed: %s", key, str(exc).splitlines()[0][:300] if str(exc) else exc)
            stats.asked += 1
            if on_answer:
                on_answer(weight[key])

    try:
        await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(pending))))))
    finally:
        stats.seconds = time.perf_counter() - t0
        cache.close()
        await client.close()
    return outputs, stats
