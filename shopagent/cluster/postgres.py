"""A throwaway PostgreSQL cluster: ``initdb`` in a temporary directory, run as a non-root user on a free loopback
port, stopped and removed at the end. Uses the machine's PostgreSQL binaries (Debian's ``postgresql`` package)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from core.process import ServiceProcess, port_answers
from core.errors import ShopagentError
from core.llm.serve import free_port

SUPERUSER = "shopagent"


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server binary (PATH, then Debian's /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    if exe := shutil.which(name):
        return exe
    raise ShopagentError(f"PostgreSQL's `{name}` is not installed: `apt-get install postgresql` (the set-up script "
                         "does this when run as root)")


def service_user() -> int | None:
    """The uid to run the server as: None (ourselves) unless we are root, which PostgreSQL refuses."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
    raise ShopagentError("running as root and there is no `postgres` user to run PostgreSQL as")


class TempPostgres:
    """``with TempPostgres() as pg: pg.url`` — a real server; ``restart()`` and ``kill()`` for fault tests."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="shopagent-pg-"))
        self.data = self.root / "data"
        self.log_path = log_path or self.root / "postgres.log"
        self.uid = service_user()
        self.proc: ServiceProcess | None = None

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _as_service_user(self, *cmd: str) -> None:
        done = subprocess.run(list(cmd), user=self.uid, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise ShopagentError(f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}")

    def init(self) -> None:
        if self.uid is not None:
            os.chown(self.root, self.uid, -1)
        self._as_service_user(pg_bin("initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                              "-E", "UTF8", "--no-locale", "--no-instructions")

    def start(self, timeout_s: float = 60.0) -> "TempPostgres":
        if not (self.data / "PG_VERSION").exists():
            self.init()
        self.proc = ServiceProcess(
            "postgres", [pg_bin("postgres"), "-D", str(self.data), "-p", str(self.port),
                         "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}",
                         "-c", "max_connections=200"],
            self.log_path, user=self.uid, cwd=self.root).start()
        self.proc.wait_until(lambda: port_answers("127.0.0.1", self.port) and self._accepts(), timeout_s)
        return self

    def _accepts(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def stop(self) -> None:
        """Fast shutdown (SIGINT: active sessions are ended, nothing committed is lost)."""
        if self.proc is not None:
            self.proc.stop(grace_s=20, first=signal.SIGINT)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "TempPostgres":
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()
