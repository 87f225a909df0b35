"""End to end: the real app (`streamlit run ui/app.py`) over a demo catalog, driven in headless Debian Chromium:
send a chat message, see a product card. A screenshot is kept in test-artifacts/.

The LLM URL points at a closed port on purpose: the page must show its "LLM server not answering" banner and
still answer (template replies) with product cards, so this test does not hang on a vLLM start on a busy machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


@pytest.fixture()
def running_app(demo_catalog, data_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    from shopagent.cli.up import app_path
    from shopagent.llm.serve import free_port

    port = free_port()
    env = dict(os.environ, SHOPAGENT_DATA_DIR=str(data_dir), SHOPAGENT_LLM_URL="http://127.0.0.1:9/v1",
               SHOPAGENT_CHECKPOINT_URL="memory://")
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false",
                             "--client.showErrorDetails", "none"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(url + "/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (tmp_path / "streamlit.log").read_text()[-2000:]
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.mark.integration
def test_chat_in_headless_chromium_shows_a_product_card(running_app: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed: run scripts/setup.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    artifacts = REPO_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(running_app, wait_until="domcontentloaded")
            box = page.get_by_placeholder("Ask for products")
            box.wait_for(timeout=300_000)
            box.fill("show me tents under $500")
            box.press("Enter")
            card = page.locator('[class*="st-key-card-"]', has_text="Ask about this").first
            card.wait_for(timeout=300_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(artifacts / "ui-chat.png"), full_page=True)
            text = card.inner_text()
            assert "$" in text and "Ask about this" in text
            assert page.get_by_text("The LLM server is not answering").count() >= 1
            assert "Traceback" not in page.content()
        finally:
            browser.close()
