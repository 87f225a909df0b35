"""One Shopping MMLU run: questions (a file, or generated from the catalog) -> answers -> scores -> report."""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from evals.report import SuiteResult, model_report_dir, write_report
from evals.shopping_mmlu import metrics
from evals.shopping_mmlu.data import Question, load_questions
from evals.shopping_mmlu.generate import CatalogSnapshot, generate_tasks
from evals.shopping_mmlu.runner import AnswerCache, RunStats, answer_questions
from evals.shopping_mmlu.scoring import SENT_METRICS, score_questions, task_scores
from core.config import Settings
from core.errors import ShopagentError
from core.llm.client import Endpoint, check_health

log = logging.getLogger(__name__)

SUITE = "shopping-mmlu"
ANSWERS_FILE = "answers.jsonl"
DEMO_PRODUCTS = 1000


def catalog_snapshot(settings: Settings) -> tuple[CatalogSnapshot, str]:
    """The loaded catalog of ``settings.data_dir``, or (when there is none) the seeded demo catalog in memory."""
    from tools.catalog.store import Catalog, catalog_dir

    try:
        catalog = Catalog.open(settings.data_dir)
        return CatalogSnapshot.from_catalog(catalog), f"generated from {catalog_dir(settings.data_dir)}"
    except ShopagentError:
        from tools.catalog.demo import generate_demo_catalog

        log.info("no catalog in %s: generating the tasks from the demo catalog", settings.data_dir)
        data = generate_demo_catalog(seed=0, n_products=DEMO_PRODUCTS)
        return CatalogSnapshot.from_data(data), f"generated from the demo catalog (seed 0, {DEMO_PRODUCTS} products)"


def load_or_generate(settings: Settings, data: Path | None, seed: int = 0,
                     per_task: int | None = None) -> tuple[list[Question], str]:
    """Questions from ``data``, or our generated task set from the catalog; with a description of the source."""
    if data is not None:
        return load_questions(data), str(data)
    snapshot, source = catalog_snapshot(settings)
    kwargs = {} if per_task is None else {"per_task": per_task}
    return generate_tasks(snapshot, seed=seed, **kwargs), f"{source}, seed {seed}"


def endpoint_for(settings: Settings, model: str | None) -> Endpoint:
    """``--model``: a served model name (at SHOPAGENT_LLM_URL), a base URL (``http://host:8000/v1``: its first
    model), or both (``http://host:8000/v1/NAME``, NAME may contain slashes)."""
    endpoint = Endpoint.from_settings(settings)
    if model:
        if model.startswith(("http://", "https://")):
            base, sep, name = model.partition("/v1/")
            endpoint = endpoint.model_copy(update={"base_url": base + "/v1" if sep else model.rstrip("/"),
                                                   "model": name or None})
        else:
            endpoint = endpoint.with_model(model)
    return check_health(endpoint)


@contextmanager
def eval_endpoint(settings: Settings, model: str | None, embedded: bool) -> Iterator[Endpoint]:
    """The endpoint to evaluate: the embedded model (``--embedded``) or the one ``--model`` names."""
    if embedded:
        if model:
            raise ShopagentError("--embedded evaluates the embedded model: leave out --model, or drop --embedded")
        from core.llm.serve import llm_endpoint

        with llm_endpoint(settings, embedded=True) as endpoint:
            yield endpoint
    else:
        yield endpoint_for(settings, model)


def notes_for(questions: Sequence[Question]) -> list[str]:
    notes = []
    metrics_used = {q.metric for q in questions}
    if "jp-bleu" in metrics_used and metrics.japanese_tokenizer() != "ja-mecab":
        notes.append("jp-bleu used character tokens: MeCab (sacrebleu[ja]) is not installed")
    if "multilingual-sent-transformer" in metrics_used:
        notes.append("multilingual-sent-transformer used all-MiniLM-L6-v2: paraphrase-multilingual-MiniLM-L12-v2 "
                     "is not available offline")
    return notes


def score_run(questions: Sequence[Question], outputs: dict[str, str | None], model: str, seconds: float,
              dataset: str, encoder: metrics.Encoder | None = None) -> SuiteResult:
    scores = score_questions(questions, outputs, encoder=encoder)
    answered = [outputs.get(q.key) is not None for q in questions]
    tasks = task_scores(questions, scores, answered)
    return SuiteResult.from_tasks(SUITE, model, tasks, seconds, dataset=dataset, notes=notes_for(questions))


def run_suite(
    questions: Sequence[Question], endpoint: Endpoint, reports: Path, dataset: str = "", concurrency: int = 16,
    fresh: bool = False, on_answer: Callable[[int], None] | None = None, encoder: metrics.Encoder | None = None,
) -> tuple[SuiteResult, RunStats, Path]:
    """Answer (resuming from the model's answer cache), score, and write the report directory."""
    if not questions:
        raise ShopagentError("no questions to ask: check --data and --limit")
    model = endpoint.model or "unknown"
    out_dir = model_report_dir(reports, SUITE, model)
    cache_path = out_dir / ANSWERS_FILE
    if fresh and cache_path.exists():
        cache_path.unlink()
    t0 = time.perf_counter()
    outputs, stats = asyncio.run(
        answer_questions(questions, endpoint, concurrency=concurrency, cache=AnswerCache(cache_path),
                         on_answer=on_answer))
    if any(q.metric in SENT_METRICS for q in questions) and encoder is None:
        encoder = metrics.minilm_encoder()
    result = score_run(questions, outputs, model, time.perf_counter() - t0, dataset, encoder=encoder)
    write_report(result, out_dir)
    return result, stats, out_dir
