"""Loaders and the leave-one-out split."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ShopagentError
from tools.recommend.data import load_item_texts, load_sequences


def test_s3rec_file_splits_last_item_test_second_last_validation(tmp_path: Path) -> None:
    path = tmp_path / "Tiny.txt"
    path.write_text("1 10 11 12 13\n2 11 12 14\n")
    data = load_sequences(path)
    assert data.n_users == 2 and data.n_items == 5 and data.n_interactions == 7
    u0 = [data.item_of(i) for i in data.sequences[0]]
    assert u0 == ["10", "11", "12", "13"]
    assert [data.item_of(i) for i in data.histories("valid")[0]] == ["10", "11"]
    assert [data.item_of(i) for i in data.histories("test")[0]] == ["10", "11", "12"]
    assert data.item_of(int(data.targets("valid")[0])) == "12"
    assert data.item_of(int(data.targets("test")[1])) == "14"


def test_inter_json_keeps_time_order(tmp_path: Path) -> None:
    path = tmp_path / "Sci.inter.json"
    path.write_text(json.dumps({"7": [3, 1, 2], "8": [1, 3, 4]}))
    (tmp_path / "Sci.item.json").write_text(json.dumps({str(i): {"title": f"thing {i}", "brand": "B",
                                                                  "categories": "A,B"} for i in range(5)}))
    data = load_sequences(path)
    assert [data.item_of(i) for i in data.sequences[0]] == ["3", "1", "2"]
    texts = load_item_texts(path, data)
    assert texts is not None and texts[data.index_of("4") - 1].startswith("thing 4")


def test_csv_is_ordered_by_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "inter.csv"
    path.write_text("reviewerID,asin,unixReviewTime\nu1,b,20\nu1,a,10\nu1,c,30\n")
    data = load_sequences(path)
    assert [data.item_of(i) for i in data.sequences[0]] == ["a", "b", "c"]


@pytest.mark.parametrize("content, needle", [("", "empty"), ("{not json", "not valid JSON"),
                                             ("[1, 2]", "expected a JSON object")])
def test_empty_or_corrupt_file_is_a_clear_error(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.inter.json"
    path.write_text(content)
    with pytest.raises(ShopagentError, match=needle):
        load_sequences(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ShopagentError, match="no interaction file at .*nope.txt"):
        load_sequences(tmp_path / "nope.txt")


def test_real_beauty_split_matches_the_published_statistics(shared_datasets: Path) -> None:
    data = load_sequences(shared_datasets / "amazon-beauty-2014" / "benchmark" / "Beauty.txt")
    assert (data.n_users, data.n_items, data.n_interactions) == (22363, 12101, 198502)
    assert np.all(data.evaluable())
