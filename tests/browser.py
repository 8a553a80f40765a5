"""Real Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright,
and the built site served on 127.0.0.1. Skips, saying how to install, where either is missing."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# Where the browser tests write their screenshots (CI keeps the folder as an artefact).
SHOTS = Path(os.environ.get("TIMELINE_SCREENSHOTS") or Path(__file__).resolve().parent.parent / "screenshots")


def need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium missing: run `apt-get install chromium` (.ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright missing: run `pip install -r requirements-dev.txt`")


def need_node_module(path: str) -> Path:
    file = NODE_MODULES / path
    if not file.exists():
        pytest.skip(f"{path} missing: run `npm ci` (.ci/run does)")
    return file


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """Serves a folder on 127.0.0.1 from a thread, as a static host would."""

    def __init__(self, root: Path):
        handler = functools.partial(Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Watch:
    """Everything a page did that a reader would mind: console errors, failed or foreign requests."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} {r.status}"))
        page.on("request", lambda r: not r.url.startswith((base, "data:", "blob:")) and self.foreign.append(r.url))


def copy_site(site: Path, dest: Path) -> Path:
    shutil.copytree(site, dest)
    return dest


# The fixtures the browser tests share: the example site served, and one Chromium per module.
@pytest.fixture(scope="module")
def server(example_site):
    need_browser()
    server = Server(example_site)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    need_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
