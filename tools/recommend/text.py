"""Item text embeddings with the packaged all-MiniLM-L6-v2 (offline; the same model as the search index)."""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)


def _encoder():  # noqa: ANN202 - SentenceTransformer, shared with the search index
    from tools.search.embed import load_encoder

    return load_encoder()


def embed_texts(texts: Sequence[str], batch_size: int = 128) -> np.ndarray:
    """(n, 384) L2-normalised float32 embeddings of ``texts`` (empty texts give zero vectors)."""
    texts = list(texts)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if idx:
        vec = _encoder().encode([texts[i][:512] for i in idx], batch_size=batch_size, normalize_embeddings=True,
                                show_progress_bar=False, convert_to_numpy=True)
        out[idx] = vec.astype(np.float32)
    return out
