"""Loaders: real Amazon formats, feeds, malformed lines counted with their line numbers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from core.errors import ShopagentError
from tools.catalog.load import load_catalog


def _jsonl(path: Path, rows: list, gz: bool = False) -> Path:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"
    if gz:
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)
    return path


def test_amazon2014_unescapes_entities_and_counts_malformed_lines(tmp_path: Path) -> None:
    meta = _jsonl(tmp_path / "meta.jsonl", [
        {"asin": "A1", "title": "Feria Hair Color", "brand": "L&#39;Oreal Paris", "price": 7.85,
         "categories": [["Beauty", "Hair Care", "Hair Color"]], "salesRank": {"Beauty": 20927}},
        "{not json at all",
        {"asin": "A2", "title": "Cold Cream &amp; More", "categories": [["Beauty", "Skin Care"]]},
        {"asin": "A3"},  # no title: unusable
        "{'asin': 'A4', 'title': 'python literal line', 'categories': [['Beauty']]}",  # the 2014 dumps' style
    ])
    data = load_catalog("amazon2014", meta)
    by_id = {p.id: p for p in data.products}
    assert by_id["A1"].brand == "L'Oreal Paris"
    assert by_id["A1"].categories == ["Beauty", "Hair Care", "Hair Color"]
    assert by_id["A2"].title == "Cold Cream & More"
    assert "A4" in by_id
    report = data.report["files"][0]
    assert report["n_malformed"] == 2
    assert report["examples"][0].startswith("line 2:") and report["examples"][1].startswith("line 4:")


def test_amazon2018_gzipped_meta_and_reviews(tmp_path: Path) -> None:
    meta = _jsonl(tmp_path / "meta_X.json.gz", [
        {"asin": "B1", "title": "Gift Card", "brand": "Acme", "category": ["Gift Cards", "Gift Cards"],
         "description": ["<b>Great</b> gift"], "feature": ["never expires"], "price": "$25.00",
         "details": {"\n Shipping Weight: ": "3 ounces", "ASIN:": "B1"}},
    ], gz=True)
    reviews = _jsonl(tmp_path / "X_5.json.gz", [
        {"overall": 5.0, "reviewerID": "U1", "asin": "B1", "reviewText": "Love it", "summary": "Five",
         "unixReviewTime": 1529193600},
        {"overall": 3.0, "reviewerID": "U2", "asin": "B1", "reviewText": "ok", "unixReviewTime": 1529193700},
        {"overall": 4.0, "reviewerID": "U3", "asin": "GONE", "reviewText": "?", "unixReviewTime": 1},
        "garbage",
    ], gz=True)
    data = load_catalog("amazon2018", tmp_path)  # a directory: files found by name
    p = data.products[0]
    assert p.categories == ["Gift Cards"] and p.price == 25.0 and p.description == "Great gift"
    assert p.attributes == {"Shipping Weight": "3 ounces"}
    assert p.rating == 4.0 and p.rating_count == 2
    assert [i.user_id for i in data.interactions] == ["U1", "U2"]
    rrep = data.report["files"][1]
    assert rrep["n_malformed"] == 1 and rrep["n_skipped"] == 1 and rrep["examples"][0].startswith("line 4:")


def test_csv_feed_and_interactions_csv(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("id,title,brand,category,price,color,in_stock\n"
                    "p1,Red Shoe,Acme,Shoes > Running,49.5,red,yes\n"
                    "p2,Blue Shoe,Acme,Shoes > Running,not-a-price,blue,no\n"
                    "p3,Broken row\n")
    inter = tmp_path / "inter.csv"
    inter.write_text("user_id,item_id,timestamp\nu1,p2,20\nu1,p1,10\nu2,zz,5\n")
    data = load_catalog("csv", feed, interactions=inter)
    by_id = {p.id: p for p in data.products}
    assert by_id["p1"].attributes == {"color": "red"} and by_id["p1"].categories == ["Shoes", "Running"]
    assert by_id["p2"].price is None and by_id["p2"].in_stock is False
    assert data.report["files"][0]["n_malformed"] == 1
    assert data.report["files"][1]["n_skipped"] == 1


def test_unknown_source_and_empty_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ShopagentError, match="unknown source"):
        load_catalog("parquet", tmp_path)
    empty = _jsonl(tmp_path / "e.jsonl", ["nope"])
    with pytest.raises(ShopagentError, match="no products could be read"):
        load_catalog("jsonl", empty)


def test_real_beauty_meta_has_loreal_unescaped(shared_datasets: Path) -> None:
    data = load_catalog("amazon2014", shared_datasets / "amazon-beauty-2014" / "meta_Beauty.jsonl", limit=3000)
    brands = {p.brand for p in data.products if p.brand}
    assert "L'Oreal Paris" in brands
    assert not any("&#" in b for b in brands)
    assert data.report["files"][0]["n_malformed"] >= 1  # titles missing in the real file are reported
