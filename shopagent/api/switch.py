"""``SwitchGate``: a running API picks up a new catalog version (or index build) between calls, never during one.

Every tool call passes the gate. When the toolbox reports that the store it opened is no longer the one served,
the gate lets the calls in flight finish, holds new ones for that moment, has the toolbox drop what it opened,
and lets them through: the next call opens the new version. No call fails and no answer mixes two versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, AsyncIterator

log = logging.getLogger(__name__)

CHECK_EVERY_S = 0.05  # at most one pointer read per interval, however many calls arrive


class SwitchGate:
    def __init__(self, toolbox: Any) -> None:
        self.toolbox = toolbox
        self._inflight = 0
        self._switching = False
        self._checked = 0.0
        self._cond: asyncio.Condition | None = None

    def _changed(self) -> bool:
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_S:
            return False
        self._checked = now
        opened = getattr(self.toolbox, "_opened_key", None)
        return opened is not None and self.toolbox.store_key() != opened

    @contextlib.asynccontextmanager
    async def call(self) -> AsyncIterator[None]:
        if self._cond is None:
            self._cond = asyncio.Condition()
        cond = self._cond
        async with cond:
            if not self._switching and self._changed():
                self._switching = True
            while self._switching and self._inflight:
                await cond.wait()
            if self._switching:
                try:
                    self.toolbox.reopen_if_changed()
                finally:  # never leave later calls waiting on a switch that failed
                    self._switching = False
                    cond.notify_all()
            self._inflight += 1
        try:
            yield
        finally:
            async with cond:
                self._inflight -= 1
                cond.notify_all()
