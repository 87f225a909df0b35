"""A scripted OpenAI-compatible chat server: fixed replies after a realistic delay (time to first token, then one
chunk every ``token_s``), streamed or not. ``bench scale`` puts it where vLLM would be, so the app's own capacity
shows instead of the model's; it answers ``/v1/models`` like vLLM, so the app needs no special case.

    python -m shopagent.cluster.responder --port 8300 --ttft 0.15 --token 0.01
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from core.process import ServiceProcess
from core.llm.serve import free_port

MODEL = "scripted-responder"
REPLY = "Here is what I found in the shop for you. Each product below comes with the reason it was picked."


def create_app(reply: str = REPLY, ttft_s: float = 0.15, token_s: float = 0.01, chunks: int = 12) -> FastAPI:
    app = FastAPI(title="scripted OpenAI-compatible responder")
    words = reply.split(" ")
    size = max(1, len(words) // chunks)
    parts = [" ".join(words[i:i + size]) + " " for i in range(0, len(words), size)]
    parts[-1] = parts[-1].rstrip()
    app.state.requests = 0

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "shopagent",
                                            "max_model_len": 4096}]}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Any:
        body = await request.json()
        app.state.requests += 1
        rid, created = f"chatcmpl-{uuid.uuid4().hex[:12]}", int(time.time())
        await asyncio.sleep(ttft_s)
        if not body.get("stream"):
            await asyncio.sleep(token_s * (len(parts) - 1))
            return JSONResponse({"id": rid, "object": "chat.completion", "created": created, "model": MODEL,
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": reply}}],
                                 "usage": {"prompt_tokens": 100, "completion_tokens": len(words),
                                           "total_tokens": 100 + len(words)}})

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({"id": rid, "object": "chat.completion.chunk", "created": created,
                                          "model": MODEL, "choices": [{"index": 0, "delta": delta,
                                                                       "finish_reason": finish}]}) + "\n\n"

        async def stream() -> AsyncIterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            for i, part in enumerate(parts):
                if i:
                    await asyncio.sleep(token_s)
                yield chunk({"content": part})
            yield chunk({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app


class ScriptedLLM(ServiceProcess):
    """The responder as a child process on a free port: ``with ScriptedLLM(log_dir) as llm: llm.url``."""

    def __init__(self, log_dir: Path, ttft_s: float = 0.15, token_s: float = 0.01) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        super().__init__("scripted responder", [sys.executable, "-m", "shopagent.cluster.responder", "--port",
                                                str(self.port), "--ttft", str(ttft_s), "--token", str(token_s)],
                         log_dir / f"responder-{self.port}.log")
        self.health_url = f"{self.url}/models"


def main() -> None:
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ttft", type=float, default=0.15, help="seconds to the first token")
    parser.add_argument("--token", type=float, default=0.01, help="seconds between streamed chunks")
    args = parser.parse_args()
    uvicorn.run(create_app(ttft_s=args.ttft, token_s=args.token), host=args.host, port=args.port,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
