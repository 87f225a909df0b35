"""Models and metrics on small generated data with a known answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.errors import ShopagentError
from tools.recommend.base import ItemModel
from tools.recommend.cf import ItemKNN
from tools.recommend.data import load_sequences
from tools.recommend.evaluate import evaluate
from tools.recommend.popularity import PopularityModel
from tools.recommend.sasrec import SASRec, SASRecConfig

TINY = SASRecConfig(dim=32, blocks=1, heads=2, max_len=10, dropout=0.1, lr=5e-3, batch_size=64, max_epochs=25,
                    patience=25, max_train_s=60, members=1, cf_weight=0)


@pytest.fixture()
def pattern_data(pattern_file):  # noqa: ANN001, ANN201
    return load_sequences(pattern_file())


def test_sasrec_learns_the_sequence_that_popularity_cannot(pattern_data) -> None:  # noqa: ANN001
    sasrec = SASRec(pattern_data.item_ids, TINY)
    report = sasrec.fit(pattern_data)
    pop = PopularityModel(pattern_data.item_ids)
    pop.fit(pattern_data)
    m_sas = evaluate(sasrec.score, pattern_data, "test")
    m_pop = evaluate(pop.score, pattern_data, "test")
    assert report["best_epoch"] >= 1
    assert m_sas.ndcg10_full > 0.8, m_sas
    assert m_sas.ndcg10_full > m_pop.ndcg10_full + 0.4
    assert m_sas.hr10_neg99 >= m_sas.hr10_full


def test_item_knn_finds_the_next_item_in_the_cycle(pattern_data) -> None:  # noqa: ANN001
    cf = ItemKNN(pattern_data.item_ids, neighbours=10)
    cf.fit(pattern_data)
    i5 = pattern_data.index_of("i5")
    near = {pattern_data.item_of(i) for i, _ in cf.similar(i5, 2)}
    assert near == {"i4", "i6"}


def test_full_ranking_leaves_history_out_and_counts_ties_against_nobody(pattern_data) -> None:  # noqa: ANN001
    n = pattern_data.n_items

    def history_first(histories: list[np.ndarray]) -> np.ndarray:
        """Scores every history item highest, then the true next item: perfect once history is excluded."""
        s = np.zeros((len(histories), n + 1), np.float32)
        for r, h in enumerate(histories):
            s[r, h] = 10.0
            nxt = pattern_data.index_of(f"i{(int(pattern_data.item_of(int(h[-1]))[1:]) + 1) % 40}")
            s[r, nxt] = 5.0
        return s

    m = evaluate(history_first, pattern_data, "test")
    assert m.hr10_full == 1.0 and m.ndcg10_full == 1.0


def test_sampled_negatives_rank_the_target_among_100(pattern_data) -> None:  # noqa: ANN001
    rng = np.random.default_rng(0)
    m = evaluate(lambda h: rng.random((len(h), pattern_data.n_items + 1)).astype(np.float32), pattern_data, "test")
    # a random scorer puts the target in the top 10 of 100 about 10% of the time
    assert 0.05 < m.hr10_neg99 < 0.16


def test_models_round_trip_through_their_artifacts(pattern_data, tmp_path: Path) -> None:  # noqa: ANN001
    sasrec = SASRec(pattern_data.item_ids, TINY.model_copy(update={"max_epochs": 2}))
    sasrec.fit(pattern_data)
    cf = ItemKNN(pattern_data.item_ids)
    cf.fit(pattern_data)
    hist = pattern_data.histories("test")[:5]
    for model in (sasrec, cf):
        model.save(tmp_path / model.name)
        loaded = type(model).load(tmp_path / model.name)
        assert loaded.item_ids == model.item_ids
        np.testing.assert_allclose(loaded.score(hist), model.score(hist), rtol=1e-5, atol=1e-6)
    assert SASRec.load(tmp_path / "sasrec").meta["best_epoch"] >= 1


def test_a_failed_save_leaves_the_previous_artifact_untouched(pattern_data, tmp_path: Path) -> None:  # noqa: ANN001
    tmp_path = tmp_path / "models"
    pop = PopularityModel(pattern_data.item_ids)
    pop.fit(pattern_data)
    pop.save(tmp_path / "popular")
    before = (tmp_path / "popular" / "counts.npy").read_bytes()

    class Broken(PopularityModel):
        def _save_state(self, directory: Path) -> None:
            (directory / "counts.npy").write_bytes(b"half")
            raise OSError("disk full")

    broken = Broken(pattern_data.item_ids)
    broken.fit(pattern_data)
    with pytest.raises(OSError):
        broken.save(tmp_path / "popular")
    assert (tmp_path / "popular" / "counts.npy").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["popular"]


def test_corrupt_artifact_is_a_clear_error(pattern_data, tmp_path: Path) -> None:  # noqa: ANN001
    pop = PopularityModel(pattern_data.item_ids)
    pop.fit(pattern_data)
    pop.save(tmp_path / "popular")
    (tmp_path / "popular" / "counts.npy").write_bytes(b"garbage")
    with pytest.raises(ShopagentError, match="corrupt"):
        PopularityModel.load(tmp_path / "popular")
    with pytest.raises(ShopagentError, match="no trained sasrec"):
        SASRec.load(tmp_path / "missing")


def test_top_k_never_returns_excluded_or_disallowed_items() -> None:
    from tools.recommend.base import top_k

    scores = np.arange(10, dtype=np.float32)
    allowed = np.ones(10, bool)
    allowed[8] = False
    assert [i for i, _ in top_k(scores, 3, exclude=[9], allowed=allowed)] == [7, 6, 5]
    assert issubclass(SASRec, ItemModel)


def test_a_run_cut_by_the_wall_clock_is_not_reused_for_evaluation() -> None:
    from tools.recommend.train import sasrec_complete

    cfg = {"patience": 5, "max_train_s": 1000, "max_epochs": 200}
    assert not sasrec_complete({"stopped": "wall"})
    assert sasrec_complete({"stopped": "patience"})
    # artifacts without the field: judged from their epoch history
    assert sasrec_complete({"config": cfg, "best_epoch": 4, "history": [{"epoch": 9, "cpu_s": 300}]})
    assert sasrec_complete({"config": cfg, "best_epoch": 9, "history": [{"epoch": 9, "cpu_s": 1001}]})
    assert not sasrec_complete({"config": cfg, "best_epoch": 9, "history": [{"epoch": 9, "cpu_s": 400}]})


def test_an_ensemble_scores_the_mean_of_its_members_and_round_trips(pattern_data, tmp_path: Path) -> None:  # noqa: ANN001
    from tools.recommend.sasrec import score_histories

    ens = SASRec(pattern_data.item_ids, TINY.model_copy(update={"max_epochs": 3, "members": 2, "cf_weight": 0}))
    ens.fit(pattern_data)
    assert len(ens.nets) == 2 and len(ens.meta["member_valid_ndcg10_full"]) == 2 and ens.cf is None
    hist = pattern_data.histories("test")[:7]
    one, two = (score_histories(net, hist) for net in ens.nets)
    assert not np.allclose(one, two)  # different seeds: different members
    np.testing.assert_allclose(ens.score(hist), (one + two) / 2, rtol=1e-5, atol=1e-6)
    ens.save(tmp_path / "sasrec")
    loaded = SASRec.load(tmp_path / "sasrec")
    assert len(loaded.nets) == 2 and loaded.config.members == 2
    np.testing.assert_allclose(loaded.score(hist), ens.score(hist), rtol=1e-5, atol=1e-6)
    vec = loaded.item_vectors()
    assert vec is not None and np.allclose(np.linalg.norm(vec[1:], axis=1), 1.0, atol=1e-5)


def test_the_cf_weight_is_the_best_of_the_grid_on_validation_and_is_saved(pattern_data, tmp_path: Path) -> None:  # noqa: ANN001
    grid = [0.0, 0.5, 2.0]
    model = SASRec(pattern_data.item_ids, TINY.model_copy(update={"max_epochs": 2, "cf_weight": None,
                                                                  "cf_grid": grid}))
    model.fit(pattern_data)
    tried = model.meta["cf_valid_ndcg10_full"]
    assert sorted(tried) == sorted(str(w) for w in grid)
    assert tried[str(model.cf_weight)] == max(tried.values()) == model.meta["valid_ndcg10_full"]
    model.cf_weight, model.cf = 2.0, model.cf or ItemKNN(pattern_data.item_ids)
    if model.cf.sim is None:
        model.cf.fit(pattern_data)
    model.meta["cf_weight"] = 2.0
    hist = pattern_data.histories("test")[:5]
    blended = model.score(hist)
    assert not np.allclose(blended[:, 1:], model._net_scores(hist)[:, 1:])
    model.save(tmp_path / "sasrec")
    np.testing.assert_allclose(SASRec.load(tmp_path / "sasrec").score(hist), blended, rtol=1e-5, atol=1e-5)


def test_early_stopping_waits_for_min_epochs_then_keeps_the_best(pattern_data) -> None:  # noqa: ANN001
    from tools.recommend.sasrec import train_sasrec

    scores = iter([0.5, 0.1, 0.2, 0.3, 0.6, 0.4, 0.3, 0.2, 0.1, 0.0])  # a dip after a strong first epoch
    cfg = TINY.model_copy(update={"max_epochs": 10, "patience": 3, "min_epochs": 5})
    _, report = train_sasrec(pattern_data, cfg, validate=lambda net: next(scores))
    # patience alone would have stopped at epoch 4 (three epochs below epoch 1); the dip is waited out
    assert report["best_epoch"] == 5 and report["epochs"] == 8 and report["stopped"] == "patience"


def test_stacked_inference_scores_exactly_the_mean_of_the_members(pattern_data) -> None:  # noqa: ANN001
    import torch

    from tools.recommend.sasrec import SASRecNet, score_histories
    from tools.recommend.stacked import StackedSASRec

    cfg = TINY.model_copy(update={"blocks": 2, "heads": 2, "dim": 16})
    torch.manual_seed(0)
    nets = [SASRecNet(pattern_data.n_items, cfg).eval() for _ in range(3)]
    for net in nets:  # trained nets have non-trivial norms and biases: perturb them away from their init
        with torch.no_grad():
            for p in net.parameters():
                p.add_(torch.randn_like(p) * 0.05)
    tables = [net.item_table().detach() for net in nets]
    hist = pattern_data.histories("test")[:9] + [np.zeros(0, dtype=np.int64), np.arange(1, 30) % pattern_data.n_items + 1]
    expected = sum(score_histories(net, hist) for net in nets) / 3
    np.testing.assert_allclose(StackedSASRec(nets, tables).score(hist), expected, rtol=1e-4, atol=1e-5)
