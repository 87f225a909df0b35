"""Chroma, the vector store of record: embedded ``PersistentClient`` by default, ``HttpClient`` to a
``chroma run`` server when ``SHOPAGENT_CHROMA_HOST`` is set."""

from __future__ import annotations

import logging
import os
from typing import Iterator

import numpy as np

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)

PRODUCTS = "products"
REVIEWS = "reviews"
PAGE = 5000


def chroma_client(settings: Settings):  # noqa: ANN201 - chromadb.api.ClientAPI
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
            raise ShopagentError(
                f"no Chroma server at {settings.chroma_host}:{settings.chroma_port} ({exc}): start `chroma run "
                f"--port {settings.chroma_port}` or unset SHOPAGENT_CHROMA_HOST") from None
    path = settings.chroma_dir
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection(client, name: str):  # noqa: ANN001, ANN201
    """The named collection (cosine space; we always pass our own embeddings)."""
    return client.get_or_create_collection(name, configuration={"hnsw": {"space": "cosine"}},
                                           embedding_function=None)


def all_metadata(col) -> dict[str, dict]:  # noqa: ANN001
    """id -> metadata for every record, read page by page."""
    out: dict[str, dict] = {}
    offset = 0
    while True:
        page = col.get(include=["metadatas"], limit=PAGE, offset=offset)
        for i, m in zip(page["ids"], page["metadatas"]):
            out[i] = m or {}
        if len(page["ids"]) < PAGE:
            return out
        offset += PAGE


def embeddings_for(col, ids: list[str]) -> dict[str, np.ndarray]:  # noqa: ANN001
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), PAGE):
        page = col.get(ids=ids[start:start + PAGE], include=["embeddings"])
        for i, e in zip(page["ids"], page["embeddings"]):
            out[i] = np.asarray(e, dtype=np.float32)
    return out


def batches(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))
