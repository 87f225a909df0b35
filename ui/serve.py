"""``python -m ui.serve [streamlit flags]``: the app (``streamlit run ui/app.py``) with its engines opening from the
start of the process rather than on the first visit, and its address printed only once it answers with the engines
open, so the first shopper who follows it waits no longer than later ones (``shopagent up`` runs this)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def _port(args: list[str]) -> int:
    for i, arg in enumerate(args):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(args):
            return int(args[i + 1])
    return 8501


def _announce_when_ready(port: int, started: float) -> None:
    """Open the engines (the same ``Services`` the pages use), wait for the server, then print the address."""
    import httpx

    from ui.lib import toolbox

    toolbox().warm()
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok":
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    print(f"app on {url} (ready in {time.monotonic() - started:.1f} s; Ctrl-C stops it)", flush=True)


def main() -> None:
    started = time.monotonic()
    args = sys.argv[1:]
    threading.Thread(target=_announce_when_ready, args=(_port(args), started), name="warm", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
