"""``publish``: check a load's quality, then write it as the new catalog version (or refuse, or only report).

A load is refused, with nothing switched, when any file it read has more than ``max_bad_fraction`` of its lines
malformed; the error carries the counts and the first examples by line number. ``dry_run`` checks and reports
without writing. ``update`` applies the data as a partial feed over the current version (``tools.catalog.update``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import ShopagentError
from tools.catalog.report import FileReport
from tools.catalog.store import CatalogData, write_catalog
from tools.catalog.versions import KEEP

log = logging.getLogger(__name__)

MAX_BAD_FRACTION = 0.01


class LoadRefusedError(ShopagentError):
    """Too many malformed records: the catalog was left as it was."""


class PublishResult(BaseModel):
    """What a load did (or, for a dry run, would do)."""

    accepted: bool
    dry_run: bool = False
    version: str | None = Field(None, description="The version now served (None for a dry run).")
    directory: str | None = None
    max_bad_fraction: float
    files: list[FileReport] = Field(default_factory=list)
    change: dict[str, int] = Field(default_factory=dict, description="added / changed / removed / unchanged")
    n_products: int = 0
    n_reviews: int = 0
    n_interactions: int = 0


def _reports(data: CatalogData) -> list[FileReport]:
    return [FileReport(**f) for f in (data.report or {}).get("files", [])]


def refusal(files: list[FileReport], max_bad_fraction: float) -> str | None:
    """Why the load must be refused (None when every file is within the threshold)."""
    bad = [f for f in files if f.bad_fraction > max_bad_fraction]
    if not bad:
        return None
    parts = [f"{f.path}: {f.n_malformed} of {f.n_lines} lines malformed ({f.bad_fraction:.1%}), first: "
             f"{'; '.join(f.examples)}" for f in bad]
    return (f"load refused, the catalog was not changed: more than {max_bad_fraction:.1%} malformed records. "
            + " | ".join(parts) + ". Fix the file, or accept the loss with --max-bad-fraction")


def publish(data_dir: Path, data: CatalogData, *, max_bad_fraction: float = MAX_BAD_FRACTION,
            dry_run: bool = False, update: bool = False, deletions: set[str] | None = None,
            keep: int = KEEP) -> PublishResult:
    """Check ``data`` and write it as the new catalog version of ``data_dir`` (see the module doc)."""
    if not 0 <= max_bad_fraction <= 1:
        raise ShopagentError(f"--max-bad-fraction must be between 0 and 1, not {max_bad_fraction}")
    files = _reports(data)
    why = refusal(files, max_bad_fraction)
    if why:
        raise LoadRefusedError(why)
    if update:
        from tools.catalog.store import Catalog
        from tools.catalog.update import apply_update

        data = apply_update(Catalog.open(data_dir), data, deletions or set())
    elif deletions:
        raise ShopagentError("deletions apply to an update: pass --update")
    result = PublishResult(accepted=True, dry_run=dry_run, max_bad_fraction=max_bad_fraction, files=files,
                           change=data.change, n_products=len(data.products), n_reviews=len(data.reviews),
                           n_interactions=len(data.interactions))
    if dry_run:
        return result
    out = write_catalog(data_dir, data, keep=keep)
    result.version, result.directory = out.name, str(out)
    return result
