"""A few simulated shoppers end to end on a slice of Amazon Beauty: the shop built without the targets, the
agent signed in and anonymous, the baselines, the report with its plot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.config import Settings
from evals.converse.data import beauty_dir, ensure_shop
from evals.converse.runner import ABLATIONS, run_converse
from evals.converse.suite import PLOT, write_converse_report
from evals.report import load_results

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def beauty_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 150 users of the Beauty interactions and every product of the catalog they or 600 others touch."""
    try:
        source = beauty_dir()
    except Exception as exc:  # noqa: BLE001 - no shared datasets on this machine
        pytest.skip(str(exc))
    out = tmp_path_factory.mktemp("beauty-slice")
    users: dict[str, list[list[str]]] = {}
    with open(source / "interactions_Beauty_5.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        for row in reader:
            if row[0] not in users and len(users) >= 150:
                continue
            users.setdefault(row[0], []).append(row)
    items = {r[1] for rows in users.values() for r in rows}
    with open(source / "meta_Beauty.jsonl", encoding="utf-8") as f, \
            open(out / "meta_Beauty.jsonl", "w", encoding="utf-8") as g:
        extra = 0
        for line in f:
            asin = json.loads(line).get("asin")
            if asin in items or extra < 600:
                extra += asin not in items
                g.write(line)
    with open(out / "interactions_Beauty_5.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for rows in users.values():
            w.writerows(rows)
    return out


BUILD = {"recommenders": ["popular", "cf", "sasrec"]}


def test_the_shop_is_built_without_any_target(beauty_slice: Path, tmp_path: Path) -> None:
    from tools.catalog.store import Catalog

    settings = Settings(data_dir=tmp_path)
    from tools.recommend.sasrec import SASRecConfig

    directory, shoppers = ensure_shop(settings, beauty_slice, recommenders=["popular"],
                                      sasrec=SASRecConfig(dim=32, max_epochs=2, members=1))
    inter = Catalog.open(directory).interaction_frame()
    seen = set(zip(inter["user_id"], inter["item_id"]))
    assert shoppers and all((s.user_id, s.target) not in seen for s in shoppers)
    assert all(len(s.history) >= 1 for s in shoppers)


def test_a_few_shoppers_end_to_end_with_every_baseline_and_the_report(beauty_slice: Path, tmp_path: Path) -> None:
    from tools.recommend.sasrec import SASRecConfig

    settings = Settings(data_dir=tmp_path)
    build = {**BUILD, "sasrec": SASRecConfig(dim=32, max_epochs=3, members=1, max_train_s=60)}
    result, talks = run_converse(settings, users=12, turns=3, seed=1, workers=2, source=beauty_slice, build=build,
                                 ablations=ABLATIONS.select("all"))
    data = result.model_dump()
    assert set(data["baselines"]) == {"recommender", "first_search", "all_cues_search", "anonymous"}
    for arm in [data["agent"], *data["baselines"].values(), *data["ablations"].values()]:
        assert len(arm["hit_at"]) == 3 and arm["hit_at"] == sorted(arm["hit_at"])
        assert arm["hit5_ci95"][0] <= arm["hit_at"][-1] <= arm["hit5_ci95"][1]
        assert 1.0 <= arm["avg_turns"] <= 4.0
    for one_shot in ("recommender", "first_search", "all_cues_search"):
        assert len(set(data["baselines"][one_shot]["hit_at"])) == 1  # they do not talk: flat over the turns
    assert data["shoppers"] == 12 and data["seconds"] > 0
    agent_talks = [t for t in talks if t.arm == "agent"]
    assert len(agent_talks) == 12 and all(t.user_id for t in agent_talks)
    assert all(not t.user_id for t in talks if t.arm == "anonymous")
    for t in agent_talks:
        assert (t.hit is None) == (t.target not in {i for s in t.shown for i in s})
        assert len(t.said) == (t.hit or 3)
    out = write_converse_report(result, talks, tmp_path / "reports", "test-model")
    assert (out / PLOT).stat().st_size > 1000
    [row] = load_results(tmp_path / "reports")
    assert row.suite == "converse" and row.overall == result.agent.hit_at[-1]
