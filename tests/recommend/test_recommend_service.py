"""RecommenderService over a small trained catalog: paths, filters, de-duplication, reasons, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ShopagentError
from tools.recommend.models import RecommendRequest, SimilarRequest
from tools.recommend.service import RecommenderService
from tools.search.models import SearchFilters


@pytest.fixture(scope="module")
def service(recsys_catalog_dir: Path) -> RecommenderService:
    return RecommenderService.open(Settings(data_dir=recsys_catalog_dir))


def _history(service: RecommenderService, user: str) -> list[str]:
    return [service.item_ids[i - 1] for i in service.histories[user]]


def test_known_user_gets_the_next_item_of_their_sequence_and_nothing_they_had(service) -> None:  # noqa: ANN001
    hits = 0
    for user in ["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"]:
        hist = _history(service, user)
        resp = service.recommend(RecommendRequest(user_id=user, k=5))
        ids = [r.product_id for r in resp.items]
        assert resp.path == "sequential" and len(ids) == 5 and len(set(ids)) == 5
        assert not set(ids) & set(hist)
        assert all(r.because for r in resp.items)
        nxt = f"i{(int(hist[-1][1:]) + 1) % 40}"
        hits += nxt in ids[:3]
    assert hits >= 6


def test_reasons_name_a_history_item(service) -> None:  # noqa: ANN001
    resp = service.recommend(RecommendRequest(history=["i3", "i4", "i5"], k=3))
    titles = {service.catalog.get(p).title for p in ["i3", "i4", "i5"]}
    assert any(any(t in r.because for t in titles) for r in resp.items), [r.because for r in resp.items]


def test_unknown_user_gets_popular_items_not_an_error(service) -> None:  # noqa: ANN001
    resp = service.recommend(RecommendRequest(user_id="never-seen", k=4))
    assert resp.path == "popular" and len(resp.items) == 4
    assert "never-seen" in resp.message
    assert all(r.model == "popular" and "popular" in r.because for r in resp.items)


def test_one_item_history_takes_the_cold_start_path(service) -> None:  # noqa: ANN001
    resp = service.recommend(RecommendRequest(history=["i10"], k=5))
    assert resp.path == "cold_start"
    assert "i10" not in [r.product_id for r in resp.items]
    assert {r.model for r in resp.items} <= {"content", "cf", "popular"}


def test_filters_hold_for_every_recommendation(service) -> None:  # noqa: ANN001
    f = SearchFilters(category="Moisturizers", max_price=80, in_stock=True)
    resp = service.recommend(RecommendRequest(user_id="u3", k=10, filters=f))
    assert resp.items
    for r in resp.items:
        p = service.catalog.get(r.product_id)
        assert p.category == "Moisturizers" and p.price <= 80 and p.in_stock
    pop = service.recommend(RecommendRequest(k=3, filters=SearchFilters(category="Kitchen")))
    assert all(service.catalog.get(r.product_id).categories[0] == "Kitchen" for r in pop.items)
    assert all("Kitchen" in r.because for r in pop.items)


def test_filters_nothing_can_match_give_a_message(service) -> None:  # noqa: ANN001
    resp = service.recommend(RecommendRequest(user_id="u1", filters=SearchFilters(min_price=10_000)))
    assert resp.items == [] and "filters" in resp.message


def test_unknown_item_is_an_error_naming_it(service) -> None:  # noqa: ANN001
    with pytest.raises(ShopagentError, match="no-such-sku"):
        service.recommend(RecommendRequest(history=["i1", "no-such-sku"]))
    with pytest.raises(ShopagentError, match="ghost"):
        service.similar(SimilarRequest(item_id="ghost"))


def test_similar_finds_the_neighbours_and_says_why(service) -> None:  # noqa: ANN001
    resp = service.similar(SimilarRequest(item_id="i5", k=4))
    ids = [r.product_id for r in resp.items]
    assert "i5" not in ids and {"i4", "i6"} & set(ids)
    assert all("i5" not in r.because and r.because for r in resp.items)


def test_item_nobody_bought_yet_still_gets_similar_items(service) -> None:  # noqa: ANN001
    resp = service.similar(SimilarRequest(item_id="new-item", k=3))
    assert len(resp.items) == 3
    cats = [service.catalog.get(r.product_id).category for r in resp.items]
    assert cats.count("Moisturizers") >= 2


def test_service_without_models_says_how_to_train(tmp_path: Path) -> None:
    from tools.catalog.models import Product
    from tools.catalog.store import CatalogData, write_catalog

    write_catalog(tmp_path, CatalogData(products=[Product(id="a", title="A")]))
    with pytest.raises(ShopagentError, match="recsys train"):
        RecommenderService.open(Settings(data_dir=tmp_path))


def test_the_untrained_fallback_says_viewed_products_were_looked_at_not_bought(agent_vocab_catalog) -> None:  # noqa: ANN001
    from tools.recommend.fallback import CatalogPopularity

    fallback = CatalogPopularity(agent_vocab_catalog)
    viewed = agent_vocab_catalog.ids[:2]
    items = fallback.recommend(RecommendRequest(history=viewed, k=3)).items
    assert items and all(i.because == "popular in categories you looked at" for i in items)
    assert not {i.product_id for i in items} & set(viewed)
    assert all(i.because == "popular with shoppers" for i in fallback.recommend(RecommendRequest(k=3)).items)
