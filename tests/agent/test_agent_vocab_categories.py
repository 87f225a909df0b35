"""A category found by a phrase gives way to a namesake leaf whose path the message names, or that is far larger."""

from __future__ import annotations

import pandas as pd

from agent.planners.vocab import Vocabulary


class _Catalog:
    def __init__(self, rows: list[tuple[str, str, int]]) -> None:
        cats, paths = [], []
        for leaf, path, n in rows:
            cats += [leaf] * n
            paths += [path] * n
        self._frame = pd.DataFrame({"category": cats, "category_path": paths, "title": [""] * len(cats),
                                    "brand": [""] * len(cats)})

    def frame(self) -> pd.DataFrame:
        return self._frame

    def brands(self) -> list[str]:
        return []

    def users(self) -> list[str]:
        return []


ROWS = [("Lacquers", "Home > Wood Care > Lacquers", 3), ("Nail Lacquers", "Beauty > Nails > Nail Lacquers", 60),
        ("Lacquer Removers", "Beauty > Nails > Lacquer Removers", 200),
        ("Wands", "Beauty > Eyes > Wands", 5), ("Curling Wands", "Beauty > Hair > Curling Wands", 40),
        ("Toners", "Beauty > Face > Toners", 30), ("Hair Toners", "Beauty > Hair > Hair Toners", 50)]


def test_a_tiny_category_gives_way_to_a_far_larger_namesake() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    assert vocab.find_category("a red lacquer") == "Nail Lacquers"  # not the 200 removers: "lacquer" is no head
    assert vocab.find_category("a wand for beach waves") == "Curling Wands"


def test_the_message_words_pick_the_namesake_by_its_path() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    assert vocab.find_category("an eye wand") == "Wands"


def test_a_category_of_comparable_size_keeps_its_own_name() -> None:
    vocab = Vocabulary.from_catalog(_Catalog(ROWS))
    assert vocab.find_category("a toner") == "Toners"
    assert vocab.find_category("lacquer remover") == "Lacquer Removers"


def test_a_closed_compound_of_two_catalog_words_is_read_as_both() -> None:
    rows = [("Hair Combs", "Beauty > Hair > Hair Combs", 20), ("Nail Files", "Beauty > Nails > Nail Files", 20)]
    vocab = Vocabulary.from_catalog(_Catalog(rows))
    assert vocab.find_category("a wide haircomb for curls") == "Hair Combs"
    assert vocab.find_category("nailfiles in a pack") == "Nail Files"
    assert vocab.find_category("a hairnet") is None  # "net" is no catalog word


def test_the_leading_words_of_one_category_name_it() -> None:
    rows = [("Split End Treatments", "Beauty > Hair > Split End Treatments", 20),
            ("Eyes", "Beauty > Skin Care > Eyes", 20), ("Makeup Brushes & Tools", "Beauty > Makeup Brushes & Tools", 20)]
    vocab = Vocabulary.from_catalog(_Catalog(rows))
    assert vocab.find_category("something for split ends") == "Split End Treatments"
    assert vocab.find_category("split end stuff for my eyes") == "Split End Treatments"


class _TitledCatalog(_Catalog):
    """Rows of (leaf, path, how many, title words)."""

    def __init__(self, rows: list[tuple[str, str, int, str]]) -> None:
        super().__init__([(leaf, path, n) for leaf, path, n, _ in rows])
        self._frame["title"] = [f"Acme {words} {i}" for _, _, n, words in rows for i in range(n)]


TITLED = [("Makeup", "Beauty > Makeup", 5, "Glow Kit"),
          ("Foundation Primers", "Beauty > Makeup > Face > Foundation Primers", 60, "Pore Blur Primer"),
          ("Lip Primers", "Beauty > Makeup > Lips > Lip Primers", 4, "Lip Primer Balm"),
          ("Cologne", "Beauty > Scent > Men's > Cologne", 20, "Cedar Cologne"),
          ("Cologne", "Beauty > Scent > Women's > Cologne", 15, "Rose Cologne"),
          ("Soaps", "Bath > Soaps", 50, "Oat Bar Soap"),
          ("Soap & Lotion Sets", "Bath > Soap & Lotion Sets", 20, "Gift Duo")]


def test_a_leafs_head_noun_beats_the_name_of_a_category_above_it() -> None:
    vocab = Vocabulary.from_catalog(_TitledCatalog(TITLED))
    assert vocab.find_category("a primer under my makeup") == "Foundation Primers"  # 60 against 4: the larger
    assert vocab.find_category("some makeup") == "Makeup"


def test_a_leaf_name_of_several_branches_takes_the_branch_the_shopper_names() -> None:
    vocab = Vocabulary.from_catalog(_TitledCatalog(TITLED))
    assert vocab.find_category("a cologne for mens") == "Men's"
    assert vocab.find_category("a cologne") == "Cologne"


def test_a_branch_that_holds_nearly_all_of_a_leaf_keeps_the_leaf() -> None:
    vocab = Vocabulary.from_catalog(_TitledCatalog([
        ("Cleansers", "Beauty > Skin Care > Face > Cleansers", 40, "Gel Cleanser"),
        ("Cleansers", "Beauty > Bath > Cleansers", 1, "Bar Cleanser"),
        ("Creams", "Beauty > Skin Care > Face > Creams", 30, "Night Cream")]))
    # the whole Face branch would bring its creams: the leaf already means the face's cleansers
    assert vocab.find_category("face cleansers") == "Cleansers"
    assert vocab.find_category("bath cleansers") == "Bath"  # the branch that holds few of them is still named


def test_the_and_of_a_compound_name_is_no_evidence_for_it() -> None:
    vocab = Vocabulary.from_catalog(_TitledCatalog(TITLED))
    assert vocab.find_category("a soap and a sponge") == "Soaps"


def test_a_typing_slip_of_a_category_word() -> None:
    vocab = Vocabulary.from_catalog(_Catalog([("Blenders", "Kitchen > Blenders", 10),
                                              ("Kettles", "Kitchen > Kettles", 5)]))
    assert vocab.find_category("a blnder for soup") == "Blenders"  # one letter left out
    assert vocab.find_category("a bldner for soup") == "Blenders"  # two slips in a 7-letter word
    assert vocab.find_category("a kettel") == "Kettles"  # two letters swapped
    assert vocab.find_category("a bladder") is None  # an English word is never respelt
