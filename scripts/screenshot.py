"""Take the README's screenshot of the home page: builds the site, serves it on 127.0.0.1,
and photographs it in Debian's Chromium. Usage: python scripts/screenshot.py [OUT.png]"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import ARGS, CHROMIUM, Server  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "home.png"
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        subprocess.run([sys.executable, str(ROOT / "build_timeline.py"), "build", "-q", "--site-dir", str(site)],
                       cwd=ROOT, check=True)
        server = Server(site)
        from playwright.sync_api import sync_playwright
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 1000})
                page.goto(server.url + "?from=2019-11&to=2020-03", wait_until="networkidle")
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            server.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
