"""Catalog versions: every write is a complete new directory, switched in by replacing one pointer file.

Layout under ``<data_dir>/catalog``::

    CURRENT              the name of the version readers open ("v000003"), replaced with os.replace
    .lock                held (flock) by the one writer at a time
    versions/v000001/    products.parquet, reviews.parquet, interactions.parquet, users.parquet, manifest.json
    versions/v000002/
    versions/.incomplete-v000003-<pid>/   a write in progress, or one killed midway (removed by the next write)

A reader resolves ``CURRENT`` once and reads every table from that one directory, so it sees one whole version
whatever a writer does meanwhile. A write is fsynced before the pointer moves; a write killed at any point leaves
``CURRENT`` naming the previous version. Older versions are kept (``KEEP``) for ``shopagent data rollback``. A
catalog written before versions existed (tables directly under ``catalog/``) is read as it is and becomes
version ``v000000`` on the next write.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel

from core.errors import ShopagentError

log = logging.getLogger(__name__)

POINTER = "CURRENT"
VERSIONS = "versions"
INCOMPLETE = ".incomplete-"
KEEP = 5
LEGACY = "v000000"
_NAME = re.compile(r"^v\d{6,}$")
TABLES = ("products.parquet", "reviews.parquet", "interactions.parquet", "users.parquet", "manifest.json")


class VersionInfo(BaseModel):
    """One kept catalog version."""

    version: str
    current: bool
    written_at: int | None = None
    source: str = ""
    n_products: int | None = None
    change: dict = {}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current_version(root: Path) -> str | None:
    """The version ``CURRENT`` names (None when the catalog has no versions yet)."""
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    if not _NAME.match(name):
        raise ShopagentError(f"catalog pointer {root / POINTER} is corrupt ({name[:40]!r}): run "
                             "`shopagent data rollback` to point it at a kept version")
    return name


def resolve(root: Path) -> tuple[str, Path] | None:
    """(version, directory) readers open now; the pre-versions layout reads as ('legacy', root)."""
    name = current_version(root)
    if name is None:
        return ("legacy", root) if (root / "products.parquet").exists() else None
    d = root / VERSIONS / name
    if not d.is_dir():
        raise ShopagentError(f"catalog version {d} named by {root / POINTER} is missing: run "
                             "`shopagent data rollback` or reload with `shopagent data load ...`")
    return name, d


def kept(root: Path) -> list[str]:
    """Complete versions on disk, oldest first."""
    d = root / VERSIONS
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and _NAME.match(p.name))


def list_versions(root: Path) -> list[VersionInfo]:
    cur = current_version(root)
    out = []
    for name in kept(root):
        manifest: dict = {}
        with contextlib.suppress(OSError, ValueError):
            manifest = json.loads((root / VERSIONS / name / "manifest.json").read_text())
        out.append(VersionInfo(version=name, current=name == cur, written_at=manifest.get("written_at"),
                               source=manifest.get("source", ""), n_products=manifest.get("n_products"),
                               change=manifest.get("change") or {}))
    return out


def switch(root: Path, name: str) -> None:
    """Point ``CURRENT`` at version ``name`` in one atomic step."""
    if not (root / VERSIONS / name).is_dir():
        raise ShopagentError(f"no catalog version {name!r}: `shopagent data versions` lists the kept ones")
    tmp = root / f".{POINTER}.{os.getpid()}"
    with tmp.open("w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / POINTER)
    _fsync_dir(root)
    log.info("catalog now serves version %s", name)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time (an flock: released by the kernel when a writer is killed)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ShopagentError(f"another load is writing the catalog in {root}: wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _clean_incomplete(root: Path) -> int:
    d = root / VERSIONS
    gone = 0
    for p in d.iterdir() if d.is_dir() else []:
        if p.name.startswith(INCOMPLETE):
            shutil.rmtree(p, ignore_errors=True)
            gone += 1
    if gone:
        log.warning("removed %d incomplete catalog write(s) left by an interrupted load", gone)
    return gone


def _adopt_legacy(root: Path) -> None:
    """Move a pre-versions catalog (tables directly under ``root``) into version v000000."""
    if current_version(root) is not None or not (root / "products.parquet").exists():
        return
    d = root / VERSIONS / LEGACY
    d.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        if (root / t).exists():
            os.replace(root / t, d / t)
    switch(root, LEGACY)


def _next_name(root: Path) -> str:
    names = kept(root)
    n = int(names[-1][1:]) + 1 if names else 1
    return f"v{n:06d}"


@contextlib.contextmanager
def new_version(root: Path, keep: int = KEEP) -> Iterator[Path]:
    """Write a version: yields an empty directory to fill; on a clean exit it is fsynced, named, and switched to
    (the ``keep`` newest versions stay, the current one always). An exception leaves ``CURRENT`` as it was."""
    with writer_lock(root):
        (root / VERSIONS).mkdir(parents=True, exist_ok=True)
        cleaned = _clean_incomplete(root)
        _adopt_legacy(root)
        name = _next_name(root)
        work = root / VERSIONS / f"{INCOMPLETE}{name}-{os.getpid()}"
        work.mkdir()
        try:
            yield work
            for f in work.iterdir():
                with f.open("rb") as fh:
                    os.fsync(fh.fileno())
            _fsync_dir(work)
            final = root / VERSIONS / name
            os.replace(work, final)
            _fsync_dir(root / VERSIONS)
            switch(root, name)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        if cleaned:
            log.info("catalog version %s written after cleaning %d interrupted write(s)", name, cleaned)
        prune(root, keep)


def prune(root: Path, keep: int = KEEP) -> list[str]:
    """Remove all but the ``keep`` newest versions (never the current one); returns the removed names."""
    cur = current_version(root)
    names = kept(root)
    doomed = [n for n in names[:-keep] if n != cur] if keep > 0 else []
    for n in doomed:
        shutil.rmtree(root / VERSIONS / n, ignore_errors=True)
    return doomed


def rollback(root: Path, to: str | None = None) -> str:
    """Switch to version ``to`` (default: the newest kept version older than the current one)."""
    with writer_lock(root):
        names = kept(root)
        try:
            cur = current_version(root)
        except ShopagentError:  # a corrupt pointer: roll back to the newest complete version
            cur = None
        if to is None:
            older = [n for n in names if n < cur] if cur else names[-1:]
            if not older:
                raise ShopagentError("no older catalog version is kept: reload with `shopagent data load ...`")
            to = older[-1]
        switch(root, to)
        return to
