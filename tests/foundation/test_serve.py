import importlib.util
import socket
from pathlib import Path

import pytest

from core.errors import ShopagentError
from core.llm import serve
from core.llm.prepare import DONE_MARKER, embedded_gguf_path, is_prepared
from core.llm.serve import ServerSpec, build_command, check_can_serve, free_port


def _model_dir(tmp_path: Path) -> Path:
    d = tmp_path / "m"
    d.mkdir()
    (d / "config.json").write_text("{}")
    return d


def test_command_enables_native_tool_calls_and_lora(tmp_path: Path) -> None:
    spec = ServerSpec(model_dir=tmp_path, port=8123, tool_parser="hermes", lora_modules={"planner": tmp_path / "a"})
    cmd = build_command(spec)
    assert cmd[1:3] == ["-m", "vllm.entrypoints.openai.api_server"]
    assert cmd[cmd.index("--tool-call-parser") + 1] == "hermes"
    assert "--enable-auto-tool-choice" in cmd
    assert f"planner={tmp_path / 'a'}" in cmd
    assert cmd[cmd.index("--port") + 1] == "8123"


def test_command_without_tool_parser_has_no_tool_flags(tmp_path: Path) -> None:
    cmd = build_command(ServerSpec(model_dir=tmp_path, tool_parser=None, extra_args=["--seed", "3"]))
    assert "--enable-auto-tool-choice" not in cmd
    assert cmd[-2:] == ["--seed", "3"]


def test_wrong_model_path_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ShopagentError, match="no model at .*shopagent llm prepare"):
        check_can_serve(ServerSpec(model_dir=tmp_path / "nope", port=free_port()))


def test_busy_port_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ShopagentError, match=f"port {port} .* busy"):
            check_can_serve(ServerSpec(model_dir=_model_dir(tmp_path), port=port))


def test_missing_vllm_package_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(serve.importlib.util, "find_spec", lambda n, *a: None if n == "vllm" else real(n, *a))
    with pytest.raises(ShopagentError, match="vLLM is not installed"):
        check_can_serve(ServerSpec(model_dir=_model_dir(tmp_path), port=free_port()))


def test_embedded_gguf_ships_with_the_package() -> None:
    path = embedded_gguf_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_model_dir_without_completion_marker_is_not_prepared(tmp_path: Path) -> None:
    d = _model_dir(tmp_path)
    assert not is_prepared(d)
    (d / DONE_MARKER).write_text("ok")
    assert is_prepared(d)
