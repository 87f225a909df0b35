"""Leave-one-out evaluation: HR@10 / NDCG@10 against all items (history excluded, as S3-Rec's full sort) and
against 99 sampled negatives (the SASRec paper's protocol), plus catalog coverage of the top-10 lists."""

from __future__ import annotations

from typing import Callable

import numpy as np
from pydantic import BaseModel

from tools.recommend.data import SequenceData

Scorer = Callable[[list[np.ndarray]], np.ndarray]  # histories -> (U, N+1) scores


class Metrics(BaseModel):
    hr10_full: float
    ndcg10_full: float
    hr10_neg99: float
    ndcg10_neg99: float
    coverage10: float
    users: int


def _hits(rank: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    hit = rank < k
    return hit.astype(float), np.where(hit, 1.0 / np.log2(rank + 2.0), 0.0)


def full_rank_ndcg(scorer: Scorer, data: SequenceData, split: str, k: int = 10, batch: int = 1024,
                   users: np.ndarray | None = None) -> tuple[float, float]:
    """(HR@k, NDCG@k) ranking the target against every item, the user's history excluded."""
    m = evaluate(scorer, data, split, k=k, batch=batch, negatives=0, users=users, coverage=False)
    return m.hr10_full, m.ndcg10_full


def evaluate(scorer: Scorer, data: SequenceData, split: str = "test", k: int = 10, batch: int = 1024,
             negatives: int = 99, seed: int = 0, users: np.ndarray | None = None, coverage: bool = True) -> Metrics:
    """Metrics for ``split`` ('valid' or 'test') over users with at least 3 items (coverage 0 unless asked)."""
    rng = np.random.default_rng(seed)
    users = np.flatnonzero(data.evaluable()) if users is None else users
    hist_all, tgt_all = data.histories(split), data.targets(split)
    hr, nd, hr_n, nd_n = [], [], [], []
    covered = np.zeros(data.n_items + 1, dtype=bool)
    for start in range(0, len(users), batch):
        ids = users[start: start + batch]
        hists = [hist_all[u] for u in ids]
        tgt = tgt_all[ids]
        scores = np.asarray(scorer(hists), dtype=np.float32)
        rows = np.arange(len(ids))
        target_score = scores[rows, tgt].copy()
        full = scores.copy()
        full[:, 0] = -np.inf
        for r, h in enumerate(hists):
            full[r, h] = -np.inf
        tscore = full[rows, tgt]
        rank = (full > tscore[:, None]).sum(1)
        rank = np.where(np.isneginf(tscore), data.n_items, rank)
        a, b = _hits(rank, k)
        hr.append(a)
        nd.append(b)
        if coverage:
            top = np.argpartition(-full, k, axis=1)[:, :k]
            covered[top.ravel()] = True
        if negatives:
            for r, u in enumerate(ids):
                seen = set(data.sequences[u].tolist())
                neg: list[int] = []
                while len(neg) < negatives:
                    cand = rng.integers(1, data.n_items + 1, size=negatives * 2)
                    neg.extend(c for c in cand.tolist() if c not in seen)
                neg_scores = scores[r, neg[:negatives]]
                rk = int((neg_scores > target_score[r]).sum())
                a, b = _hits(np.asarray([rk]), k)
                hr_n.append(a)
                nd_n.append(b)
    cat = np.concatenate
    return Metrics(
        hr10_full=float(cat(hr).mean()), ndcg10_full=float(cat(nd).mean()),
        hr10_neg99=float(cat(hr_n).mean()) if hr_n else 0.0, ndcg10_neg99=float(cat(nd_n).mean()) if nd_n else 0.0,
        coverage10=float(covered[1:].mean()), users=int(len(users)),
    )
