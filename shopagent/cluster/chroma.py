"""A ``chroma run`` server on a free loopback port (the Chroma server profile's vector store)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from core.process import ServiceProcess
from core.errors import ShopagentError
from core.llm.serve import free_port


def chroma_exe() -> str:
    beside = Path(sys.executable).parent / "chroma"
    if beside.exists():
        return str(beside)
    if exe := shutil.which("chroma"):
        return exe
    raise ShopagentError("the `chroma` command is not installed: run README's set-up (it comes with chromadb)")


class ChromaServer:
    """``with ChromaServer(path) as c: c.port`` — stop()/start() again on the same port and data for fault tests."""

    def __init__(self, path: Path, port: int | None = None, log_path: Path | None = None) -> None:
        self.path, self.port = path, port or free_port()
        self.log_path = log_path or path.parent / f"chroma-{self.port}.log"
        self.proc: ServiceProcess | None = None

    def start(self, timeout_s: float = 90.0) -> "ChromaServer":
        self.proc = ServiceProcess("chroma run", [chroma_exe(), "run", "--path", str(self.path), "--host",
                                                  "127.0.0.1", "--port", str(self.port)], self.log_path).start()
        self.proc.wait_http(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout_s)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(grace_s=10)

    def __enter__(self) -> "ChromaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
