"""Builds that lose nothing: a failed build leaves the previous site exactly as it was, a build
writes nothing outside site/, and the same input gives the same bytes."""
from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from conftest import event_text


def tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under root (but those under the top-level names `skip`) → a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] not in skip}


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


@pytest.mark.parametrize("again", [False, True], ids=["one build before", "two builds before"])
@pytest.mark.parametrize("failure,status", [
    (RuntimeError("the theme crashed"), 1),
    (OSError(errno.ENOSPC, "No space left on device"), 1),
    (KeyboardInterrupt(), 130),
], ids=["crash", "disk-full", "ctrl-c"])
def test_failed_build_leaves_previous_site_exactly(built, monkeypatch, failure, status, again):
    if again:  # an older build beside the site: the failing build is made from it (sitedir.recycle)
        built.event("2020-02-04-b", title="Second, edited")
        assert built.run("build", "-q")[0] == 0
        assert len([b for b in (built.root / ".site.builds").iterdir() if b.name.endswith(".complete")]) == 2
    before = tree(built.root / "site")
    built.event("2020-02-05-c", title="Third")  # the new build would differ
    calls = fail_midway(monkeypatch, failure)
    code, out, err = built.run("build", "-q")
    assert code == status
    assert calls["n"] > 3  # the failure really happened mid-build, after pages were written
    assert "Traceback" not in err
    assert "the previous site was left as it was" in err
    assert tree(built.root / "site") == before
    assert sorted(p.name for p in built.root.iterdir() if not p.name.startswith(".")) == \
        ["docs", "events", "mkdocs.yml", "places.yml", "site"]
    assert all(b.with_name(b.name + ".complete").exists() for b in (built.root / ".site.builds").iterdir()
               if b.is_dir())  # nothing unfinished left behind (nor the older build it was made from)
    monkeypatch.undo()
    assert built.run("build", "-q")[0] == 0  # and the next build is whole
    assert "Third" in (built.root / "site" / "index.html").read_text(encoding="utf-8")


def test_build_writes_nothing_outside_site(built):
    """Nothing but site/ and what it points at (the builds folder beside it), the build lock and the
    build cache (.timeline-cache/, ignored by git)."""
    outside = ("site", ".site.builds", ".site.lock", ".timeline-cache")
    before = tree(built.root, skip=outside)
    assert built.run("build", "-q")[0] == 0
    assert tree(built.root, skip=outside) == before


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


# ------------------------------------------------------------------ the swap, the lock, signals

def test_site_is_a_link_to_a_complete_build_readable_by_a_web_server(built):
    site = built.root / "site"
    assert site.is_symlink() and (site / "index.html").is_file()
    assert oct(site.resolve().stat().st_mode & 0o777) == "0o755"
    first = site.resolve()
    assert built.run("build", "-q")[0] == 0
    assert site.resolve() != first and first.is_dir()  # the previous build is kept for readers mid-page
    assert built.run("build", "-q")[0] == 0
    builds = sorted(p.name for p in (built.root / ".site.builds").iterdir() if p.is_dir())
    assert len(builds) == 2 and not first.exists()  # and only that one: older builds are removed


def test_site_dir_given_on_the_command_line_is_swapped_the_same_way(built, tmp_path):
    site = tmp_path / "out" / "site"
    for _ in range(3):
        assert built.run("build", "-q", "--site-dir", str(site))[0] == 0
    assert site.is_symlink() and site.resolve().parent == tmp_path / "out" / ".site.builds"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".site.builds", ".site.lock", "site"]
    assert not list(site.resolve().glob(".*")), "a build nested inside the previous one"


def test_a_plain_site_folder_is_replaced_and_a_lost_link_recovered(project):
    from timeline import sitedir
    project.event("e")
    (project.root / "site").mkdir()
    (project.root / "site" / "old.html").write_text("old")  # what plain `mkdocs build` would leave
    assert project.run("build", "-q")[0] == 0
    assert (project.root / "site").is_symlink() and not (project.root / "site" / "old.html").exists()
    (project.root / "site").unlink()  # as if a build were killed between its two steps of that first swap
    sitedir.recover(project.root / "site")
    assert (project.root / "site" / "events" / "e" / "index.html").is_file()


def test_a_second_build_at_once_stops_with_a_clear_message(built):
    from timeline import sitedir
    with sitedir.Lock(built.root / "site"):
        code, out, err = built.run("build", "-q")
    assert code == 1
    assert f"error: another build is writing {built.root / 'site'} (pid {os.getpid()}" in err
    assert "wait for it to finish, or stop it" in err


def test_sigterm_stops_a_build_and_cleans_up_like_ctrl_c(built):
    """What CI sends a cancelled job: the previous site stays, no unfinished build is left."""
    import signal
    import subprocess
    import sys
    import time
    for i in range(600):  # a build of about two seconds: long enough to be stopped in the middle
        built.event(f"2020-03-{1 + i % 28:02d}-event-{i}", date=f"2020-03-{1 + i % 28:02d}", title=f"Event {i}")
    before = tree(built.root / "site")
    script = Path(__file__).resolve().parent.parent / "build_timeline.py"
    process = subprocess.Popen([sys.executable, str(script), "build", "-q"], cwd=built.root,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.is_dir() and not p.with_name(p.name + ".complete").exists()
                                                   for p in (built.root / ".site.builds").iterdir()):
        time.sleep(0.05)  # until the new build's folder exists
    time.sleep(0.2)
    assert process.poll() is None, "the build ended before it could be stopped: give it more events"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted: the previous site was left as it was" in err
    assert tree(built.root / "site") == before
    unfinished = [p for p in (built.root / ".site.builds").iterdir()
                  if p.is_dir() and not p.with_name(p.name + ".complete").exists()]
    assert unfinished == []
