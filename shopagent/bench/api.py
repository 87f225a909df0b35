"""`shopagent bench api`: the tool API under load, on loopback, at 10k products.

1. open loop: a fixed arrival rate (100 req/s for 30 s) to ``/v1/search`` and then ``/v1/recommend``; p50/p95/p99
   counted from each request's due time, and errors;
2. closed loop: 100 clients with no think time for 30 s per endpoint: requests/s, errors, p99;
3. in-process: the same ``Services.search`` called directly on the same cores (1 thread and the server's thread
   count; the better is reported), measured between the two load runs; then the ratio "HTTP closed loop /
   in-process" in ``rounds`` alternating rounds (``shopagent.bench.spread``: who goes first switches each round),
   reported as the median with its min-max.

The server is ``shopagent api`` (uvicorn + uvloop + httptools) in its own process; the load generator
(``shopagent.bench.loadgen``, aiohttp) in another. Queries and users are drawn at random from the catalog; no
response cache exists anywhere. The 10k-product bench shop (demo catalog, index, recommenders) is built once under
``<data_dir>/bench/api-<n>`` and reused.
"""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from pydantic import BaseModel, Field

from core.config import Settings
from core.errors import ShopagentError
from shopagent.bench.spread import MIN_ROUNDS, Spread, alternate, ratio_of

log = logging.getLogger(__name__)

Say = Callable[[str], None]


class EndpointFigures(BaseModel):
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int = Field(description="Open-loop requests answered (ok or not) out of rate x duration.")
    errors: int
    closed_rps: float
    closed_errors: int
    closed_p99_ms: float
    closed_requests: int


class ChatFigures(BaseModel):
    """One ``shopagent api`` process on the demo shop (index and recommenders built): memory and chat latency."""

    n_products: int
    rss_mb_after_start: float = Field(description="Resident memory once /v1/health answers (engines warmed).")
    rss_mb_after_chat: float = Field(description="Resident memory after the chat turns.")
    first_chat_s: float = Field(description="The first /v1/chat turn after start, end to end.")
    later_chat_s: float = Field(description="Median of the next turns (same requests, fresh threads).")
    later_chat_s_range: tuple[float, float]
    turns: int
    reply_model: str = Field(description="The LLM the replies came from, or 'none' (template replies).")


class ApiBenchResult(BaseModel):
    search: EndpointFigures | None = None
    recommend: EndpointFigures | None = None
    inproc_search_rps: float | None = Field(None, description="Best of 1 thread and the server's thread count.")
    inproc_search_rps_1thread: float | None = None
    closed_over_inproc: float | None = Field(None, description="= closed_over_inproc_spread.median (the long runs' "
                                                                "single ratio when no rounds ran).")
    closed_over_inproc_spread: Spread | None = Field(None, description="HTTP closed-loop search req/s over in-process "
                                                                       "req/s, one ratio per alternating round.")
    chat: ChatFigures
    rss_mb_after_chat: float = Field(description="= chat.rss_mb_after_chat (the demo shop's API process).")
    first_chat_s: float = Field(description="= chat.first_chat_s.")
    n_products: int
    rate: float
    duration_s: float
    clients: int
    server_threads: int
    search_backend: str = ""
    recommender: str = ""
    elapsed_s: float


def _quiet(_: str) -> None:
    pass


def bench_settings(base: Settings, n_products: int) -> Settings:
    d = (Path(base.data_dir) / "bench" / f"api-{n_products}").resolve()
    return base.model_copy(update={"data_dir": d, "chroma_path": None, "chroma_host": None,
                                   "checkpoint_url": "memory://", "api_token": None})


def prepare_bench_data(base: Settings, n_products: int = 10_000, say: Say = _quiet) -> Settings:
    """The bench shop's settings; catalog, search index and recommenders are built when missing (once)."""
    from tools.catalog.store import Catalog, write_catalog

    s = bench_settings(base, n_products)
    s.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        catalog = Catalog.open(s.data_dir)
        fresh = len(catalog) != n_products
    except ShopagentError:
        fresh = True
    if fresh:
        from tools.catalog.demo import generate_demo_catalog

        say(f"generating a {n_products}-product demo catalog in {s.data_dir}")
        write_catalog(s.data_dir, generate_demo_catalog(seed=0, n_products=n_products))
    from tools.recommend.train import trained_models
    from tools.search.index import build_index, index_stale

    if index_stale(s, Catalog.open(s.data_dir)):
        say("building the search index (products only; minutes on 2 cores)")
        build_index(s, reviews=False)
    if not trained_models(s.data_dir):
        say("training the recommenders (SASRec with a short budget)")
        train_bench_recommenders(s)
    return s


def train_bench_recommenders(s: Settings, sasrec_budget_s: float = 45.0) -> None:
    """All four recommenders on the bench catalog; the content model reuses the search index's product embeddings
    (same MiniLM encoder) instead of embedding 10k texts a second time, and SASRec gets a short CPU budget."""
    from tools.catalog.store import Catalog
    from tools.recommend.cf import ItemKNN
    from tools.recommend.content import ContentModel
    from tools.recommend.data import from_interactions
    from tools.recommend.popularity import PopularityModel
    from tools.recommend.sasrec import SASRec, SASRecConfig
    from tools.recommend.train import catalog_models_dir
    from tools.search.index import index_dir

    catalog = Catalog.open(s.data_dir)
    data = from_interactions(catalog.interactions(), item_ids=catalog.ids, source=f"catalog in {s.data_dir}")
    mirror = np.load(index_dir(s) / "products.npy")
    vectors = np.stack([mirror[catalog.index_of(i)] if i in catalog else np.zeros(mirror.shape[1], np.float32)
                        for i in data.item_ids])
    out = catalog_models_dir(s.data_dir)
    for model, kwargs in ((PopularityModel(data.item_ids), {}), (ItemKNN(data.item_ids), {}),
                          (ContentModel(data.item_ids), {"vectors": vectors})):
        model.fit(data, **kwargs)
        model.save(out / model.name)
    sasrec = SASRec(data.item_ids, config=SASRecConfig(max_train_s=sasrec_budget_s, max_wall_s=4 * sasrec_budget_s))
    sasrec.fit(data, text=vectors)
    sasrec.save(out / "sasrec")


def make_bodies(settings: Settings, n: int = 2000, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """Search and recommend request bodies drawn at random from the catalog (titles, categories, brands, users)."""
    from tools.catalog.store import Catalog

    catalog = Catalog.open(settings.data_dir)
    frame = catalog.frame()
    users = catalog.users() or ["new-shopper"]
    rng = random.Random(seed)
    searches: list[dict] = []
    for _ in range(n):
        row = frame.iloc[rng.randrange(len(frame))]
        words = [w for w in str(row["title"]).replace("-", " ").split() if len(w) > 2]
        roll = rng.random()
        if roll < 0.6 and words:
            body: dict[str, Any] = {"query": " ".join(rng.sample(words, k=min(len(words), rng.choice([2, 3])))),
                                    "k": 10}
        elif roll < 0.8:
            price = float(row["price"]) if row["price"] == row["price"] else 100.0
            body = {"query": str(row["category"]).lower(), "k": 10,
                    "filters": {"max_price": round(price * rng.choice([1.0, 1.5, 2.0]), 2)}}
        else:
            body = {"query": f"{row['brand'] or ''} {row['category']}".strip(), "k": 10,
                    "filters": {"min_rating": rng.choice([3.0, 4.0])}}
        searches.append(body)
    recs: list[dict] = []
    for _ in range(n):
        body = {"user_id": rng.choice(users), "k": 10}
        if rng.random() < 0.25:
            body["filters"] = {"category": str(frame.iloc[rng.randrange(len(frame))]["category"])}
        recs.append(body)
    return searches, recs


def _percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if not latencies:
        return float("nan"), float("nan"), float("nan")
    p = np.percentile(np.asarray(latencies), [50, 95, 99])
    return round(float(p[0]), 2), round(float(p[1]), 2), round(float(p[2]), 2)


def _loadgen(spec: dict[str, Any]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
        path = f.name
    result_path = path + ".out"
    try:
        out = subprocess.run([sys.executable, "-m", "shopagent.bench.loadgen", path, result_path],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise ShopagentError(f"the load generator failed: {out.stderr.strip().splitlines()[-1:]}")
        with open(result_path) as f:
            return json.load(f)
    finally:
        for p in (path, result_path):
            if os.path.exists(p):
                os.unlink(p)


class ApiServer:
    """``shopagent api`` in a child process on a free port (stopped on exit)."""

    def __init__(self, settings: Settings, threads: int, log_path: Path) -> None:
        from core.llm.serve import free_port

        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.settings = settings
        self.threads = threads
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "ApiServer":
        import httpx

        env = dict(os.environ, SHOPAGENT_DATA_DIR=str(self.settings.data_dir), SHOPAGENT_CHECKPOINT_URL="memory://")
        env.pop("SHOPAGENT_API_TOKEN", None)
        env.pop("SHOPAGENT_CHROMA_PATH", None)
        env.pop("SHOPAGENT_CHROMA_HOST", None)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "shopagent", "api", "--host", "127.0.0.1", "--port", str(self.port),
             "--threads", str(self.threads)], stdout=log_file, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        log_file.close()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ShopagentError(f"the API server exited with code {self.proc.returncode}: see {self.log_path}")
            try:
                if httpx.get(self.base_url + "/v1/health", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise ShopagentError(f"the API server did not answer within 300 s: see {self.log_path}")

    def health(self) -> dict[str, Any]:
        import httpx

        return httpx.get(self.base_url + "/v1/health", timeout=10).json()

    def wait_for_agent(self, timeout_s: float = 300.0) -> dict[str, Any]:
        """The health once the agent has warmed (it opens right after the engines)."""
        deadline = time.monotonic() + timeout_s
        while not (health := self.health()).get("agent_ready") and time.monotonic() < deadline:
            time.sleep(0.2)
        return health

    def rss_mb(self) -> float:
        """Resident memory of the server process (MB)."""
        assert self.proc is not None
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        return round(kb / 1024, 1)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def inproc_rps(fn: Callable[[Any], Any], requests: list[Any], seconds: float, threads: int) -> float:
    """Calls of ``fn`` per second with ``threads`` threads calling it back to back."""
    stop = time.perf_counter() + seconds
    counts = [0] * threads

    def worker(t: int) -> None:
        i = t
        while time.perf_counter() < stop:
            fn(requests[i % len(requests)])
            counts[t] += 1
            i += threads

    t0 = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return sum(counts) / (time.perf_counter() - t0)


CHAT_MESSAGES = ("running shoes under $80", "show me cheaper ones", "tell me more about the second")
DEMO_PRODUCTS = 3000  # the shop `shopagent up` opens


def run_chat_bench(base: Settings, threads: int = 4, rounds: int = 5, say: Say = _quiet) -> ChatFigures:
    """Start ``shopagent api`` on the demo shop, time its first chat turn and the later ones, read its memory."""
    import httpx

    s = prepare_bench_data(base, DEMO_PRODUCTS, say)
    with ApiServer(s, threads, Path(base.logs_dir) / "bench-api-chat.log") as server:
        health = server.wait_for_agent()
        at_start = server.rss_mb()
        say(f"API up on the demo shop: {at_start:.0f} MB resident; LLM {'up' if health['llm']['ok'] else 'down'}")
        times: list[float] = []
        for r in range(rounds + 1):
            for i, message in enumerate(CHAT_MESSAGES if r else CHAT_MESSAGES[:1]):
                t0 = time.perf_counter()
                answer = httpx.post(server.base_url + "/v1/chat", timeout=300, json={
                    "thread_id": f"bench-{r}", "message": message, "stream": False})
                if answer.status_code != 200:
                    raise ShopagentError(f"/v1/chat answered {answer.status_code}: {answer.text[:300]}")
                if i == 0:
                    times.append(time.perf_counter() - t0)
        after = server.rss_mb()
    later = sorted(times[1:])
    return ChatFigures(n_products=DEMO_PRODUCTS, rss_mb_after_start=at_start, rss_mb_after_chat=after,
                       first_chat_s=round(times[0], 3), later_chat_s=round(float(np.median(later)), 3),
                       later_chat_s_range=(round(later[0], 3), round(later[-1], 3)),
                       turns=1 + rounds * len(CHAT_MESSAGES),
                       reply_model=health["llm"].get("model") or "none" if health["llm"]["ok"] else "none")


def ratio_rounds(base_url: str, search: Callable[[Any], Any], requests: list[Any], bodies: list[dict],
                 clients: int, threads: int, rounds: int, round_s: float, say: Say = _quiet) -> Spread:
    """HTTP closed-loop search req/s over in-process req/s (``threads`` calls at once, as the server runs them),
    one ratio per round, the arm that goes first alternating."""
    ratios = []
    for r in range(rounds):
        rps: dict[str, float] = {}
        for arm in alternate(r, "http", "inproc"):
            if arm == "http":
                rps[arm] = _loadgen({"base_url": base_url, "phases": [
                    {"name": "search", "kind": "closed", "path": "/v1/search", "bodies": bodies, "clients": clients,
                     "duration_s": round_s}]})["search"]["rps"]
            else:
                rps[arm] = inproc_rps(search, requests, round_s, threads)
        ratios.append(ratio_of(rps["http"], rps["inproc"]))
        say(f"round {r + 1}/{rounds}: HTTP {rps['http']:.1f} req/s, in-process {rps['inproc']:.1f}: "
            f"{ratios[-1]:.2f}x")
    return Spread.of(ratios)


def run_api_bench(base: Settings, n_products: int = 10_000, rate: float = 100.0, duration_s: float = 30.0,
                  clients: int = 100, threads: int = 4, inproc_s: float = 10.0, chat_only: bool = False,
                  rounds: int = MIN_ROUNDS, round_s: float = 8.0, say: Say = _quiet) -> ApiBenchResult:
    from core.heap import freeze_heap
    from shopagent.api.app import single_threaded_kernels
    from shopagent.services import Services
    from tools.search.models import SearchRequest

    t_start = time.perf_counter()
    say("one API process on the demo shop: memory and the first chat turn")
    chat = run_chat_bench(base, threads, say=say)
    say(f"demo shop: {chat.rss_mb_after_chat:.0f} MB after {chat.turns} chat turns; first turn {chat.first_chat_s:.2f} s, "
        f"later {chat.later_chat_s:.2f} s")
    if chat_only:
        return ApiBenchResult(chat=chat, rss_mb_after_chat=chat.rss_mb_after_chat, first_chat_s=chat.first_chat_s,
                              n_products=DEMO_PRODUCTS, rate=0, duration_s=0, clients=0, server_threads=threads,
                              elapsed_s=round(time.perf_counter() - t_start, 1))
    s = prepare_bench_data(base, n_products, say)
    searches, recs = make_bodies(s)
    with ApiServer(s, threads, Path(base.logs_dir) / "bench-api-server.log") as server:
        health = server.health()
        say(f"API up at {server.base_url}: search={health['search']}, recommender={health['recommender']}")
        spec = {"base_url": server.base_url, "phases": [
            {"name": "warm", "kind": "closed", "path": "/v1/search", "bodies": searches[-200:], "clients": 8,
             "duration_s": 3},
            {"name": "warm_rec", "kind": "closed", "path": "/v1/recommend", "bodies": recs[-200:], "clients": 8,
             "duration_s": 2},
            {"name": "search", "kind": "open", "path": "/v1/search", "bodies": searches, "rate": rate,
             "duration_s": duration_s},
            {"name": "recommend", "kind": "open", "path": "/v1/recommend", "bodies": recs, "rate": rate,
             "duration_s": duration_s},
        ]}
        say(f"open loop: {rate:.0f} req/s for {duration_s:.0f} s to /v1/search, then /v1/recommend")
        open_out = _loadgen(spec)
        say("in-process search (same cores, server idle)")
        with Services(s) as box:
            reqs = [SearchRequest.model_validate(b) for b in searches]
            box.search(reqs[0])
            freeze_heap()  # as the server's heap is once its agent is open: no full collection inside a call
            rps1 = inproc_rps(box.search, reqs, inproc_s / 2, 1)  # torch splits each call over the cores
            single_threaded_kernels()  # as the server runs: one torch thread per call, `threads` calls at once
            rpsn = inproc_rps(box.search, reqs, inproc_s / 2, threads)
            say(f"closed loop: {clients} clients for {duration_s:.0f} s per endpoint")
            closed_out = _loadgen({"base_url": server.base_url, "phases": [
                {"name": "search", "kind": "closed", "path": "/v1/search", "bodies": searches, "clients": clients,
                 "duration_s": duration_s},
                {"name": "recommend", "kind": "closed", "path": "/v1/recommend", "bodies": recs, "clients": clients,
                 "duration_s": duration_s},
            ]})
            spread = None
            if rounds:
                say(f"HTTP closed loop vs in-process search: {rounds} alternating rounds of {round_s:.0f} s each")
                spread = ratio_rounds(server.base_url, box.search, reqs, searches, clients, threads, rounds, round_s,
                                      say)

    def figures(name: str) -> EndpointFigures:
        o, c = open_out[name], closed_out[name]
        p50, p95, p99 = _percentiles(o["latencies_ms"])
        return EndpointFigures(p50_ms=p50, p95_ms=p95, p99_ms=p99, requests=len(o["latencies_ms"]),
                               errors=o["errors"], closed_rps=round(c["rps"], 1), closed_errors=c["errors"],
                               closed_p99_ms=_percentiles(c["latencies_ms"])[2],
                               closed_requests=len(c["latencies_ms"]))

    search, recommend = figures("search"), figures("recommend")
    inproc = max(rps1, rpsn)
    return ApiBenchResult(
        search=search, recommend=recommend, inproc_search_rps=round(inproc, 1),
        inproc_search_rps_1thread=round(rps1, 1),
        closed_over_inproc=spread.median if spread else round(search.closed_rps / inproc, 3),
        closed_over_inproc_spread=spread,
        n_products=n_products, rate=rate, duration_s=duration_s, clients=clients, server_threads=threads,
        search_backend=health["search"], recommender=health["recommender"], chat=chat,
        rss_mb_after_chat=chat.rss_mb_after_chat, first_chat_s=chat.first_chat_s,
        elapsed_s=round(time.perf_counter() - t_start, 1))
