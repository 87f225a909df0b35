"""The composition root: one ``Services`` opens each engine once per process and hands the same ones to the
agent, the tools and the API."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest


@pytest.fixture()
def opens(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts every engine open (keyword search, popularity recommender, agent runtime, encoder, catalog)."""
    from agent.runtime import AgentRuntime
    from tools.catalog.store import Catalog
    from tools.recommend.fallback import CatalogPopularity
    from tools.search import SearchEngine, embed

    counts: Counter = Counter()

    def counting(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(SearchEngine, "keyword_only", classmethod(counting("search", SearchEngine.keyword_only.__func__)))
    monkeypatch.setattr(SearchEngine, "open", classmethod(counting("search", SearchEngine.open.__func__)))
    monkeypatch.setattr(CatalogPopularity, "__init__", counting("recommender", CatalogPopularity.__init__))
    monkeypatch.setattr(AgentRuntime, "open", classmethod(counting("agent", AgentRuntime.open.__func__)))
    monkeypatch.setattr(embed, "Embedder", type("CountedEmbedder", (embed.Embedder,), {
        "__init__": counting("encoder", embed.Embedder.__init__)}))
    embed._embedder_in.cache_clear()
    monkeypatch.setattr(Catalog, "open", classmethod(counting("catalog", Catalog.open.__func__)))
    return counts


def test_every_engine_is_opened_once_and_shared_with_the_agent(make_toolbox, opens: Counter) -> None:
    from tools.recommend.models import RecommendRequest
    from tools.search.models import SearchRequest

    box = make_toolbox(catalog=None)
    box.warm()
    with ThreadPoolExecutor(4) as pool:  # first requests racing each other open nothing again
        list(pool.map(lambda q: box.search(SearchRequest(query=q)), ["tent", "serum", "blender", "shoes"]))
        list(pool.map(lambda u: box.recommend(RecommendRequest(user_id=u)), ["U1", "U2", None, None]))
    agent = box.agent()
    agent.run_turn("t1", "running shoes under $80")
    box.health(check_llm=False)
    assert opens == Counter(catalog=1, search=1, recommender=1, agent=1, encoder=1), opens
    tools = agent.deps.registry.ctx
    assert tools.catalog is box.catalog and tools.search is box.engine and tools.recommender is box.recommender
    assert agent.deps.planner.index.embedder is box.encoder()
    assert box.opens == 1
