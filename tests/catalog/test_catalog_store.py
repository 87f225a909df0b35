"""The catalog store and the demo generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ShopagentError
from tools.catalog.demo import generate_demo_catalog
from tools.catalog.store import FRAME_COLUMNS, Catalog, UnknownProductError


def test_open_without_catalog_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ShopagentError, match="shopagent data demo"):
        Catalog.open(tmp_path)


def test_demo_catalog_round_trips_through_the_store(demo_catalog: Catalog) -> None:
    assert len(demo_catalog) == 300
    frame = demo_catalog.frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame["id"].is_unique
    p = demo_catalog.get(frame["id"].iloc[5])
    assert p.title == frame["title"].iloc[5] and p.category == frame["category"].iloc[5]
    assert p.attributes and p.features and p.description
    assert len({top.split(" > ")[0] for top in demo_catalog.categories()}) >= 4
    with pytest.raises(UnknownProductError, match="nope"):
        demo_catalog.get("nope")


def test_demo_interactions_are_time_ordered_per_user(demo_catalog: Catalog) -> None:
    inter = demo_catalog.interactions()
    assert inter and [i.timestamp for i in inter] == sorted(i.timestamp for i in inter)
    users = demo_catalog.users()
    history = demo_catalog.profile(users[0]).history
    assert history and all(item in demo_catalog for item in history)


def test_demo_reviews_mention_the_products_attributes(demo_catalog: Catalog) -> None:
    reviewed = demo_catalog.review_frame()["product_id"].unique()
    assert len(reviewed) > 50
    p = demo_catalog.get(reviewed[0])
    reviews = demo_catalog.reviews(p.id)
    assert all(r.product_id == p.id and 1 <= r.rating <= 5 for r in reviews)
    attr_values = {v.lower() for v in p.attributes.values()}
    text = " ".join(r.text.lower() for r in reviews)
    assert any(v in text for v in attr_values) or len(reviews) == 0


def test_demo_generation_is_seeded() -> None:
    a, b, c = (generate_demo_catalog(seed=s, n_products=50) for s in (1, 1, 2))
    assert [p.title for p in a.products] == [p.title for p in b.products]
    assert [p.title for p in a.products] != [p.title for p in c.products]
    # ratings follow the generated reviews' direction: product ratings stay within 1..5
    assert all(p.rating is None or 1 <= p.rating <= 5 for p in a.products)
