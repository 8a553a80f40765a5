"""History from git, in a real repository the tests make, with fixed authors and dates: a date
change, a source added, a correction, a rename and a deletion, and what each page says of them."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, event_text

from timeline.history import read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git missing: apt-get install git")


def git(root: Path, *args: str, when: str = "2026-01-05T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)


SECOND_SOURCE = "  - title: Another article\n    publisher: DW\n"


@pytest.fixture
def repo(project):
    root = project.root
    git(root, "init", "-q", "-b", "main")
    project.event("2020-02-03-clash", date="2020-02")
    project.event("2020-02-04-other", title="Other event", date="2020-02-04")
    project.event("2020-02-05-gone", title="A mistaken event", date="2020-02-05")
    commit(root, "Add three events", "2026-01-05T10:00:00+00:00")
    path = root / "events" / "2020-02-03-clash.md"
    path.write_text(event_text(date="2020-02-03"), encoding="utf-8")
    commit(root, "Date the clash to the day (Le Monde)", "2026-01-06T10:00:00+00:00")
    path.write_text(event_text(date="2020-02-03").replace("---\nBody", SECOND_SOURCE + "---\nBody"), encoding="utf-8")
    commit(root, "Cite DW as well", "2026-01-07T10:00:00+00:00")
    text = path.read_text(encoding="utf-8").replace(
        "---\nBody", "corrections:\n  - date: 2026-01-08\n    note: An earlier version dated it to February only.\n"
        "---\nBody")
    path.write_text(text, encoding="utf-8")
    commit(root, "Correction <script>alert(1)</script>", "2026-01-08T10:00:00+00:00")
    git(root, "mv", "events/2020-02-04-other.md", "events/2020-02-04-other-renamed.md")
    commit(root, "Rename the other event", "2026-01-09T10:00:00+00:00")
    (root / "events" / "2020-02-05-gone.md").unlink()
    commit(root, "Withdraw the mistaken event: no source supports it", "2026-01-10T10:00:00+00:00")
    return project


def test_history_follows_changes_renames_and_deletions(repo):
    history = read_history(repo.root)
    assert history.available and not history.shallow
    clash = history.events["2020-02-03-clash"]
    assert [(r.day, r.changes) for r in clash] == [
        ("2026-01-05", ("added",)),
        ("2026-01-06", ("date: February 2020 → 3 February 2020",)),
        ("2026-01-07", ("source added: DW",)),
        ("2026-01-08", ("correction added",)),
    ]
    assert history.moved == {"2020-02-04-other": "2020-02-04-other-renamed"}
    assert [r.kind for r in history.events["2020-02-04-other-renamed"]] == ["added", "renamed"]
    assert list(history.withdrawn) == ["2020-02-05-gone"]
    assert history.withdrawn["2020-02-05-gone"].revision.summary == "Withdraw the mistaken event: no source supports it"


def build(project) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_HISTORY"}
    result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q"], cwd=project.root,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def text(path: Path) -> str:
    """What a reader sees: tags dropped, then entities read (so an escaped <script> reads as text)."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    return html.unescape(re.sub(r"\( ", "(", re.sub(r" ([.,;:)])", r"\1", words)))


def test_pages_show_the_history_the_changes_and_keep_old_addresses(repo):
    site = build(repo)
    page = text(site / "events" / "2020-02-03-clash" / "index.html")
    assert "Published 5 January 2026; last updated 8 January 2026 (4 revisions)" in page
    assert "8 January 2026: correction added. “Correction <script>alert(1)</script>”" in page
    assert "6 January 2026: date: February 2020 → 3 February 2020. “Date the clash to the day (Le Monde)”" in page
    assert "Correction, 8 January 2026: An earlier version dated it to February only." in page
    raw = (site / "events" / "2020-02-03-clash" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw  # a commit message is text
    changes = text(site / "changes" / "index.html")
    assert changes.index("10 January 2026") < changes.index("5 January 2026")  # newest first
    assert "Withdrawn A mistaken event: withdrawn." in changes and "Moved Other event" in changes
    moved = (site / "events" / "2020-02-04-other" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../2020-02-04-other-renamed/">' in moved
    gone = text(site / "events" / "2020-02-05-gone" / "index.html")
    assert "This event was withdrawn from the timeline on 10 January 2026." in gone
    assert "no source supports it" in gone
    feed = (site / "changes.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 8 and "2026-01-10T10:00:00+00:00" in feed
    assert build(repo).joinpath("changes.xml").read_text(encoding="utf-8") == feed  # the same commit, the same bytes


def test_without_git_the_site_says_history_is_unavailable(project):
    project.event("2020-02-03-clash")
    site = build(project)
    assert "history of the events is unavailable" in text(site / "changes" / "index.html")
    assert "revision" not in text(site / "events" / "2020-02-03-clash" / "index.html")


def test_a_removed_or_edited_correction_is_an_error_in_a_pull_request(repo):
    root = repo.root
    git(root, "branch", "base")
    path = root / "events" / "2020-02-03-clash.md"
    path.write_text(path.read_text(encoding="utf-8").replace("dated it to February only", "was wrong"), encoding="utf-8")
    status, out, _ = repo.run("check-corrections", "--base", "base")
    assert status == 1
    assert out.splitlines() == ["events/2020-02-03-clash.md:12: error: the published correction of 2026-01-08 "
                                "was edited; a correction stays as published (add a new one) [correction-changed]"]
    path.write_text(event_text(date="2020-02-03"), encoding="utf-8")
    status, out, _ = repo.run("check-corrections", "--base", "base")
    assert status == 1 and "was removed" in out
    git(root, "checkout", "-q", "--", ".")
    assert repo.run("check-corrections", "--base", "base")[0] == 0


def test_changes_are_split_into_pages_of_page_size(repo):
    mkdocs = repo.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "extra:\n  timeline:\n    page_size: 3\n", encoding="utf-8")
    site = build(repo)
    first, second, third = (text(site / "changes" / p / "index.html") for p in ("", "2", "3"))
    assert first.count("Updated") + first.count("New") + first.count("Moved") + first.count("Withdrawn ") >= 3
    assert "Older changes" in first and "Newer changes" in second and "Older changes" in second
    assert "Older changes" not in third and "5 January 2026" in third


def test_an_event_history_as_a_reader_sees_it(repo, browser):
    """A screenshot for the eye (screenshots/event-history-*.png), and the history in the page's order."""
    from browser import SHOTS, Server, need_browser
    need_browser()
    site = build(repo)
    server = Server(site)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width, height in ((1366, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(server.url + "events/2020-02-03-clash/", wait_until="networkidle")
            page.evaluate("document.getElementById('history').scrollIntoView()")
            page.screenshot(path=str(SHOTS / f"event-history-{width}.png"))
            days = page.eval_on_selector_all(".tl-history time", "ts => ts.map(t => t.getAttribute('datetime'))")
            assert days == ["2026-01-08", "2026-01-07", "2026-01-06", "2026-01-05"]  # newest first
            page.close()
    finally:
        server.close()


def test_history_survives_hostile_names_and_messages_and_tells_a_restored_event(project):
    root = project.root
    git(root, "init", "-q", "-b", "main")
    project.event("2020-02-03-clash")
    (root / "events" / "..md").write_text(event_text(), encoding="utf-8")  # never an event: no page, no link
    (root / "events" / "bad\udcffname.md".encode("utf-8", "surrogateescape").decode("latin-1")).write_text(
        event_text(), encoding="utf-8")
    commit(root, "Add\x0b an event with a vertical tab in the message", "2026-02-01T10:00:00+01:00")
    for path in (root / "events").glob("*.md"):
        if path.name != "2020-02-03-clash.md":
            path.unlink()
    path = root / "events" / "2020-02-03-clash.md"
    saved = path.read_text(encoding="utf-8")
    path.unlink()
    commit(root, "Withdraw it", "2026-02-02T09:30:00+00:00")
    path.write_text(saved, encoding="utf-8")
    commit(root, "Bring it back", "2026-02-03T10:00:00-05:00")
    history = read_history(root)
    assert list(history.events) == ["2020-02-03-clash"] and not history.withdrawn
    assert [r.changes for r in history.events["2020-02-03-clash"]] == [("added",), ("withdrawn",), ("restored",)]
    site = build(project)  # the vertical tab would break the Atom feed
    assert "Add an event with a vertical tab" in (site / "changes.xml").read_text(encoding="utf-8")
    assert not (site / "events" / "..md").exists()
    order = [r.date for _, r in history.changes]
    assert order == sorted(order, key=lambda d: __import__("datetime").datetime.fromisoformat(d), reverse=True)


def test_a_rename_with_heavy_edits_is_still_a_rename_and_correction_removals_are_told(repo):
    root = repo.root
    old = root / "events" / "2020-02-04-other-renamed.md"
    old.unlink()
    repo.event("2020-02-04-rewritten", title="Wholly rewritten", date="2020-02-04", place="Idlib", body="New text.")
    commit(root, "Rewrite and rename", "2026-01-11T10:00:00+00:00")
    clash = root / "events" / "2020-02-03-clash.md"
    clash.write_text(event_text(date="2020-02-03"), encoding="utf-8")
    commit(root, "Drop the correction", "2026-01-12T10:00:00+00:00")
    history = read_history(root)
    assert history.moved["2020-02-04-other"] == "2020-02-04-rewritten"  # through the chain of renames
    assert "2020-02-04-other-renamed" not in history.withdrawn
    assert "correction removed" in history.events["2020-02-03-clash"][-1].changes


def test_deleting_an_event_with_published_corrections_is_an_error(repo):
    git(repo.root, "branch", "base")
    (repo.root / "events" / "2020-02-03-clash.md").unlink()
    status, out, _ = repo.run("check-corrections", "--base", "base")
    assert status == 1 and "has published corrections and was deleted" in out
