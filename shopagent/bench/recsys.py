"""`shopagent bench recsys`: latency of ``RecommenderService.recommend`` for a shopper with a long history.

Uses the catalog and trained models of the data directory; when there are none, a demo catalog is generated in
a temporary directory and the models are trained there first (a minute or two). The popularity-only path (no
history) is timed in the same run, so the ratio is comparable across loaded machines."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from rich.table import Table

from core.config import Settings
from core.errors import ShopagentError

log = logging.getLogger(__name__)


class RecsysBenchResult(BaseModel):
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float  # this process's CPU time per call: what the call costs when the machine is not shared
    cpu_p95_ms: float
    popular_p50_ms: float
    popular_p95_ms: float
    history_len: int
    calls: int
    items: int
    models: list[str]
    sasrec: dict[str, int]  # width and members of the served SASRec ensemble
    catalog: str

    def as_table(self) -> Table:
        shape = f" (SASRec {self.sasrec['members']} x {self.sasrec['dim']} wide)" if self.sasrec else ""
        table = Table(title=f"recommend() latency, {self.items} items, models: {', '.join(self.models)}{shape}")
        for col in ("path", "p50 ms", "p95 ms", "CPU p50 ms", "CPU p95 ms"):
            table.add_column(col)
        table.add_row(f"sequential, {self.history_len}-item history", f"{self.p50_ms:.2f}", f"{self.p95_ms:.2f}",
                      f"{self.cpu_p50_ms:.2f}", f"{self.cpu_p95_ms:.2f}")
        table.add_row("popular (no history)", f"{self.popular_p50_ms:.2f}", f"{self.popular_p95_ms:.2f}", "", "")
        return table


def _open_or_build(settings: Settings, tmp: Path):  # noqa: ANN202 - RecommenderService
    from tools.recommend.service import RecommenderService

    try:
        return RecommenderService.open(settings), str(settings.data_dir)
    except ShopagentError as exc:
        log.warning("%s; benchmarking on a generated demo catalog instead", exc)
    from tools.catalog.demo import generate_demo_catalog
    from tools.catalog.store import write_catalog
    from tools.recommend.sasrec import CATALOG_SASREC, SASRecConfig
    from tools.recommend.train import ALL_MODELS, train_catalog

    write_catalog(tmp, generate_demo_catalog(seed=0, n_products=3000))
    train_catalog(tmp, ALL_MODELS, SASRecConfig(**(CATALOG_SASREC | {"max_epochs": 10, "max_train_s": 120})))
    return RecommenderService.open(settings.model_copy(update={"data_dir": tmp})), "generated demo (3000 products)"


def _sasrec_shape(service) -> dict[str, int]:  # noqa: ANN001 - RecommenderService
    model = service.models.get("sasrec")
    if model is None:
        return {}
    return {"dim": model.config.dim, "members": len(model.nets), "blocks": model.config.blocks}


def _time(fn, calls: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """(wall ms, CPU ms) per call."""
    for _ in range(10):  # warm-up
        fn()
    wall, cpu = np.empty(calls), np.empty(calls)
    for i in range(calls):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall[i], cpu[i] = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
    return wall, cpu


def run_bench(settings: Settings, calls: int = 300, history_len: int = 50) -> RecsysBenchResult:
    from tools.recommend.models import RecommendRequest

    with tempfile.TemporaryDirectory(prefix="recsys-bench-") as tmp:
        service, where = _open_or_build(settings, Path(tmp))
        rng = np.random.default_rng(0)
        ids = [i for i, ok in zip(service.item_ids, service.in_catalog[1:]) if ok]
        history = [ids[i] for i in rng.choice(len(ids), size=min(history_len, len(ids)), replace=False)]
        seq = RecommendRequest(history=history, k=10)
        pop = RecommendRequest(user_id="bench-new-shopper", k=10)
        t_seq, c_seq = _time(lambda: service.recommend(seq), calls)
        t_pop, _ = _time(lambda: service.recommend(pop), calls)
        return RecsysBenchResult(
            p50_ms=round(float(np.percentile(t_seq, 50)), 3), p95_ms=round(float(np.percentile(t_seq, 95)), 3),
            cpu_p50_ms=round(float(np.percentile(c_seq, 50)), 3), cpu_p95_ms=round(float(np.percentile(c_seq, 95)), 3),
            popular_p50_ms=round(float(np.percentile(t_pop, 50)), 3),
            popular_p95_ms=round(float(np.percentile(t_pop, 95)), 3),
            history_len=len(history), calls=calls, items=int(service.in_catalog.sum()),
            models=list(service.models), catalog=where, sasrec=_sasrec_shape(service),
        )
