"""The composition root: the shop's engines, opened once per process, for every entry point.

``Services`` opens the catalog, the search engine, the recommender, the LLM endpoint, the agent runtime and its
checkpointer (each once, thread-safe; ``warm()`` opens them all at start) and falls back to catalog-only engines
when an index or model is not built yet, so every surface stays usable and says what to run. The agent runtime gets
these same engines; nothing else in the project opens them. The API, the MCP server, the Streamlit app, the CLI and
the benches all go through here.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import ExitStack
from typing import Any, Callable

from pydantic import BaseModel, Field

from core.config import Settings
from core.errors import ShopagentError, first_line

log = logging.getLogger(__name__)

HEALTH_TTL_S = 5.0


class LLMStatus(BaseModel):
    url: str
    ok: bool
    model: str | None = None
    message: str = ""


class Health(BaseModel):
    """What is ready: catalog size, which search/recommend backends answer, the LLM endpoint."""

    status: str = Field(description="ok | degraded (something answers from a fallback or is missing)")
    products: int = 0
    catalog: str = Field("", description="'' when ready, else what to run")
    search: str = Field(description="search-engine | catalog-keyword | unavailable")
    recommender: str = Field(description="recommender-service | catalog-popularity | unavailable")
    vectors: str = Field("embedded", description="embedded (Chroma in the data directory) | server (a `chroma run` "
                                                 "that answers) | server-unreachable (search answers from the "
                                                 "local copy of the vectors)")
    llm: LLMStatus
    agent_ready: bool = Field(False, description="The agent runtime is open (it warms right after the engines).")
    notes: list[str] = Field(default_factory=list)


class Conversation(BaseModel):
    """One past conversation as a list shows it: titled by its first request, with dates and a preview."""

    thread_id: str
    title: str
    started: str = Field(description="ISO time of the first turn (UTC)")
    updated: str = Field(description="ISO time of the last turn (UTC)")
    preview: str = Field(description="The start of the last answer")
    turns: int


class Services:
    """Catalog, engines, LLM endpoint and agent for one ``Settings``; everything optional is injectable (tests)."""

    def __init__(self, settings: Settings, *, catalog: Any = None, engine: Any = None, recommender: Any = None,
                 endpoint: Any = None, describe_fn: Callable[..., Any] | None = None, agent: Any = None,
                 use_engines: bool = True) -> None:
        self.settings = settings
        self._catalog = catalog
        self._engine = engine
        self._recommender = recommender
        self._endpoint = endpoint
        self._describe_fn = describe_fn
        self._agent = agent
        self.use_engines = use_engines
        self.notes: list[str] = []
        self.agent_problem = ""  # why the start-up warm-up could not open the agent ('' when it did or has not run)
        self._lock = threading.RLock()
        self._stack = ExitStack()
        self._llm_checked: tuple[float, LLMStatus] | None = None
        self._opened_engines = False
        self.opens = 0  # times the engines were opened: once per process (a test counts)
        self._given = {name for name, v in (("_catalog", catalog), ("_engine", engine),
                                             ("_recommender", recommender), ("_agent", agent)) if v is not None}
        self._opened_key: tuple | None = None
        self._retired: list[ExitStack] = []

    # --- opening ---
    @property
    def catalog(self) -> Any:
        """The catalog (raises ShopagentError "no catalog ...: run `shopagent data demo`" when there is none)."""
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    from tools.catalog.store import Catalog

                    key = self.store_key()  # read before opening: a switch in between is seen at the next check
                    self._catalog = Catalog.open(self.settings.data_dir)
                    self._opened_key = key
        return self._catalog

    def store_key(self) -> tuple:
        """What the opened tools were read from: the catalog version served and the search index build."""
        from tools.catalog.store import served_version

        meta = self.settings.data_dir / "index" / "meta.json"
        try:
            built = meta.stat().st_mtime_ns
        except OSError:
            built = None
        return served_version(self.settings.data_dir), built

    def reopen_if_changed(self) -> bool:
        """When a new catalog version (or index build) is served, drop what was opened from the old one, so the
        next call opens the new one. The caller makes sure no call is in flight (``shopagent.api.deps``); objects
        handed out before keep answering from their own, whole version. Returns whether anything was dropped."""
        if self._opened_key is None or self.store_key() == self._opened_key:
            return False
        with self._lock:
            log.info("catalog or index changed (%s -> %s): reopening", self._opened_key, self.store_key())
            for name in ("_catalog", "_engine", "_recommender", "_agent"):
                if name not in self._given:
                    setattr(self, name, None)
            if "_agent" not in self._given:
                retired, self._stack = self._stack, ExitStack()
                self._retired.append(retired)  # closed with the toolbox: a stream may still use the old agent
            self._opened_engines = False
            self.notes = []
            self._opened_key = None
        return True

    def catalog_problem(self) -> str:
        """'' when the catalog opens, else the one-line error (no catalog, or which file is broken)."""
        try:
            self.catalog
        except ShopagentError as exc:
            return str(exc)
        return ""

    def has_catalog(self) -> bool:
        try:
            return len(self.catalog) > 0
        except ShopagentError:
            return False

    def _open_engines(self) -> None:
        if self._opened_engines:
            return
        with self._lock:
            if self._opened_engines:
                return
            catalog = self.catalog
            if self._engine is None and self.use_engines:
                try:
                    from tools.search import SearchEngine

                    self._engine = SearchEngine.open(self.settings, catalog=catalog)
                except ShopagentError as exc:  # no index yet: BM25 over the catalog answers
                    self.notes.append(f"search: catalog keyword fallback ({first_line(exc)[:160]})")
            if self._engine is None:
                from tools.search import SearchEngine

                self._engine = SearchEngine.keyword_only(catalog)
            if self._recommender is None and self.use_engines:
                try:
                    from tools.recommend.service import RecommenderService

                    self._recommender = RecommenderService.open(self.settings, catalog=catalog)
                except ShopagentError as exc:  # no trained models: catalog popularity answers
                    self.notes.append(f"recommend: catalog popularity fallback ({first_line(exc)[:160]})")
            if self._recommender is None:
                from tools.recommend.fallback import CatalogPopularity

                self._recommender = CatalogPopularity(catalog)
            for n in self.notes:
                log.info(n)
            self.opens += 1
            self._opened_engines = True

    @property
    def engine(self) -> Any:
        """The ``SearchEngine``: hybrid, or keyword-only (``engine.name == "catalog-keyword"``) before an index."""
        self._open_engines()
        return self._engine

    @property
    def recommender(self) -> Any:
        """``RecommenderService``, or ``CatalogPopularity`` before the models are trained."""
        self._open_engines()
        return self._recommender

    def tools(self) -> Any:
        """The agent's ``ToolContext`` over these engines."""
        from agent.toolbox import ToolContext

        return ToolContext(catalog=self.catalog, search=self.engine, recommender=self.recommender)

    def warm(self) -> None:
        """Open everything now (engines, encoder, agent), so the first request does not pay for it; never raises."""
        self.warm_engines()
        self.warm_agent()

    def warm_engines(self) -> None:
        """Open the catalog, search engine, recommender and encoder now; never raises."""
        try:
            self._open_engines()
        except ShopagentError as exc:
            log.info("engines not warmed: %s", exc)

    def warm_agent(self) -> None:
        """Open the agent runtime (planner, checkpointer) now; never raises: what went wrong is logged and kept in
        ``agent_problem`` (health shows it; the first turn opens the agent again and answers with the error)."""
        try:
            self.agent()
            self.agent_problem = ""
        except ShopagentError as exc:
            self.agent_problem = first_line(exc)
            log.warning("agent not opened at start: %s", exc)
        except Exception as exc:  # a start-up thread: nobody else would ever see it
            self.agent_problem = f"{type(exc).__name__}: {first_line(exc)}"
            log.exception("agent not opened at start")

    # --- tools ---
    def search(self, request: Any) -> Any:
        """``tools.search.SearchRequest`` -> ``SearchResponse``."""
        return self.engine.search(request)

    def recommend(self, request: Any) -> Any:
        """``RecommendRequest`` -> ``RecommendResponse``."""
        return self.recommender.recommend(request)

    def similar(self, request: Any) -> Any:
        """``SimilarRequest`` -> ``RecommendResponse``."""
        return self.recommender.similar(request)

    def recommend_by_model(self, user_id: str, k: int = 5) -> dict[str, list[tuple[str, float]]]:
        """Each trained model's own top-``k`` for ``user_id`` (model name -> [(product id, score)]); {} when the
        recommender models are not trained."""
        service = self.recommender
        models = getattr(service, "models", None)
        histories = getattr(service, "histories", None)
        if not models or histories is None:
            return {}
        import numpy as np

        history = histories.get(user_id, np.zeros(0, dtype=np.int64))
        allowed = getattr(service, "in_catalog", None)
        out: dict[str, list[tuple[str, float]]] = {}
        for name, model in models.items():
            try:
                top = model.recommend(history, k, allowed)
            except Exception as exc:  # noqa: BLE001 - one model failing must not hide the others
                log.info("model %s failed for %s: %s", name, user_id, exc)
                continue
            out[name] = [(service.item_ids[i - 1], round(s, 4)) for i, s in top]
        return out

    def product(self, product_id: str) -> Any:
        """The ``Product`` (raises ``UnknownProductError``)."""
        return self.catalog.get(product_id)

    def describe(self, request: Any) -> Any:
        """``DescribeRequest`` -> ``DescribeResult`` (needs the LLM; per-item problems are in ``result.errors``)."""
        if self._describe_fn is not None:
            return self._describe_fn(request)
        from tools.describe import describe_product

        catalog = self.catalog if request.product_id is not None else self._catalog_or_none()
        return describe_product(request, self.endpoint(), catalog, self._snippet_source(catalog))

    def describe_many(self, requests: list[Any], out_path: Any, on_result: Callable[[Any], None] | None = None,
                      concurrency: int = 8) -> Any:
        """Describe ``requests`` concurrently (vLLM batches them), appending each result to the JSONL ``out_path``;
        returns the ``BatchReport``. Needs the LLM."""
        from tools.describe.batch import describe_many

        return describe_many(self.endpoint(), self.catalog, self._snippet_source(self.catalog), requests, out_path,
                             on_result=on_result, concurrency=concurrency)

    def _snippet_source(self, catalog: Any) -> Any:
        """The hybrid engine ranks review snippets by meaning; without an index they are ranked locally (None)."""
        return self.engine if catalog is not None and self.engine.hybrid else None

    def _catalog_or_none(self) -> Any:
        try:
            return self.catalog
        except ShopagentError:
            return None

    # --- LLM ---
    def llm_status(self, refresh: bool = False) -> LLMStatus:
        """Whether the configured LLM server answers (cached for a few seconds)."""
        now = time.monotonic()
        if not refresh and self._llm_checked and now - self._llm_checked[0] < HEALTH_TTL_S:
            return self._llm_checked[1]
        from core.llm.client import Endpoint, check_health

        endpoint = self._endpoint or Endpoint.from_settings(self.settings)
        try:
            resolved = check_health(endpoint)
            status = LLMStatus(url=endpoint.base_url, ok=True, model=resolved.model)
            if self._endpoint is None or self._endpoint.model is None:
                self._endpoint = resolved
        except ShopagentError as exc:
            status = LLMStatus(url=endpoint.base_url, ok=False, message=str(exc))
        self._llm_checked = (now, status)
        return status

    def endpoint(self) -> Any:
        """The health-checked LLM ``Endpoint``; raises ShopagentError (what to run) when the server is down."""
        status = self.llm_status()
        if not status.ok:
            raise ShopagentError(status.message)
        return self._endpoint

    # --- agent ---
    def agent(self) -> Any:
        """The ``AgentRuntime`` (opened once; template replies when the LLM is down)."""
        if self._agent is None:
            with self._lock:
                if self._agent is None:
                    from agent.runtime import AgentRuntime

                    status = self.llm_status()
                    endpoint = self._endpoint if status.ok else None
                    self._agent = self._stack.enter_context(
                        AgentRuntime.open(self.settings, self.tools(), endpoint, embedder=self.encoder()))
        return self._agent

    def encoder(self) -> Any:
        """The search engine's MiniLM encoder (ONNX), which the planner's vote shares: one per process."""
        from tools.search.embed import shared_embedder

        return self.engine.embedder or shared_embedder(self.settings.models_dir)

    def agent_ready(self) -> bool:
        """Whether the agent (and its checkpointer) is open, so asking for it does not wait on ``warm()``."""
        return self._agent is not None

    def conversations(self, owner: str | None = None, limit: int = 20) -> list["Conversation"]:
        """Conversations in the agent's checkpointer, most recent first; with ``owner``, only that owner's."""
        saver = getattr(self.agent(), "checkpointer", None)
        if saver is None:
            return []
        seen: set[str] = set()
        out: list[Conversation] = []
        try:
            for item in saver.list(None, limit=5000):
                tid = item.config.get("configurable", {}).get("thread_id")
                if not tid or tid in seen:
                    continue
                seen.add(tid)
                values = (item.checkpoint or {}).get("channel_values", {})
                if owner is not None and values.get("owner") != owner:
                    continue
                shown = values.get("shown") or []
                if not shown:
                    continue
                first, last = shown[0], shown[-1]
                out.append(Conversation(thread_id=tid, title=first.get("request", "")[:80], started=first.get("at", ""),
                                        updated=last.get("at", ""), preview=last.get("answer", "")[:120],
                                        turns=len(shown)))
                if len(out) >= limit:
                    break
        except Exception as exc:  # noqa: BLE001 - a checkpointer that cannot list: no past conversations
            log.info("cannot list conversations: %s", exc)
        return sorted(out, key=lambda c: c.updated, reverse=True)

    # --- health ---
    def health(self, check_llm: bool = True) -> Health:
        notes: list[str] = []
        products, catalog_msg = 0, ""
        search = recommender = "unavailable"
        try:
            products = len(self.catalog)
            self._open_engines()
            search = self._engine.name
            recommender = getattr(self._recommender, "name", "recommender-service")
            notes = list(self.notes)
            if self.agent_problem and self._agent is None:
                notes.append(f"agent: not opened at start ({self.agent_problem[:200]})")
        except ShopagentError as exc:
            catalog_msg = str(exc)
        llm = self.llm_status() if check_llm else LLMStatus(url=self.settings.llm_url, ok=False,
                                                             message="not checked")
        vectors = self.vector_store_status()
        degraded = bool(catalog_msg) or search != "search-engine" or not llm.ok or vectors == "server-unreachable"
        return Health(status="degraded" if degraded else "ok", products=products, catalog=catalog_msg,
                      search=search, recommender=recommender, vectors=vectors, llm=llm,
                      agent_ready=self._agent is not None, notes=notes)

    def vector_store_status(self) -> str:
        """``embedded``, or whether the configured Chroma server answers its heartbeat."""
        if not self.settings.chroma_host:
            return "embedded"
        import httpx

        url = f"http://{self.settings.chroma_host}:{self.settings.chroma_port}/api/v2/heartbeat"
        try:
            return "server" if httpx.get(url, timeout=1.0).status_code == 200 else "server-unreachable"
        except httpx.HTTPError:
            return "server-unreachable"

    def close(self) -> None:
        for stack in self._retired:
            stack.close()
        self._stack.close()

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
