"""A child service process (vLLM, PostgreSQL, ``chroma run``, API workers): started with its log in a file, ready
when its health URL (or a check) answers, stopped by process group; ``kill()`` is the SIGKILL a fault test needs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Sequence

import httpx

from core.errors import ShopagentError


def port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class ServiceProcess:
    """One service child process (its own process group, so stopping it stops its children too).

    As a context manager it starts, waits until ``health_url`` answers 200 (within ``start_timeout_s``) and stops
    at the end."""

    health_url: str | None = None
    start_timeout_s: float = 120.0
    stop_grace_s: float = 15.0

    def __init__(self, name: str, command: Sequence[str], log_path: Path, env: dict[str, str] | None = None,
                 user: int | None = None, cwd: Path | None = None) -> None:
        self.name, self.command, self.log_path = name, list(command), log_path
        self.env, self.user, self.cwd = env, user, cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.ready_s: float | None = None  # seconds from start to ready, once ready

    @property
    def pid(self) -> int:
        assert self.proc is not None, f"{self.name} is not started"
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> "ServiceProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.started_at = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                         cwd=self.cwd, user=self.user, start_new_session=True)
        return self

    def wait_until(self, ready: Callable[[], bool], timeout_s: float = 120.0) -> float:
        """Poll ``ready`` until it is true; the seconds since the start. Raises (with the log's end) if the process
        died, and stops it if it was not ready in time."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout_s:
            if self.proc is not None and self.proc.poll() is not None:
                raise ShopagentError(f"{self.name} exited with code {self.proc.returncode} while starting; its log "
                                     f"({self.log_path}) ends:\n{self.log_tail()}")
            if ready():
                self.ready_s = time.monotonic() - self.started_at
                return self.ready_s
            time.sleep(0.2)
        self.stop()
        raise ShopagentError(f"{self.name} was not ready within {timeout_s:.0f} s; see {self.log_path}")

    def wait_http(self, url: str, timeout_s: float = 120.0) -> float:
        """Wait until ``url`` answers 200; the seconds since the start."""
        def ok() -> bool:
            try:
                return httpx.get(url, timeout=2.0).status_code == 200
            except httpx.HTTPError:
                return False

        return self.wait_until(ok, timeout_s)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send ``sig`` to the service's process group at once (a crash, for fault tests)."""
        if self.alive():
            os.killpg(self.pid, sig)
            if sig == signal.SIGKILL:
                self.proc.wait(timeout=10)  # type: ignore[union-attr]

    def stop(self, grace_s: float | None = None, first: signal.Signals = signal.SIGTERM) -> None:
        """``first`` (SIGTERM) to the process group, then SIGKILL after ``grace_s``."""
        if not self.alive():
            return
        for sig, wait in ((first, self.stop_grace_s if grace_s is None else grace_s), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)  # type: ignore[union-attr]
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> "ServiceProcess":
        self.start()
        try:
            if self.health_url:
                self.wait_http(self.health_url, self.start_timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
