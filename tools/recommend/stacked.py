"""Inference for an ensemble of SASRec nets in one pass: their weights stacked along a leading member axis.

Scoring M nets one after another costs M times the ~40 small tensor operations of a forward pass, which is
what dominates the latency of one shopper's request on a CPU (the arithmetic is tiny). Here each operation
runs once for all members (batched matrix products, one attention call over members × users), and the final
scores are one product of the members' concatenated last states with their concatenated item tables —
exactly the mean of the members' logits, in about the time of one net.
"""

from __future__ import annotations

import math
import numpy as np
import torch
import torch.nn.functional as F

from tools.recommend.data import pad_left

_LINEARS = ("q", "kv", "out")


class StackedSASRec:
    """Eval-mode forward of ``nets`` (same configuration) with stacked weights; dropout is off."""

    def __init__(self, nets: list[torch.nn.Module], tables: list[torch.Tensor]) -> None:
        if not nets:
            raise ValueError("no nets to stack")
        cfg = nets[0].cfg
        self.m, self.dim, self.heads, self.max_len = len(nets), cfg.dim, cfg.heads, cfg.max_len
        stack = lambda get: torch.stack([get(n).detach() for n in nets])  # noqa: E731
        self.table_cat = torch.cat(tables, dim=1)  # (N+1, M*d): one product gives the sum of the logits
        self.pos = stack(lambda n: n.pos.weight)  # (M, max_len, d)
        self.blocks = []
        for b in range(cfg.blocks):
            blk = lambda n: n.blocks[b]  # noqa: E731
            layer = {f"{name}_w": stack(lambda n: getattr(blk(n), name).weight.T) for name in _LINEARS}
            layer |= {f"{name}_b": stack(lambda n: getattr(blk(n), name).bias) for name in _LINEARS}
            layer |= {"ff1_w": stack(lambda n: blk(n).ff[0].weight.T), "ff1_b": stack(lambda n: blk(n).ff[0].bias),
                      "ff2_w": stack(lambda n: blk(n).ff[3].weight.T), "ff2_b": stack(lambda n: blk(n).ff[3].bias),
                      "ln1_w": stack(lambda n: blk(n).ln1.weight), "ln1_b": stack(lambda n: blk(n).ln1.bias),
                      "ln2_w": stack(lambda n: blk(n).ln2.weight), "ln2_b": stack(lambda n: blk(n).ln2.bias)}
            self.blocks.append(layer)
        self.ln_w, self.ln_b = stack(lambda n: n.ln.weight), stack(lambda n: n.ln.bias)

    @staticmethod
    def _linear(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """(M, T, i) @ (M, i, o) + (M, o)."""
        return torch.baddbmm(b.unsqueeze(1), x, w)

    def _norm(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.addcmul(b.unsqueeze(1), F.layer_norm(x, (self.dim,), eps=1e-8), w.unsqueeze(1))

    @torch.no_grad()
    def last_states(self, seq: torch.Tensor) -> torch.Tensor:
        """(B, L) left-padded item indices -> (M, B, d) states after each sequence's last item."""
        m, d, h = self.m, self.dim, self.heads
        bsz, length = seq.shape
        valid = (seq > 0).reshape(1, bsz * length, 1)
        x = self.table_cat[seq].view(bsz, length, m, d).permute(2, 0, 1, 3) * math.sqrt(d)  # (M, B, L, d)
        x = (x + self.pos[:, self.max_len - length:].unsqueeze(1)).reshape(m, bsz * length, d) * valid
        causal = torch.ones(length, length, dtype=torch.bool).tril()
        mask = (causal.unsqueeze(0) & (seq > 0).unsqueeze(1)) | torch.eye(length, dtype=torch.bool)
        mask = mask.unsqueeze(1).repeat(m, 1, 1, 1)  # (M*B, 1, L, L)

        def heads_first(t: torch.Tensor) -> torch.Tensor:  # (M, B*L, d) -> (M*B, h, L, d/h)
            return t.reshape(m * bsz, length, h, d // h).transpose(1, 2)

        last_block = len(self.blocks) - 1
        for i, p in enumerate(self.blocks):
            k, v = self._linear(x, p["kv_w"], p["kv_b"]).split(d, dim=-1)
            if i == last_block:  # only the last position's state is scored: its query, residual and feed-forward
                x = x.reshape(m, bsz, length, d)[:, :, -1]  # (M, B, d)
                valid = valid.reshape(1, bsz, length)[:, :, -1:]
                mask = mask[:, :, -1:]
            q_in = self._norm(x, p["ln1_w"], p["ln1_b"])
            q = self._linear(q_in, p["q_w"], p["q_b"]).reshape(m * bsz, -1, h, d // h).transpose(1, 2)
            a = F.scaled_dot_product_attention(q, heads_first(k), heads_first(v), attn_mask=mask)
            a = a.transpose(1, 2).reshape(m, -1, d)
            x = q_in + self._linear(a, p["out_w"], p["out_b"])
            y = self._norm(x, p["ln2_w"], p["ln2_b"])
            x = (y + self._linear(torch.relu(self._linear(y, p["ff1_w"], p["ff1_b"])), p["ff2_w"], p["ff2_b"]))
            x = x * valid
        return self._norm(x, self.ln_w, self.ln_b)

    @torch.no_grad()
    def score(self, histories: list[np.ndarray], batch: int = 128) -> np.ndarray:
        """(U, N+1) mean of the members' next-item logits after each history."""

        out = np.zeros((len(histories), self.table_cat.shape[0]), dtype=np.float32)
        order = np.argsort([len(h) for h in histories], kind="stable")
        for i in range(0, len(order), batch):
            idx = order[i: i + batch]
            seq = torch.from_numpy(pad_left([histories[j] for j in idx], self.max_len))
            states = self.last_states(seq)  # (M, B, d)
            flat = states.permute(1, 0, 2).reshape(len(idx), self.m * self.dim)
            out[idx] = (flat @ self.table_cat.T / self.m).numpy()
        return out
