"""`shopagent bench app`: the shopper app as a shopper meets it, and the picks an anonymous session gets.

1. Start-up, in headless Chromium, ``rounds`` times: ``shopagent up`` on the demo shop (3,000 products; catalog,
   index and recommenders built once under ``<data_dir>/bench/api-3000``) with the embedded model already serving
   (started once for the run, or ``--llm-url``). ``up`` prints the app's URL once the app answers with its engines
   open (``ui.serve``; that start-up is reported as ``up_to_url_s``). The clock starts when the URL is printed;
   ``first_page_s`` ends when the chat box of the first page is visible and enabled; ``first_reply_s`` runs from
   pressing Enter on the first request to the reply drawn with its product cards. vLLM's own request counter shows
   the reply was the model's (not a template).
2. Session picks on Amazon Beauty 2014 (5-core): ``users`` shoppers (seeded draw, at least 3 items) are held out of
   the shop entirely; the recommenders are trained on everyone else, through the shop's own ``train_catalog``. Each
   held-out shopper becomes an anonymous visitor whose last ``session_len`` items before their final one are what
   they "viewed"; the final item is the target. The session's picks are what the app's recommend tool asks for
   (``RecommenderService.recommend`` with that history, no user id: SASRec's sequential path); popularity is the
   same service with no history (what an anonymous visitor saw before), the viewed items removed from both.
   HR@10 over all held-out shoppers, and over ``folds`` disjoint folds of them (median and range).
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, Field

from core.config import Settings
from core.errors import ShopagentError
from shopagent.bench.spread import Spread, ratio_of

log = logging.getLogger(__name__)

Say = Callable[[str], None]
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
FIRST_REQUEST = "Show me running shoes under $110"  # the first example the greeting offers on the demo shop
BEAUTY_DIR = Path("amazon-beauty-2014")


def _quiet(_: str) -> None:
    pass


class AppFigures(BaseModel):
    rounds: int
    first_page_s: float = Field(description="Median: `up` printed the URL -> the chat box visible and enabled.")
    first_page_s_range: tuple[float, float]
    first_reply_s: float = Field(description="Median: Enter on the first request -> the reply with its cards.")
    first_reply_s_range: tuple[float, float]
    first_text_s: float = Field(description="Median: Enter -> the reply's first words on screen.")
    up_to_url_s: float = Field(description="Median: `shopagent up` launched -> it printed the URL (preparation "
                                           "found done, the app started and its engines opened).")
    first_pages_s: list[float]
    first_replies_s: list[float]
    replies_from_model: int = Field(description="Rounds whose reply made requests to the model server.")
    request: str
    reply_model: str
    n_products: int


class SessionFigures(BaseModel):
    session_hr10: float = Field(description="HR@10 of the session-based picks (SASRec path) over all held-out "
                                            "shoppers.")
    popular_hr10: float = Field(description="HR@10 of the popular picks (the app's: recent interactions count more) "
                                            "for the same shoppers.")
    popular_alltime_hr10: float = Field(description="HR@10 of the all-time most chosen items, for reference.")
    ratio: float
    session_hr10_folds: list[float]
    popular_hr10_folds: list[float]
    ratio_folds_median: float
    ratio_folds_range: tuple[float, float]
    ratio_folds: Spread = Field(description="The per-fold session/popular ratios, their median, min-max and verdict.")
    users: int
    session_len: int
    paths: dict[str, int] = Field(description="How many sessions took each recommender path.")
    train_users: int
    train_interactions: int
    n_items: int
    data: str


class AppBenchResult(BaseModel):
    first_page_s: float | None = None
    first_reply_s: float | None = None
    session_hr10: float | None = None
    popular_hr10: float | None = None
    app: AppFigures | None = None
    sessions: SessionFigures | None = None
    elapsed_s: float


# ---------------------------------------------------------------- start-up in Chromium


def _vllm_requests(base_url: str) -> float | None:
    """vLLM's count of finished requests (its Prometheus ``/metrics``), or None when it does not say."""
    import httpx

    root = base_url.rstrip("/").removesuffix("/v1")
    try:
        text = httpx.get(root + "/metrics", timeout=5).text
    except httpx.HTTPError:
        return None
    values = [float(m.group(1)) for m in re.finditer(r"^vllm:request_success_total\{[^}]*\}\s+([0-9.eE+]+)$",
                                                     text, re.M)]
    return sum(values) if values else None


class _Up:
    """``shopagent up`` in its own process group; ``url`` once it printed the app's address."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.env, self.port, self.log_path = env, port, log_path
        self.proc: subprocess.Popen[str] | None = None
        self.lines: list[str] = []
        self._printed = threading.Event()

    def start(self, timeout_s: float = 900.0) -> tuple[str, float]:
        """(URL, perf_counter when it was printed)."""
        self.launched = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "shopagent", "up", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     bufsize=1, start_new_session=True)
        seen: dict[str, Any] = {}

        def read() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            with open(self.log_path, "a", encoding="utf-8") as out:
                for line in self.proc.stdout:
                    out.write(line)
                    self.lines.append(line.rstrip())
                    found = re.search(r"app on (http://\S+)", line)
                    if found and not self._printed.is_set():
                        seen["at"], seen["url"] = time.perf_counter(), found.group(1)
                        self._printed.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + timeout_s
        while not self._printed.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise ShopagentError("`shopagent up` did not print the app's URL: " + " | ".join(self.lines[-8:]))
        return seen["url"].replace("localhost", "127.0.0.1"), seen["at"]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)  # what Ctrl-C does: up stops the app
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def _one_start(env: dict[str, str], browser: Any, llm_url: str, log_path: Path,
               request: str) -> tuple[float, float, float, float, bool]:
    """(launch -> URL s, first page s, first text s, first reply s, the model answered) for one fresh
    ``shopagent up``."""
    from playwright.sync_api import Error as PlaywrightError

    from core.llm.serve import free_port

    up = _Up(env, free_port(), log_path)
    try:
        url, printed = up.start()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        while True:  # the server may not listen yet when the URL is printed: a shopper would retry too
            try:
                page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                break
            except PlaywrightError:
                if time.perf_counter() - printed > 120:
                    raise
                time.sleep(0.05)
        box = page.get_by_placeholder("Ask for products")
        box.wait_for(state="visible", timeout=300_000)
        while not box.is_enabled():
            time.sleep(0.02)
        first_page = time.perf_counter() - printed
        before = _vllm_requests(llm_url)
        bubbles = page.locator('[data-testid="stChatMessage"]')
        shown = bubbles.count()  # the greeting
        box.fill(request)
        sent = time.perf_counter()
        box.press("Enter")
        # the reply's own text, after the shopper's message (not the avatar's icon name)
        answer = bubbles.nth(shown + 1).locator('[data-testid="stMarkdownContainer"]').first
        cards = page.locator('[class*="st-key-card-"]')
        first_text, words = None, ""
        deadline = sent + 300
        while not cards.count():
            if first_text is None and answer.count() and answer.inner_text().strip():
                first_text, words = time.perf_counter() - sent, answer.inner_text().strip()
            if time.perf_counter() > deadline:
                raise ShopagentError(f"no reply with product cards to {request!r} within 300 s")
            time.sleep(0.02)
        reply = time.perf_counter() - sent
        after = _vllm_requests(llm_url)
        context.close()
        log.info("first words on screen after %.2f s: %r", first_text or reply, words[:120])
        return (printed - up.launched, first_page, first_text or reply, reply,
                before is not None and after is not None and after > before)
    finally:
        up.stop()


def run_app_starts(base: Settings, rounds: int = 5, llm_url: str | None = None, say: Say = _quiet) -> AppFigures:
    """``rounds`` fresh starts of ``shopagent up`` timed in headless Chromium (see the module's docstring)."""
    from contextlib import ExitStack

    from core.llm.client import Endpoint, check_health
    from core.llm.serve import llm_endpoint
    from shopagent.bench.api import DEMO_PRODUCTS, prepare_bench_data

    if not CHROMIUM.exists():
        raise ShopagentError("Debian chromium is not installed: run scripts/setup.sh (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError as exc:
        raise ShopagentError("playwright is not installed: `pip install -e .[test]` (make setup)") from exc
    s = prepare_bench_data(base, DEMO_PRODUCTS, say)
    with ExitStack() as stack:
        if llm_url:
            endpoint = check_health(Endpoint.from_settings(s.model_copy(update={"llm_url": llm_url})))
        else:
            say("starting the embedded model (vLLM; about two minutes on 2 cores)")
            endpoint = stack.enter_context(llm_endpoint(s, embedded=True, progress=False))
        say(f"model server {endpoint.base_url} ({endpoint.model}) ready")
        env = dict(os.environ, SHOPAGENT_DATA_DIR=str(s.data_dir), SHOPAGENT_LLM_URL=endpoint.base_url,
                   SHOPAGENT_CHECKPOINT_URL="memory://", PYTHONUNBUFFERED="1")
        env.pop("SHOPAGENT_CHROMA_HOST", None)
        log_path = Path(base.logs_dir) / "bench-app-up.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        stack.callback(browser.close)
        starts, pages, texts, replies, from_model = [], [], [], [], 0
        for r in range(rounds):
            url_s, page_s, text_s, reply_s, model = _one_start(env, browser, endpoint.base_url, log_path,
                                                               FIRST_REQUEST)
            starts.append(url_s)
            pages.append(page_s)
            texts.append(text_s)
            replies.append(reply_s)
            from_model += int(model)
            say(f"round {r + 1}/{rounds}: `up` -> URL {url_s:.2f} s, first page {page_s:.2f} s, first words {text_s:.2f} s, reply with cards "
                f"{reply_s:.2f} s{'' if model else ' (NOT from the model)'}")
    return AppFigures(rounds=rounds, first_page_s=round(statistics.median(pages), 3),
                      first_page_s_range=(round(min(pages), 3), round(max(pages), 3)),
                      first_reply_s=round(statistics.median(replies), 3),
                      first_reply_s_range=(round(min(replies), 3), round(max(replies), 3)),
                      first_text_s=round(statistics.median(texts), 3),
                      up_to_url_s=round(statistics.median(starts), 3),
                      first_pages_s=[round(x, 3) for x in pages], first_replies_s=[round(x, 3) for x in replies],
                      replies_from_model=from_model, request=FIRST_REQUEST, reply_model=endpoint.model,
                      n_products=DEMO_PRODUCTS)


# ---------------------------------------------------------------- session picks on Amazon Beauty


def _beauty_files() -> tuple[Path, Path]:
    from shopagent.bench.search import _shared_datasets

    root = _shared_datasets() / BEAUTY_DIR
    meta, inter = root / "meta_Beauty.jsonl", root / "interactions_Beauty_5.csv"
    for f in (meta, inter):
        if not f.is_file():
            raise ShopagentError(f"missing {f}: the session bench reads Amazon Beauty 2014 from ../shared/datasets")
    return meta, inter


def _held_out(sequences: dict[str, list[str]], users: int, seed: int) -> list[str]:
    eligible = sorted(u for u, items in sequences.items() if len(items) >= 3)
    if len(eligible) < users:
        raise ShopagentError(f"only {len(eligible)} Beauty shoppers have 3 or more items: ask for fewer --users")
    return sorted(random.Random(seed).sample(eligible, users))


def prepare_session_shop(base: Settings, users: int, seed: int, say: Say = _quiet) -> tuple[Path, dict[str, list[str]],
                                                                                             list[str]]:
    """The Beauty shop without the held-out shoppers, with its recommenders trained (once; reused while the
    held-out draw is the same). Returns (data dir, every shopper's items in time order, the held-out shoppers)."""
    from tools.catalog.load import load_catalog
    from tools.catalog.store import Catalog, CatalogData, write_catalog
    from tools.recommend.train import ALL_MODELS, train_catalog, trained_models

    meta, inter = _beauty_files()
    d = (Path(base.data_dir) / "bench" / "app-beauty").resolve()
    d.mkdir(parents=True, exist_ok=True)
    data = load_catalog("amazon2014", meta, interactions=inter)
    sequences: dict[str, list[tuple[int, int, str]]] = {}
    for n, it in enumerate(data.interactions):
        sequences.setdefault(it.user_id, []).append((int(it.timestamp or 0), n, it.item_id))
    ordered = {u: [i for _, _, i in sorted(v)] for u, v in sequences.items()}
    held = _held_out(ordered, users, seed)
    plan = {"users": users, "seed": seed, "held_out_sha": _digest(held), "source": str(meta)}
    plan_path = d / "held_out.json"
    current = json.loads(plan_path.read_text()) if plan_path.exists() else None
    if current != plan or not trained_models(d):
        gone = set(held)
        kept = [it for it in data.interactions if it.user_id not in gone]
        say(f"Beauty shop without {len(held)} held-out shoppers: {len(data.products)} products, {len(kept)} "
            f"interactions; training the recommenders (SASRec, CF, content, popularity; ~10 min on 2 cores, once)")
        write_catalog(d, CatalogData(products=data.products, interactions=kept, source=f"bench app: {meta.name}"))
        train_catalog(d, list(ALL_MODELS))
        plan_path.write_text(json.dumps(plan))
    Catalog.open(d)  # readable error if the write was cut
    return d, ordered, held


def _digest(items: list[str]) -> str:
    import hashlib

    return hashlib.sha1("\n".join(items).encode()).hexdigest()[:16]


def run_session_bench(base: Settings, users: int = 2000, session_len: int = 5, folds: int = 5, seed: int = 0,
                      say: Say = _quiet) -> SessionFigures:
    """HR@10 of session picks vs popularity for held-out Beauty shoppers (see the module's docstring)."""
    from tools.catalog.store import Catalog
    from tools.recommend.models import RecommendRequest
    from tools.recommend.service import RecommenderService

    d, sequences, held = prepare_session_shop(base, users, seed, say)
    service = RecommenderService.open(base.model_copy(update={"data_dir": d}), Catalog.open(d))
    popular = service.recommend(RecommendRequest(k=min(100, 10 + session_len))).items
    catalog = Catalog.open(d)
    counts: dict[str, int] = {}
    for it in catalog.interactions():
        counts[it.item_id] = counts.get(it.item_id, 0) + 1
    alltime = sorted(counts, key=lambda i: (-counts[i], i))[:10 + session_len]
    hits_s, hits_p, hits_a, paths = [], [], [], {}
    known = set(service.item_ids)
    for user in held:
        items = sequences[user]
        target = items[-1]
        session = [i for i in items[:-1] if i in known][-session_len:]
        picks = service.recommend(RecommendRequest(history=session, k=10))
        paths[picks.path] = paths.get(picks.path, 0) + 1
        viewed = set(session)
        hits_s.append(target in [r.product_id for r in picks.items if r.product_id not in viewed][:10])
        hits_p.append(target in [r.product_id for r in popular if r.product_id not in viewed][:10])
        hits_a.append(target in [i for i in alltime if i not in viewed][:10])
    size = len(held) // folds
    fold_s = [sum(hits_s[i * size:(i + 1) * size]) / size for i in range(folds)]
    fold_p = [sum(hits_p[i * size:(i + 1) * size]) / size for i in range(folds)]
    spread = Spread.of([ratio_of(s, p) for s, p in zip(fold_s, fold_p)], digits=2)
    hr_s, hr_p = sum(hits_s) / len(held), sum(hits_p) / len(held)
    n_train = len({it.user_id for it in catalog.interactions()})
    return SessionFigures(session_hr10=round(hr_s, 4), popular_hr10=round(hr_p, 4),
                          popular_alltime_hr10=round(sum(hits_a) / len(held), 4),
                          ratio=round(hr_s / hr_p, 2) if hr_p else float("inf"),
                          session_hr10_folds=[round(x, 4) for x in fold_s],
                          popular_hr10_folds=[round(x, 4) for x in fold_p],
                          ratio_folds_median=spread.median, ratio_folds_range=(spread.min, spread.max),
                          ratio_folds=spread,
                          users=len(held), session_len=session_len, paths=paths, train_users=n_train,
                          train_interactions=len(catalog.interactions()), n_items=len(service.item_ids),
                          data=str(_beauty_files()[1]))


def run_app_bench(base: Settings, rounds: int = 5, users: int = 2000, session_len: int = 5,
                  llm_url: str | None = None, app: bool = True, sessions: bool = True,
                  say: Say = _quiet) -> AppBenchResult:
    t0 = time.monotonic()
    session_figures = run_session_bench(base, users=users, session_len=session_len, say=say) if sessions else None
    app_figures = run_app_starts(base, rounds=rounds, llm_url=llm_url, say=say) if app else None
    return AppBenchResult(
        first_page_s=app_figures.first_page_s if app_figures else None,
        first_reply_s=app_figures.first_reply_s if app_figures else None,
        session_hr10=session_figures.session_hr10 if session_figures else None,
        popular_hr10=session_figures.popular_hr10 if session_figures else None,
        app=app_figures, sessions=session_figures, elapsed_s=round(time.monotonic() - t0, 1))
