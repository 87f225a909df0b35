"""`shopagent data ...`: write the catalog store (generated demo, or loaded from real files) and describe it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import JSON_OPTION, console, print_json, settings

app = typer.Typer(help="The catalog: generate the demo shop or load real product data.", no_args_is_help=True)


def _written(data, seconds: float, as_json: bool, policy: Optional[Path] = None) -> None:  # noqa: ANN001
    from tools.catalog.store import write_catalog

    out = write_catalog(settings().data_dir, data)
    summary = {"catalog": str(out), "source": data.source, "n_products": len(data.products),
               "n_reviews": len(data.reviews), "n_interactions": len(data.interactions),
               "n_users": len({i.user_id for i in data.interactions}), "seconds": round(seconds, 2)}
    if policy is not None:
        summary["policy"] = _policy_written(policy)
    for f in data.report.get("files", []):
        line = f"{f['path']}: {f['n_loaded']} loaded from {f['n_lines']} lines"
        if f["n_skipped"]:
            line += f", {f['n_skipped']} skipped"
        console.print(line)
        if f["n_malformed"]:
            console.print(f"  [yellow]{f['n_malformed']} malformed[/yellow]: " + "; ".join(f["examples"]))
    console.print(f"catalog written to {out}: {summary['n_products']} products, {summary['n_reviews']} reviews, "
                  f"{summary['n_interactions']} interactions ({summary['n_users']} users)")
    if policy is not None:
        console.print(f"shop policy written to {summary['policy']['path']}: sections "
                      + ", ".join(summary["policy"]["sections"]))
    console.print("next: `shopagent index build`")
    if as_json:
        summary["files"] = data.report.get("files", [])
        print_json(summary)


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

    t0 = time.monotonic()
    from tools.policy import DEMO_POLICY

    data = generate_demo_catalog(seed=seed, n_products=products)
    _written(data, time.monotonic() - t0, as_json, policy=DEMO_POLICY)  # the demo shop ships its policy


@app.command()
def load(
    path: Path = typer.Argument(..., help="Metadata/feed file, or a directory holding an Amazon release."),
    source: str = typer.Option(..., "--source", "-s",
                               help="amazon2014 | amazon2018 | amazon2023 | csv | jsonl"),
    reviews: Optional[Path] = typer.Option(None, help="Amazon review JSON lines (.gz ok) for the same products."),
    interactions: Optional[Path] = typer.Option(None, help="user,item,timestamp CSV (or RecBole *.inter.json)."),
    limit: Optional[int] = typer.Option(None, help="Read at most this many products."),
    policy: Optional[Path] = typer.Option(None, help="The shop's policy (Markdown, '## Shipping', '## Returns', "
                                                     "'## Payment', '## Order status', '## Contact' sections): "
                                                     "stored beside the catalog, quoted for service questions."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Load real product data into the catalog store (replaces the current catalog; a stored policy stays)."""
    import time

    from tools.catalog.load import load_catalog

    t0 = time.monotonic()
    if policy is not None:
        from tools.policy import load_policy

        load_policy(policy)  # a bad policy file fails before the catalog is replaced
    data = load_catalog(source, path, reviews=reviews, interactions=interactions, limit=limit)
    _written(data, time.monotonic() - t0, as_json, policy=policy)


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
