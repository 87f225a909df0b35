"""API worker processes of the server profile: each is a plain ``shopagent api`` with settings from its
environment, keeping no conversation state of its own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

from core.process import ServiceProcess
from core.config import Settings
from core.errors import ShopagentError
from core.llm.serve import free_port


def profile_env(settings: Settings) -> dict[str, str]:
    """The environment that selects ``settings``' server profile in a child process (SHOPAGENT_* variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPAGENT_")}
    values = {"data_dir": settings.data_dir, "llm_url": settings.llm_url, "llm_model": settings.llm_model,
              "checkpoint_url": settings.checkpoint_url, "chroma_host": settings.chroma_host,
              "chroma_port": settings.chroma_port, "planner": settings.planner, "api_token": settings.api_token,
              "api_threads": settings.api_threads, "llm_max_retries": settings.llm_max_retries,
              "llm_timeout_s": settings.llm_timeout_s}
    env.update({f"SHOPAGENT_{k.upper()}": str(v) for k, v in values.items() if v is not None})
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


class ApiWorker(ServiceProcess):
    """One ``shopagent api`` process on its own loopback port."""

    def __init__(self, settings: Settings, log_dir: Path, port: int | None = None, threads: int = 4) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "shopagent", "api", "--port", str(self.port), "--threads", str(threads)]
        super().__init__(f"API worker :{self.port}", command, log_dir / f"api-{self.port}.log",
                         env=profile_env(settings))
        self.health_url = f"{self.url}/v1/health"
        self.start_timeout_s = 240.0

    def wait_agent(self, timeout_s: float = 240.0) -> float:
        """Wait until the worker's health says its agent is open (it warms right after the engines, while tool
        calls are already served); the seconds since the start. Raises at once when the warm-up failed."""
        def agent_ready() -> bool:
            try:
                health = httpx.get(self.health_url, timeout=5.0).json()
            except (httpx.HTTPError, ValueError):
                return False
            failed = [n for n in health.get("notes", []) if n.startswith("agent:")]
            if failed:
                raise ShopagentError(f"{self.name}: {failed[0]}; its log ({self.log_path}) ends:\n{self.log_tail()}")
            return bool(health.get("agent_ready"))

        return self.wait_until(agent_ready, timeout_s)
