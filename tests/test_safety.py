"""Builds that lose nothing: a failed build leaves the previous site exactly as it was, a build
writes nothing outside site/, and the same input gives the same bytes."""
from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest
from conftest import event_text


def tree(root: Path, skip: str | None = None) -> dict[str, str]:
    """Every file under root (but `skip`) → a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not (skip and p.relative_to(root).parts[0] == skip)}


@pytest.fixture
def built(project):
    project.event("2020-02-03-a")
    project.event("2020-02-04-b", title="Second")
    status, _, err = project.run("build", "-q")
    assert status == 0, err
    return project


def fail_midway(monkeypatch, exc: BaseException):
    """Let MkDocs write some pages of the new site, then fail as `exc` does."""
    import mkdocs.utils
    real = mkdocs.utils.write_file
    calls = {"n": 0}

    def write_file(content, path):
        calls["n"] += 1
        if calls["n"] > 3:
            raise exc
        real(content, path)
    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    return calls


@pytest.mark.parametrize("failure,status", [
    (RuntimeError("the theme crashed"), 1),
    (OSError(errno.ENOSPC, "No space left on device"), 1),
    (KeyboardInterrupt(), 130),
], ids=["crash", "disk-full", "ctrl-c"])
def test_failed_build_leaves_previous_site_exactly(built, monkeypatch, failure, status):
    before = tree(built.root / "site")
    built.event("2020-02-05-c", title="Third")  # the new build would differ
    calls = fail_midway(monkeypatch, failure)
    code, out, err = built.run("build", "-q")
    assert code == status
    assert calls["n"] > 3  # the failure really happened mid-build, after pages were written
    assert "Traceback" not in err
    assert "the previous site was left as it was" in err
    assert tree(built.root / "site") == before
    assert sorted(p.name for p in built.root.iterdir()) == ["docs", "events", "mkdocs.yml", "places.yml", "site"]


def test_build_writes_nothing_outside_site(built):
    before = tree(built.root, skip="site")
    assert built.run("build", "-q")[0] == 0
    assert tree(built.root, skip="site") == before


def test_same_input_same_bytes(built, tmp_path):
    assert built.run("build", "-q", "--site-dir", str(tmp_path / "one"))[0] == 0
    assert built.run("build", "-q", "--site-dir", str(tmp_path / "two"))[0] == 0
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert "sitemap.xml.gz" in one and "search/search_index.json" in one


def test_plain_mkdocs_build_is_reproducible_too(built, tmp_path):
    import os
    import subprocess
    import sys
    for name in ("one", "two"):
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / name)], cwd=built.root,
                       check=True, env=env, timeout=300)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    import calendar
    import datetime as dt
    stamp = int.from_bytes((tmp_path / "one" / "sitemap.xml.gz").read_bytes()[4:8], "little")  # gzip MTIME
    assert stamp == calendar.timegm(dt.date(2020, 2, 3).timetuple())  # the latest event date, not today


def test_invalid_input_never_touches_site(built):
    before = tree(built.root / "site")
    built.write("events/bad.md", event_text(title=""))
    code, out, _ = built.run("build", "-q")
    assert code == 1 and ":2: error: title is empty" in out
    assert tree(built.root / "site") == before
