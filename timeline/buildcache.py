"""What one run keeps for the next, in .timeline-cache/ (ignored by git; CI keeps it with
actions/cache), so that a run after a small edit redoes only what the edit changed:

- summary.pickle: each event file's signature (size, times, inode) and digest, so that an
  unchanged file is not even read; and the last check's key and diagnostics, so that `validate`
  of an unchanged project reads nothing else;
- build.pickle: each event file's check result, keyed by its bytes, and each body rendered as HTML.

Whatever is kept is a pure function of its key and of the code: the cache is tied to a digest of
this package's sources and of the versions of the libraries that shape the output, and anything
unreadable or from another version is ignored. Deleting it changes nothing but the time taken.

The files are Python's pickle, written and read by this project's own runs only. Never restore a
cache made by code you would not run anyway (CI's caches are per branch; a fork cannot write main's).
"""
from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import os
import pickle
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckCache, check, whole_key
from .diagnostics import Diagnostic
from .model import Timeline
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


@dataclass
class Kept:
    """What a build keeps: the summary, each file's check, the rendered bodies."""

    summary: Summary = field(default_factory=Summary)
    checks: CheckCache = field(default_factory=CheckCache)
    bodies: dict[str, str] = field(default_factory=dict)  # Markdown body → sanitised HTML
    loaded: bool = False  # build.pickle read (or found missing): checks and bodies are what it held
    saved: tuple[int, int] = (0, 0)  # fingerprints of what is on disk, so that nothing unchanged is written

    def fingerprints(self) -> tuple[int, int]:
        summary = hash((frozenset(self.summary.files.items()), self.summary.problems, self.summary.events))
        return summary, hash(frozenset(self.bodies)) if self.loaded else 0


@contextmanager
def no_collection():
    """Unpickling builds a great many objects at once: the collector would only walk them again and again."""
    enabled_before = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled_before:
            gc.enable()


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
    """The checks and bodies of the last build, read only when a build needs them."""
    if kept.loaded:
        return
    stored = _load(root / FOLDER / "build.pickle", tuple, kept.summary.version) if enabled() else None
    if stored is not None and len(stored) == 2 and isinstance(stored[0], CheckCache) and isinstance(stored[1], dict):
        kept.checks, kept.bodies = stored
    kept.loaded = True
    kept.saved = (kept.saved[0], kept.fingerprints()[1])


def _write(path: Path, value: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a cache that cannot be written is only a slower next run
        temporary.unlink(missing_ok=True)


def write(root: Path, kept: Kept) -> None:
    """Replace what changed, each file in one rename."""
    if not enabled():
        return
    now = kept.fingerprints()
    if kept.loaded and now[1] != kept.saved[1] or kept.loaded and now[0] != kept.saved[0]:
        checks = CheckCache(kept.checks.files)  # not its last whole result: the summary holds that
        _write(root / FOLDER / "build.pickle", (kept.summary.version, (checks, kept.bodies)))
    if now[0] != kept.saved[0]:
        _write(root / FOLDER / "summary.pickle", (kept.summary.version, kept.summary))
    kept.saved = now


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
