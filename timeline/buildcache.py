"""What one run keeps for the next, in .timeline-cache/ (ignored by git; CI keeps it with
actions/cache), so that a run after a small edit redoes only what the edit changed:

- summary.pickle: each event file's signature (size, times, inode) and digest, so that an
  unchanged file is not even read; and the last check's key and diagnostics, so that `validate`
  of an unchanged project reads nothing else;
- build/*.pickle: each event file's check result, keyed by its bytes, each body rendered as HTML and
  each event's pieces of the exports (packed, timeline/shelves.py), in shards, so that an edit
  rewrites only the few it touched;
- pages.pickle: the last build's manifest (timeline/incremental.py), to reuse its pages.

Whatever is kept is a pure function of its key and of the code: the cache is tied to a digest of
this package's sources and of the versions of the libraries that shape the output, and anything
unreadable or from another version is ignored. Deleting it changes nothing but the time taken.

The files are Python's pickle, written and read by this project's own runs only. Never restore a
cache made by code you would not run anyway (CI's caches are per branch; a fork cannot write main's).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckCache, check, whole_key
from .diagnostics import Diagnostic
from .model import Timeline
from .parallel import no_collection
from .project import Signature, load_project

FOLDER = ".timeline-cache"
SWITCH = "TIMELINE_CACHE"  # off: neither read nor write it
LIBRARIES = ("markdown-it-py", "nh3", "mkdocs", "mkdocs-material", "PyYAML", "icalendar", "Markdown",
             "pymdown-extensions", "python-frontmatter")


def code_version() -> str:
    """This package's sources, the Python version and the libraries' versions: any change starts afresh."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none\n".encode())
    return digest.hexdigest()


def enabled() -> bool:
    return os.environ.get(SWITCH, "").lower() not in ("off", "0", "false", "no")


@dataclass
class Summary:
    """summary.pickle: small, read by every run."""

    version: str = ""
    files: dict[str, tuple[Signature, bytes]] = field(default_factory=dict)  # event file → signature, digest
    whole: tuple = ()  # the last check's whole key (check.whole_key) …
    problems: tuple[Diagnostic, ...] = ()  # … and its diagnostics
    events: int = 0  # … and how many events it found valid


SHARDS = 32  # the build's part is kept in this many files per kind: an edit rewrites the few it touched


def shard_of(key: object) -> int:
    """Stable between runs (unlike hash()): a digest's first byte, or a text's CRC."""
    if isinstance(key, bytes):
        return key[0] % SHARDS
    return zlib.crc32(str(key).encode("utf-8", "surrogatepass")) % SHARDS


@dataclass
class Kept:
    """What a build keeps: the summary, each file's check, the rendered bodies, the exports' pieces."""

    summary: Summary = field(default_factory=Summary)
    checks: CheckCache = field(default_factory=CheckCache)
    bodies: dict[str, bytes] = field(default_factory=dict)  # Markdown body → sanitised HTML, zlib-packed
    fragments: dict[str, bytes] = field(default_factory=dict)  # the exports' pieces, on packed shelves (shelves.py)
    loaded: bool = False  # the build's part read (or found missing)
    saved: dict[str, int] = field(default_factory=dict)  # each file's fingerprint on disk: unchanged, not rewritten

    def tables(self) -> tuple[tuple[str, dict], ...]:
        return (("checks", self.checks.files), ("bodies", self.bodies), ("fragments", self.fragments))

    def parts(self) -> dict[str, dict]:
        """The build's part, by file: {kind-shard: {key: value}}."""
        out: dict[str, dict] = {}
        for kind, table in self.tables():
            shards: list[dict] = [{} for _ in range(SHARDS)]
            for key, value in table.items():
                shards[shard_of(key)][key] = value
            out.update((f"{kind}-{number:02d}", shard) for number, shard in enumerate(shards))
        return out

    def fingerprints(self, parts: dict[str, dict] | None = None) -> dict[str, int]:
        """Of each file: its keys (a check's value follows from its digest; a shelf of pieces and a
        packed body are known by their bytes, so that one found damaged and made again is written)."""
        prints = {"summary": hash((frozenset(self.summary.files.items()), self.summary.problems, self.summary.events))}
        if self.loaded:
            prints.update((name, fingerprint(name, table)) for name, table in (parts or self.parts()).items())
        return prints


def fingerprint(name: str, table: dict) -> int:
    """Of one file: the same keys (and, for checks, the same digests; for the pieces' shelves and the
    bodies, the same packed bytes), the same number, in any order."""
    if name.startswith("checks"):
        return sum(hash((key, value[0])) for key, value in table.items()) + len(table)
    if name.startswith(("fragments", "bodies")):
        return sum(map(hash, table.items())) + len(table)
    return sum(map(hash, table)) + len(table)


def _load(path: Path, kind: type, version: str):
    try:
        with open(path, "rb") as handle, no_collection():
            value = pickle.load(handle)  # noqa: S301 (written by this project's own runs; see above)
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign cache only makes a slower run
        return None
    ok = isinstance(value, tuple) and len(value) == 2 and value[0] == version and isinstance(value[1], kind)
    return value[1] if ok else None


def read(root: Path, version: str) -> Kept:
    """The summary of the last run (or an empty one: none, unreadable, another version, switched off)."""
    kept = Kept(Summary(version))
    if enabled():
        summary = _load(root / FOLDER / "summary.pickle", Summary, version)
        if summary is not None:
            kept.summary = summary
    kept.saved = kept.fingerprints()
    return kept


def load_build(root: Path, kept: Kept) -> None:
    """The build's part of the cache (checks, bodies, pieces), read only when a build needs it."""
    if kept.loaded:
        return
    version = kept.summary.version
    saved = {"summary": kept.saved.get("summary", 0)}
    for kind, table in kept.tables():
        for number in range(SHARDS):
            name = f"{kind}-{number:02d}"
            stored = _load(root / FOLDER / "build" / f"{name}.pickle", dict, version) if enabled() else None
            table.update(stored or {})
            saved[name] = fingerprint(name, stored or {})
    kept.loaded = True
    kept.saved = saved


def read_value(path: Path, kind: type):
    """Another file of the cache (a build's manifest): its value if it is of this code's version."""
    return _load(path, kind, code_version()) if enabled() else None


def write_value(path: Path, value: object) -> None:
    _write(path, (code_version(), value))


def _write(path: Path, value: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a cache that cannot be written is only a slower next run
        temporary.unlink(missing_ok=True)


def write(root: Path, kept: Kept) -> None:
    """Replace the files whose content changed, each in one rename."""
    if not enabled():
        return
    parts = kept.parts() if kept.loaded else {}
    now = kept.fingerprints(parts)
    version = kept.summary.version
    if kept.loaded:
        for name, table in parts.items():
            if now[name] != kept.saved.get(name):
                _write(root / FOLDER / "build" / f"{name}.pickle", (version, table))
    if now["summary"] != kept.saved.get("summary"):
        _write(root / FOLDER / "summary.pickle", (version, kept.summary))
    kept.saved = now


def event_tokens(kept: Kept) -> dict[str, bytes]:
    """Each event file's token: what its Event is made from (its bytes, and the gazetteer, the
    publishers, the archives setting and the day its check read), so what the pieces made from it
    are keyed by."""
    whole = kept.summary.whole
    if not whole:
        return {}
    shared = repr((whole[1], whole[4], whole[5], whole[6])).encode()
    return {path: hashlib.blake2b(digest + shared, digest_size=16).digest()
            for path, (_, digest) in kept.summary.files.items()}


def check_project(root: Path, kept: Kept, need_timeline: bool = True) -> tuple[Timeline | None, int, list[Diagnostic]]:
    """check.check_project with what was kept: an unchanged file is neither read nor checked, and an
    unchanged project is not checked at all when only its diagnostics are asked for (`validate`).
    Returns the timeline (None when not needed and not made), its number of events, the diagnostics."""
    seen: dict[str, tuple[Signature, bytes]] = {}
    inputs = load_project(root, kept.summary.files, seen)
    summary = kept.summary
    if not need_timeline and summary.whole and whole_key(inputs) == summary.whole:
        summary.files = seen
        return None, summary.events, list(summary.problems)
    load_build(root, kept)
    with no_collection():
        timeline, problems = check(inputs, kept.checks)
    kept.summary = Summary(summary.version, seen, whole_key(inputs), tuple(problems), len(timeline.events))
    return timeline, len(timeline.events), problems
