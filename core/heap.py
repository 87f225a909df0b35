"""The garbage collector and long-lived state: what a serving process opened once is moved out of its view."""

from __future__ import annotations

import gc


def freeze_heap() -> None:
    """Move everything allocated so far (models, the catalog and its million ids, libraries) out of the garbage
    collector's view.

    A request allocates many small objects; each full collection then walked the whole heap: 10-20 ms a turn with
    torch and pandas loaded on the 2-core box, tens of milliseconds a search over a million-product catalog. What a
    process opened once lives as long as it does anyway. ``gc.unfreeze()`` undoes it."""
    gc.collect()
    gc.freeze()
