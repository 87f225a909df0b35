"""`shopagent data ...`: write the catalog store (generated demo, or loaded from real files) and describe it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

app = typer.Typer(help="The catalog: generate the demo shop or load real product data.", no_args_is_help=True)


def _print_files(files: list) -> None:  # noqa: ANN001 - FileReport
    for f in files:
        line = f"{f.path}: {f.n_loaded} loaded from {f.n_lines} lines"
        if f.n_skipped:
            line += f", {f.n_skipped} skipped"
        if f.price_marks:
            line += (f"; prices read with a decimal {f.price_locale or 'mark per string'} (strings showing a point "
                     f"{f.price_marks.get('point', 0)}, a comma {f.price_marks.get('comma', 0)})")
        console.print(line)
        if f.n_malformed:
            console.print(f"  [yellow]{f.n_malformed} malformed ({f.bad_fraction:.1%})[/yellow]: "
                          + "; ".join(f.examples))
        if f.n_non_utf8_lines:
            console.print(f"  [yellow]{f.n_non_utf8_bytes} bytes not UTF-8 on {f.n_non_utf8_lines} lines[/yellow] "
                          f"(read as U+FFFD): " + "; ".join(f.non_utf8_examples))


def _published(result, seconds: float, as_json: bool, policy: Optional[Path] = None) -> None:  # noqa: ANN001
    """What a load did (``result``: a ``PublishResult``); ``policy``: the shop policy file to store beside it."""
    _print_files(result.files)
    written: dict | None = None
    if result.change:
        c = result.change
        console.print(f"update: {c['added']} added, {c['changed']} changed, {c['removed']} removed, "
                      f"{c['unchanged']} unchanged ({c['kept']} not in the feed, kept)")
    counts = (f"{result.n_products} products, {result.n_reviews} reviews, {result.n_interactions} interactions")
    if result.dry_run:
        console.print(f"dry run: the load is within --max-bad-fraction {result.max_bad_fraction}; it would write "
                      f"{counts} (nothing written)")
    else:
        console.print(f"catalog version {result.version} now served: {counts}")
        if policy is not None:
            written = _policy_written(policy)
            console.print(f"shop policy written to {written['path']}: sections " + ", ".join(written["sections"]))
        console.print("next: `shopagent index build`")
    if as_json:
        print_json({**result.model_dump(), "seconds": round(seconds, 2), **({"policy": written} if written else {})})


def _policy_written(path: Path) -> dict:
    """Store the shop's policy file beside the catalog (service questions are answered from it)."""
    from tools.policy import write_policy

    out, policy = write_policy(settings().data_dir, path)
    return {"path": str(out), "sections": list(dict.fromkeys(p.section for p in policy.passages)),
            "topics": policy.topics()}


@app.command()
def demo(
    seed: int = typer.Option(0, help="Random seed (the same seed gives the same shop)."),
    products: int = typer.Option(3000, "--products", "-n", min=10, help="Number of products."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate the built-in demo shop (products, reviews, users, time-ordered behaviour) into the data dir."""
    import time

    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.publish import publish
    from tools.policy import DEMO_POLICY

    t0 = time.monotonic()
    data = generate_demo_catalog(seed=seed, n_products=products)
    _published(publish(settings().data_dir, data), time.monotonic() - t0, as_json,
               policy=DEMO_POLICY)  # the demo shop ships its policy


@app.command()
def load(
    path: Path = typer.Argument(..., help="Metadata/feed file, or a directory holding an Amazon release."),
    source: str = typer.Option(..., "--source", "-s",
                               help="amazon2014 | amazon2018 | amazon2023 | csv | jsonl"),
    reviews: Optional[Path] = typer.Option(None, help="Amazon review JSON lines (.gz ok) for the same products."),
    interactions: Optional[Path] = typer.Option(None, help="user,item,timestamp CSV (or RecBole *.inter.json)."),
    limit: Optional[int] = typer.Option(None, help="Read at most this many products."),
    update: bool = typer.Option(False, "--update", help="A partial feed: add and change these products, keep the "
                                                        "rest (rows with a true `deleted` column are removed)."),
    delete: Optional[Path] = typer.Option(None, "--delete", help="With --update: a file of product ids to remove, "
                                                                 "one a line."),
    max_bad_fraction: float = typer.Option(0.01, "--max-bad-fraction", min=0.0, max=1.0,
                                           help="Refuse the load (nothing switched) when more than this fraction "
                                                "of a file's lines is malformed."),
    price_locale: Optional[str] = typer.Option(None, "--price-locale",
                                               help="The feed's decimal mark: point | comma | a locale tag "
                                                    "(de_DE). Default: detected when the price strings agree."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and check only: write nothing."),
    keep: int = typer.Option(5, "--keep", min=2, help="Catalog versions to keep for `shopagent data rollback`."),
    policy: Optional[Path] = typer.Option(None, help="The shop's policy (Markdown, '## Shipping', '## Returns', "
                                                     "'## Payment', '## Order status', '## Contact' sections): "
                                                     "stored beside the catalog, quoted for service questions."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Load real product data as a new catalog version (switched in atomically; the previous one is kept;
    a stored policy stays unless --policy gives a new one)."""
    import time

    from tools.catalog.load import load_catalog
    from tools.catalog.publish import publish

    t0 = time.monotonic()
    if policy is not None:
        from tools.policy import load_policy

        load_policy(policy)  # a bad policy file fails before anything is switched
    data = load_catalog(source, path, reviews=reviews, interactions=interactions, limit=limit, partial=update,
                        price_locale=price_locale)
    deletions: set[str] = set()
    if delete is not None:
        from tools.catalog.feed import read_id_list
        from tools.catalog.report import FileReport

        rep = FileReport(path=str(delete))
        deletions = set(read_id_list(delete, rep))
        data.report.setdefault("files", []).append(rep.model_dump())
    result = publish(settings().data_dir, data, max_bad_fraction=max_bad_fraction, dry_run=dry_run,
                     update=update, deletions=deletions, keep=keep)
    _published(result, time.monotonic() - t0, as_json, policy=None if dry_run else policy)


@app.command()
def versions(as_json: bool = JSON_OPTION) -> None:
    """The kept catalog versions, oldest first (the one served is marked)."""
    from tools.catalog.store import catalog_dir
    from tools.catalog.versions import list_versions

    found = list_versions(catalog_dir(settings().data_dir))
    if as_json:
        print_json({"versions": [v.model_dump() for v in found]})
        return
    if not found:
        console.print("no catalog versions yet: run `shopagent data demo` or `shopagent data load ...`")
    for v in found:
        when = time_text(v.written_at)
        change = ", ".join(f"{k} {n}" for k, n in v.change.items() if k in ("added", "changed", "removed"))
        console.print(f"{'*' if v.current else ' '} {v.version}  {when}  {v.n_products} products  {v.source}"
                      + (f"  ({change})" if change else ""))


@app.command()
def rollback(
    to: Optional[str] = typer.Option(None, "--to", help="The version to serve (default: the one before)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Serve a kept catalog version again (the previous one by default), in one atomic switch."""
    from tools.catalog.store import catalog_dir
    from tools.catalog.versions import rollback as switch_back

    name = switch_back(catalog_dir(settings().data_dir), to)
    console.print(f"catalog version {name} now served; next: `shopagent index build` (embeds only what differs)")
    if as_json:
        print_json({"version": name})


def time_text(ts: int | None) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "?"


@app.command()
def info(as_json: bool = JSON_OPTION) -> None:
    """What the catalog holds: counts, categories, brands, price range, where it came from."""
    from tools.catalog.store import Catalog

    catalog = Catalog.open(settings().data_dir)
    frame = catalog.frame()
    inter = catalog.interaction_frame()
    top = frame["category_path"].str.split(" > ").str[0].value_counts().head(10)
    summary = {
        "catalog": str(catalog.directory), "source": catalog.manifest.get("source", ""),
        "n_products": len(catalog), "n_reviews": len(catalog.review_frame()), "n_interactions": len(inter),
        "n_users": int(inter["user_id"].nunique()), "n_brands": len(catalog.brands()),
        "n_categories": len(catalog.categories()),
        "price_min": None if frame["price"].isna().all() else float(frame["price"].min()),
        "price_max": None if frame["price"].isna().all() else float(frame["price"].max()),
        "with_price": int(frame["price"].notna().sum()), "in_stock": int(frame["in_stock"].sum()),
        "top_categories": {k: int(v) for k, v in top.items()},
    }
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    table = Table(title=f"catalog ({summary['source']})", show_header=False)
    for k, v in summary.items():
        if k != "top_categories":
            table.add_row(k, str(v))
    table.add_row("top categories", ", ".join(f"{k} ({v})" for k, v in summary["top_categories"].items()))
    console.print(table)


def bench_scale_catalog(
    sizes: str = typer.Option("10000,100000,1000000", "--sizes", help="Catalog sizes, comma-separated (run "
                                                                        "smallest first; each is written to "
                                                                        "results.json as it finishes)."),
    keep: bool = typer.Option(False, "--keep", help="Keep each size's catalog and index after measuring."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Also draw the curves into this PNG."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The catalog's costs as it grows: load, full index build, 1% update sync, store size, API-process memory,
    search p50/p95 without and with filters, at each size (synthetic vectors, stated in the output)."""
    from rich.table import Table

    from shopagent.bench.scale_catalog import run_scale_catalog

    try:
        wanted = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"--sizes: comma-separated product counts, not {sizes!r}") from None
    r = run_scale_catalog(settings(), wanted, say=lambda m: console.print(f"[dim]{m}[/dim]"), keep=keep)
    table = Table(title=f"catalog scale ({r['embeddings']}; {r['cpus']} cores)")
    for col in ("products", "load s", "full build s", "1% update s", "update/full", "store MB", "RSS MB",
                "vectors MB", "p50/p95 ms", "filtered p50/p95 ms"):
        table.add_column(col, justify="right")
    for n, f in r["sizes"].items():
        table.add_row(n, f"{f['load_s']:.1f}", f"{f['full_build_s']:.1f}", f"{f['update_1pct_s']:.1f}",
                      f"{f['update_vs_full']:.3f}", f"{f['store_mb']:.0f}", f"{f['rss_mb']:.0f}",
                      f"{f['vectors_mb']:.0f}", f"{f['search_p50_ms']:.1f} / {f['search_p95_ms']:.1f}",
                      f"{f['search_p50_ms_filtered']:.1f} / {f['search_p95_ms_filtered']:.1f}")
    console.print(table)
    if r.get("query_embed_ms") is not None:
        console.print(f"a real query embedding adds {r['query_embed_ms']} ms (p50) to each search")
    if plot is not None:
        from shopagent.bench.scale_catalog import plot as draw

        console.print(f"curves drawn into {draw(r, plot)}")
    if as_json:
        print_json(r)
