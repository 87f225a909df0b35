"""Filters on the columnar table and free-text filter extraction (no model needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.catalog.models import Product
from tools.language import normalise
from tools.search.filters import FilterIndex, InvalidFilterError
from tools.search.models import SearchFilters
from tools.search.query import parse_query


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["a", "b", "c", "d"], "title": ["t"] * 4,
        "brand": ["L'Oreal Paris", "Acme", None, "L'Oreal Professionnel"],
        "category": ["Hair Color", "Running Shoes", "Running Socks", "Shampoos"],
        "category_path": ["Beauty > Hair Care > Hair Color", "Sports > Running > Running Shoes",
                          "Sports > Running > Running Socks", "Beauty > Hair Care > Shampoos"],
        "price": [7.85, 80.0, np.nan, 20.0], "rating": [4.5, 3.0, np.nan, 4.0], "rating_count": [1, 2, 3, 4],
        "in_stock": [True, False, True, True],
    })


def test_normalise_handles_entities_accents_apostrophes() -> None:
    assert normalise("L&#39;Oréal Paris") == normalise("L'Oreal paris") == "loreal paris"


@pytest.mark.parametrize(("filters", "expected"), [
    (SearchFilters(max_price=20), ["a", "d"]),
    (SearchFilters(min_price=10, max_price=90), ["b", "d"]),
    (SearchFilters(brand="l'oreal"), ["a", "d"]),
    (SearchFilters(brand="L&#39;Oreal Paris"), ["a"]),
    (SearchFilters(category="Sports > Running"), ["b", "c"]),
    (SearchFilters(category="running shoe"), ["b"]),
    (SearchFilters(min_rating=4), ["a", "d"]),
    (SearchFilters(in_stock=True, category="Sports"), ["c"]),
])
def test_filter_mask_selects_the_right_rows(filters: SearchFilters, expected: list[str]) -> None:
    frame = _frame()
    mask = FilterIndex(frame).mask(filters)
    assert frame["id"][mask].tolist() == expected


def test_no_filters_is_no_mask_and_contradiction_is_an_error() -> None:
    idx = FilterIndex(_frame())
    assert idx.mask(SearchFilters()) is None
    with pytest.raises(InvalidFilterError, match="min_price 50 is above max_price 20"):
        idx.mask(SearchFilters(min_price=50, max_price=20))


def test_closest_categories_for_a_typo() -> None:
    assert "Running Shoes" in FilterIndex(_frame()).closest_categories("runing shoos")


@pytest.fixture()
def small_catalog(make_catalog):  # noqa: ANN001, ANN201
    products = [
        Product(id="1", title="Feria Hair Color", brand="L&#39;Oreal Paris".replace("&#39;", "'"),
                categories=["Beauty", "Hair Care", "Hair Color"], price=8),
        Product(id="2", title="Classic Red Lipstick", brand="Revlon", categories=["Beauty", "Makeup", "Lipstick"]),
        Product(id="3", title="Classic Nude Lipstick", brand="Maybelline", categories=["Beauty", "Makeup", "Lipstick"]),
        Product(id="4", title="Classic tin", brand="Classic", categories=["Beauty", "Tools"]),
        Product(id="5", title="Glide running shoes", brand="Stridewell",
                categories=["Sports", "Running", "Running Shoes"], price=79),
    ]
    return make_catalog(products)


@pytest.mark.parametrize(("text", "query", "filters"), [
    ("red running shoes under $80", "red running shoes", {"max_price": 80, "category": "Running Shoes"}),
    ("lipstick between $20 and $50", "lipstick", {"min_price": 20, "max_price": 50, "category": "Lipstick"}),
    ("L'Oreal hair color under 10 dollars", "L'Oreal hair color",
     {"max_price": 10, "brand": "L'Oreal Paris", "category": "Hair Color"}),
    ("classic red lipstick 4+ stars in stock", "classic red lipstick",
     {"min_rating": 4, "in_stock": True, "category": "Lipstick"}),
    ("stridewell shoes over $50", "stridewell shoes",
     {"min_price": 50, "brand": "Stridewell", "category": "Running Shoes"}),
    ("water bottle 750 ml", "water bottle 750 ml", {}),
    ("", "", {}),
])
def test_parse_query_extracts_filters(small_catalog, text: str, query: str, filters: dict) -> None:  # noqa: ANN001
    parsed = parse_query(text, small_catalog)
    assert parsed.query == query
    assert parsed.filters.model_dump(exclude_none=True) == filters
