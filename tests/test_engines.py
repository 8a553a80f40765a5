"""The site builds the same with ProperDocs, the maintained fork of MkDocs 1.6: only the glue knows
which engine runs (timeline/engine.py), and a strict ProperDocs build must give the very pages a
MkDocs build gives (the golden files)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import REPO
from golden import extract, stored
from sitecheck import dead_links, read_site


def need_properdocs() -> None:
    """requirements-dev.txt pins it: missing, the test fails rather than skips."""
    assert importlib.util.find_spec("properdocs") is not None, "properdocs missing: pip install -r requirements-dev.txt"


def test_properdocs_builds_the_same_site_strictly(tmp_path, example_site):
    need_properdocs()
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d",
                             str(site)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = read_site(site)
    assert len(pages) == len(list(example_site.rglob("*.html")))
    assert dead_links(site, pages) == []
    built, golden = extract(site), stored("example")
    assert sorted(path for path in golden if built.get(path) != golden[path]) == []


def test_properdocs_stops_cleanly_on_an_invalid_event(project):
    need_properdocs()
    project.event("e", place="Atlantis")
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml"], cwd=project.root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "events/e.md:4: error: unknown place 'Atlantis'; add it to places.yml [unknown-place]" in result.stderr
    assert "1 error in the timeline's files" in result.stderr and "Traceback" not in result.stderr
