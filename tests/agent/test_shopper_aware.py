"""The shopper-aware steps of the action nodes: ranking found products by relevance and the shopper's sequential
score, and the memory of products shown and not taken."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from agent.nodes.shopper import blend, demote_rejected, pool_size, rank_for_shopper, rejected
from agent.toolbox.models import Hit, ToolOutcome, ToolOutput


def _step(user_id: str | None, scores: dict[str, float], shopper_rank: bool = True, reject_memory: bool = True,
          state: dict | None = None) -> Any:
    calls: list[tuple[str, dict]] = []
    trace: list[dict] = []

    def call(name: str, args: dict) -> ToolOutcome:
        calls.append((name, args))
        trace.append({"name": name})
        return ToolOutcome(name=name, args=args, ok=True, output=ToolOutput(data={"scores": scores}))

    return SimpleNamespace(deps=SimpleNamespace(shopper_rank=shopper_rank, reject_memory=reject_memory),
                           state={"user_id": user_id, **(state or {})}, call=call, calls=calls, trace=trace,
                           update={})


def _found(*pairs: tuple[str, float]) -> ToolOutcome:
    return ToolOutcome(name="search_products", ok=True,
                       output=ToolOutput(products=[Hit(id=i, score=s) for i, s in pairs]))


def test_blend_lets_a_strong_shopper_score_lift_a_close_text_match() -> None:
    # relevance 1.0, 0.9, 0.2; the shopper's model strongly prefers the second
    assert blend([1.0, 0.9, 0.2], [0.0, 5.0, 0.0]) == [1, 0, 2]
    assert blend([1.0, 0.9, 0.2], [0.0, 5.0, 0.0], weight=0.0) == [0, 1, 2]


def test_blend_does_not_lift_an_irrelevant_product_past_relevant_ones_on_a_small_preference() -> None:
    assert blend([1.0, 0.95, 0.1], [0.0, 0.0, 0.3], weight=0.5)[-1] == 2


def test_items_the_model_cannot_score_sit_at_the_mean() -> None:
    assert blend([0.5, 0.5, 0.5], [None, 1.0, 0.0]) == [1, 0, 2]


def test_a_signed_in_shopper_gets_a_wider_pool_ranked_by_the_blend() -> None:
    step = _step("u1", {"a": 0.0, "b": 9.0, "c": 0.0})
    assert pool_size(step, 12) > 12
    ranked = rank_for_shopper(step, _found(("a", 1.0), ("b", 0.9), ("c", 0.2)))
    assert [h.id for h in ranked.output.products] == ["b", "a", "c"]
    assert step.calls[0][0] == "shopper_scores" and step.calls[0][1]["item_ids"] == ["a", "b", "c"]


def test_an_anonymous_shopper_or_the_ablation_keeps_the_tools_order_and_asks_nothing() -> None:
    for step in (_step(None, {"b": 9.0}), _step("u1", {"b": 9.0}, shopper_rank=False)):
        out = rank_for_shopper(step, _found(("a", 1.0), ("b", 0.9)))
        assert [h.id for h in out.output.products] == ["a", "b"] and not step.calls
        assert pool_size(step, 12) == 12


def test_no_scores_keeps_the_tools_order() -> None:
    step = _step("u1", {})
    assert [h.id for h in rank_for_shopper(step, _found(("a", 1.0), ("b", 0.9))).output.products] == ["a", "b"]


def test_products_shown_and_not_taken_go_behind_new_ones() -> None:
    state = {"shown": [{"products": [{"id": "a"}, {"id": "b"}]}, {"products": [{"id": "c"}]}], "viewed": ["b"]}
    assert rejected(state) == {"a", "c"}
    step = _step("u1", {}, state=state)
    cands = [{"id": i} for i in ("a", "b", "c", "d", "e")]
    assert [c["id"] for c in demote_rejected(step, cands)] == ["b", "d", "e", "a", "c"]
    off = _step("u1", {}, reject_memory=False, state=state)
    assert [c["id"] for c in demote_rejected(off, cands)] == ["a", "b", "c", "d", "e"]


def test_the_anchor_of_more_like_is_not_rejected() -> None:
    state = {"shown": [{"products": [{"id": "a"}, {"id": "b"}]}], "viewed": []}
    step = _step("u1", {}, state=state)
    step.update["viewed"] = ["a"]
    assert [c["id"] for c in demote_rejected(step, [{"id": "a"}, {"id": "b"}, {"id": "x"}])] == ["a", "x", "b"]


def test_a_need_said_by_its_kind_alone_leans_more_on_the_shoppers_history() -> None:
    from agent.nodes.shopper import BLEND, BROAD_BLEND, broad

    vocab = SimpleNamespace(path_words={"Cleansers": frozenset({"skin", "care", "face", "cleanser"})})
    step = _step("u1", {})
    step.deps.broad_history, step.deps.vocab = True, vocab
    assert broad(step, {"query": "face cleansers", "category": "Cleansers"})
    assert not broad(step, {"query": "foaming face cleansers", "category": "Cleansers"})  # a word of its own
    assert not broad(step, {"query": "face cleansers", "category": "Cleansers", "brand": "Acme"})
    assert not broad(step, {"query": "face cleansers"})  # no kind known
    step.deps.broad_history = False
    assert not broad(step, {"query": "face cleansers", "category": "Cleansers"})
    # the best text match, and a weak one the shopper's model likes a little more: the broad need's weight lets the
    # shopper's pick through, the usual one keeps the text match first
    relevance, shopper = [1.0, 0.9, 0.1, 0.3], [0.7, 0.7, 0.9, 0.4]
    assert blend(relevance, shopper, BLEND)[0] == 0 and blend(relevance, shopper, BROAD_BLEND)[0] == 2


def test_a_need_with_words_of_its_own_leans_more_on_the_words() -> None:
    from agent.nodes.shopper import BLEND, SPECIFIC_BLEND, specific

    vocab = SimpleNamespace(path_words={"Body Butter": frozenset({"skin", "care", "body", "butter"})})
    step = _step("u1", {})
    step.deps.specific_words, step.deps.vocab = True, vocab
    assert specific(step, {"query": "farm body butter", "category": "Body Butter", "kind": "body butter"})
    assert not specific(step, {"query": "body butter", "category": "Body Butter", "min_price": 10.0})
    step.deps.specific_words = False
    assert not specific(step, {"query": "farm body butter", "category": "Body Butter"})
    # the best text match, and a weak one the shopper's model prefers: the words keep theirs first, the usual
    # weight would not
    relevance, shopper = [1.0, 0.3, 0.6, 0.4], [0.0, 0.6, 0.1, 0.1]
    assert blend(relevance, shopper, SPECIFIC_BLEND)[0] == 0 and blend(relevance, shopper, BLEND)[0] == 1
