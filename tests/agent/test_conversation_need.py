"""The conversation's need across turns: a new cue narrows what was said before (category, brand, price band,
earlier words) unless the shopper changes topic or the combination leaves nothing; products passed over are not
shown again; "more like [n]" stays within the brand and band said. Scripted: a tiny shop behind fake tools."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from agent.nodes.refine import refine
from agent.nodes.search import search
from agent.nodes.shopper import keep_earlier_filters, pool_size, rejected, same_need
from agent.nodes.similar import similar
from agent.nodes.step import Step
from agent.toolbox.models import Hit, ToolOutcome, ToolOutput

# id, brand, category, price, title
SHOP = [
    ("c1", "Acme", "Cleansers", 8.0, "acme gentle face wash"),
    ("c2", "Acme", "Cleansers", 15.0, "acme hydrating face cleanser"),
    ("c3", "Acme", "Cleansers", 40.0, "acme hydrating foaming cleanser deluxe"),
    ("c4", "Bloom", "Cleansers", 12.0, "bloom hydrating cleanser"),
    ("c5", "Bloom", "Cleansers", 18.0, "bloom foaming face wash"),
    ("c6", "Acme", "Cleansers", 16.0, "acme hydrating foaming face cleanser"),
    ("c7", "Cove", "Cleansers", 9.0, "cove clay face wash"),
    ("c8", "Cove", "Cleansers", 11.0, "cove hydrating milk cleanser"),
    ("m1", "Acme", "Moisturizers", 14.0, "acme hydrating face cream"),
    ("m2", "Bloom", "Moisturizers", 22.0, "bloom night cream"),
    ("s1", "Dune", "Shampoos", 7.0, "dune hydrating shampoo"),
]
PATHS = {"Cleansers": frozenset({"beauty", "skin", "care", "face", "cleanser"}),
         "Moisturizers": frozenset({"beauty", "skin", "care", "face", "moisturizer"}),
         "Shampoos": frozenset({"beauty", "hair", "care", "shampoo"})}


class FakeShop:
    """``search_products`` (filters, then titles with a word of the query, most such words first) and ``similar_items`` (same brand and
    category first) over ``SHOP``; every call recorded."""

    def __init__(self) -> None:
        self.products = {p[0]: SimpleNamespace(id=p[0], brand=p[1], category=p[2], categories=[p[2]], price=p[3],
                                               title=p[4])
                         for p in SHOP}
        self.calls: list[tuple[str, dict]] = []

    def get(self, pid: str) -> Any:
        return self.products[pid]

    def _passes(self, p: Any, args: dict) -> bool:
        return ((not args.get("brand") or p.brand == args["brand"])
                and (not args.get("category") or p.category == args["category"])
                and (args.get("min_price") is None or p.price >= args["min_price"])
                and (args.get("max_price") is None or p.price <= args["max_price"]))

    def call(self, name: str, args: dict) -> ToolOutcome:
        self.calls.append((name, dict(args)))
        if name == "search_products":
            words = {w.rstrip("s") for w in args.get("query", "").split()}
            scored = [(len(words & {w.rstrip("s") for w in p.title.split()}), p.id) for p in self.products.values()
                      if self._passes(p, args)]
            hits = [Hit(id=i, score=float(s)) for s, i in sorted(scored, key=lambda x: (-x[0], x[1]))
                    if s > 0 or not words]  # a word of the query in the title
        elif name == "similar_items":
            a = self.products[args["item_id"]]
            scored = [(2 * (p.brand == a.brand) + (p.category == a.category), p.id) for p in self.products.values()
                      if p.id != a.id and self._passes(p, args)]
            hits = [Hit(id=i, score=float(s)) for s, i in sorted(scored, key=lambda x: (-x[0], x[1]))]
        elif name == "recommend_for_user":  # the shopper's model likes c7 and m1 best
            hits = [Hit(id=i, score=1.0) for i in ("c7", "m1") if self._passes(self.products[i], args)]
            return ToolOutcome(name=name, args=args, ok=True,
                               output=ToolOutput(products=hits, data={"known_user": True}))
        elif name == "shopper_scores":
            scores = {i: (5.0 if i == "c7" else 0.0) for i in args["item_ids"]}
            return ToolOutcome(name=name, args=args, ok=True, output=ToolOutput(data={"scores": scores}))
        else:
            raise AssertionError(f"unexpected tool {name}")
        return ToolOutcome(name=name, args=args, ok=True, output=ToolOutput(products=hits[: args.get("k", 12)]))


def _step(shop: FakeShop, action: str, args: dict, message: str, constraints: dict | None = None,
          shown: list[list[str]] | None = None, trace: list[list[dict]] | None = None, carry: bool = True,
          memory: bool = True, user_id: str | None = None) -> Step:
    turns = [{"products": [{"id": i} for i in ids], "trace": (trace or [[]] * len(shown or []))[n]}
             for n, ids in enumerate(shown or [])]
    cands = [{"id": i, "score": 1.0, "why": ""} for i in (shown or [[]])[-1]]
    state = {"message": message, "candidates": cands, "constraints": constraints or {}, "shown": turns,
             "viewed": [], "user_id": user_id, "turn": {"plan": {"action": action, "args": args}, "timings": {}}}
    deps = SimpleNamespace(registry=shop, catalog=shop, shopper_rank=True, history_picks=True, reject_memory=memory,
                           carry_filters=carry, vocab=SimpleNamespace(path_words=PATHS))
    return Step(state=state, deps=deps, emit=lambda event: None, cands=list(cands),
                constraints=dict(constraints or {}))


def _searches(shop: FakeShop) -> list[dict]:
    return [a for n, a in shop.calls if n == "search_products"]


CLEANSERS = {"query": "face cleansers", "category": "Cleansers", "kind": "face cleansers"}


def test_a_word_cue_keeps_the_kind_brand_band_and_earlier_words() -> None:
    shop = FakeShop()
    before = {**CLEANSERS, "brand": "Acme", "min_price": 10.0, "max_price": 20.0}
    # the planner read "hydrating face cleansers" as moisturizers (the new word), with no brand or price
    step = _step(shop, "search", {"query": "hydrating face cleansers", "category": "Moisturizers"},
                 "hydrating face cleansers", before, shown=[["c1"]])
    search.work(step)
    last = _searches(shop)[-1]
    assert (last["brand"], last["category"], last["min_price"], last["max_price"]) == ("Acme", "Cleansers", 10, 20)
    assert [c["id"] for c in step.cands[:2]] == ["c2", "c6"]
    # the next word cue adds to the words said, the first kind stays
    step2 = _step(shop, "search", {"query": "foaming"}, "foaming ones", step.constraints, shown=[["c1"], ["c2"]])
    search.work(step2)
    assert set(_searches(shop)[-1]["query"].split()) == {"foaming", "hydrating", "face", "cleansers"}
    assert step2.cands[0]["id"] == "c6" and step2.constraints["kind"] == "face cleansers"


def test_another_kind_of_product_starts_a_new_need() -> None:
    shop = FakeShop()
    before = {**CLEANSERS, "brand": "Acme", "max_price": 20.0}
    assert not same_need(before, {"query": "shampoos", "category": "Shampoos"}, SimpleNamespace(path_words=PATHS))
    step = _step(shop, "search", {"query": "shampoos", "category": "Shampoos"}, "show me shampoos", before,
                 shown=[["c1"]])
    search.work(step)
    last = _searches(shop)[-1]
    assert last.get("brand") is None and last.get("max_price") is None and last["query"] == "shampoos"
    assert [c["id"] for c in step.cands] == ["s1"] and step.constraints["kind"] == "shampoos"


def test_same_need_reads_no_kind_the_same_category_or_the_kind_said_again() -> None:
    vocab = SimpleNamespace(path_words=PATHS)
    assert same_need(CLEANSERS, {"query": "hydrating"}, vocab)
    assert same_need(CLEANSERS, {"query": "gentle cleansers", "category": "Cleansers"}, vocab)
    assert same_need(CLEANSERS, {"query": "clay face cleanser", "category": "Moisturizers"}, vocab)
    assert not same_need(CLEANSERS, {"query": "face cream", "category": "Moisturizers"}, vocab)
    assert not same_need({}, {"query": "face cream"}, vocab)  # nothing said before


def test_what_the_shopper_says_now_wins_over_what_was_carried() -> None:
    shop = FakeShop()
    step = _step(shop, "search", {"query": "face cleansers", "category": "Cleansers", "brand": "Bloom",
                                  "max_price": 15.0}, "Bloom face cleansers under $15",
                 {**CLEANSERS, "brand": "Acme", "min_price": 10.0, "max_price": 20.0})
    step.constraints = dict(step.args)  # as the search node starts
    assert keep_earlier_filters(step) == []
    assert (step.constraints["brand"], step.constraints.get("min_price"), step.constraints["max_price"]) == \
        ("Bloom", None, 15.0)
    search.work(step)
    assert [c["id"] for c in step.cands] == ["c4"]


def test_carried_filters_that_leave_nothing_are_dropped_the_band_first() -> None:
    shop = FakeShop()
    # Cove cleansers cost 9-11: with the carried $30-60 band nothing is left, the brand still holds
    step = _step(shop, "search", {"query": "milk cleansers"}, "milk cleansers",
                 {**CLEANSERS, "brand": "Cove", "min_price": 30.0, "max_price": 60.0}, shown=[["c7"]])
    search.work(step)
    last = _searches(shop)[-1]
    assert last["brand"] == "Cove" and last.get("min_price") is None and last.get("max_price") is None
    assert step.cands[0]["id"] == "c8"


def test_the_ablation_forgets_what_was_said() -> None:
    shop = FakeShop()
    step = _step(shop, "search", {"query": "hydrating face cleansers", "category": "Cleansers"},
                 "hydrating face cleansers", {**CLEANSERS, "brand": "Acme"}, carry=False)
    search.work(step)
    assert _searches(shop)[-1].get("brand") is None


def test_products_passed_over_are_not_shown_again() -> None:
    shop = FakeShop()
    shown = [["c2", "c6", "c3", "c4"], ["c8", "c1"]]
    step = _step(shop, "search", {"query": "face cleansers", "category": "Cleansers"}, "other face cleansers",
                 CLEANSERS, shown=shown)
    assert pool_size(step, 4) == 4 + 6  # room for as many new ones as were passed over
    search.work(step)
    assert {c["id"] for c in step.cands[:2]} == {"c5", "c7"}  # the two not shown yet, then the others
    assert len(step.cands) == 8


def test_the_anchor_of_an_earlier_more_like_counts_as_passed_over() -> None:
    state = {"shown": [{"products": [{"id": "a"}, {"id": "b"}], "trace": []},
                       {"products": [{"id": "c"}], "trace": [{"name": "similar_items", "args": {"item_id": "a"}}]}],
             "viewed": ["a", "d"]}
    assert rejected(state) == {"a", "b", "c"}


def test_a_brand_cue_searches_again_when_the_matching_candidates_were_all_shown() -> None:
    shop = FakeShop()
    step = _step(shop, "refine", {"brand": "Acme"}, "only Acme", CLEANSERS, shown=[["c1", "c2", "c6", "c3"]])
    step.cands += [{"id": "c4", "score": 0.5, "why": ""}, {"id": "c5", "score": 0.5, "why": ""}]
    refine.work(step)
    assert _searches(shop), "four Acme candidates, all passed over: a new search, not the same four"
    assert _searches(shop)[-1]["brand"] == "Acme"


def test_more_like_stays_within_the_brand_and_band_said() -> None:
    shop = FakeShop()
    step = _step(shop, "similar", {"item": 1}, "more like the first one",
                 {**CLEANSERS, "min_price": 10.0, "max_price": 20.0}, shown=[["c5", "c1", "c7", "m2"]])
    similar.work(step)
    calls = [a for n, a in shop.calls if n == "similar_items"]
    assert len(calls) == 1 and (calls[0]["min_price"], calls[0]["max_price"]) == (10.0, 20.0)
    assert [c["id"] for c in step.cands][:1] == ["c4"]  # Bloom, cleanser, in the band
    assert all(10 <= shop.get(c["id"]).price <= 20 for c in step.cands)
    assert step.update["viewed"] == ["c5"]


def test_more_like_widens_when_too_few_new_ones_are_within_the_band() -> None:
    shop = FakeShop()
    step = _step(shop, "similar", {"item": 1}, "more like the first one",
                 {**CLEANSERS, "min_price": 10.0, "max_price": 13.0}, shown=[["c5", "c1", "c7", "m2"]])
    similar.work(step)
    calls = [a for n, a in shop.calls if n == "similar_items"]
    assert len(calls) == 2 and calls[1].get("max_price") is None
    ids = [c["id"] for c in step.cands]
    assert ids[:2] == ["c4", "c8"]  # within the band first (12 and 11), then the nearest outside it
    assert "c5" not in ids and ids[-2:] != ["c4", "c8"]


def test_a_signed_in_shoppers_search_adds_the_recommenders_picks_within_the_filters() -> None:
    shop = FakeShop()
    step = _step(shop, "search", {"query": "foaming cleansers", "category": "Cleansers"}, "foaming cleansers",
                 user_id="u1")
    step.cands = []
    search.work(step)
    picks = [a for n, a in shop.calls if n == "recommend_for_user"]
    assert picks and picks[0]["category"] == "Cleansers" and picks[0]["user_id"] == "u1"
    assert step.cands[0]["id"] == "c7"  # no word of the query (the search missed it), but the shopper's model
    # ranks it first
    assert "m1" not in {c["id"] for c in step.cands}  # the picks keep the search's filters


def test_an_anonymous_search_asks_the_recommender_nothing() -> None:
    shop = FakeShop()
    step = _step(shop, "search", {"query": "foaming cleansers", "category": "Cleansers"}, "foaming cleansers")
    search.work(step)
    assert not [n for n, _ in shop.calls if n in ("recommend_for_user", "shopper_scores")]
    assert step.cands[0]["id"] in ("c3", "c5", "c6")



def test_a_brand_missing_from_the_kind_inferred_shows_that_brands_nearest_products() -> None:
    shop = FakeShop()
    # the planner inferred moisturizers; the shopper then asks for Cove, which makes only cleansers
    step = _step(shop, "refine", {"brand": "Cove"}, "Cove please",
                 {"query": "face cream", "category": "Moisturizers", "kind": "face cream"}, shown=[["m1", "m2"]])
    refine.work(step)
    assert [c["id"] for c in step.cands] == ["c7"]  # Cove's face wash: the nearest to a face cream it has
    assert step.constraints.get("category") is None and step.constraints["brand"] == "Cove"
    assert "relaxed" in step.facts and "products" not in step.facts


def test_a_brand_said_is_also_looked_for_in_titles_when_the_brand_field_lacks_it() -> None:
    shop = FakeShop()
    # a Cove cleanser listed with no brand: the brand filter cannot find it, its title names Cove
    shop.products["c9"] = SimpleNamespace(id="c9", brand=None, category="Cleansers", price=30.0,
                                          title="cove deep clay cleanser")
    step = _step(shop, "search", {"query": "cleansers", "brand": "Cove", "category": "Cleansers"}, "cleansers by cove",
                 {**CLEANSERS, "min_price": 20.0, "max_price": 35.0}, shown=[["c3"]])
    search.work(step)
    assert [c["id"] for c in step.cands] == ["c9"]  # within the band said before, not the Cove ones outside it
    assert step.constraints.get("brand") is None and "cove" in step.constraints["query"].lower()
    # a brand no title names either: the band is dropped as before, the brand filter stays
    step2 = _step(FakeShop(), "search", {"query": "cleansers", "brand": "Cove", "category": "Cleansers"},
                  "cleansers by cove", {**CLEANSERS, "min_price": 20.0, "max_price": 35.0}, shown=[["c3"]])
    search.work(step2)
    assert step2.constraints["brand"] == "Cove" and {c["id"] for c in step2.cands} <= {"c7", "c8"}


def test_more_like_brings_the_best_matches_of_the_products_brand_too() -> None:
    shop = FakeShop()
    # "face cleansers": the shopper asks for more like the Acme face wash (no brand said yet)
    step = _step(shop, "similar", {"item": 1}, "something like the first one", CLEANSERS,
                 shown=[["c1", "c4", "c7", "c5"]])
    step.deps.anchor_brand = True
    similar.work(step)
    brand_searches = [a for a in _searches(shop) if a.get("brand") == "Acme"]
    assert brand_searches and brand_searches[0]["category"] == "Cleansers"  # the need kept, the brand added
    ids = [c["id"] for c in step.cands]
    assert "c6" in ids[:4]  # Acme's face cleanser not shown yet (the best Acme match of "face cleansers")
    assert not {"c1", "c4", "c7", "c5"} & set(ids[:4]) and step.constraints.get("brand") is None
    # a brand already said: the look-alikes keep to it, no second search
    said = FakeShop()
    step2 = _step(said, "similar", {"item": 1}, "something like the first one", {**CLEANSERS, "brand": "Acme"},
                  shown=[["c1", "c2"]])
    step2.deps.anchor_brand = True
    similar.work(step2)
    assert not _searches(said)


def test_more_like_brings_the_products_sharing_its_title_words_within_the_need() -> None:
    # Acme cleansers said; "more like" the Acme hydrating foaming face cleanser. The look-alikes rank every Acme
    # cleanser alike (c1's face wash first); the title's own words put the hydrating ones first
    def run(neighbours: bool) -> tuple[FakeShop, Step]:
        shop = FakeShop()
        step = _step(shop, "similar", {"item": 1}, "more like the first one", {**CLEANSERS, "brand": "Acme"},
                     shown=[["c6", "c4", "c7", "c5"]])
        step.deps.title_neighbours = neighbours
        similar.work(step)
        return shop, step

    shop, step = run(True)
    search_args = _searches(shop)[-1]
    assert search_args["query"] == "acme hydrating foaming face cleanser"  # the anchor's title
    assert (search_args["brand"], search_args["category"]) == ("Acme", "Cleansers")  # within the need
    assert [c["id"] for c in step.cands[:3]] == ["c2", "c1", "c3"] and step.constraints.get("query") == "face cleansers"
    shop, step = run(False)
    assert not _searches(shop) and [c["id"] for c in step.cands[:3]] == ["c1", "c2", "c3"]


def test_only_products_passed_over_left_relaxes_the_inferred_category_for_new_ones() -> None:
    before = {"query": "face cream", "category": "Moisturizers", "kind": "face cream", "brand": "Acme"}
    # Acme's only moisturizer was shown and passed over; a new word finds it again, and nothing else, in the kind
    # the planner inferred
    shop = FakeShop()
    step = _step(shop, "search", {"query": "hydrating face cream"}, "hydrating face cream", before, shown=[["m1"]])
    search.work(step)
    assert step.cands and "m1" not in {c["id"] for c in step.cands[:4]}
    assert {shop.get(c["id"]).brand for c in step.cands} == {"Acme"}  # the brand said still holds
    assert step.constraints.get("category") is None
    assert step.facts["relaxed"].startswith("Nothing new matched all of that, so I left out the category Moisturizers")
    # without the memory of what was passed over, showing it again is no dead end
    shop = FakeShop()
    step = _step(shop, "search", {"query": "hydrating face cream"}, "hydrating face cream", before, shown=[["m1"]],
                 memory=False)
    search.work(step)
    assert [c["id"] for c in step.cands] == ["m1"] and "relaxed" not in step.facts


def test_the_shoppers_own_word_outweighs_the_category_the_planner_guessed() -> None:
    shop = FakeShop()
    # a leaf of the same kind beside the one inferred: a night cream called "velvet"
    shop.products["n1"] = SimpleNamespace(id="n1", brand="Bloom", category="Night Creams", categories=["Night Creams"],
                                          price=19.0, title="bloom velvet night cream")
    shop.products["x1"] = SimpleNamespace(id="x1", brand="Dune", category="Shampoos", categories=["Shampoos"],
                                          price=9.0, title="dune velvet shampoo")  # the word, another kind
    before = {"query": "face cream", "category": "Moisturizers", "kind": "face cream"}
    step = _step(shop, "search", {"query": "face creams velvet", "category": "Moisturizers"},
                 "face creams that are velvet", before, shown=[["m1"]])
    search.work(step)
    assert step.cands[0]["id"] == "n1" and "x1" not in [c["id"] for c in step.cands[:1]]
    assert step.facts["relaxed"].startswith('Nothing in Moisturizers mentions "velvet", so I looked in other')
    # a word the inferred category's titles have: it stays
    shop = FakeShop()
    step = _step(shop, "search", {"query": "night face cream", "category": "Moisturizers"}, "night face cream",
                 before, shown=[["c1"]])
    search.work(step)
    assert step.constraints["category"] == "Moisturizers" and "relaxed" not in step.facts
    assert "m2" in [c["id"] for c in step.cands]


def test_another_page_shows_the_lists_next_products_and_says_so() -> None:
    from agent.templates import fallback_reply

    shop = FakeShop()
    # "next" after four Acme/Bloom cleansers: the same need, nothing narrowed, new products first
    step = _step(shop, "refine", {}, "next", CLEANSERS, shown=[["c1", "c2", "c3", "c4"]])
    refine.work(step)
    assert step.facts.get("more") is True
    assert step.cands and not {"c1", "c2", "c3", "c4"} & {c["id"] for c in step.cands[:4]}
    products = [{"position": 1, "title": "cove clay face wash", "price": 9.0}]
    assert fallback_reply("refine", {"products": products, "more": True}).startswith("Here are more, starting")
    assert fallback_reply("refine", {"products": products}).startswith("Here is the narrowed selection")
    narrowed = _step(FakeShop(), "refine", {"max_price": 12.0}, "under 12", CLEANSERS, shown=[["c1", "c2"]])
    refine.work(narrowed)
    assert "more" not in narrowed.facts
