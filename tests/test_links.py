"""check-links against local HTTP servers on 127.0.0.1 that the tests start (no test reaches the
internet): answers, redirect chains, retries, Retry-After, HEAD refused, timeouts, concurrency
bounds, private addresses never requested, the cache, and --fix."""
from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from timeline import links
from timeline.links import Cache, Checker, Options, check_all, fix_lines


class Site:
    """A local server whose paths behave like the web's failures. Counts every request, per path."""

    def __init__(self, address: str = "127.0.0.1", slow: float = 1.0, shared: dict | None = None):
        self.shared = shared if shared is not None else {"now": 0, "most": 0}  # in flight across servers
        self.requests: list[tuple[str, str]] = []
        self.inflight = 0
        self.most = 0
        self.lock = threading.Lock()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, body: bool):
                path = self.path
                with site.lock:
                    site.requests.append((self.command, path))
                    seen = sum(1 for _, p in site.requests if p == path)
                    site.inflight += 1
                    site.most = max(site.most, site.inflight)
                    site.shared["now"] += 1
                    site.shared["most"] = max(site.shared["most"], site.shared["now"])
                try:
                    status, headers = site.route(self.command, path, seen, slow)
                finally:  # (counted until the answer goes out: the next request can only come after it)
                    with site.lock:
                        site.inflight -= 1
                        site.shared["now"] -= 1
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                if body:
                    self.wfile.write(b"ok")

            def do_HEAD(self):
                self.answer(False)

            def do_GET(self):
                self.answer(True)

        self.httpd = http.server.ThreadingHTTPServer((address, 0), Handler)
        self.base = f"http://{address}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def route(self, method: str, path: str, seen: int, slow: float) -> tuple[int, dict]:
        if path.startswith("/ok") or path.startswith("/wait"):
            if path.startswith("/wait"):
                time.sleep(0.05)
            return 200, {}
        if path == "/moved":
            return 301, {"Location": "/moved-again"}
        if path == "/moved-again":
            return 308, {"Location": f"{self.base}/ok/new"}
        if path == "/temporary":
            return 302, {"Location": "/ok"}
        if path in ("/404", "/410"):
            return int(path[1:]), {}
        if path == "/busy":
            return (429, {"Retry-After": "1"}) if seen == 1 else (200, {})
        if path == "/flaky":
            return (500, {}) if seen == 1 else (200, {})
        if path == "/no-head":
            return (405, {}) if method == "HEAD" else (200, {})
        if path == "/down":
            return 503, {}
        if path == "/slow":
            time.sleep(slow)
            return 200, {}
        if path.startswith("/save/"):  # a fake of the Wayback Machine's save endpoint
            return 302, {"Location": "/web/20261201000000/" + path[len("/save/"):]}
        if path == "/to-bad-port":
            return 301, {"Location": "http://127.0.0.1:99999/x"}
        if path == "/to-loopback":
            return 302, {"Location": self.local_target}
        return 404, {}

    local_target = ""

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


def quick(**changes) -> Options:
    return Options(**{"timeout": 0.5, "retries": 1, "backoff": 0.01, "allow_private": True, **changes})


def test_answers_redirects_retries_and_refused_head(site):
    waits: list[float] = []
    urls = {name: f"{site.base}/{name}" for name in
            ("ok", "moved", "temporary", "404", "410", "busy", "flaky", "no-head", "down", "slow")}
    results = check_all(urls.values(), quick(), sleep=waits.append)
    assert results[urls["ok"]].ok and results[urls["ok"]].requests == 1  # HEAD alone
    assert results[urls["moved"]].moved == f"{site.base}/ok/new"  # 301 then 308: permanent
    assert results[urls["temporary"]].ok and results[urls["temporary"]].moved is None  # 302: not a move
    assert results[urls["404"]].status == 404 and results[urls["410"]].status == 410
    assert results[urls["busy"]].ok and 1.0 in waits  # 429 with Retry-After: 1, honoured
    assert results[urls["flaky"]].ok and results[urls["flaky"]].requests == 2  # 500, then retried
    assert results[urls["no-head"]].ok and ("GET", "/no-head") in site.requests  # HEAD refused: GET
    assert results[urls["down"]].status == 503 and not results[urls["down"]].ok  # 5xx after every retry
    assert "timed out after 2 tries" in results[urls["slow"]].problem


def test_retry_after_longer_than_the_cap_is_not_waited_for(site):
    class Patient(Site):
        def route(self, method, path, seen, slow):
            return 429, {"Retry-After": "3600"}
    patient = Patient()
    try:
        waits: list[float] = []
        result = check_all([f"{patient.base}/x"], quick(max_wait=5), sleep=waits.append)[f"{patient.base}/x"]
        assert waits == [] and "3600" in result.problem
    finally:
        patient.close()


def test_concurrency_is_bounded_per_host_and_in_all():
    shared = {"now": 0, "most": 0}
    lock = threading.Lock()
    sites = [Site(shared=shared) for _ in range(3)]
    for s in sites:
        s.lock = lock  # one lock for the shared count
    try:
        urls = [f"{s.base}/wait/{i}" for s in sites for i in range(12)]  # clustered by host, as sources are
        results = check_all(urls, quick(concurrency=4, per_host=2))
        assert all(r.ok for r in results.values())
        assert max(s.most for s in sites) <= 2  # per host
        assert shared["most"] <= 4  # in all
        assert shared["most"] >= 3  # the hosts took turns: not one host's 2 slots at a time
        assert all(len(s.requests) == 12 for s in sites)
    finally:
        for s in sites:
            s.close()


def test_private_addresses_are_never_requested_even_after_a_redirect(site, monkeypatch):
    results = check_all([f"{site.base}/ok"], quick(allow_private=False))
    assert results[f"{site.base}/ok"].private and site.requests == []  # 127.0.0.1: not asked at all
    # A "public" host (127.0.0.2 counted as public for this test) redirecting to 127.0.0.1.
    public = Site("127.0.0.2")
    try:
        public.local_target = f"{site.base}/ok"
        real = links.is_private
        monkeypatch.setattr(links, "is_private", lambda address: address != "127.0.0.2" and real(address))
        url = f"{public.base}/to-loopback"
        result = check_all([url], quick(allow_private=False))[url]
        assert result.private and "127.0.0.1" in result.problem
        assert public.requests == [("HEAD", "/to-loopback")] and site.requests == []
        for address in ("169.254.169.254", "10.0.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0", "::1", "fe80::1",
                        "fec0::1", "fc00::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "::"):
            assert real(address), address
        for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::5db8:d822"):
            assert not real(address), address
    finally:
        public.close()


def test_the_cache_asks_only_what_is_due(site, tmp_path):
    cache_file = tmp_path / "links.json"
    urls = [f"{site.base}/ok/{i}" for i in range(5)] + [f"{site.base}/404"]
    first = Cache.read(cache_file)
    check_all(urls, quick(), first)
    first.write()
    asked = len(site.requests)
    again = check_all(urls, quick(), Cache.read(cache_file))
    assert len(site.requests) == asked + 1  # only the broken one is asked again
    assert all(again[u].cached for u in urls[:5])
    check_all(urls, quick(recheck_after=0), Cache.read(cache_file))
    assert len(site.requests) == asked + 1 + 6  # due again: everything asked


def test_fix_lines_touches_only_the_url_and_adds_gone():
    text = ("---\ntitle: T\nsources:\n  - title: A  # kept\n    publisher: P\n    url: https://a.example/x  # note\n"
            "    archive: https://web.archive.org/web/2020/https://a.example/x\n  - url: https://b.example/y\n"
            "    title: B\n---\nBody\n")
    fixed = fix_lines(text, {6: "https://a.example/new"}, {8: "2026-12-01"})
    assert fixed.split("\n")[5] == "    url: https://a.example/new  # note"
    assert fixed.split("\n")[8] == "    gone: 2026-12-01"
    assert fixed.replace("https://a.example/new", "https://a.example/x").replace("    gone: 2026-12-01\n", "") == text


# ---------------------------------------------------------------- the command

def source(url: str, archive: str = "") -> str:
    return f"    url: {url}\n" + (f"    archive: {archive}\n" if archive else "")


def event(project, name: str, url: str, archive: str = "", day: str = "2020-02-03") -> Path:
    path = project.root / "events" / f"{name}.md"
    path.write_text(f"---\ntitle: {name}\ndate: {day}\nplace: Saraqeb\nsources:\n  - title: A\n    publisher: P\n"
                    + source(url, archive) + "---\nBody.\n", encoding="utf-8")
    return path


def test_check_links_reports_at_the_lines_of_the_addresses_and_fails_on_a_dead_original(project, site):
    event(project, "a", f"{site.base}/ok")
    event(project, "b", f"{site.base}/404")
    event(project, "c", f"{site.base}/410", archive=f"{site.base}/ok/copy")
    event(project, "d", f"{site.base}/moved")
    event(project, "e", f"{site.base}/ok/e", archive=f"{site.base}/404")
    status, out, err = project.run("check-links", "--allow-private", "--no-cache", "--timeout", "1")
    assert status == 1
    assert out.splitlines() == [
        f"events/b.md:8: error: url '{site.base}/404' answers 404 and the source has no archived copy [link-gone]",
        f"events/c.md:8: warning: url '{site.base}/410' answers 410: the page is gone [link-gone]",
        f"events/d.md:8: warning: url '{site.base}/moved' has moved permanently to '{site.base}/ok/new' [link-moved]",
        f"events/e.md:9: warning: archive '{site.base}/404' answers 404 [archive-gone]",
    ]
    assert "1 error, 3 warnings" in err
    status, out, _ = project.run("check-links", "--allow-private", "--no-cache", "--format", "github")
    assert out.splitlines()[0].startswith("::error file=events/b.md,line=8")


def test_check_links_refuses_loopback_without_allow_private(project, site):
    event(project, "a", f"{site.base}/ok")
    status, out, _ = project.run("check-links", "--no-cache")
    assert status == 1 and "[link-private]" in out and site.requests == []


def test_check_links_fix_writes_the_move_and_the_gone_state_and_nothing_else(project, site):
    moved = event(project, "d", f"{site.base}/moved")
    gone = event(project, "c", f"{site.base}/410", archive=f"{site.base}/ok/copy")
    before = moved.read_text(encoding="utf-8")
    status, _, _ = project.run("check-links", "--allow-private", "--no-cache", "--fix")
    assert status == 0
    assert moved.read_text(encoding="utf-8") == before.replace("/moved", "/ok/new")
    assert "\n    gone: " in gone.read_text(encoding="utf-8")
    assert project.run("validate")[0] == 0
    status, out, _ = project.run("check-links", "--allow-private", "--no-cache")
    assert (status, out) == (0, "")  # fixed: nothing left to say


def test_a_second_run_asks_nothing_that_was_fine(project, site):
    for i in range(4):
        event(project, f"e{i}", f"{site.base}/ok/{i}", day=f"2020-02-0{i + 1}")
    assert project.run("check-links", "--allow-private")[0] == 0
    asked = len(site.requests)
    status, _, err = project.run("check-links", "--allow-private")
    assert status == 0 and len(site.requests) == asked
    assert "0 requests, 4 fine" in err
    assert (project.root / ".timeline-cache" / "links.json").exists()


def test_checker_reports_a_host_that_does_not_exist(monkeypatch):
    def no_such_host(host, port):  # (no DNS query leaves the machine)
        raise socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(links, "resolve", no_such_host)
    result = Checker(quick()).check("http://no-such-host.invalid/x")
    assert "not found" in result.problem and result.requests == 0


# ---------------------------------------------------------------- what readers see

def test_readers_get_the_archived_copy_first_when_the_original_is_gone(project, browser):
    path = project.root / "events" / "e.md"
    path.write_text("---\ntitle: T\ndate: 2020-02-03\nplace: Saraqeb\nsources:\n  - title: Gone article\n"
                    "    publisher: P\n    url: https://example.org/gone\n    gone: 2026-11-30\n"
                    "    archive: https://web.archive.org/web/2020/https://example.org/gone\n"
                    "    accessed: 2020-02-04\n    sha256: " + "ab" * 32 + "\n  - title: Live article\n"
                    "    publisher: Q\n    url: https://example.org/live\n"
                    "    archive: https://web.archive.org/web/2020/https://example.org/live\n---\nBody.\n",
                    encoding="utf-8")
    assert project.run("build", "-q")[0] == 0
    html = (project.root / "site" / "events" / "e" / "index.html").read_text(encoding="utf-8")
    gone, live = html.split('<ol class="tl-sources">')[1].split("</ol>")[0].split("<li>")[1:]
    assert gone.index("web.archive.org/web/2020/https://example.org/gone") < gone.index('href="https://example.org/gone"')
    assert "offline since" in gone and "30 November 2026" in gone and "accessed" in gone and "ab" * 32 in gone
    assert live.index('href="https://example.org/live"') < live.index("web.archive.org")  # the original first
    data = (project.root / "site" / "events.json").read_text(encoding="utf-8")
    assert '"gone": "2026-11-30"' in data and '"sha256": "' + "ab" * 32 in data
    from browser import SHOTS, Server
    server = Server(project.root / "site")
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(server.url + "events/e/", wait_until="networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "event-archived-sources-1366.png"))
        assert page.locator("a.tl-archive").count() == 2 and page.locator(".tl-original").count() == 1
        page.close()
    finally:
        server.close()


def test_save_missing_asks_the_save_service_and_writes_the_snapshot_in(project, site):
    path = event(project, "a", f"{site.base}/ok/article")
    archived = event(project, "b", f"{site.base}/ok/other", archive=f"{site.base}/ok/copy", day="2020-02-04")
    before = archived.read_text(encoding="utf-8")
    status, _, err = project.run("check-links", "--allow-private", "--no-cache", "--save-missing",
                                 "--save-service", f"{site.base}/save/")
    assert status == 0, err
    text = path.read_text(encoding="utf-8")
    assert f"    archive: {site.base}/web/20261201000000/{site.base}/ok/article\n" in text
    assert archived.read_text(encoding="utf-8") == before  # it had one: not asked, not touched
    assert [p for m, p in site.requests if p.startswith("/save/")] == [f"/save/{site.base}/ok/article"]
    assert project.run("validate")[0] == 0
    status, _, _ = project.run("check-links", "--allow-private", "--no-cache")  # without the flag: nothing saved
    assert len([p for m, p in site.requests if p.startswith("/save/")]) == 1


def test_a_name_that_resolves_to_a_private_address_is_not_requested(site, monkeypatch):
    monkeypatch.setattr(links, "resolve", lambda host, port: ["10.1.2.3"])  # a "public" name, a private answer
    result = Checker(quick(allow_private=False)).check("http://innocent.example/x")
    assert result.private and "10.1.2.3" in result.problem and result.requests == 0


def test_a_redirect_to_a_bad_port_is_one_addresss_problem_not_the_runs(site):
    results = check_all([f"{site.base}/to-bad-port", f"{site.base}/ok"], quick())
    assert "cannot be asked" in results[f"{site.base}/to-bad-port"].problem
    assert results[f"{site.base}/ok"].ok


def test_hosts_take_turns():
    urls = [f"http://a.example/{i}" for i in range(3)] + [f"http://b.example/{i}" for i in range(2)]
    assert links.by_turns(urls) == ["http://a.example/0", "http://b.example/0", "http://a.example/1",
                                    "http://b.example/1", "http://a.example/2"]


def test_fix_lines_leaves_a_line_that_no_longer_holds_the_address():
    text = "---\nsources:\n  - title: A\n    url: https://a.example/changed\n---\n"
    assert fix_lines(text, {4: "https://a.example/new"}, {}, expected={4: "https://a.example/x"}) == text
