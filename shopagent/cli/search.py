"""`shopagent search "red shoes under $80"` and `shopagent bench search`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings


def search(
    query: str = typer.Argument("", help="Free text; price, rating, stock, brand and category phrases become filters."),
    k: int = typer.Option(10, "-k", min=1, max=200, help="Number of products."),
    mode: str = typer.Option("hybrid", help="hybrid | dense | keyword"),
    no_parse: bool = typer.Option(False, "--no-parse", help="Search the text as is (no filter extraction)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Search the catalog (hybrid dense + keyword, with filters taken from the query)."""
    from tools.search import SearchEngine, SearchRequest, parse_query
    from tools.search.models import ParsedQuery

    engine = SearchEngine.open(settings())
    parsed = ParsedQuery(query=query) if no_parse else parse_query(query, engine.catalog)
    res = engine.search(SearchRequest(query=parsed.query, filters=parsed.filters, k=k, mode=mode))
    if as_json:
        print_json({"query": parsed.query, "filters": parsed.filters.model_dump(exclude_none=True),
                    **res.model_dump(mode="json")})
        return
    from rich.table import Table

    f = parsed.filters.model_dump(exclude_none=True)
    table = Table(title=f"{parsed.query!r}" + (f" filters {f}" if f else "") + f" ({res.n_candidates} in scope)")
    for col in ("score", "id", "title", "brand", "price", "rating", "snippet"):
        table.add_column(col, overflow="fold")
    for h in res.hits:
        p = h.product
        table.add_row(f"{h.score:.3f}", p.id, p.title, p.brand or "", "" if p.price is None else f"${p.price:.2f}",
                      "" if p.rating is None else f"{p.rating:.1f} ({p.rating_count})", h.snippet)
    console.print(table)
    if res.message:
        console.print(f"[yellow]{res.message}[/yellow]")


def bench(
    data: Optional[Path] = typer.Option(None, "--data", help="A data dir holding a catalog (default: the Beauty "
                                                              "catalog and ePQA questions from ../shared/datasets)."),
    queries: int = typer.Option(400, help="Quality queries per set (half validation, half test)."),
    per_kind: int = typer.Option(30, help="Latency queries per filter kind."),
    n_build: int = typer.Option(300, help="Texts in the index-build throughput run."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Retrieval: NDCG/Recall@10 dense vs keyword vs hybrid, p50/p95/p99 at 50k products per filter kind,
    index build vs raw encode throughput."""
    from shopagent.bench.search import run_search_bench

    result = run_search_bench(settings(), data=data, n_queries=queries, per_kind=per_kind, n_build=n_build,
                              say=lambda m: console.print(f"[dim]{m}[/dim]"))
    from rich.table import Table

    t = Table(title=f"retrieval quality, test split (fusion weights {result['fusion']})")
    for c in ("set", "metric", "dense", "keyword", "rrf", "hybrid"):
        t.add_column(c)
    for s in result["sets"] + [{"name": "mean", "recall10": result["recall10"], "ndcg10": result["ndcg10"]}]:
        for metric in ("ndcg10", "recall10"):
            t.add_row(s["name"], metric, *(f"{s[metric][m]:.3f}" for m in ("dense", "keyword", "rrf", "hybrid")))
    console.print(t)
    lt = Table(title=f"query latency at {result['n_products']} products (ms, incl. query embedding)")
    for c in ("filter", "in scope", "p50", "p95", "p99", "dense path"):
        lt.add_column(c)
    for kind, v in result["latency"]["per_filter"].items():
        lt.add_row(kind, str(v["n_allowed"]), f"{v['p50_ms']:.1f}", f"{v['p95_ms']:.1f}", f"{v['p99_ms']:.1f}",
                   ", ".join(f"{p}:{n}" for p, n in v["paths"].items()))
    lt.add_row("all", "", f"{result['p50_ms']:.1f}", f"{result['p95_ms']:.1f}", f"{result['p99_ms']:.1f}", "")
    console.print(lt)
    b = result["index_build"]
    from shopagent.bench.spread import Spread

    ratio, same = Spread(**b["index_ratio_spread"]), Spread(**b["index_ratio_same_encoder_spread"])
    console.print(f"index build {b['build_texts_per_s']}/s vs raw sentence-transformers {b['raw_st_texts_per_s']}/s "
                  f"-> ratio {ratio.text()} (vs the same ONNX encoder raw: {same.text()})")
    if as_json:
        print_json(result)
