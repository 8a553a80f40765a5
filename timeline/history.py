"""What changed, when and why, for every event: read from git in one pass over the history of
events/ (one `git log`, one `git cat-file --batch`), never a process per file.

A revision is described field by field in words ("date: February 2020 → 5 February 2020", "source
added: DW", "text edited"), from the event file as each commit left it. Renames are followed (the
event keeps its history and its old address redirects); a deleted file leaves a withdrawn event.
Commit messages are untrusted: they are data here, escaped wherever they are shown. Without git, or
in a shallow clone, there is no history and the site says so.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import load
from .fields import EVENTS
from .kinds import Reading

MAX_SUMMARY = 200  # characters of a commit's summary line kept


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # the commit's date, ISO 8601 with its offset
    summary: str  # the commit message's first line
    changes: tuple[str, ...]  # in words; ("added",) for the first
    kind: str = "updated"  # "added", "updated", "renamed", "withdrawn"

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class Withdrawn:
    """An event whose file was deleted: its page says so, and when and why."""

    id: str
    title: str
    revision: Revision  # the deletion
    before: tuple[Revision, ...] = ()  # its revisions until then


@dataclass
class History:
    available: bool = False
    shallow: bool = False
    events: dict[str, list[Revision]] = field(default_factory=dict)  # current id → its revisions, oldest first
    moved: dict[str, str] = field(default_factory=dict)  # old id → the id it has now
    withdrawn: dict[str, Withdrawn] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # id (current or gone) → its last title
    head: str = ""  # the commit read: a history is kept while it is the same
    repo_url: str = ""  # mkdocs.yml's repo_url: revisions link to their commits there

    def changes(self) -> list[tuple[str, Revision]]:
        """Every revision of every event, (id, revision), newest first."""
        out = [(event_id, r) for event_id, revisions in self.events.items() for r in revisions]
        out += [(w.id, r) for w in self.withdrawn.values() for r in (*w.before, w.revision)]
        return sorted(out, key=lambda pair: (pair[1].date, pair[1].commit, pair[0]), reverse=True)


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, timeout=120,
                              env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def git_head(root: Path) -> str:
    """The commit checked out (one quick git call), or "" without git."""
    out = _git(root, "rev-parse", "HEAD") if shutil.which("git") else None
    return out.decode().strip() if out else ""


def _event_id(path: str) -> str:
    return Path(path).stem


def _parse_log(raw: bytes) -> list[tuple[str, str, str, list[tuple[str, str, str, list[str]]]]]:
    """`git log -z --raw --format=%x01%H%x1f%cI%x1f%s` → [(commit, date, summary, [(status, old blob,
    new blob, paths)])], read token by token (a summary may hold any character but NUL)."""
    tokens = raw.split(b"\0")
    commits: list = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x01"):
            parts = token[1:].split(b"\x1f", 2)
            if len(parts) == 3:
                commits.append((parts[0].decode("ascii", "replace"), parts[1].decode("ascii", "replace"),
                                parts[2].decode("utf-8", "replace")[:MAX_SUMMARY], []))
            continue
        if token.startswith(b":") and commits:
            fields = token[1:].split(b" ")
            if len(fields) < 5:
                continue
            status = fields[4].decode("ascii", "replace")
            count = 2 if status[:1] in ("R", "C") else 1
            paths = [t.decode("utf-8", "surrogateescape") for t in tokens[i:i + count]]
            i += count
            commits[-1][3].append((status[:1], fields[2].decode(), fields[3].decode(), paths))
    return commits


def _blobs(root: Path, ids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs, from one `git cat-file --batch`."""
    if not ids:
        return {}
    out = _git(root, "cat-file", "--batch", data="".join(f"{b}\n" for b in ids).encode())
    return dict(zip(ids, _batch(out or b""), strict=False))


# ---------------------------------------------------------------- a version of a file, in words

@dataclass(frozen=True)
class Version:
    """What a reader would see change between two versions of an event file."""

    readable: bool
    values: dict = field(default_factory=dict)
    body: str = ""


def read_version(path: str, data: bytes) -> Version:
    doc = load.parse_event(path, data)
    if not doc.ok:
        return Version(False)
    values = EVENTS.read(Reading(path, [], 2), doc.entries, 1)
    return Version(True, values, doc.body.strip())


def _human(date) -> str:
    return date.human() if date is not None else "none"


def _names(values: dict, key: str) -> list[str]:
    return [item for item, _ in values.get(key) or []]


def _sources(values: dict) -> dict[tuple[str, str], dict]:
    return {(str(v.get("publisher")), str(v.get("title"))): v for v, _, _ in values.get("sources") or []}


def _keys_changed(a: dict, b: dict) -> list[str]:
    return ([f"{k} added" for k in b if k not in a] + [f"{k} removed" for k in a if k not in b]
            + [f"{k} edited" for k in b if k in a and a[k] != b[k]])


def describe(old: Version | None, new: Version) -> tuple[str, ...]:
    """The changes from `old` to `new`, in words, in the order of the keys."""
    if old is None:
        return ("added",)
    if not new.readable:
        return ("the file could not be read in this version",)
    if not old.readable:
        return ("the file was repaired",)
    a, b = old.values, new.values
    words: list[str] = []
    if a.get("title") != b.get("title"):
        words.append(f"title: {a.get('title')!s} → {b.get('title')!s}")
    for key in ("date", "end"):
        if a.get(key) != b.get(key):
            words.append(f"{key}: {_human(a.get(key))} → {_human(b.get(key))}")
    for key, noun in (("place", "place"), ("tags", "tag"), ("related", "related event")):
        before, after = _names(a, key), _names(b, key)
        words += [f"{noun}: {x} added" for x in after if x not in before]
        words += [f"{noun}: {x} removed" for x in before if x not in after]
    sa, sb = _sources(a), _sources(b)
    words += [f"source added: {p}" for (p, t) in sb if (p, t) not in sa]
    words += [f"source removed: {p}" for (p, t) in sa if (p, t) not in sb]
    for (p, t), v in sb.items():
        if (p, t) in sa and sa[(p, t)] != v:
            words.append(f"source edited: {p} ({', '.join(_keys_changed(sa[(p, t)], v))})")
    for key in ("dispute", "verification"):
        if a.get(key) != b.get(key):
            words.append(f"{key} {'added' if not a.get(key) else 'removed' if not b.get(key) else 'edited'}")
    if (a.get("status") or "reported") != (b.get("status") or "reported"):
        words.append(f"status: {a.get('status') or 'reported'} → {b.get('status') or 'reported'}")
    corrections_a = [c for c, _, _ in a.get("corrections") or []]
    words += ["correction added" for c in [c for c, _, _ in b.get("corrections") or []] if c not in corrections_a]
    if old.body != new.body:
        words.append("text edited")
    return tuple(words) or ("format only (no change a reader would see)",)


# ---------------------------------------------------------------- the whole history

def read_history(root: Path, events_dir: str = "events") -> History:
    """The history of every event file under `events_dir`, following renames; an empty, unavailable
    History without git or git history."""
    if shutil.which("git") is None:
        return History()
    top = _git(root, "rev-parse", "--show-prefix")
    head = _git(root, "rev-parse", "HEAD")
    if top is None or head is None:
        return History()
    prefix = top.decode("utf-8", "surrogateescape").strip()
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    raw = _git(root, "-c", "core.quotePath=false", "log", "-z", "--reverse", "--no-abbrev", "--raw", "-M",
               "--format=%x01%H%x1f%cI%x1f%s", "--", events_dir)
    if raw is None:
        return History()
    commits = _parse_log(raw)
    wanted = sorted({blob for *_, changes in commits for _, old, new, _ in changes for blob in (old, new)
                     if blob.strip("0")})
    blobs = _blobs(root, wanted)
    history = History(available=not shallow, shallow=shallow, head=head.decode().strip())
    walk = _Walk(history, blobs)
    for commit, date, summary, changes in commits:
        for status, _, new_blob, paths in changes:
            paths = [p[len(prefix):] if prefix and p.startswith(prefix) else p for p in paths]
            if paths[-1].endswith(".md"):
                walk.step(Revision(commit, date, summary, ()), status, new_blob, paths)
    return history


@dataclass
class _Walk:
    """The history, built commit by commit: which file is which event now."""

    history: History
    blobs: dict[str, bytes]
    lineage: dict[str, tuple[str, Version]] = field(default_factory=dict)  # path → (event id, last version)

    def version(self, path: str, blob: str) -> Version:
        return read_version(path, self.blobs.get(blob, b""))

    def step(self, at: Revision, status: str, new_blob: str, paths: list[str]) -> None:
        """One file's change in one commit: added, modified, renamed or deleted."""
        if status == "A":
            self.added(at, paths[0], self.version(paths[0], new_blob))
        elif status == "M" and paths[0] in self.lineage:
            event_id, before = self.lineage[paths[0]]
            new = self.version(paths[0], new_blob)
            self.revised(at, paths[0], event_id, describe(before, new), "updated", new)
        elif status == "R" and paths[0] in self.lineage:
            self.renamed(at, paths[0], paths[1], self.version(paths[1], new_blob))
        elif status == "D" and paths[0] in self.lineage:
            self.deleted(at, paths[0])

    def added(self, at: Revision, path: str, new: Version) -> None:
        event_id = _event_id(path)
        self.history.withdrawn.pop(event_id, None)  # (an id used again)
        self.history.events[event_id] = []
        self.revised(at, path, event_id, describe(None, new), "added", new)

    def revised(self, at: Revision, path: str, event_id: str, words: tuple[str, ...], kind: str, new: Version) -> None:
        self.history.events.setdefault(event_id, []).append(Revision(at.commit, at.date, at.summary, words, kind))
        self.lineage[path] = (event_id, new)
        if new.readable and new.values.get("title"):
            self.history.titles[event_id] = new.values["title"]

    def renamed(self, at: Revision, old_path: str, new_path: str, new: Version) -> None:
        history = self.history
        old_id, before = self.lineage.pop(old_path)
        new_id = _event_id(new_path)
        words = describe(before, new)
        if old_id != new_id:  # a new address: the old one redirects to it, and so do those before it
            words = (f"renamed from {old_id}",) + tuple(w for w in words if not w.startswith("format only"))
            history.events[new_id] = history.events.pop(old_id, [])
            history.moved = {old: (new_id if now == old_id else now) for old, now in history.moved.items()}
            history.moved[old_id] = new_id
        self.revised(at, new_path, new_id, words, "renamed", new)

    def deleted(self, at: Revision, path: str) -> None:
        event_id, _ = self.lineage.pop(path)
        if any(i == event_id for i, _ in self.lineage.values()):
            return  # another file has that id still
        before = tuple(self.history.events.pop(event_id, []))
        revision = Revision(at.commit, at.date, at.summary, ("withdrawn",), "withdrawn")
        self.history.withdrawn[event_id] = Withdrawn(event_id, self.history.titles.get(event_id, event_id), revision,
                                                     before)


def day_of(revision: Revision) -> dt.date:
    return dt.date.fromisoformat(revision.day)


# ---------------------------------------------------------------- published corrections stay

def _corrections(path: str, data: bytes) -> list[tuple[str, str, int]]:
    """(date, note, line) of each well-formed correction of an event file."""
    version = read_version(path, data)
    if not version.readable:
        return []
    return [(values["date"].iso(), values["note"], line) for values, _, line in version.values.get("corrections") or []
            if values.get("date") and values.get("note")]


def check_corrections(root: Path, base: str, current: dict[str, tuple[str, bytes]]) -> list:
    """A pull request may add corrections, never remove or edit a published one: compared with the
    event files at `base` (the target branch). `current`: event id → (path, bytes) as the pull
    request has them. Renames since `base` are followed."""
    from .diagnostics import error
    listing = _git(root, "-c", "core.quotePath=false", "ls-tree", "-r", "-z", "--full-tree", "--name-only", base)
    prefix = (_git(root, "rev-parse", "--show-prefix") or b"").decode().strip()
    if listing is None:
        return [error("events", 1, f"cannot read the target branch {base!r}: fetch it first "
                      f"(git fetch origin {base.split('/')[-1]})", "correction-changed")]
    paths = [p for p in listing.decode("utf-8", "surrogateescape").split("\0")
             if p.startswith(prefix + "events/") and p.endswith(".md")]
    moved = read_history(root).moved
    found = _git(root, "cat-file", "--batch", data="".join(f"{base}:{p}\n" for p in paths).encode()) or b""
    blobs = _batch(found)
    problems = []
    for path, data in zip(paths, blobs, strict=False):
        published = _corrections(path, data)
        if not published:
            continue
        event_id = _event_id(path)
        event_id = moved.get(event_id, event_id)
        if event_id not in current:
            continue  # withdrawn: its page says so
        now_path, now_data = current[event_id]
        now = _corrections(now_path, now_data)
        for date, note, _ in published:
            same_day = [(n, line) for d, n, line in now if d == date]
            if any(n == note for n, _ in same_day):
                continue
            if same_day:
                problems.append(error(now_path, same_day[0][1], f"the published correction of {date} was edited; "
                                      "a correction stays as published (add a new one)", "correction-changed",
                                      f"restore its note: {note!r}"))
            else:
                problems.append(error(now_path, 1, f"the published correction of {date} was removed; a correction "
                                      "stays as published", "correction-changed",
                                      f"restore it: '- date: {date}' with 'note: {note}'"))
    return problems


def _batch(out: bytes) -> list[bytes]:
    """The blobs of a `git cat-file --batch` answer, in the order asked (a missing one: empty)."""
    found, at = [], 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) < 3:
            found.append(b"")
            continue
        size = int(header[2])
        found.append(out[at:at + size])
        at += size + 1
    return found
