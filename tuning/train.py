"""``shopagent tune train``: supervised fine-tuning on the generated chat examples, loss on assistant tokens only.

Full fine-tuning for small models (the embedded SmolLM2-135M), LoRA (peft) for large ones (merged before saving).
transformers' ``Trainer`` does the work: progress bar, held-out loss every ``eval_steps``, early stopping when it
stops falling, a wall-clock budget. Each run gets a directory (``config.json``, ``metrics.json``, ``status``); the
model is written to a temporary directory beside its final place and renamed, so a killed run never leaves a
half-written model that vLLM would then fail on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, Field

from core.errors import ShopagentError
from core.artifacts import DONE_MARKER
from tuning.data import Example, check_examples

log = logging.getLogger(__name__)

LORA_ABOVE_PARAMS = 1_000_000_000


class TrainConfig(BaseModel):
    base_model: Path
    out_model: Path
    run_dir: Path
    epochs: float = 1.0
    lr: float = 1e-4
    batch_size: int = 8
    max_len: int = 512
    eval_steps: int = 20
    eval_examples: int = 48
    patience: int = 3
    max_minutes: float = Field(14.0, description="Wall-clock budget for the optimizer loop.")
    max_steps: int = -1
    method: str = Field("auto", description="full | lora | auto (LoRA above 1B parameters).")
    lora_r: int = 16
    device: str = Field("auto", description="auto | cpu | cuda")
    bf16: bool = False
    seed: int = 0
    threads: int | None = Field(None, description="CPU threads (default: torch's, all cores).")


class TrainResult(BaseModel):
    run_dir: Path
    model_dir: Path
    method: str
    device: str
    steps: int
    examples: int
    train_tokens: int
    train_s: float
    tokens_per_s: float
    train_loss: float | None
    eval_loss_first: float | None
    eval_loss_best: float | None
    stopped: str


def resolve_device(requested: str, bf16: bool) -> str:
    """The device to train on; one clear line when a GPU-only option meets a machine without a GPU."""
    import torch

    has_gpu = torch.cuda.is_available()
    if requested == "cuda" and not has_gpu:
        raise ShopagentError("--device cuda needs a GPU but none is visible: drop --device (auto) or pass --device cpu")
    if bf16 and not has_gpu:
        raise ShopagentError("--bf16 is a GPU option and no GPU is visible: drop --bf16 to train in float32 on CPU")
    if requested not in ("auto", "cpu", "cuda"):
        raise ShopagentError(f"--device {requested!r} is not one of auto, cpu, cuda")
    return "cuda" if requested == "cuda" or (requested == "auto" and has_gpu) else "cpu"


def tokenize(examples: Sequence[Example], tokenizer: Any, max_len: int) -> list[dict[str, list[int]]]:
    """input_ids/labels per example; labels are -100 except on the final assistant turn (and its end token)."""
    rows = []
    for ex in examples:
        prompt = tokenizer.apply_chat_template(ex.messages[:-1], add_generation_prompt=True, tokenize=False)
        full = tokenizer.apply_chat_template(ex.messages, tokenize=False)
        if not full.startswith(prompt):
            raise ShopagentError("the chat template renders the assistant turn unexpectedly: use a model whose "
                                 "template appends turns (ChatML, Llama 3, ...)")
        p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a_ids = tokenizer(full[len(prompt):], add_special_tokens=False)["input_ids"]
        ids = p_ids + a_ids
        if len(ids) > max_len:
            continue
        rows.append({"input_ids": ids, "labels": [-100] * len(p_ids) + a_ids})
    return rows


class _Collator:
    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, batch: list[dict[str, list[int]]]) -> dict[str, Any]:
        import torch

        n = max(len(b["input_ids"]) for b in batch)
        ids = torch.full((len(batch), n), self.pad_id, dtype=torch.long)
        labels = torch.full((len(batch), n), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), n), dtype=torch.long)
        for i, b in enumerate(batch):
            k = len(b["input_ids"])
            ids[i, :k] = torch.tensor(b["input_ids"])
            labels[i, :k] = torch.tensor(b["labels"])
            mask[i, :k] = 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def _write_status(run_dir: Path, status: str, **extra: Any) -> None:
    data = {"status": status, "pid": os.getpid(), "at": datetime.now(timezone.utc).isoformat(), **extra}
    (run_dir / "status.json").write_text(json.dumps(data, indent=1))


def mark_killed_runs(runs_root: Path) -> list[Path]:
    """Runs whose status says "running" but whose process is gone: mark them killed (they never wrote a model)."""
    killed = []
    for status_file in runs_root.glob("*/status.json"):
        try:
            data = json.loads(status_file.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if data.get("status") != "running":
            continue
        try:
            os.kill(int(data.get("pid", -1)), 0)
            continue  # still alive
        except (ProcessLookupError, ValueError):
            pass
        except PermissionError:
            continue
        _write_status(status_file.parent, "killed", note="the process ended before the model was written")
        killed.append(status_file.parent)
    return killed


def clean_partial_models(models_dir: Path) -> None:
    """Temporary model directories left by a killed run (never served: they lack the final name)."""
    for tmp in models_dir.glob(".tune-*"):
        shutil.rmtree(tmp, ignore_errors=True)


def train(cfg: TrainConfig, train_rows: Sequence[Example], eval_rows: Sequence[Example], progress: bool = True,
          ) -> TrainResult:
    """Fine-tune ``cfg.base_model`` on ``train_rows``; write the merged model to ``cfg.out_model`` atomically."""
    if not (cfg.base_model / "config.json").is_file():
        raise ShopagentError(f"no base model at {cfg.base_model}: run `shopagent llm prepare` first")
    check_examples(train_rows, "training")
    device = resolve_device(cfg.device, cfg.bf16)

    import torch
    from transformers import (AutoModelForCausalLM, AutoTokenizer, Trainer, TrainerCallback, TrainingArguments,
                              set_seed)

    set_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    (cfg.run_dir / "config.json").write_text(cfg.model_dump_json(indent=1))
    _write_status(cfg.run_dir, "running")
    tokenizer = AutoTokenizer.from_pretrained(cfg.base_model)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    train_ds = tokenize(train_rows, tokenizer, cfg.max_len)
    eval_ds = tokenize(list(eval_rows)[: cfg.eval_examples], tokenizer, cfg.max_len)
    if not train_ds:
        raise ShopagentError(f"every training example is longer than --max-len {cfg.max_len}: raise it")
    dtype = torch.bfloat16 if cfg.bf16 else torch.float32
    model = AutoModelForCausalLM.from_pretrained(cfg.base_model, dtype=dtype)
    n_params = sum(p.numel() for p in model.parameters())
    method = cfg.method if cfg.method != "auto" else ("lora" if n_params > LORA_ABOVE_PARAMS else "full")
    if method == "lora":
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=cfg.lora_r, lora_alpha=2 * cfg.lora_r, lora_dropout=0.05,
                                                 target_modules="all-linear", task_type="CAUSAL_LM"))
    tokens = {"train": 0}
    best: dict[str, Any] = {"loss": None, "state": None, "bad": 0, "history": []}
    started = time.monotonic()
    stopped = {"why": "completed"}

    class Watch(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):  # noqa: ANN001, ANN201
            if time.monotonic() - started > cfg.max_minutes * 60:
                stopped["why"] = f"time budget ({cfg.max_minutes:g} min)"
                control.should_training_stop = True
            return control

        def on_evaluate(self, args, state, control, metrics=None, **kw):  # noqa: ANN001, ANN201
            loss = (metrics or {}).get("eval_loss")
            if loss is None:
                return control
            best["history"].append({"step": state.global_step, "eval_loss": round(float(loss), 4)})
            if best["loss"] is None or loss < best["loss"] - 1e-4:
                best["loss"], best["bad"] = float(loss), 0
                best["state"] = {k: v.detach().clone() for k, v in kw["model"].state_dict().items()}
            else:
                best["bad"] += 1
                if best["bad"] >= cfg.patience:
                    stopped["why"] = f"early stopping (held-out loss flat for {cfg.patience} evaluations)"
                    control.should_training_stop = True
            return control

    class CountingCollator(_Collator):
        def __call__(self, batch):  # noqa: ANN001, ANN204
            out = super().__call__(batch)
            if model.training:
                tokens["train"] += int(out["attention_mask"].sum())
            return out

    args = TrainingArguments(
        output_dir=str(cfg.run_dir / "trainer"), per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.batch_size, num_train_epochs=cfg.epochs, max_steps=cfg.max_steps,
        learning_rate=cfg.lr, lr_scheduler_type="linear", warmup_steps=3, weight_decay=0.0,
        eval_strategy="steps" if eval_ds else "no", eval_steps=cfg.eval_steps, logging_steps=5,
        save_strategy="no", report_to=[], seed=cfg.seed, use_cpu=device == "cpu", bf16=cfg.bf16,
        train_sampling_strategy="group_by_length", remove_unused_columns=False, dataloader_num_workers=0,
        disable_tqdm=not progress,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds or None,
                      data_collator=CountingCollator(tokenizer.pad_token_id), callbacks=[Watch()])
    first_eval = None
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs; stdout is for --json
        if eval_ds:
            first_eval = float(trainer.evaluate()["eval_loss"])
            best["loss"], best["history"] = first_eval, [{"step": 0, "eval_loss": round(first_eval, 4)}]
        t0 = time.monotonic()
        out = trainer.train()
        train_s = time.monotonic() - t0
        final = float(trainer.evaluate()["eval_loss"]) if eval_ds else None
    if eval_ds and final is not None:
        if best["state"] is not None and final > best["loss"]:
            model.load_state_dict(best["state"])
    model_dir = save_model(trainer.model, tokenizer, cfg.base_model, cfg.out_model, merge=method == "lora")
    result = TrainResult(
        run_dir=cfg.run_dir, model_dir=model_dir, method=method, device=device, steps=out.global_step,
        examples=len(train_ds), train_tokens=tokens["train"], train_s=round(train_s, 1),
        tokens_per_s=round(tokens["train"] / max(train_s, 1e-9), 1),
        train_loss=round(float(out.training_loss), 4) if out.training_loss == out.training_loss else None,
        eval_loss_first=None if first_eval is None else round(first_eval, 4),
        eval_loss_best=None if best["loss"] is None else round(best["loss"], 4), stopped=stopped["why"],
    )
    metrics = result.model_dump(mode="json") | {"eval_history": best["history"], "params": n_params,
                                                 "log_history": trainer.state.log_history[-40:]}
    (cfg.run_dir / "metrics.json").write_text(json.dumps(metrics, indent=1))
    shutil.rmtree(cfg.run_dir / "trainer", ignore_errors=True)
    _write_status(cfg.run_dir, "done", model=str(model_dir))
    return result


def save_model(model: Any, tokenizer: Any, base_model: Path, out_dir: Path, merge: bool) -> Path:
    """Write the (merged) model to a temporary directory beside ``out_dir``, then rename it into place."""
    if merge:
        model = model.merge_and_unload()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tune-", dir=out_dir.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        for name in ("chat_template.jinja", "generation_config.json"):
            if (base_model / name).is_file() and not (tmp / name).is_file():
                shutil.copy2(base_model / name, tmp / name)
        (tmp / DONE_MARKER).write_text(f"tuned from {base_model}\n")
        old = out_dir.parent / f".old-{out_dir.name}-{os.getpid()}"
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
