import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Iterator

import pytest

from core.errors import ShopagentError
from core.llm.client import Endpoint, check_health, served_models
from core.llm.serve import free_port


@pytest.fixture()
def models_server() -> Iterator[str]:
    """A real HTTP server that answers /v1/models like vLLM does."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps({"object": "list", "data": [{"id": "tiny"}, {"id": "planner"}]}).encode()
            self.send_response(200 if self.path == "/v1/models" else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_no_server_says_what_to_run() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ShopagentError) as err:
        served_models(Endpoint(base_url=url))
    assert str(err.value) == f"no LLM server at {url}: run `shopagent llm serve` or set SHOPAGENT_LLM_URL"


def test_health_resolves_first_served_model(models_server: str) -> None:
    assert check_health(Endpoint(base_url=models_server)).model == "tiny"
    assert check_health(Endpoint(base_url=models_server, model="planner")).model == "planner"


def test_unserved_model_is_named_with_the_alternatives(models_server: str) -> None:
    with pytest.raises(ShopagentError, match="'big' is not served .* tiny, planner"):
        check_health(Endpoint(base_url=models_server, model="big"))
