"""The rule shopper: a vague opening, one cue per missed turn from the record, never the title or the id."""

from __future__ import annotations

from evals.converse.simulator import (Record, RuleShopper, TitleWords, closeness, everyday_category, price_band,
                                      static_cues)

TARGET = Record(id="B00TARGET1", title="Neutrogena Hydro Boost Gel Cream Moisturizer", brand="Neutrogena",
                categories=["Beauty", "Skin Care", "Face", "Creams & Moisturizers"], price=17.5)
TITLES = [TARGET.title, "Olay Hydro Boost Night Cream", "Aveeno Gel Cream Daily", "Cetaphil Gel Cleanser",
          "Hydro Mask Sheet Gel", *[f"Other thing {i}" for i in range(60)]]
WORDS = TitleWords(TITLES)


def shown(*records: tuple[str, str, str | None, float | None]) -> list[Record]:
    return [Record(id=i, title=t, brand=b, categories=["Beauty", "Makeup", "Lips"], price=p) for i, t, b, p in records]


def test_opening_names_the_leaf_category_in_everyday_words_not_the_title() -> None:
    cue = RuleShopper(TARGET, WORDS, seed=0).opening()
    assert cue.kind == "opening"
    assert "creams and moisturizers" in cue.text
    assert "hydro" not in cue.text.lower() and "neutrogena" not in cue.text.lower()


def test_a_one_word_leaf_gets_its_parent() -> None:
    assert everyday_category(["Beauty", "Skin Care", "Face", "Cleansers"]) == "face cleansers"
    assert everyday_category(["Beauty", "Makeup", "Lips", "Lipstick"]) == "lipstick"
    assert everyday_category(["Beauty", "Makeup", "Eyes", "Sets"]) == "eyes sets"
    assert everyday_category(["Beauty"]) == "beauty products"


def test_price_bands_cover_every_price_and_the_open_top() -> None:
    assert price_band(17.5) == (10, 20)
    assert price_band(3) == (0, 10)
    assert price_band(250) == (100, None)
    assert price_band(None) is None


def test_distinctive_words_are_rare_title_words_not_the_brand_nor_the_category() -> None:
    words = WORDS.distinctive(TARGET)
    assert words and set(words) <= {"hydro", "boost", "gel"}
    assert "neutrogena" not in words and "moisturizer" not in words  # brand; in no other title
    assert WORDS.df[words[0]] <= WORDS.df[words[-1]]  # rarest first


def test_static_cues_in_order_brand_band_words() -> None:
    kinds = [c.kind for c in static_cues(TARGET, WORDS)]
    assert kinds[:2] == ["brand", "band"] and set(kinds[2:]) == {"word"}


def test_cues_after_unrelated_products_give_brand_then_band_then_words() -> None:
    sim = RuleShopper(TARGET, WORDS, seed=3)
    sim.opening()
    unrelated = shown(("x1", "Red Lipstick", "Revlon", 9.0), ("x2", "Lip Balm", "Burt's", 4.0))
    said = [sim.next_cue(unrelated, t) for t in range(1, 5)]
    assert [c.kind for c in said[:2]] == ["brand", "band"]
    assert "Neutrogena" in said[0].text and "$10" in said[1].text and "$20" in said[1].text
    assert all(c.kind == "word" for c in said[2:])
    for c in said:
        assert TARGET.title not in c.text and TARGET.id not in c.text


def test_more_like_points_at_the_closest_product_on_screen_once() -> None:
    sim = RuleShopper(TARGET, WORDS, seed=0)
    sim.opening()
    screen = shown(("x1", "Red Lipstick", "Revlon", 9.0), ("x2", "Neutrogena Hydro Boost Gel Cream", "Neutrogena", 8.0))
    cue = sim.next_cue(screen, 1)
    assert cue.kind == "more_like" and cue.value == 2
    assert any(w in cue.text for w in ("[2]", "second", "number 2"))
    assert sim.next_cue(screen, 2).kind != "more_like"  # the same product is not pointed at twice


def test_cheaper_when_everything_shown_costs_more_than_the_band() -> None:
    sim = RuleShopper(TARGET, WORDS, seed=0)
    sim.opening()
    pricey = shown(("x1", "Luxury Serum", "La Mer", 180.0), ("x2", "Gold Cream", "Sisley", 95.0))
    assert sim.next_cue(pricey, 1).kind == "cheaper"
    assert sim.next_cue(pricey, 2).kind != "cheaper"  # not twice in a row


def test_the_same_seed_says_the_same_words() -> None:
    a, b = RuleShopper(TARGET, WORDS, seed=7), RuleShopper(TARGET, WORDS, seed=7)
    screen = shown(("x1", "Red Lipstick", "Revlon", 9.0))
    assert [a.opening().text] + [a.next_cue(screen, t).text for t in range(1, 5)] == \
        [b.opening().text] + [b.next_cue(screen, t).text for t in range(1, 5)]


def test_closeness_prefers_brand_then_category_then_title_words() -> None:
    same_brand = Record(id="a", title="Neutrogena Soap", brand="Neutrogena", categories=["Beauty", "Bath"])
    same_leaf = Record(id="b", title="Some Cream", brand="X", categories=TARGET.categories)
    assert closeness(TARGET, same_brand) > closeness(TARGET, same_leaf) > 0


def test_a_more_like_that_brought_nothing_closer_is_followed_by_what_the_shopper_knows() -> None:
    sim = RuleShopper(TARGET, WORDS, seed=0)
    sim.opening()
    first = shown(("x2", "Neutrogena Hydro Boost Gel Cream", "Neutrogena", 8.0))
    assert sim.next_cue(first, 1).kind == "more_like"
    no_closer = shown(("x3", "Neutrogena Gel Cream", "Neutrogena", 8.0))  # new, close, but not closer
    assert sim.next_cue(no_closer, 2).kind == "brand"
    closer = shown(("x4", "Neutrogena Hydro Boost Gel Cream Moisturizer Mini", "Neutrogena", 8.0))
    assert sim.next_cue(closer, 3).kind == "more_like"  # closer than before: worth pointing at again


def test_function_words_are_never_a_distinctive_cue() -> None:
    target = Record(id="t", title="Glow Cream How It Works Wont Fade", brand="X", categories=TARGET.categories)
    titles = [target.title, *[f"Cream {i} how wont glow" for i in range(3)], *[f"Other {i}" for i in range(80)]]
    assert TitleWords(titles).distinctive(target) == ["glow"]
