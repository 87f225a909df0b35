"""SASRec (Kang & McAuley 2018): a causal self-attention encoder over the user's item sequence.

Trained with full-softmax cross-entropy on every position (next item over all items), which is what makes
SASRec competitive on the standard full-ranking protocol. Item embeddings may carry the catalog's text
embeddings (a learned projection of MiniLM vectors added to the id embedding), which helps rare items.
Early stopping on the validation item only.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import torch
import torch.nn.functional as F
from pydantic import BaseModel, Field
from torch import nn

from tools.recommend.base import ItemModel, normalise_rows, zscore_rows
from tools.recommend.data import SequenceData, pad_left
from tools.recommend.stacked import StackedSASRec

if TYPE_CHECKING:
    from tools.recommend.cf import ItemKNN

log = logging.getLogger(__name__)


class SASRecConfig(BaseModel):
    """Hyper-parameters (chosen on the validation item of Beauty; see docs/recommender.md)."""

    dim: int = Field(256, description="Width; item ids start at the PCA of the text vectors to this many "
                                      "dimensions (valid NDCG@10 of one Beauty net: 64: 0.069, 128: 0.072, 256: 0.075, "
                                      "384: 0.074). A shop's own model uses CATALOG_SASREC (128) for latency.")
    blocks: int = 2
    heads: int = 2
    max_len: int = 50
    dropout: float = 0.3
    emb_dropout: float | None = None  # None = same as dropout
    lr: float = 1e-3
    weight_decay: float = 0.0
    batch_size: int = 128
    max_epochs: int = 200
    patience: int = 3
    min_epochs: int = Field(6, description="No early stop before this epoch: text-initialised nets often dip "
                                           "for a few epochs after a strong first one.")
    warmup_epochs: int = 1
    schedule: str = Field("constant", description="constant | cosine (over max_epochs)")
    max_train_s: float = Field(1000.0, description="Training budget: stop once the process used this many seconds "
                                                  "of a 2-core machine (CPU time / 2), best epoch kept.")
    max_wall_s: float = Field(14400.0, description="Hard wall-clock stop; a run cut by it is not reused by eval.")
    text_dim: int = 0  # >0 when item text embeddings are used
    text_mode: str = Field("init", description="init: id embeddings start at the PCA of the text vectors | "
                                               "add: id emb + a learned projection of the text vector")
    init_std: float = 0.05
    seed: int = 0
    threads: int = Field(0, description="torch threads; 0 = 2, or 1 when the machine is already oversubscribed")
    valid_users: int = Field(0, description="Users sampled (fixed) for the per-epoch validation NDCG; 0 = all.")
    members: int = Field(4, description="Nets trained with seeds seed, seed+1, ... whose scores are averaged "
                                        "(the training budget is shared between them).")
    cf_weight: float | None = Field(None, description="Weight of item-item CF (z-scored per user) added to the "
                                                     "z-scored SASRec scores; None = the best of cf_grid on the "
                                                     "validation item; 0 = SASRec alone.")
    cf_grid: list[float] = [0.0, 0.02, 0.035, 0.05, 0.075, 0.1]


# the shop's own model (`recsys train` on the catalog, what `recommend` serves): 128 wide so 4 members score one
# shopper in ~2 ms on one core (256 wide: ~5.4 ms on 3,000 items, ~8 ms on 12,000), and a smaller training budget
CATALOG_SASREC: dict[str, Any] = {"dim": 128, "max_train_s": 300.0}


class _Block(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim, eps=1e-8)
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.out = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim, eps=1e-8)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, dim))
        self.drop = nn.Dropout(dropout)
        self.p = dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, l, d = x.shape
        h = self.heads
        q_in = self.ln1(x)
        q = self.q(q_in).view(b, l, h, d // h).transpose(1, 2)
        k, v = self.kv(x).view(b, l, 2, h, d // h).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        x = q_in + self.drop(self.out(a.transpose(1, 2).reshape(b, l, d)))
        y = self.ln2(x)
        return y + self.drop(self.ff(y))


class SASRecNet(nn.Module):
    """Item + position embeddings, ``blocks`` pre-LN attention blocks, shared item embedding for the output."""

    def __init__(self, n_items: int, cfg: SASRecConfig, text: torch.Tensor | None = None) -> None:
        super().__init__()
        self.cfg = cfg
        self.item = nn.Embedding(n_items + 1, cfg.dim, padding_idx=0)
        self.pos = nn.Embedding(cfg.max_len, cfg.dim)
        nn.init.normal_(self.item.weight, std=cfg.init_std)
        nn.init.normal_(self.pos.weight, std=cfg.init_std)
        with torch.no_grad():
            self.item.weight[0].zero_()
        self.text_proj: nn.Linear | None = None
        if text is not None:
            if cfg.text_mode == "add":
                self.register_buffer("text", text)
                self.text_proj = nn.Linear(text.shape[1], cfg.dim, bias=False)
                nn.init.normal_(self.text_proj.weight, std=cfg.init_std / math.sqrt(text.shape[1]) * 4)
            elif cfg.text_mode == "init":  # PCA of the text vectors to dim, scaled to init_std: the starting point
                centred = text[1:] - text[1:].mean(0)
                _, _, v = torch.linalg.svd(centred, full_matrices=False)
                proj = centred @ v[: cfg.dim].T  # fewer columns than dim when there are fewer items than dim
                proj = proj / proj.std().clamp_min(1e-12) * cfg.init_std
                with torch.no_grad():
                    self.item.weight[1:, : proj.shape[1]] = proj
            else:
                raise ValueError(f"unknown text_mode {cfg.text_mode!r}: add or init")
        self.emb_drop = nn.Dropout(cfg.dropout if cfg.emb_dropout is None else cfg.emb_dropout)
        self.blocks = nn.ModuleList(_Block(cfg.dim, cfg.heads, cfg.dropout) for _ in range(cfg.blocks))
        self.ln = nn.LayerNorm(cfg.dim, eps=1e-8)

    def item_table(self) -> torch.Tensor:
        w = self.item.weight
        if self.text_proj is not None:
            w = w + self.text_proj(self.text)
        return w

    def encode(self, seq: torch.Tensor, table: torch.Tensor | None = None) -> torch.Tensor:
        """(B, L) left-padded item indices -> (B, L, dim) states (position L-1 = the latest item)."""
        table = self.item_table() if table is None else table
        b, l = seq.shape
        valid = seq > 0
        x = table[seq] * math.sqrt(self.cfg.dim)
        x = x + self.pos.weight[self.cfg.max_len - l:].unsqueeze(0)
        x = self.emb_drop(x) * valid.unsqueeze(-1)
        causal = torch.ones(l, l, dtype=torch.bool, device=seq.device).tril()
        mask = (causal.unsqueeze(0) & valid.unsqueeze(1)) | torch.eye(l, dtype=torch.bool, device=seq.device)
        mask = mask.unsqueeze(1)  # (B, 1, L, L): heads broadcast
        for block in self.blocks:
            x = block(x, mask) * valid.unsqueeze(-1)
        return self.ln(x)

    @torch.no_grad()
    def score_last(self, seq: torch.Tensor, table: torch.Tensor | None = None) -> torch.Tensor:
        """Scores over all items (index 0 included) for the state after each sequence's last item."""
        table = self.item_table() if table is None else table
        h = self.encode(seq, table)[:, -1]
        return h @ table.T


def _batches(seqs: list[np.ndarray], cfg: SASRecConfig, rng: np.random.Generator) -> list[np.ndarray]:
    """Length-bucketed batches of user indices (similar lengths together, shuffled every epoch)."""
    perm = rng.permutation(len(seqs))
    lengths = np.asarray([min(len(seqs[i]), cfg.max_len + 1) for i in perm])
    order = perm[np.argsort(lengths, kind="stable")]
    batches = [order[i: i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def score_histories(net: SASRecNet, histories: list[np.ndarray], batch: int = 128,
                    table: torch.Tensor | None = None) -> np.ndarray:
    """(U, N+1) scores for the next item after each history (empty histories get the bias-free prior)."""
    net.eval()
    out = np.zeros((len(histories), net.item.num_embeddings), dtype=np.float32)
    table = net.item_table() if table is None else table
    order = np.argsort([len(h) for h in histories], kind="stable")  # similar lengths together: less padding
    for i in range(0, len(order), batch):
        idx = order[i: i + batch]
        seq = torch.from_numpy(pad_left([histories[j] for j in idx], net.cfg.max_len))
        out[idx] = net.score_last(seq, table).numpy()
    return out


def _threads(cfg: SASRecConfig) -> int:
    if cfg.threads:
        return cfg.threads
    import os

    cores = os.cpu_count() or 1
    return 1 if os.getloadavg()[0] > 1.5 * cores else min(2, cores)


def train_sasrec(
    data: SequenceData,
    cfg: SASRecConfig,
    text: np.ndarray | None = None,
    validate: Callable[[SASRecNet], float] | None = None,
    progress: Callable[[int, float, float], None] | None = None,
) -> tuple[SASRecNet, dict]:
    """Train on every user's ``seq[:-2]``; keep the epoch with the best ``validate(net)`` (higher is better)."""
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(_threads(cfg))
    rng = np.random.default_rng(cfg.seed)
    text_t = None
    if text is not None:
        text_t = torch.from_numpy(np.vstack([np.zeros((1, text.shape[1]), np.float32), text]).astype(np.float32))
    net = SASRecNet(data.n_items, cfg, text_t)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    train = [s for s in data.histories("train") if len(s) >= 2]
    steps_per_epoch = max(1, math.ceil(len(train) / cfg.batch_size))
    total = steps_per_epoch * cfg.max_epochs
    warm = steps_per_epoch * cfg.warmup_epochs

    def lr_at(step: int) -> float:
        if step < warm:
            return cfg.lr * (step + 1) / warm
        if cfg.schedule == "cosine":
            return cfg.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / max(1, total - warm))))
        return cfg.lr

    best, best_state, best_epoch, bad, step = -1.0, None, 0, 0, 0
    stopped = "max_epochs"
    history: list[dict] = []
    start, cpu0 = time.monotonic(), time.process_time()
    for epoch in range(1, cfg.max_epochs + 1):
        net.train()
        loss_sum, n_pos = 0.0, 0
        for idx in _batches(train, cfg, rng):
            seq = torch.from_numpy(pad_left([train[i] for i in idx], cfg.max_len + 1))
            inp, tgt = seq[:, :-1], seq[:, 1:]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            table = net.item_table()
            h = net.encode(inp, table)
            keep = tgt > 0
            logits = h[keep] @ table.T
            logits[:, 0] = float("-inf")
            loss = F.cross_entropy(logits, tgt[keep])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_sum += float(loss.detach()) * int(keep.sum())
            n_pos += int(keep.sum())
        score = validate(net) if validate else -float(loss_sum / max(1, n_pos))
        elapsed = time.monotonic() - start
        cpu = (time.process_time() - cpu0) / 2
        history.append({"epoch": epoch, "loss": round(loss_sum / max(1, n_pos), 4), "valid": round(score, 5),
                        "s": round(elapsed, 1), "cpu_s": round(cpu, 1)})
        log.info("epoch %d loss %.4f valid %.4f (%.0f s)", epoch, loss_sum / max(1, n_pos), score, elapsed)
        if progress:
            progress(epoch, loss_sum / max(1, n_pos), score)
        if score > best:
            best, best_epoch, bad = score, epoch, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
        patient = bad >= cfg.patience and epoch >= cfg.min_epochs
        if patient or cpu > cfg.max_train_s or elapsed > cfg.max_wall_s:
            stopped = "patience" if patient else "budget" if cpu > cfg.max_train_s else "wall"
            break
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    return net, {"stopped": stopped, "best_epoch": best_epoch, "best_valid": best, "epochs": len(history),
                 "history": history, "train_s": round(time.monotonic() - start, 1),
                 "train_cpu_s": round((time.process_time() - cpu0) / 2, 1),
                 "threads": torch.get_num_threads()}


class SASRec(ItemModel):
    """The SASRec model behind the common interface: ``config.members`` nets trained one after another (seeds
    ``seed``, ``seed+1``, ...; each with early stopping on the validation item, sharing the training budget),
    whose next-item scores are averaged. ``members=1`` is plain SASRec."""

    name = "sasrec"

    def __init__(self, item_ids: list[str], config: SASRecConfig | None = None) -> None:
        super().__init__(item_ids)
        self.config = config or SASRecConfig()
        self.nets: list[SASRecNet] = []
        self._tables: list[torch.Tensor] = []
        self._stacked: StackedSASRec | None = None
        self._vectors: np.ndarray | None = None
        self.cf: ItemKNN | None = None  # blended in with cf_weight when set
        self.cf_weight = 0.0

    def fit(self, data: SequenceData, text: np.ndarray | None = None,
            progress: Callable[[int, float, float], None] | None = None, **_: Any) -> dict:
        from tools.recommend.evaluate import full_rank_ndcg

        if text is not None:
            self.config = self.config.model_copy(update={"text_dim": int(text.shape[1])})
        cfg = self.config
        users = np.flatnonzero(data.evaluable())
        if 0 < cfg.valid_users < len(users):  # a fixed sample keeps per-epoch validation cheap
            users = np.sort(np.random.default_rng(0).choice(users, cfg.valid_users, replace=False))

        def ndcg(scorer: Callable[[list[np.ndarray]], np.ndarray]) -> float:
            return full_rank_ndcg(scorer, data, "valid", users=users)[1] if len(users) else 0.0

        reports: list[dict] = []
        self.nets, self._tables, self._stacked, self.cf, self.cf_weight = [], [], None, None, 0.0
        cpu0, start = time.process_time(), time.monotonic()
        for m in range(cfg.members):
            left = cfg.max_train_s - (time.process_time() - cpu0) / 2
            member_cfg = cfg.model_copy(update={"seed": cfg.seed + m, "max_train_s": left / (cfg.members - m),
                                                "max_wall_s": cfg.max_wall_s - (time.monotonic() - start)})
            net, report = train_sasrec(data, member_cfg, text=text,
                                       validate=lambda n: ndcg(lambda h: score_histories(n, h)), progress=progress)
            self._add_net(net)
            reports.append(report)
            log.info("sasrec member %d/%d: best epoch %d, valid NDCG@10 %.4f", m + 1, cfg.members,
                     report["best_epoch"], report["best_valid"])
        cf_valid: dict[str, float] = {}
        if cfg.cf_weight != 0:
            from tools.recommend.cf import ItemKNN

            self.cf = ItemKNN(self.item_ids)
            self.cf.fit(data)  # the training split only, like the nets
            choices = [float(w) for w in (cfg.cf_grid if cfg.cf_weight is None else [cfg.cf_weight])]
            cf_valid = {str(w): v for w, v in self._valid_by_cf_weight(data, users, sorted({0.0, *choices})).items()}
            ensemble_valid = cf_valid["0.0"]
            self.cf_weight = max(choices, key=lambda w: cf_valid[str(w)])
            if self.cf_weight == 0:
                self.cf = None
        else:
            ensemble_valid = ndcg(self.score) if cfg.members > 1 else reports[0]["best_valid"]
        stops = [r["stopped"] for r in reports]
        self.meta.update({
            "config": cfg.model_dump(), "train_s": round(time.monotonic() - start, 1),
            "train_cpu_s": round((time.process_time() - cpu0) / 2, 1),
            "best_epoch": [r["best_epoch"] for r in reports] if cfg.members > 1 else reports[0]["best_epoch"],
            "valid_ndcg10_full": cf_valid.get(str(self.cf_weight), ensemble_valid),
            "ensemble_valid_ndcg10_full": ensemble_valid,
            "member_valid_ndcg10_full": [r["best_valid"] for r in reports],
            "cf_weight": self.cf_weight, "cf_valid_ndcg10_full": cf_valid,
            "epochs": sum(r["epochs"] for r in reports),
            "stopped": "wall" if "wall" in stops else stops[-1],
            "history": [h | {"member": m} for m, r in enumerate(reports) for h in r["history"]],
        })
        return {**self.meta, "stopped": self.meta["stopped"]}

    def _valid_by_cf_weight(self, data: SequenceData, users: np.ndarray, grid: list[float],
                            batch: int = 1024) -> dict[float, float]:
        """Validation NDCG@10 (full ranking) of the ensemble blended with CF at each weight of ``grid``; the nets
        and CF score each batch of users once for all weights."""
        from tools.recommend.evaluate import full_rank_ndcg

        assert self.cf is not None
        hist_all = data.histories("valid")
        sums = dict.fromkeys(grid, 0.0)
        for start in range(0, len(users), batch):
            ids = users[start: start + batch]
            hists = [hist_all[u] for u in ids]
            nets, cf = self._net_scores(hists), self.cf.score(hists)
            z_nets, z_cf = zscore_rows(nets[:, 1:]), zscore_rows(cf[:, 1:])
            for w in grid:
                blended = _with_cf(nets, z_nets, z_cf, w)
                sums[w] += full_rank_ndcg(lambda _: blended, data, "valid", users=ids)[1] * len(ids)
        return {w: sums[w] / max(1, len(users)) for w in grid}

    @property
    def net(self) -> SASRecNet | None:
        """The first member (the only one when ``members=1``)."""
        return self.nets[0] if self.nets else None

    def _add_net(self, net: SASRecNet) -> None:
        net.eval()
        self.nets.append(net)
        with torch.no_grad():
            self._tables.append(net.item_table().detach())
        self._stacked = StackedSASRec(self.nets, self._tables)
        # similarity over the members' concatenated, normalised tables = the mean of their cosines
        self._vectors = normalise_rows(np.hstack([normalise_rows(t.numpy()) for t in self._tables]))

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        """Mean of the members' next-item logits (ranks like the mean of their log-probabilities); with CF:
        z(mean logits) + cf_weight * z(CF scores), each z-scored over the items per user."""
        total = self._net_scores(histories)
        if self.cf is None or not self.cf_weight:
            return total
        cf = self.cf.score(histories)
        return _with_cf(total, zscore_rows(total[:, 1:]), zscore_rows(cf[:, 1:]), self.cf_weight)

    def _net_scores(self, histories: list[np.ndarray]) -> np.ndarray:
        assert self.nets, "fit or load first"
        threads = torch.get_num_threads()
        if len(histories) <= 16 and threads > 1:  # one shopper: threads only add synchronisation latency
            torch.set_num_threads(1)
        try:
            assert self._stacked is not None
            return self._stacked.score(histories)
        finally:
            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)

    def item_vectors(self) -> np.ndarray | None:
        return self._vectors

    def _save_state(self, directory: Path) -> None:
        assert self.nets, "fit or load first"
        states = [{k: v for k, v in n.state_dict().items() if k != "text"} for n in self.nets]
        text = self.nets[0].state_dict().get("text")  # the members share the catalog's text embeddings
        torch.save({"members": states, "text": text}, directory / "weights.pt")
        if self.cf is not None:
            (directory / "cf").mkdir()
            self.cf._save_state(directory / "cf")

    def _load_state(self, directory: Path) -> None:
        self.config = SASRecConfig(**self.meta.get("config", {}))
        saved = torch.load(directory / "weights.pt", map_location="cpu", weights_only=True)
        if "members" not in saved:  # a single-net artifact from before ensembles
            saved = {"members": [saved], "text": saved.get("text")}
        text = saved.get("text")
        self.nets, self._tables, self._stacked = [], [], None
        for state in saved["members"]:
            net = SASRecNet(self.n_items, self.config, text)
            if text is not None:
                state = {**state, "text": text}
            net.load_state_dict(state)
            self._add_net(net)
        self.cf_weight = float(self.meta.get("cf_weight") or 0.0)
        if self.cf_weight:
            from tools.recommend.cf import ItemKNN

            self.cf = ItemKNN(self.item_ids)
            self.cf._load_state(directory / "cf")



def _with_cf(nets: np.ndarray, z_nets: np.ndarray, z_cf: np.ndarray, weight: float) -> np.ndarray:
    """The ensemble's scores blended with CF: z(nets) + weight * z(CF) over items 1..N (the raw net scores when
    ``weight`` is 0); ``z_nets`` and ``z_cf`` are those z-scores, computed once by the caller."""
    if not weight:
        return nets
    out = np.full_like(nets, -np.inf)
    out[:, 1:] = z_nets + weight * z_cf
    return out
