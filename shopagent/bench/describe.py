"""`shopagent bench describe`: our batch pipeline's throughput next to a bare async OpenAI client, plus quality.

Both arms run on the same vLLM server with the same first-draft prompts, the same JSON-schema response format,
the same token limits and the same concurrency; runs alternate (ours, bare, bare, ours, ...) so that load from
other processes falls on both, and the ratio is the median over rounds (5 by default) of each round's ours/bare
tok/s, reported with its min-max and verdict (``shopagent.bench.spread``). Ours is
the full pipeline as configured by default (facts, review snippets, constrained generation, clean-up, claim check,
removal of unsupported claims). Quality is scored on ours' first run against the
held-out catalog descriptions: ROUGE-L, BLEU, MiniLM cosine, and the unsupported-claim rate of first drafts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel
from rich.table import Table

from core.config import Settings
from core.llm.client import Endpoint, async_openai_client
from core.llm.serve import llm_endpoint
from shopagent.bench.spread import Spread, alternate, ratio_of
from tools.describe.batch import run_requests
from tools.describe.models import DescribeRequest, DescribeResult
from tools.describe.pipeline import Describer
from tools.describe.prompts import build_messages, max_tokens, response_format

log = logging.getLogger(__name__)

SCIENTIFIC = Path("amazon-scientific-2018") / "Scientific.item.json"


class BenchItem(BaseModel):
    request: DescribeRequest
    reference: str
    source: str


class DescribeBenchResult(BaseModel):
    items: int
    concurrency: int
    rounds: int
    tok_s_ours: float
    tok_s_bare: float
    ratio: float  # median over rounds of (ours tok/s / bare tok/s) of the two adjacent runs: robust to one noisy run
    pair_ratios: list[float]  # the per-round ratios (the same as spread.ratios)
    spread: Spread  # median, min, max and verdict of the per-round ratios
    unsupported_claim_rate: float
    unsupported_after_check: float
    regenerated_share: float
    rougeL: float  # noqa: N815
    bleu: float
    cosine: float | None
    errors: int
    sources: dict[str, int]
    model: str
    delivered: float = 0.0  # share of products with copy (the rest are flagged with their error, never dropped)
    copy_defects: dict[str, float] = {}  # the reply check's defect kinds, as a share of delivered copies

    def as_table(self) -> Table:
        table = Table(title=f"describe: {self.items} items, concurrency {self.concurrency} ({self.model})")
        for col in ("tok/s ours", "tok/s bare", "ratio (median)", "min-max", "verdict", "per-round ratios",
                    "unsupported (draft)", "unsupported (final)", "ROUGE-L", "BLEU", "cosine", "errors"):
            table.add_column(col)
        table.add_row(f"{self.tok_s_ours:.1f}", f"{self.tok_s_bare:.1f}", f"{self.ratio:.3f}",
                      f"{self.spread.min:.3f}-{self.spread.max:.3f}", self.spread.verdict,
                      ", ".join(f"{r:.2f}" for r in self.spread.ratios),
                      f"{self.unsupported_claim_rate:.1%}", f"{self.unsupported_after_check:.1%}",
                      f"{self.rougeL:.3f}", f"{self.bleu:.2f}", "-" if self.cosine is None else f"{self.cosine:.3f}",
                      str(self.errors))
        return table


def scientific_items(datasets_dir: Path, n: int, seed: int = 0) -> list[BenchItem]:
    """Raw attribute records (title, brand, category) from Amazon Scientific; the description is held out."""
    path = datasets_dir / SCIENTIFIC
    if not path.exists() or n <= 0:
        return []
    items = json.loads(path.read_text())
    keys = sorted((k for k, v in items.items() if 150 <= len(v.get("description") or "") <= 800
                   and v.get("title") and v.get("brand")), key=int)
    chosen = random.Random(seed).sample(keys, min(n, len(keys)))
    out = []
    for k in chosen:
        v = items[k]
        record = {"id": f"sci-{k}", "title": v["title"].strip(), "brand": v["brand"],
                  "category": v.get("categories", "").split(",")[-1].strip()}
        out.append(BenchItem(request=DescribeRequest(record=record), reference=v["description"], source="scientific"))
    return out


def demo_items(catalog, n: int) -> list[BenchItem]:  # noqa: ANN001 - tools.catalog.store.Catalog
    """Demo catalog products by id (attributes, features, reviews); their catalog description is held out."""
    return [BenchItem(request=DescribeRequest(product_id=p.id), reference=p.description, source="demo")
            for p in catalog.products()[:n]]


async def _run_ours(describer: Describer, requests: list[DescribeRequest], concurrency: int
                    ) -> tuple[list[DescribeResult], float]:
    results: list[DescribeResult] = []
    t0 = time.perf_counter()
    await run_requests(describer, requests, concurrency, results.append)
    return results, time.perf_counter() - t0


async def _run_bare(endpoint: Endpoint, prompts: list[tuple[list[dict[str, str]], int, str]], concurrency: int
                    ) -> tuple[int, float]:
    """The baseline: the same prompts through a bare async client, ``concurrency`` in flight."""
    client = async_openai_client(endpoint)
    queue = list(reversed(prompts))
    tokens = 0

    async def worker() -> None:
        nonlocal tokens
        while queue:
            messages, limit, length = queue.pop()
            response = await client.chat.completions.create(
                model=endpoint.model, messages=messages, max_tokens=limit, temperature=0.0,
                response_format=response_format(length),
            )
            tokens += response.usage.completion_tokens if response.usage else 0

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    await client.close()
    return tokens, elapsed


async def _bench(endpoint: Endpoint, describer: Describer, items: list[BenchItem], concurrency: int,
                 rounds: int) -> tuple[list[DescribeResult], dict[str, float], list[float]]:
    """``rounds`` alternating rounds (ours, bare / bare, ours, ...): (ours' first results, summed tokens and seconds
    per arm, each round's ours/bare tok/s)."""
    requests = [it.request for it in items]
    prompts = []
    for r in requests:
        facts = describer.facts_for(r)
        prompts.append((build_messages(r, facts), max_tokens(r), r.length))
    await _run_bare(endpoint, prompts[:2], 2)  # warm-up: grammar compilation, prefix cache of the system prompt
    totals: dict[str, float] = {"ours_tokens": 0.0, "ours_s": 0.0, "bare_tokens": 0.0, "bare_s": 0.0}
    first: list[DescribeResult] = []
    ratios: list[float] = []
    for i in range(rounds):
        rates: dict[str, float] = {}
        for arm in alternate(i, "ours", "bare"):
            if arm == "ours":
                results, elapsed = await _run_ours(describer, requests, concurrency)
                first = first or results
                tokens = sum(r.completion_tokens for r in results)
            else:
                tokens, elapsed = await _run_bare(endpoint, prompts, concurrency)
            log.info("%s: %d tokens in %.1f s = %.1f tok/s", arm, tokens, elapsed, tokens / elapsed)
            totals[f"{arm}_tokens"] += tokens
            totals[f"{arm}_s"] += elapsed
            rates[arm] = tokens / elapsed
        ratios.append(ratio_of(rates["ours"], rates["bare"]))
    await describer.aclose()
    return first, totals, ratios


def run_describe_bench(settings: Settings, embedded: bool, n_items: int = 16, concurrency: int = 16,
                       rounds: int = 5, datasets_dir: Path | None = None, with_cosine: bool = True
                       ) -> DescribeBenchResult:
    """Throughput ratio (ours / bare, side by side) and quality on demo products and Amazon Scientific records."""
    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import Catalog, write_catalog
    from evals.describe.metrics import copy_text, embedding_cosine, minilm_embedder, rouge_l
    from evals.describe.metrics import bleu as bleu_score

    datasets_dir = datasets_dir or Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
    with tempfile.TemporaryDirectory(prefix="describe-bench-") as tmp:
        write_catalog(Path(tmp), generate_demo_catalog(seed=0, n_products=120))
        catalog = Catalog.open(Path(tmp))
        sci = scientific_items(datasets_dir, n_items // 2)
        items = demo_items(catalog, n_items - len(sci)) + sci
        with llm_endpoint(settings, embedded=embedded) as endpoint:
            describer = Describer.open(endpoint, catalog=catalog)
            results, totals, ratios = asyncio.run(_bench(endpoint, describer, items, concurrency, rounds))
    by_key = {r.product_id: r for r in results}
    pairs = [(by_key[it.request.key], it.reference) for it in items
             if it.request.key in by_key and by_key[it.request.key].product_copy is not None]
    preds = [copy_text(r.product_copy) for r, _ in pairs]
    refs = [ref for _, ref in pairs]
    drafts = [c for r in results for c in r.claims]
    finals = [c for r in results for c in r.final_claims]
    tok_ours = totals["ours_tokens"] / totals["ours_s"]
    tok_bare = totals["bare_tokens"] / totals["bare_s"]
    spread = Spread.of(ratios)
    cosine = embedding_cosine(preds, refs, minilm_embedder()) if with_cosine and preds else None
    sources: dict[str, int] = {}
    for it in items:
        sources[it.source] = sources.get(it.source, 0) + 1
    return DescribeBenchResult(
        items=len(items), concurrency=concurrency, rounds=rounds, tok_s_ours=round(tok_ours, 2),
        tok_s_bare=round(tok_bare, 2), ratio=spread.median, pair_ratios=spread.ratios, spread=spread,
        unsupported_claim_rate=round(sum(not c.supported for c in drafts) / max(1, len(drafts)), 4),
        unsupported_after_check=round(sum(not c.supported for c in finals) / max(1, len(finals)), 4),
        regenerated_share=round(sum(r.regenerated for r in results) / max(1, len(results)), 4),
        rougeL=round(rouge_l(preds, refs), 4), bleu=round(bleu_score(preds, refs), 3),
        cosine=None if cosine is None else round(cosine, 4), errors=sum(bool(r.errors) for r in results),
        sources=sources, model=endpoint.model or "?",
        delivered=round(sum(r.product_copy is not None for r in results) / max(1, len(results)), 4),
        copy_defects=copy_defect_rates(describer, items, results),
    )


def copy_defect_rates(describer: Describer, items: list[BenchItem], results: list[DescribeResult]
                      ) -> dict[str, float]:
    """The shopper's check (``agent.grounding``) over each delivered copy: unsupported claims by the claim checker,
    figures, echoes, repeats, cut-offs and off-topic text by the reply check, as a share of delivered copies."""
    from agent.grounding import DEFECT_KINDS, Checker
    from tools.describe.claims import split_claims

    by_key = {it.request.key: it.request for it in items}
    counts = dict.fromkeys(DEFECT_KINDS, 0)
    delivered = [r for r in results if r.product_copy is not None]
    for r in delivered:
        facts = describer.facts_for(by_key[r.product_id])
        product = {"position": 1, "id": facts.product_id, "title": facts.title, "brand": facts.brand,
                   "category": facts.category, "price": facts.price, "attributes": facts.attributes}
        lines = [f"{k}: {v}" for k, v in facts.attributes.items()] + facts.features + [
            s.text for s in facts.snippets] + [f"keyword: {k}" for k in facts.keywords]
        checker = Checker({"products": [product], "description": " ".join(lines)})
        kinds = {d.kind for where, text in split_claims(r.product_copy) if where != "title"
                 for d in checker.prose(text) if d.kind in ("scaffold", "repeated", "off_topic_answered")
                 or (d.kind == "truncated" and where == "description")}  # a bullet is a phrase, not a sentence
        if any(not c.supported for c in r.final_claims):
            kinds.add("unsupported_claims")
        for kind in kinds:
            counts[kind] += 1
    return {k: round(v / max(1, len(delivered)), 4) for k, v in counts.items()}
