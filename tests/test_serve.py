"""The preview, driven for real: `python build_timeline.py serve` on a free port, pages fetched over
HTTP. Problems never stop it: every page says what is wrong, the broken event's own address shows
its diagnostics, fixing the file clears them, a deleted event's page goes away."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO, event_text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    def __init__(self, root, port: int, *options: str, command: tuple[str, ...] = ()):
        self.url = f"http://127.0.0.1:{port}/"
        command = command or (sys.executable, str(REPO / "build_timeline.py"), "serve")
        self.process = subprocess.Popen([*command, "--dev-addr", f"127.0.0.1:{port}", *options], cwd=root,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except OSError:
            return 0, ""

    def until(self, path: str, test, timeout: float = 60) -> float:
        """Seconds until the page at `path` passes `test(status, text)`."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if test(*self.get(path)):
                return time.monotonic() - start
            if self.process.poll() is not None:
                pytest.fail(f"serve stopped:\n{self.process.stdout.read()}")
            time.sleep(0.1)
        pytest.fail(f"{path}: still not as expected after {timeout} s: {self.get(path)[1][:300]}")

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


def test_a_broken_event_shows_its_problems_in_the_browser_until_fixed(project):
    project.event("good", title="A good event")
    project.write("events/bad.md", event_text(date="8 Feb 2020", place="Saraqb"))
    preview = Preview(project.root, free_port())
    try:
        preview.until("", lambda status, text: status == 200)  # it started, errors and all
        _, home = preview.get("")
        assert "events/bad.md:3: error: date: &#x27;8 Feb 2020&#x27; is not a date; use YYYY" in home
        assert "events/bad.md:4: error: unknown place &#x27;Saraqb&#x27;; did you mean" in home
        assert "   3 | date: 8 Feb 2020" in home and "= fix: write 'Saraqib'" in home  # as validate shows
        assert "A good event" in home  # the valid events are all there
        status, page = preview.get("events/bad/")
        assert status == 200 and "Problems in events/bad.md" in page and "[bad-date]" in page
        status, page = preview.get("events/good/")
        assert status == 200 and "[bad-date]" in page  # every page carries the notice
        project.event("bad", title="Mended", date="2020-02-08")
        took = preview.until("events/bad/", lambda status, text: "Mended" in text and "tl-problems" not in text)
        assert "tl-problems" not in preview.get("")[1] and took < 15
        (project.root / "events" / "good.md").unlink()
        preview.until("events/good/", lambda status, text: status == 404)
        assert "A good event" not in preview.get("")[1]
    finally:
        log = preview.stop()
    assert "bug" not in log and "Traceback" not in log
    assert "dirty' build" not in log  # MkDocs' warning is not the editor's business


def test_a_busy_port_says_how_to_choose_another(project):
    project.event("e")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], cwd=project.root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"error: port {port} is in use: stop the other preview or use --dev-addr 127.0.0.1:{port + 1}" in result.stderr
    assert "bug" not in result.stderr and "Traceback" not in result.stderr


def test_a_build_still_stops_on_the_same_problem(project):
    project.write("events/bad.md", event_text(date="8 Feb 2020"))
    status, out, err = project.run("build", "-q")
    assert status == 1 and "[bad-date]" in out and not (project.root / "site").exists()
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, capture_output=True,
                           text=True, timeout=300)
    assert plain.returncode == 1 and "[bad-date]" in plain.stderr


def save_by_renaming(path, text: str) -> None:
    """As many editors save: a new file, renamed over the old one."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


@pytest.mark.parametrize("options", [(), ("--poll",)], ids=["file-events", "polling"])
def test_saves_are_seen_however_the_editor_writes_the_file(project, options):
    project.event("e", title="First title")
    preview = Preview(project.root, free_port(), *options)
    try:
        preview.until("events/e/", lambda status, text: "First title" in text)
        for number in range(2):  # a second save too: the watch must survive the first rename
            places = project.root / "places.yml"
            save_by_renaming(places, places.read_text(encoding="utf-8").replace(
                "name: Saraqeb" if number == 0 else "name: Saraqeb, renamed", "name: Saraqeb, renamed" + "!" * number))
            preview.until("events/e/", lambda status, text, n=number: "Saraqeb, renamed" + "!" * n in text, timeout=30)
            save_by_renaming(project.root / "events" / "e.md", event_text(title=f"Saved by renaming {number}"))
            took = preview.until("events/e/", lambda status, text, n=number: f"Saved by renaming {n}" in text)
            assert took < 15
    finally:
        log = preview.stop()
    assert "Traceback" not in log
    assert "polling instead" not in log  # file events were available here, or not asked for


def test_plain_mkdocs_serve_keeps_going_too(project):
    project.event("good", title="A good event")
    project.write("events/bad.md", event_text(date="8 Feb 2020"))
    preview = Preview(project.root, free_port(), command=(sys.executable, "-m", "mkdocs", "serve"))
    try:
        preview.until("", lambda status, text: status == 200 and "[bad-date]" in text and "A good event" in text)
        project.event("bad", title="Mended", date="2020-02-08")
        preview.until("events/bad/", lambda status, text: "Mended" in text and "tl-problems" not in text)
    finally:
        log = preview.stop()
    assert "Traceback" not in log and "Aborted" not in log


def test_a_preview_build_collects_garbage_only_after_its_page_is_served(project):
    """serve's builds run with the cycle collector off (a full collection of a large preview costs a
    third of a second) and turn it on again when the build is finished, or has failed."""
    project.event("e")
    script = f"""
import gc, json, sys
sys.path.insert(0, {str(REPO)!r})
from mkdocs.config import load_config
from mkdocs.commands.build import build
from timeline.mkdocs_hook import find_hook
seen = {{}}
def load():
    config = load_config("mkdocs.yml", site_dir="site")
    config.plugins.on_startup(command="serve", dirty=False)
    return config, find_hook(config)
config, hook = load()
check = hook.check
def watched(config):
    seen["during"] = gc.isenabled()
    return check(config)
hook.check = watched
build(config, serve_url="http://127.0.0.1:8000/", dirty=False)
hook.wait()
seen["after"] = gc.isenabled()
def broken(config):
    seen["failing"] = gc.isenabled()
    raise RuntimeError("a bug after on_pre_build")
hook.read_history = broken  # on_files asks for it
try:
    build(config, serve_url="http://127.0.0.1:8000/", dirty=False)
except Exception as exc:
    seen["failed"] = type(exc).__name__
hook.wait()
seen["after failure"] = gc.isenabled()
print(json.dumps(seen))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    import json
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["during"] is False and seen["after"] is True
    assert seen["failing"] is False and seen["failed"] == "RuntimeError" and seen["after failure"] is True, seen
