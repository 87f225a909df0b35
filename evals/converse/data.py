"""Amazon Beauty 2014 for the conversation suite: shoppers (history + hidden target) and the shop built without
the targets.

Each user's interactions are in time order; the target is the last item and the history the items before it (the
leave-one-out test split the recommender benchmark uses). The shop the agent serves is the Beauty catalog with every
user's interactions *except their last*, so neither the search index nor any recommender (trained on that shop's
interactions) has seen a target. The build (catalog, index, recommenders) is cached under
``<data_dir>/converse/beauty-<fingerprint>/`` (beside, not inside, the reports folder) and reused by later runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import random
from pathlib import Path
from typing import Any, Callable, Sequence

from pydantic import BaseModel, Field

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)

BEAUTY_DIR = Path("amazon-beauty-2014")
BUILD_VERSION = 1  # bump when the build changes: a new cache folder
Say = Callable[[str], None]


class Shopper(BaseModel):
    """A simulated shopper: a real Beauty user, what they bought before, and the item they came for."""

    user_id: str
    history: list[str] = Field(description="Product ids bought before the target, oldest first.")
    target: str = Field(description="The hidden target: the user's last item.")


def shared_datasets() -> Path:
    """``../shared/datasets`` beside the checkout (or the working directory)."""
    here = Path(__file__).resolve().parents[2]
    for cand in (here.parent / "shared" / "datasets", Path.cwd().parent / "shared" / "datasets"):
        if (cand / BEAUTY_DIR).is_dir():
            return cand
    raise ShopagentError("no ../shared/datasets/amazon-beauty-2014 beside the checkout: the conversation suite "
                         "runs on Amazon Beauty 2014 (see the datasets README)")


def beauty_dir(datasets: Path | None = None) -> Path:
    return (datasets or shared_datasets()) / BEAUTY_DIR


def split_targets(interactions: list) -> tuple[list, dict[str, tuple[list[str], str]]]:
    """(interactions without each user's last one, {user: (history, target)}); users with a single interaction
    keep it (there is nothing before a target to learn from)."""
    by_user: dict[str, list] = {}
    for n, it in enumerate(interactions):
        by_user.setdefault(it.user_id, []).append((it.timestamp, n, it))
    kept, split = [], {}
    for user, rows in by_user.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        items = [r[2] for r in rows]
        if len(items) < 2:
            kept += items
            continue
        kept += items[:-1]
        split[user] = ([i.item_id for i in items[:-1]], items[-1].item_id)
    return kept, split


def build_key(source: Path) -> str:
    """A fingerprint of the source files and this build's version (a new file or version: a new build)."""
    digest = hashlib.sha1(str(BUILD_VERSION).encode())
    for f in sorted(source.iterdir()):
        if f.is_file():
            digest.update(f"{f.name}:{f.stat().st_size}".encode())
    return digest.hexdigest()[:10]


def build_dir(settings: Settings, source: Path) -> Path:
    return Path(settings.data_dir) / "converse" / f"beauty-{build_key(source)}"


def ensure_shop(settings: Settings, source: Path | None = None, say: Say = log.info,
                recommenders: Sequence[str] | None = None, sasrec: Any = None) -> tuple[Path, list[Shopper]]:
    """The Beauty shop without targets (catalog, search index, recommenders), built once; and every shopper.
    ``recommenders`` (default: all) and ``sasrec`` (a ``SASRecConfig``) are for small test builds."""
    from tools.catalog.load import load_catalog
    from tools.catalog.store import Catalog, write_catalog
    from tools.recommend.train import ALL_MODELS, train_catalog, trained_models
    from tools.search.index import build_index, index_dir

    source = source or beauty_dir()
    directory = build_dir(settings, source)
    shoppers_file = directory / "shoppers.jsonl"
    local = settings.model_copy(update={"data_dir": directory, "chroma_path": None, "checkpoint_url": None})
    if not shoppers_file.is_file():
        say(f"building the Beauty shop without the targets in {directory} (once; cached for later runs)")
        data = load_catalog("amazon2014", source)
        kept, split = split_targets(data.interactions)
        write_catalog(directory, dataclasses.replace(data, interactions=kept, reviews=[]))
        known = {p.id for p in data.products}
        tmp = shoppers_file.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for user, (history, target) in split.items():
                if target in known:
                    f.write(Shopper(user_id=user, history=history, target=target).model_dump_json() + "\n")
        tmp.replace(shoppers_file)
    if not (index_dir(local) / "products.npy").is_file():
        say("indexing the Beauty catalog for search (once)")
        build_index(local, reviews=False)
    names = list(recommenders or ALL_MODELS)
    if not set(names) <= set(trained_models(directory)):
        say("training the recommenders on the histories without the targets (once)")
        train_catalog(directory, names, sasrec_config=sasrec)
    Catalog.open(directory)  # a clear error when the build is broken
    shoppers = [Shopper.model_validate_json(line) for line in shoppers_file.read_text(encoding="utf-8").splitlines()]
    (directory / "build.json").write_text(json.dumps({"source": str(source), "shoppers": len(shoppers)}))
    return directory, shoppers


def draw_shoppers(shoppers: list[Shopper], n: int, seed: int) -> list[Shopper]:
    """``n`` shoppers drawn with ``seed`` (the same seed, the same shoppers), in a stable order."""
    if n > len(shoppers):
        raise ShopagentError(f"--users {n}: only {len(shoppers)} shoppers with a target in the catalog")
    return random.Random(seed).sample(sorted(shoppers, key=lambda s: s.user_id), n)
