"""check-links: every source `url` and `archive`, asked over HTTP, reported like `validate` at the
line of the address.

What it will not do matters as much: it never connects to a private, loopback or link-local
address (an address in a pull request must not make CI probe its own network), checked after DNS
resolution and again on every redirect, and the connection goes to the address that was checked
(no second lookup a DNS rebinding could change). Concurrency is bounded in total and per host;
timeouts and server errors are retried with backoff, 429 and 503 wait as long as Retry-After asks
(up to a cap); HEAD comes first, GET where a server refuses HEAD; redirects are followed by hand.
Addresses found fine are kept in a cache and not asked again until they are due.
"""
from __future__ import annotations

import email.utils
import ipaddress
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from . import load
from .check import wayback_url
from .diagnostics import Diagnostic, error, warning
from .fields import EVENTS
from .kinds import _URL, Reading
from .load import Inputs

USER_AGENT = "timeline-check-links/1 (+https://github.com/; checks that cited sources are still online)"
CACHE_FILE = Path(".timeline-cache") / "links.json"
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
GONE = (404, 410)
REFUSES_HEAD = (400, 403, 405, 501)  # what servers answer a HEAD they do not serve; GET is asked then
MAX_POOLS = 256  # kept-alive connections, by host: the oldest are closed past this many


@dataclass(frozen=True)
class Options:
    concurrency: int = 16  # requests at once, in all
    per_host: int = 2  # requests at once to one host (host and port)
    timeout: float = 10.0  # seconds, to connect and for each read
    retries: int = 2  # more tries after a timeout, a refused connection or a 5xx / 429
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 60.0  # the longest Retry-After honoured; longer, and the address is reported unreachable
    max_redirects: int = 10
    allow_private: bool = False  # for tests against a server on 127.0.0.1, never for a pull request
    recheck_after: float = 7 * 86400.0  # seconds an address found fine is not asked again


@dataclass
class Result:
    """What asking one address found."""

    url: str
    status: int | None = None  # the last answer's status; None: no answer
    final: str = ""  # where the redirects ended
    moved: str | None = None  # the end of the redirects, when they were all permanent
    problem: str = ""  # no answer: why ("timed out", "private address 10.0.0.1", …)
    private: bool = False
    requests: int = 0
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.problem


@dataclass(frozen=True)
class Target:
    """An address to check, where it is written, and what its source already says."""

    url: str
    path: str
    line: int
    key: str  # "url" or "archive"
    has_archive: bool = False
    gone: bool = False
    source_url: str | None = None


def targets(inputs: Inputs) -> list[Target]:
    """Every url and archive of every source, at its line, read as `validate` reads them (an event with
    errors still has its well-formed addresses checked)."""
    found = []
    for file in inputs.events:
        doc = load.parse_event(file.path, file.data)
        if not doc.ok:
            continue
        values = EVENTS.read(Reading(doc.path, [], 2), doc.entries, 1)
        for source, entries, _ in values.get("sources") or []:
            url, archive, gone = source.get("url"), source.get("archive"), bool(source.get("gone"))
            if url:
                found.append(Target(url, doc.path, entries["url"].line, "url", bool(archive), gone, url))
            if archive:
                found.append(Target(archive, doc.path, entries["archive"].line, "archive", True, gone, url))
    return found


# ---------------------------------------------------------------- asking

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")


def is_private(address: str) -> bool:
    """Whether an address is anything but a public one: private, loopback, link-local, reserved,
    multicast; an IPv6 address is judged by the IPv4 address it carries (mapped, 6to4, Teredo, NAT64),
    and outside global unicast (2000::/3) it is never public."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return is_private(str(inner))
        if ip not in _GLOBAL_UNICAST:
            return True
    return not ip.is_global or ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, IPv4 first (many networks, CI's among them, have no IPv6 route)."""
    found = dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    return sorted(found, key=lambda a: ":" in a)


def retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds to wait: a number of seconds, or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class Checker:
    """Asks addresses, each once, with the limits of `options`."""

    def __init__(self, options: Options, sleep: Callable[[float], None] = time.sleep):
        self.options = options
        self.sleep = sleep
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(self.options.per_host))

    def _pool(self, scheme: str, address: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
        key = (scheme, address, port, host)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                # total: a server that dribbles its answer a byte at a time is cut off too
                timeout = urllib3.Timeout(connect=self.options.timeout, read=self.options.timeout,
                                          total=3 * self.options.timeout)
                if len(self._pools) >= MAX_POOLS:  # thousands of hosts: keep the sockets of the newest only
                    oldest = next(iter(self._pools))
                    self._pools.pop(oldest).close()
                if scheme == "https":  # to the checked address, with the certificate checked for the host
                    pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False, maxsize=4,
                                                       server_hostname=host, assert_hostname=host,
                                                       cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
                else:
                    pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=4)
                self._pools[key] = pool
            return pool

    def check(self, url: str) -> Result:
        """What asking `url` gives; any failure is the address's problem, never the whole run's."""
        try:
            return self._check(url)
        except (ValueError, OSError, urllib3.exceptions.HTTPError) as exc:  # a port out of range, a bad host
            return Result(url, problem=f"it cannot be asked: {exc.__class__.__name__}: {exc}")

    def _check(self, url: str) -> Result:
        result = Result(url)
        current, permanent, method = url, True, "HEAD"
        for _ in range(self.options.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                result.problem = f"not an http(s) address: {current}"
                return result
            host, scheme = parts.hostname, parts.scheme.lower()
            port = parts.port or (443 if scheme == "https" else 80)
            try:
                addresses = resolve(host, port)
            except (OSError, UnicodeError) as exc:
                result.problem = f"the host {host} was not found ({exc.__class__.__name__})"
                return result
            private = [a for a in addresses if is_private(a)]
            if private and not self.options.allow_private:
                result.private, result.problem = True, f"{host} is a private address ({private[0]})"
                return result
            status, location = self._ask(result, scheme, addresses[0], port, host, parts, method)
            if status is None:
                return result
            if method == "HEAD" and status in REFUSES_HEAD:
                method = "GET"
                status, location = self._ask(result, scheme, addresses[0], port, host, parts, method)
                if status is None:
                    return result
            if status in REDIRECTS and location:
                permanent = permanent and status in PERMANENT
                current = urljoin(current, location)
                continue
            result.status, result.final = status, current
            if current != url and permanent:
                result.moved = current
            return result
        result.problem = f"more than {self.options.max_redirects} redirects"
        return result

    def save(self, service: str, url: str) -> str | None:
        """Ask an archive's save endpoint (the Wayback Machine's https://web.archive.org/save/) to capture
        `url`; the snapshot's address, from its redirect or Content-Location, or None."""
        asked = service + url
        parts = urlsplit(asked)
        scheme, host = parts.scheme.lower(), parts.hostname or ""
        try:
            port = parts.port or (443 if scheme == "https" else 80)
            addresses = resolve(host, port)
        except (OSError, UnicodeError, ValueError):
            return None
        if not addresses or (any(is_private(a) for a in addresses) and not self.options.allow_private):
            return None
        status, location = self._ask(Result(asked), scheme, addresses[0], port, host, parts, "GET")
        if status is None or status >= 400 or not location:
            return None
        return urljoin(asked, location)

    def _ask(self, result: Result, scheme: str, address: str, port: int, host: str, parts, method: str
             ) -> tuple[int | None, str | None]:
        """One request, retried after timeouts, refused connections, 5xx and 429; (status, Location)."""
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = 443 if scheme == "https" else 80
        name = f"[{host}]" if ":" in host else host  # an IPv6 literal
        headers = {"Host": name if port == default else f"{name}:{port}", "User-Agent": USER_AGENT, "Accept": "*/*"}
        pool = self._pool(scheme, address, port, host)
        wait = self.options.backoff
        for attempt in range(self.options.retries + 1):
            last = attempt == self.options.retries
            with self._slot(f"{host}:{port}"):
                result.requests += 1
                try:
                    response = pool.urlopen(method, path, headers=headers, redirect=False, retries=False,
                                            preload_content=False, assert_same_host=False)
                    if method == "GET":  # its body is not wanted (it may be a long video): hang up
                        response.close()
                    else:
                        response.drain_conn()
                        response.release_conn()
                except urllib3.exceptions.HTTPError as exc:
                    response, failure = None, _failure(exc)
            if response is None:
                if last:
                    result.problem = f"{failure} after {attempt + 1} tries"
                    return None, None
                self.sleep(wait)
                wait *= 2
                continue
            status = response.status
            # A redirect is followed only by its Location; a save endpoint may answer with Content-Location.
            location = response.headers.get("Location") or (response.headers.get("Content-Location")
                                                             if method == "GET" and status < 300 else None)
            asked = retry_after(response.headers.get("Retry-After"), time.time()) if status in (429, 503) else None
            if (status >= 500 and status != 501) or status == 429:
                if last:
                    return status, location
                if asked is not None and asked > self.options.max_wait:
                    result.problem = f"{status}: asked to wait {asked:.0f} s, more than {self.options.max_wait:.0f} s"
                    return None, None
                self.sleep(asked if asked is not None else wait)
                wait *= 2
                continue
            return status, location
        return None, None


def _failure(exc: Exception) -> str:
    text = str(exc).lower()
    if "timed out" in text or isinstance(exc, urllib3.exceptions.TimeoutError):
        return "timed out"
    if "refused" in text:
        return "connection refused"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "its certificate could not be verified"
    return "no answer"


# ---------------------------------------------------------------- the cache

@dataclass
class Cache:
    """Addresses found fine, and when: not asked again until `recheck_after` has passed."""

    path: Path
    checked: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Cache:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {k: v for k, v in data.get("checked", {}).items() if isinstance(v, dict)})
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def fresh(self, url: str, now: float, within: float) -> Result | None:
        entry = self.checked.get(url)
        if not entry:
            return None
        try:
            at, status = float(entry["at"]), int(entry["status"])
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: ask again
        if 0 <= now - at < within:  # (a time in the future is not fresh: a wrong clock, or an edit)
            return Result(url, status, str(entry.get("final") or url), cached=True)
        return None

    def keep_only(self, urls: set[str]) -> None:
        """Forget addresses no source cites any more."""
        self.checked = {url: entry for url, entry in self.checked.items() if url in urls}

    def keep(self, result: Result, now: float) -> None:
        if result.ok and not result.moved:
            self.checked[result.url] = {"at": now, "status": result.status, "final": result.final}
        else:
            self.checked.pop(result.url, None)

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps({"version": 1, "checked": dict(sorted(self.checked.items()))}, indent=0),
                        encoding="utf-8")
        os.replace(temp, self.path)


def by_turns(urls: list[str]) -> list[str]:
    """The addresses with their hosts taking turns: sources come clustered by publisher, and in that
    order every worker would wait on one host's few slots while the others sat idle."""
    hosts: dict[str, list[str]] = {}
    for url in urls:
        hosts.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    queues = list(hosts.values())
    return [queue[i] for i in range(max((len(q) for q in queues), default=0)) for queue in queues if i < len(queue)]


def check_all(urls: Iterable[str], options: Options, cache: Cache | None = None,
              sleep: Callable[[float], None] = time.sleep) -> dict[str, Result]:
    """Each distinct address once: from the cache when it is fresh there, else asked."""
    now = time.time()
    results: dict[str, Result] = {}
    due = []
    for url in dict.fromkeys(urls):
        kept = cache.fresh(url, now, options.recheck_after) if cache else None
        if kept:
            results[url] = kept
        else:
            due.append(url)
    checker = Checker(options, sleep)
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        for result in pool.map(checker.check, by_turns(due)):
            results[result.url] = result
            if cache is not None:
                cache.keep(result, now)
    return results


# ---------------------------------------------------------------- what to tell the editor

def diagnose(target: Target, result: Result) -> Diagnostic | None:
    where, what = (target.path, target.line), target.key
    if result.private:
        return error(*where, f"{what} {target.url!r}: {result.problem}; it was not requested", "link-private",
                     "cite the public address of the source")
    if result.problem:
        return warning(*where, f"{what} {target.url!r} could not be checked: {result.problem}", "link-unreachable",
                       "open it in a browser; if it is gone for good, add an archived copy")
    status = result.status or 0
    if status in GONE:
        if target.key == "archive":
            return warning(*where, f"archive {target.url!r} answers {status}", "archive-gone",
                           "find another capture of the page, or remove the archive line")
        if target.gone:
            return None  # known to be offline, and readers already get the archived copy first
        if target.has_archive:
            return warning(*where, f"url {target.url!r} answers {status}: the page is gone", "link-gone",
                           "add a line 'gone: YYYY-MM-DD' (today) to the source so readers get the archived copy "
                           "first; `check-links --fix` does it")
        return error(*where, f"url {target.url!r} answers {status} and the source has no archived copy", "link-gone",
                     f"add 'archive: {wayback_url(target.url)}' if the Wayback Machine has a capture, "
                     "or cite another copy of the article")
    if result.moved:
        return warning(*where, f"{what} {target.url!r} has moved permanently to {result.moved!r}", "link-moved",
                       f"write '{what}: {result.moved}' (`check-links --fix` does)")
    if not result.ok:
        return warning(*where, f"{what} {target.url!r} answers {status}", "link-unreachable",
                       "open it in a browser: some sites refuse programs; if it is gone, add an archived copy")
    return None


# ---------------------------------------------------------------- --fix

_URL_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?(?P<key>url|archive):\s*)(?P<value>\S+)(?P<rest>.*)$")


def fix_lines(text: str, moves: dict[int, str], gone: dict[int, str], archives: dict[int, str] | None = None,
              expected: dict[int, str] | None = None) -> str:
    """The file with the url (or archive) at each line of `moves` replaced, and 'gone: DATE' (or
    'archive: URL', from `archives`) added to the source of each line named; nothing else is touched.
    `expected`: the address each line must still hold (the file may have changed meanwhile); a line
    that does not is left alone."""
    lines = text.split("\n")
    archives, expected = archives or {}, expected or {}
    for number in sorted(set(moves) | set(gone) | set(archives), reverse=True):
        index = number - 1
        match = _URL_LINE.match(lines[index]) if 0 <= index < len(lines) else None
        if not match or (number in expected and match["value"].strip("'\"") != expected[number]):
            continue
        if number in moves:
            lines[index] = f"{match['lead']}{moves[number]}{match['rest']}"
        stripped = match["lead"].lstrip()  # a source's keys line up after its "- "
        indent = " " * (len(match["lead"]) - len(stripped) + (2 if stripped.startswith("-") else 0))
        if number in gone:
            lines.insert(index + 1, f"{indent}gone: {gone[number]}")
        if number in archives:
            lines.insert(index + 1, f"{indent}archive: {archives[number]}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the command

def run(root: Path, options: Options, fix: bool = False, use_cache: bool = True, today: str = "",
        out: Callable[[str], None] = print, save_service: str = "") -> tuple[list[Diagnostic], dict[str, Result]]:
    """Check every address of the project; with `fix`, write moved addresses and the gone state back;
    with `save_service`, ask it to archive sources that have no archived copy, and write the copies'
    addresses in. Returns the diagnostics and what each address gave."""
    from .fmt import format_event
    from .project import load_project, read_file

    inputs = load_project(root)
    found = targets(inputs)
    cache = Cache.read(root / CACHE_FILE) if use_cache else None
    started = time.time()
    results = check_all([t.url for t in found], options, cache)
    if cache is not None:
        cache.keep_only({t.url for t in found})
        cache.write()
    asked = sum(r.requests for r in results.values())
    kept = sum(r.cached for r in results.values())
    out(f"checked {len(results)} addresses in {time.time() - started:.1f} s: {asked} requests, "
        f"{kept} fine within the last {options.recheck_after / 86400:g} days (not asked again)")
    problems = [d for t in found if (d := diagnose(t, results[t.url])) is not None]
    edits: dict[str, tuple[dict[int, str], dict[int, str], dict[int, str]]] = {}
    if save_service:  # (off by default: it asks a third party to fetch every unarchived source)
        checker = Checker(options)
        for target in found:
            if target.key == "url" and not target.has_archive and results[target.url].ok:
                snapshot = checker.save(save_service, results[target.url].final or target.url)
                if snapshot:
                    edits.setdefault(target.path, ({}, {}, {}))[2][target.line] = snapshot
                    out(f"{target.path}:{target.line}: archived as {snapshot}")
    if fix or edits:
        for target in found:
            result = results[target.url]
            moves, gone, _ = edits.setdefault(target.path, ({}, {}, {}))
            if not fix:
                continue
            if result.moved and result.ok and _URL.fullmatch(result.moved) and " " not in result.moved:
                moves[target.line] = result.moved
            elif target.key == "url" and result.status in GONE and target.has_archive and not target.gone:
                gone[target.line] = today or time.strftime("%Y-%m-%d", time.gmtime())
        for path, (moves, gone, archives) in sorted(edits.items()):
            if not moves and not gone and not archives:
                continue
            data = read_file(root, root / path, path)
            if not isinstance(data, bytes):
                continue
            expected = {t.line: t.url for t in found if t.path == path}
            changed = fix_lines(data.decode("utf-8"), moves, gone, archives, expected).encode("utf-8")
            formatted = format_event(changed)
            if formatted.text is None:  # (never leave an event file we could not read back)
                out(f"{path}: not changed: {formatted.reason}")
                continue
            text = formatted.text.encode("utf-8")
            temp = (root / path).with_suffix(f".md.{os.getpid()}.tmp")
            temp.write_bytes(text)
            os.replace(temp, root / path)
            out(f"{path}: wrote {len(moves)} moved address(es), {len(gone)} gone state(s), "
                f"{len(archives)} archived cop{'y' if len(archives) == 1 else 'ies'}")
    return problems, results
