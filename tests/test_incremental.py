"""A build after edits reuses the pages nothing changed (timeline/incremental.py) and makes the
site a build from nothing makes, byte for byte: after each kind of edit, the incremental build is
compared file by file with a build with the cache switched off."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from golden import example_project, paged_project


def build(root: Path, site: Path, cache: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "TIMELINE_HISTORY": "off", "TIMELINE_CACHE": "on" if cache else "off"}
    result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--site-dir", str(site)],
                            cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def folders_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())


def reused(site: Path) -> int:
    """Pages linked from the last build rather than written again."""
    return sum(1 for p in site.resolve().rglob("*.html") if p.stat().st_nlink > 1)


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def some_events(root: Path) -> list[Path]:
    return sorted((root / "events").rglob("*.md"))


def unreferenced(root: Path) -> Path:
    """An event no other event names as related (removing it leaves the timeline valid)."""
    texts = {p: p.read_text(encoding="utf-8") for p in some_events(root)}
    return next(p for p in reversed(list(texts)) if not any(p.stem in t for q, t in texts.items() if q != p))


NEW_EVENT = """---
title: A new event for the test
date: 2020-02-14
place: Saraqeb
tags: [test-tag]
related: [{related}]
sources:
  - title: A new article
    publisher: Reuters
    url: https://example.org/new
---
A new body.
"""

EDITS = {
    "nothing": lambda root: None,
    "title": lambda root: edit(some_events(root)[10], r"^title: .*$", "title: A retitled event & more"),
    "body": lambda root: some_events(root)[20].write_text(
        some_events(root)[20].read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8"),
    "date moves it": lambda root: edit(some_events(root)[5], r"^date: .*$", "date: 2020-03-01"),
    "place and tags": lambda root: edit(some_events(root)[30], r"^tags: .*$", "tags: [another-test-tag]")
    if re.search(r"(?m)^tags: ", some_events(root)[30].read_text(encoding="utf-8"))
    else edit(some_events(root)[30], r"^date: (.*)$", r"date: \1\ntags: [another-test-tag]"),
    "added, related, new publisher": lambda root: (root / "events" / "2020" / "2020-02-14-a-new-event.md").write_text(
        NEW_EVENT.format(related=some_events(root)[25].stem), encoding="utf-8"),
    "removed": lambda root: unreferenced(root).unlink(),
    "gazetteer": lambda root: edit(root / "places.yml", r"^  name: Saraqeb$", "  name: Saraqib"),
}


@pytest.mark.parametrize("paged", [False, True], ids=["example", "paged"])
def test_a_build_after_each_kind_of_edit_is_the_build_from_nothing(tmp_path, paged):
    root = tmp_path / "project"
    (paged_project if paged else example_project)(root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("site_url: !ENV SITE_URL", "site_url: https://example.org/t/"),
                                     encoding="utf-8")
    site = root / "site"
    build(root, site)
    counts = {}
    for name, change in EDITS.items():
        change(root)
        live = site.resolve()
        served = files_of(live)
        older = [p for p in (root / ".site.builds").iterdir() if p.is_dir() and p.resolve() != live]
        carried = (older[0] / "events").stat().st_ino if older else None
        summary = build(root, site).stderr.strip().splitlines()[-1]  # the one line a CI log gets
        if carried is not None:  # made from the build before the site's: its folders carried over
            assert (site.resolve() / "events").stat().st_ino == carried, name
        # The build it replaced, which shares its files and whose older sibling this one was made
        # from (sitedir.recycle), is still the whole site it was: a reader may be loading its pages.
        assert site.resolve() != live and files_of(live) == served, name
        builds = sorted(p.name for p in (tmp_path / "project" / ".site.builds").iterdir())
        assert len(builds) == 4 and all(b.endswith(".complete") or f"{b}.complete" in builds for b in builds), builds
        assert re.fullmatch(r"built \d+ events into .*: [\d,]+ pages(, [\d,]+ of them reused from the last build)?, "
                            r"in [\d.]+ s", summary), summary
        assert ("reused from the last build" in summary) == (name != "gazetteer"), (name, summary)
        fresh = tmp_path / f"fresh-{len(counts)}"
        build(root, fresh, cache=False)
        ours, theirs = files_of(site), files_of(fresh)
        assert sorted(ours) == sorted(theirs), name
        assert [n for n in ours if ours[n] != theirs[n]] == [], name
        assert folders_of(site) == folders_of(fresh), name  # no folder left empty by a removed page
        counts[name] = reused(site)
    pages = len([n for n in files_of(site) if n.endswith(".html")])
    assert counts["nothing"] > pages * 0.8  # nearly every page reused when nothing changed…
    assert counts["title"] > pages * 0.5  # … and most after a small edit
    assert counts["gazetteer"] == 0  # a change to places.yml plans everything again
