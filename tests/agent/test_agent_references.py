"""On-screen references and no dead ends: "the first one" with nothing shown asks; "which of those is cheapest"
orders what is shown without a new search; filters that leave nothing are relaxed softest first, and said so."""

from __future__ import annotations

from agent.nodes.step import ASK_WHICH


def _tools(result) -> list[str]:  # noqa: ANN001
    return [t["name"] for t in result.tool_calls]


def test_a_reference_with_nothing_on_screen_asks_what_the_shopper_means(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    for i, message in enumerate(["so how much does the first one cost?", "tell me more about number 2",
                                 "is that one any good?"]):
        result = agent.run_turn(f"t-empty-{i}", message)
        assert result.answer == ASK_WHICH, (message, result.action, result.answer)
        assert "search_products" not in _tools(result) and result.products == []


def test_a_reference_that_names_a_product_still_searches(make_agent) -> None:  # noqa: ANN001
    result = make_agent().run_turn("t-named", "the first coffee maker you have under 100 dollars")
    assert result.action == "search" and result.products and result.answer != ASK_WHICH


def test_which_of_those_is_cheapest_orders_the_shown_without_a_new_search(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    shown = agent.run_turn("t-order", "show me coffee makers").products
    assert len(shown) == 4
    result = agent.run_turn("t-order", "which of those is the least expensive?")
    assert result.action == "compare" and _tools(result) == ["compare_items"]
    prices = [p.price for p in result.products]
    assert prices == sorted(prices) and sorted(p.id for p in result.products) == sorted(p.id for p in shown)
    assert "By price, lowest first" in result.answer


def test_which_is_best_rated_orders_by_rating(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    agent.run_turn("t-rated", "show me hiking backpacks")
    result = agent.run_turn("t-rated", "which one has the highest rating?")
    assert result.action == "compare" and "search_products" not in _tools(result)
    ratings = [p.rating for p in result.products if p.rating is not None]
    assert ratings == sorted(ratings, reverse=True) and "By rating, best first" in result.answer


def test_which_shoes_are_lighter_orders_the_shown_by_weight(make_agent, agent_vocab_catalog) -> None:  # noqa: ANN001
    from agent.nodes.compare import _grams

    agent = make_agent()
    shown = agent.run_turn("t-light", "show me running shoes").products
    result = agent.run_turn("t-light", "which shoes are lighter")
    assert result.action == "compare" and _tools(result) == ["compare_items"]
    assert sorted(p.id for p in result.products) == sorted(p.id for p in shown)
    said = [agent_vocab_catalog.get(p.id).attributes.get("weight") for p in result.products]
    weights = [_grams(w) for w in said if w]
    assert len(weights) >= 2 and weights == sorted(weights) and "By weight, lightest first" in result.answer


def test_filters_that_leave_nothing_drop_the_inferred_category_first_and_say_so(make_agent) -> None:  # noqa: ANN001
    result = make_agent().run_turn("t-relax", "running socks for about $150")
    assert result.action == "search" and result.products
    assert "left out the category Running Socks" in result.answer
    assert all(120 <= p.price <= 180 for p in result.products)  # the price band held
    assert [t["name"] for t in result.tool_calls].count("search_products") == 2


def test_then_the_band_around_an_about_price_is_widened(make_agent, agent_vocab_catalog) -> None:  # noqa: ANN001
    top = max(p.price for p in agent_vocab_catalog.products() if p.price is not None)
    about = round(top * 1.3)  # nothing at +-20% of this, something within +-50%
    result = make_agent().run_turn("t-widen", f"a camping tent for about ${about}")
    assert result.action == "search" and result.products
    assert "widened" in result.answer and "left out the category Camping Tents" in result.answer
    assert all(p.price >= about * 0.5 and p.price <= about * 1.5 for p in result.products)


def test_nothing_relaxed_finds_anything_says_nothing_matches(make_agent) -> None:  # noqa: ANN001
    result = make_agent().run_turn("t-none", "blenders under $1")
    assert result.products == [] and "match" in result.answer.lower()


def test_a_position_beyond_the_one_product_shown_is_said_not_answered_with_the_first(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    shown = agent.run_turn("t-one", "Hayate chef knives").products
    assert len(shown) == 1  # the only Hayate chef knife of the catalog
    for message in ("tell me more about the second one", "more like number 3", "compare the first and the fourth"):
        result = agent.run_turn("t-one", message)
        assert result.answer.startswith("Only one product is on screen, so there is no "), (message, result.answer)
        assert result.products == [] and "describe_item" not in _tools(result), message
    result = agent.run_turn("t-one", "tell me more about the first one")  # the one shown is still there
    assert result.action == "describe" and [p.id for p in result.products] == [shown[0].id]


def test_asking_again_when_nothing_new_is_left_says_so_above_the_same_products(make_agent) -> None:  # noqa: ANN001
    from agent.nodes.search import SEEN_ALL

    agent = make_agent()
    first = agent.run_turn("t-seen", "Hayate chef knives").products
    assert len(first) == 1  # the only Hayate product of the catalog
    result = agent.run_turn("t-seen", "any other hayate chef knives?")
    assert [p.id for p in result.products] == [p.id for p in first]
    assert SEEN_ALL in result.answer and "left out" not in result.answer
    assert [t["name"] for t in result.tool_calls].count("search_products") == 3  # as said, by title, wider


def test_a_category_the_words_did_not_name_is_said_above_the_products(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    result = agent.run_turn("t-guess", "hiking boots")  # no boots in the shop: the nearest kind is backpacks
    assert result.action == "search" and result.products
    assert all("Hiking Backpack" in p.title for p in result.products)
    assert "These are from Hiking Backpacks, the nearest this shop has to what you asked." in result.answer
    named = agent.run_turn("t-named-kind", "hiking backpacks")  # the kind said by its name: nothing to add
    assert named.products and "the nearest this shop has" not in named.answer


def test_words_no_product_says_are_said_above_the_nearest_products(make_agent) -> None:  # noqa: ANN001
    agent = make_agent()
    result = agent.run_turn("t-hammock", "hammock under 70")  # the shop sells no hammocks
    assert result.action == "search" and result.products
    assert 'Nothing in this shop mentions "hammock"; these are the nearest products I found.' in result.answer
    pans = agent.run_turn("t-pans", "frying pan under 70")  # the words are the products': nothing to add
    assert pans.products and "Nothing in this shop mentions" not in pans.answer


def test_a_colour_asked_of_what_is_shown_shows_that_colour_or_says_none_has_it(make_agent) -> None:  # noqa: ANN001
    from agent.nodes.refine import NONE_IN

    agent = make_agent()
    first = agent.run_turn("t-colour", "running shoes")
    assert first.action == "search" and first.products
    result = agent.run_turn("t-colour", "would they come in grey?")
    assert result.action == "refine" and result.products
    assert all("grey" in p.title.lower() for p in result.products)
    assert all("running shoe" in p.title.lower() for p in result.products)  # the kind asked before is kept
    assert "These come in grey." in result.answer
    none = agent.run_turn("t-colour", "got them in turquoise?")
    assert none.action == "refine" and NONE_IN.format(variant="turquoise") in none.answer


def test_a_size_asked_of_what_is_shown_shows_that_size(make_agent, agent_vocab_catalog) -> None:  # noqa: ANN001
    agent = make_agent()
    shoes = [p for p in agent_vocab_catalog.products() if p.category == "Running Shoes"]
    size = next(p.attributes["size"] for p in shoes if p.attributes.get("size", "").startswith("US "))
    figure = size.removeprefix("US ")
    assert agent.run_turn("t-size", "running shoes").products
    result = agent.run_turn("t-size", f"got these in a {figure}?")
    assert result.action == "refine" and result.products
    assert all(agent_vocab_catalog.get(p.id).category == "Running Shoes" for p in result.products)
    assert all(agent_vocab_catalog.get(p.id).attributes.get("size") == size for p in result.products)
    assert f"These come in size {figure}." in result.answer
