"""`shopagent describe` (one product, or a batch to JSON Lines) and `shopagent bench describe`."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)


def _open_engine(s):  # noqa: ANN001, ANN202 - the search engine when an index is built, else None
    try:
        from tools.search.engine import SearchEngine

        return SearchEngine.open(s)
    except (ImportError, ShopagentError) as exc:
        log.info("no search engine (%s): review snippets are ranked from the catalog", exc)
        return None


def _select_ids(catalog, all_products: bool, category: Optional[str]) -> list[str]:  # noqa: ANN001
    frame = catalog.frame()
    if category:
        c = category.lower()
        mask = (frame["category"].str.lower() == c) | frame["category_path"].str.lower().str.contains(c, regex=False)
        ids = frame.loc[mask, "id"].tolist()
        if not ids:
            raise ShopagentError(f"no product in category {category!r}: see `shopagent data` for the categories")
        return ids
    return frame["id"].tolist() if all_products else []


def _show(result) -> None:  # noqa: ANN001 - DescribeResult
    copy = result.product_copy
    console.print(f"[bold]{copy.title}[/]")
    for b in copy.bullets:
        console.print(f"  • {b}")
    console.print(copy.description)
    console.print(f"[dim]SEO: {', '.join(copy.seo_keywords)}[/]")
    bad = [c for c in result.claims if not c.supported]
    console.print(f"[dim]{len(result.claims)} claims checked, {len(bad)} unsupported"
                  f"{' (regenerated)' if result.regenerated else ''}; removed {len(result.removed)}; "
                  f"review snippets cited: {', '.join(result.cited_snippets) or 'none'}[/]")
    for c in bad:
        console.print(f"  [yellow]✗[/] {c.text}  [dim]({'; '.join(c.evidence)})[/]")


def describe(
    product_id: Optional[str] = typer.Argument(None, help="Product id to describe."),
    all_products: bool = typer.Option(False, "--all", help="Describe every product (needs --out)."),
    category: Optional[str] = typer.Option(None, help="Describe every product of a category (needs --out)."),
    out: Optional[Path] = typer.Option(None, help="Batch output, JSON Lines; ids already there are skipped."),
    record: Optional[str] = typer.Option(None, help='A raw attribute record as JSON instead of an id: '
                                                    '\'{"title": ..., "material": ...}\'.'),
    tone: str = typer.Option("neutral", help="neutral | playful | premium | technical."),
    keywords: Optional[str] = typer.Option(None, help="Marketing keywords, comma-separated."),
    length: str = typer.Option("medium", help="short | medium | long."),
    language: str = typer.Option("English", help="Language of the copy."),
    on_unsupported: str = typer.Option("remove", help="remove | regenerate (once, then remove) | flag."),
    concurrency: int = typer.Option(16, help="Requests in flight in batch mode (vLLM batches them)."),
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Write product copy (title, bullets, description, SEO keywords) grounded in the catalog, claims checked."""
    import asyncio

    from pydantic import ValidationError

    from core.llm.serve import llm_endpoint
    from tools.catalog.store import Catalog
    from tools.describe import DescribeRequest, Describer

    s = settings()
    batch = all_products or category is not None
    if batch and out is None:
        raise ShopagentError("--all/--category write a batch: give --out FILE.jsonl")
    if not batch and (product_id is None) == (record is None):
        raise ShopagentError("give a PRODUCT_ID, --record JSON, --all or --category X")
    options = dict(tone=tone, length=length, language=language, on_unsupported=on_unsupported,
                   keywords=[k.strip() for k in (keywords or "").split(",") if k.strip()])
    try:
        DescribeRequest(product_id="x", **options)
        parsed_record = json.loads(record) if record else None
    except ValidationError as exc:
        raise ShopagentError(f"bad option: {exc.errors()[0]['loc'][-1]}: {exc.errors()[0]['msg']}") from None
    except json.JSONDecodeError as exc:
        raise ShopagentError(f"--record is not JSON ({exc.msg}): pass an object of attribute name -> value") from None
    catalog = Catalog.open(s.data_dir) if (batch or product_id) else None
    engine = _open_engine(s) if catalog is not None else None

    if not batch:
        request = (DescribeRequest(product_id=product_id, **options) if product_id
                   else DescribeRequest(record={k: str(v) for k, v in parsed_record.items()}, **options))
        with llm_endpoint(s, embedded=embedded) as endpoint:
            async def one():  # noqa: ANN202
                describer = Describer.open(endpoint, catalog=catalog, engine=engine)
                try:
                    return await describer.describe(request)
                finally:
                    await describer.aclose()

            result = asyncio.run(one())
        if result.errors:
            raise ShopagentError(result.errors[0])
        if json_out:
            print_json(result.model_dump())
        else:
            _show(result)
        return

    _describe_batch(s, catalog, engine, _select_ids(catalog, all_products, category), out, options, concurrency,
                    embedded, json_out)


def _describe_batch(s, catalog, engine, ids, out, options, concurrency, embedded, json_out) -> None:  # noqa: ANN001
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from core.llm.serve import llm_endpoint
    from tools.describe import DescribeRequest, Describer, describe_batch

    requests = [DescribeRequest(product_id=pid, **options) for pid in ids]
    with llm_endpoint(s, embedded=embedded) as endpoint, Progress(
        TextColumn("describe"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failed"),
        TimeRemainingColumn(), console=console,
    ) as progress:
        task = progress.add_task("describe", total=len(requests), failed=0)
        failed = 0

        def on_result(result) -> None:  # noqa: ANN001
            nonlocal failed
            failed += bool(result.errors)
            progress.update(task, advance=1, failed=failed)

        async def run():  # noqa: ANN202
            describer = Describer.open(endpoint, catalog=catalog, engine=engine)
            try:
                return await describe_batch(describer, requests, out, concurrency=concurrency, on_result=on_result,
                                            on_skip=lambda n: progress.update(task, advance=n))
            finally:
                await describer.aclose()

        report = asyncio.run(run())
    rate = report.unsupported_rate
    console.print(f"{report.done} described, {report.skipped} already in {out}, {len(report.failures)} failed in "
                  f"{report.elapsed_s:.0f} s ({report.completion_tokens / max(report.elapsed_s, 1e-9):.0f} tok/s); "
                  f"unsupported claims in drafts: {'-' if rate is None else f'{rate:.1%}'}")
    for pid, err in report.failures.items():
        console.print(f"[red]✗ {pid}[/]: {err}")
    if json_out:
        print_json(report.model_dump() | {"unsupported_rate": rate, "out": str(out)})
    if report.failures:
        raise typer.Exit(1)


def bench(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
    items: int = typer.Option(16, help="Items (half demo products, half Amazon Scientific records)."),
    concurrency: int = typer.Option(16, help="Requests in flight, the same for both arms."),
    rounds: int = typer.Option(5, help="Alternating rounds (each: ours and bare); the ratio is the median of the "
                               "per-round ratios, with their min-max and verdict."),
) -> None:
    """Batch throughput of the describe pipeline vs a bare async client (same server, prompts, concurrency),
    unsupported-claim rate, ROUGE-L, BLEU and MiniLM cosine against held-out descriptions."""
    from shopagent.bench.describe import run_describe_bench

    result = run_describe_bench(settings(), embedded=embedded, n_items=items, concurrency=concurrency, rounds=rounds)
    if json_out:
        print_json(result.model_dump())
    else:
        console.print(result.as_table())
