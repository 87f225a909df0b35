"""All configuration in one pydantic-settings class (env prefix ``SHOPAGENT_``, also read from ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_MODEL_NAME = "smollm2-135m-instruct"

PlannerKind = Literal["auto", "native", "guided", "rules", "tuned"]


class Settings(BaseSettings):
    """Every setting shopagent reads. Override any field with ``SHOPAGENT_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="SHOPAGENT_", env_file=".env", extra="ignore")

    # --- LLM (an OpenAI-compatible server, normally vLLM) ---
    llm_url: str = Field("http://127.0.0.1:8000/v1", description="Base URL of the OpenAI-compatible API.")
    llm_model: str | None = Field(None, description="Served model name; None = the first one /v1/models lists.")
    llm_api_key: str = Field("EMPTY", description="API key sent to the LLM server.")
    llm_timeout_s: float = Field(120.0, description="Per-request timeout; nothing waits longer.")
    llm_max_retries: int = Field(3, description="Retries (with backoff) on transient LLM errors.")
    llm_port: int = Field(8000, description="Port `shopagent llm serve` listens on.")
    llm_max_model_len: int = Field(4096, description="Context length the embedded server is started with.")
    llm_tool_parser: str = Field("hermes", description="vLLM --tool-call-parser for native tool calling.")

    # --- storage ---
    data_dir: Path = Field(Path(".shopagent"), description="Catalog store, indexes, models, checkpoints.")
    chroma_path: Path | None = Field(None, description="Embedded Chroma directory; default <data_dir>/chroma.")
    chroma_host: str | None = Field(None, description="Chroma server host; set to use HttpClient.")
    chroma_port: int = Field(8001, description="Chroma server port.")
    checkpoint_url: str | None = Field(
        None, description="LangGraph checkpointer: sqlite:///path or postgresql://...; default SQLite in data_dir."
    )
    checkpoint_pool_size: int = Field(8, ge=2, description="PostgreSQL connections per process (checkpoints and "
                                                             "per-conversation turn locks).")
    checkpoint_timeout_s: float = Field(5.0, gt=0, description="How long a turn waits for a PostgreSQL connection "
                                                                "before it answers 503 (store unreachable).")

    # --- agent / API ---
    planner: PlannerKind = Field("auto", description="How the agent chooses tools.")
    reply_mode: Literal["auto", "lead", "free"] = Field(
        "auto", description="How replies are written: lead = the model writes one guided sentence with no figure or "
                            "name and the facts are rendered by the shop (small models); free = free text, checked; "
                            "auto = lead on the embedded model, free on any other.")
    api_token: str | None = Field(None, description="Bearer token the tool API and the MCP server require (the shop's "
                                                    "own backend: allowed every shopper). Required to listen on a "
                                                    "non-loopback address.")
    api_user_tokens: dict[str, str] = Field(default_factory=dict, description="Shopper tokens: token -> the one "
                                            "shopper id it is allowed (JSON, e.g. '{\"tok-a\": \"u0001\"}').")
    api_insecure: bool = Field(False, description="Set by `--insecure`: listening with no token on purpose "
                                                  "(shopper-specific calls are then refused).")
    auth_config: Path | None = Field(None, description="The app's sign-in file (streamlit-authenticator YAML: "
                                                       "shoppers and owners with hashed passwords); default "
                                                       "<data_dir>/auth.yaml, else the demo accounts.")
    api_max_body_bytes: int = Field(1_000_000, description="Largest request body the tool API accepts.")
    api_timeout_s: float = Field(30.0, description="Longest a tool API call may run before it answers 504.")
    api_threads: int = Field(4, description="Tool-call threads per API process (tools are CPU-bound).")
    api_max_turns: int = Field(16, ge=1, description="Agent turns one process runs at once (each holds its "
                                                     "conversation's lock); more wait in line.")

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def embedded_model_dir(self) -> Path:
        return self.models_dir / EMBEDDED_MODEL_NAME

    @property
    def chroma_dir(self) -> Path:
        return self.chroma_path or (self.data_dir / "chroma")

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def checkpoint_uri(self) -> str:
        return self.checkpoint_url or f"sqlite:///{(self.data_dir / 'checkpoints.sqlite').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
