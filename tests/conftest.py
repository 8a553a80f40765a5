"""Shared helpers: write a tiny project into tmp_path and run the real CLI on it."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import cli  # noqa: E402

# The example site's pages would show this repository's own history, which every commit changes:
# the golden files and the tests see none (tests/test_history.py makes repositories of its own).
os.environ.setdefault("TIMELINE_HISTORY", "off")

# tests/browser.py: the browser tests' shared fixtures (the example site served, one Chromium per module).
pytest_plugins = ("browser",)

PLACES = """\
saraqeb:
  name: Saraqeb
  aliases: [Saraqib]
  kind: town
  country: Syria
  lat: 35.8627
  lon: 36.8006
maaret-al-numan:
  name: Maaret al-Numan
  aliases: [Maarat al-Numan]
  lat: 35.6437
  lon: 36.6719
idlib:
  name: Idlib
  lat: 35.9306
  lon: 36.6339
"""

MKDOCS = f"""\
site_name: Test timeline
docs_dir: docs
site_dir: site
theme:
  name: material
  font: false
hooks:
  - {REPO / 'build_timeline.py'}
plugins:
  - search
markdown_extensions:
  - admonition
  - toc:
      permalink: true
validation:
  anchors: warn
"""


def event_text(title="Clash at Saraqeb", date="2020-02-03", place="Saraqeb", extra="", body="Body text.",
               publisher="Le Monde", url="https://example.org/a"):
    source_url = f"\n    url: {url}" if url else ""
    return (f"---\ntitle: {title}\ndate: {date}\nplace: {place}\nsources:\n  - title: An article\n"
            f"    publisher: {publisher}{source_url}\n{extra}---\n{body}\n")


class Project:
    def __init__(self, root: Path):
        self.root = root
        (root / "events").mkdir()
        (root / "docs").mkdir()
        (root / "places.yml").write_text(PLACES, encoding="utf-8")
        (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
        (root / "docs" / "index.md").write_text("# Test timeline\n\nIntro.\n\n<!-- timeline -->\n", encoding="utf-8")

    def write(self, relpath: str, content: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return path

    def event(self, event_id: str, **fields) -> Path:
        return self.write(f"events/{event_id}.md", event_text(**fields))

    def run(self, *args: str) -> tuple[int, str, str]:
        """The CLI in-process: fast, same code path as `python build_timeline.py`."""
        import contextlib
        import io
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(["--root", str(self.root), *args])
            except SystemExit as exc:  # argparse usage errors
                code = exc.code
        return code, out.getvalue(), err.getvalue()

    def run_script(self, *args: str) -> subprocess.CompletedProcess:
        """The real script in a subprocess, from the project folder, as an editor runs it."""
        return subprocess.run([sys.executable, str(REPO / "build_timeline.py"), *args], cwd=self.root,
                              capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example timeline, built once by the CLI exactly as README says, into a temporary folder."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = subprocess.run([sys.executable, "build_timeline.py", "build", "--site-dir", str(site)],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def example_data(example_site) -> dict:
    import json
    return json.loads((example_site / "events.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory) -> Path:
    """The example timeline as a large one is shown: page_size 8, so the timeline splits into years and
    months and the busiest places, tags and sources into years."""
    from golden import build, paged_project
    root = paged_project(tmp_path_factory.mktemp("paged"))
    build(root, root / "site")
    return root / "site"
