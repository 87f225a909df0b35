"""Training and evaluation workflows: a bundle of models over one vocabulary, saved under the data directory.

- ``train_catalog``: the shop's own catalog interactions -> ``<data_dir>/recsys/catalog/<model>/`` (what
  ``RecommenderService`` loads).
- ``train_file`` / ``evaluate_file``: a public benchmark file -> ``<data_dir>/recsys/<stem>-<fingerprint>/``;
  an artifact is reused only when the data fingerprint and the config it was trained with match.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from core.errors import ShopagentError
from tools.recommend.base import ItemModel, zscore_rows
from tools.recommend.cf import ItemKNN
from tools.recommend.content import ContentModel
from tools.recommend.data import SequenceData, from_interactions, load_item_texts, load_sequences
from tools.recommend.evaluate import Metrics, evaluate
from tools.recommend.popularity import PopularityModel
from tools.recommend.sasrec import CATALOG_SASREC, SASRec, SASRecConfig

log = logging.getLogger(__name__)

MODEL_CLASSES: dict[str, type[ItemModel]] = {
    "sasrec": SASRec, "cf": ItemKNN, "content": ContentModel, "popular": PopularityModel,
}
ALL_MODELS = ["popular", "content", "cf", "sasrec"]  # training order: SASRec reuses the content vectors
Progress = Callable[[str, int, float, float], None]  # model, epoch, loss, valid


def recsys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "recsys"


def catalog_models_dir(data_dir: Path) -> Path:
    return recsys_dir(data_dir) / "catalog"


def trained_models(data_dir: Path) -> list[str]:
    """Names of the recommenders trained for the catalog in ``data_dir`` (none: `shopagent recsys train`)."""
    directory = catalog_models_dir(data_dir)
    return [n for n in ALL_MODELS if (directory / n / "meta.json").exists()]


def fingerprint(path: Path) -> str:
    """The file's content hash: a copy elsewhere, or the same file with a new timestamp, reuses its models."""
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def expand(models: Iterable[str]) -> list[str]:
    names = []
    for m in models:
        if m == "all":
            names.extend(ALL_MODELS)
        elif m in MODEL_CLASSES:
            names.append(m)
        else:
            raise ShopagentError(f"unknown model {m!r}: choose one of {', '.join(ALL_MODELS)} or all")
    return sorted(set(names), key=ALL_MODELS.index)


def _config_of(name: str, sasrec: SASRecConfig) -> dict:
    return sasrec.model_dump() if name == "sasrec" else {}


def load_cached(directory: Path, name: str, data_key: str, config: dict | None = None) -> ItemModel | None:
    """The model saved in ``directory/name`` if it was trained on ``data_key`` (and ``config``), else None."""
    meta_path = directory / name / "meta.json"
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text())
    except json.JSONDecodeError:
        return None
    if meta.get("data_key") != data_key:
        return None
    if config is not None and {k: v for k, v in meta.get("config", {}).items() if k != "text_dim"} != \
            {k: v for k, v in config.items() if k != "text_dim"}:
        return None
    if name == "sasrec" and not sasrec_complete(meta):
        log.warning("the saved sasrec in %s was stopped by the wall clock before its budget: training again",
                    directory)
        return None
    try:
        return MODEL_CLASSES[name].load(directory / name)
    except ShopagentError:
        return None


def sasrec_complete(meta: dict) -> bool:
    """False for a SASRec run cut by the wall clock (a busy machine) before early stopping or its CPU budget."""
    if "stopped" in meta:
        return meta["stopped"] != "wall"
    cfg, hist = meta.get("config", {}), meta.get("history", [])
    if not hist:
        return False
    last = hist[-1]
    return (last["epoch"] - meta.get("best_epoch", 0) >= cfg.get("patience", 5)
            or last.get("cpu_s", 0) > cfg.get("max_train_s", 0) or last["epoch"] >= cfg.get("max_epochs", 0))


def train_bundle(data: SequenceData, directory: Path, names: list[str], data_key: str,
                 texts: list[str] | None = None, sasrec_config: SASRecConfig | None = None,
                 use_text: bool = True, reuse: bool = False, progress: Progress | None = None) -> dict[str, ItemModel]:
    """Train ``names`` on ``data`` and save each under ``directory`` (atomically). Returns the fitted models."""
    if data.n_interactions == 0:
        raise ShopagentError(f"no interactions in {data.source}: nothing to train on")
    sasrec_config = sasrec_config or SASRecConfig()
    out: dict[str, ItemModel] = {}
    # SASRec with text needs the content vectors: train (or load) the content model first
    need = list(names)
    if "sasrec" in need and use_text and texts is not None and "content" not in need:
        need.insert(0, "content")
    for name in sorted(need, key=ALL_MODELS.index):
        cfg = _config_of(name, sasrec_config)
        cached = load_cached(directory, name, data_key, cfg if name == "sasrec" else None) if reuse else None
        if cached is not None:
            log.info("reusing %s from %s", name, directory / name)
            out[name] = cached
            continue
        if name == "content" and texts is None:
            if name in names:
                raise ShopagentError(f"no item texts for {data.source}: the content model needs titles")
            continue
        model = MODEL_CLASSES[name](data.item_ids, **({"config": sasrec_config} if name == "sasrec" else {}))
        kwargs: dict = {}
        if name == "content":
            kwargs["texts"] = texts
        if name == "sasrec":
            content = out.get("content")
            if use_text and content is not None:
                kwargs["text"] = content.item_vectors()[1:]  # type: ignore[index]
            kwargs["progress"] = (lambda e, loss, v: progress("sasrec", e, loss, v)) if progress else None
        start = time.monotonic()
        model.fit(data, **kwargs)
        model.meta.update({"data_key": data_key, "data": {"source": data.source, "users": data.n_users,
                                                          "items": data.n_items,
                                                          "interactions": data.n_interactions}})
        if name == "sasrec" and "content" in out:
            model.meta["text_embed_s"] = out["content"].meta.get("train_s", 0.0)
        log.info("trained %s in %.1f s", name, time.monotonic() - start)
        model.save(directory / name)
        out[name] = model
    return {n: out[n] for n in names if n in out}


def catalog_texts(catalog: object) -> list[str]:
    frame = catalog.frame()  # type: ignore[attr-defined]
    texts = []
    for title, brand, path in zip(frame["title"], frame["brand"], frame["category_path"]):
        parts = [str(title or "")]
        if isinstance(brand, str) and brand:
            parts.append(f"Brand: {brand}")
        if path:
            parts.append(f"Category: {path}")
        texts.append(". ".join(parts))
    return texts


def train_catalog(data_dir: Path, names: list[str], sasrec_config: SASRecConfig | None = None,
                  progress: Progress | None = None) -> dict[str, ItemModel]:
    """Train on the catalog store's interactions; artifacts go to ``<data_dir>/recsys/catalog``."""
    from tools.catalog.store import Catalog

    catalog = Catalog.open(data_dir)
    data = from_interactions(catalog.interactions(), item_ids=catalog.ids, source=f"catalog in {data_dir}")
    manifest = getattr(catalog, "manifest", {}) or {}
    key = hashlib.sha1(json.dumps([manifest.get("written_at"), len(catalog), data.n_interactions]).encode())
    texts = catalog_texts(catalog) + [""] * (data.n_items - len(catalog))
    cfg = sasrec_config or SASRecConfig(**CATALOG_SASREC)
    return train_bundle(data, catalog_models_dir(data_dir), names, key.hexdigest()[:12], texts=texts,
                        sasrec_config=cfg, progress=progress)


def file_models_dir(data_dir: Path, path: Path) -> Path:
    return recsys_dir(data_dir) / f"{Path(path).stem.replace('.', '-')}-{fingerprint(path)}"


def train_file(path: Path, data_dir: Path, names: list[str], sasrec_config: SASRecConfig | None = None,
               reuse: bool = True, progress: Progress | None = None) -> tuple[SequenceData, dict[str, ItemModel]]:
    """Train (or reuse) models on a benchmark interaction file."""
    data = load_sequences(path)
    texts = load_item_texts(path, data)
    models = train_bundle(data, file_models_dir(data_dir, path), names, fingerprint(path), texts=texts,
                          sasrec_config=sasrec_config, reuse=reuse, progress=progress)
    return data, models


def blend_scorer(models: dict[str, ItemModel], weights: dict[str, float]) -> Callable[[list[np.ndarray]], np.ndarray]:
    """Batch scorer: weighted sum of per-user z-normalised model scores (the blender's sequential path)."""

    def score(histories: list[np.ndarray]) -> np.ndarray:
        total = None
        for name, w in weights.items():
            s = models[name].score(histories)[:, 1:]
            z = zscore_rows(s)
            total = w * z if total is None else total + w * z
        assert total is not None
        return np.hstack([np.full((len(histories), 1), -np.inf, np.float32), total.astype(np.float32)])

    return score


def evaluate_file(path: Path, data_dir: Path, model: str, sasrec_config: SASRecConfig | None = None,
                  retrain: bool = False, progress: Progress | None = None,
                  blend_weights: dict[str, float] | None = None) -> dict:
    """Test-set figures for ``model`` (sasrec | cf | content | popular | blend) on a benchmark file."""
    names = ["sasrec", "cf"] if model == "blend" else expand([model])
    data, models = train_file(path, data_dir, names, sasrec_config, reuse=not retrain, progress=progress)
    if model == "blend":
        weights = blend_weights or {"sasrec": 1.0, "cf": 0.25}
        scorer = blend_scorer(models, weights)
        train_s = sum(float(m.meta.get("train_s", 0)) + float(m.meta.get("text_embed_s", 0))
                      for m in models.values())
        meta: dict = {"weights": weights}
    else:
        m = models[names[0]]
        scorer = m.score
        train_s = float(m.meta.get("train_s", 0)) + float(m.meta.get("text_embed_s", 0))
        meta = {k: m.meta[k] for k in ("best_epoch", "epochs", "valid_ndcg10_full", "member_valid_ndcg10_full",
                                       "ensemble_valid_ndcg10_full", "cf_weight", "text_embed_s",
                                       "train_cpu_s") if k in m.meta}
    start = time.monotonic()
    metrics: Metrics = evaluate(scorer, data, "test")
    return {"data": str(path), "model": model, **metrics.model_dump(), "train_s": round(train_s, 1),
            "eval_s": round(time.monotonic() - start, 1), **meta}
