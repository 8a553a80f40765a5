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
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from . import dates, load
from .check import check_id
from .check import event_id as _event_id
from .fields import EVENTS
from .kinds import Reading
from .markup import _UNPRINTABLE

MAX_SUMMARY = 200  # characters of a commit's summary line kept
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    @property
    def when(self) -> float:
        """The moment, for ordering: dates with different UTC offsets do not sort as text."""
        try:
            return dt.datetime.fromisoformat(self.date).timestamp()
        except ValueError:
            return 0.0


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

    @cached_property
    def changes(self) -> list[tuple[str, Revision]]:
        """Every revision of every event, (id, revision), newest first (the pages and the feed both
        read it: sorted once)."""
        out = [(event_id, r) for event_id, revisions in self.events.items() for r in revisions]
        out += [(w.id, r) for w in self.withdrawn.values() for r in (*w.before, w.revision)]
        return sorted(out, key=lambda pair: (pair[1].when, pair[1].commit, pair[0]), reverse=True)


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, timeout=120,
                              env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                                   "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def git_head(root: Path) -> str:
    """The commit checked out (one quick git call), or "" without git."""
    out = _git(root, "rev-parse", "HEAD") if shutil.which("git") else None
    return out.decode().strip() if out else ""


def _is_event(path: str) -> bool:
    """A path git knew that could have been an event: a .md file whose name validate accepts as an
    id (anything else never had a page, and must not name one now)."""
    return path.endswith(".md") and check_id(Reading(path, [], 1), _event_id(path))


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
                summary = _UNPRINTABLE.sub("", parts[2].decode("utf-8", "replace"))[:MAX_SUMMARY]  # (XML cannot
                commits.append((parts[0].decode("ascii", "replace"), parts[1].decode("ascii", "replace"),  # carry them)
                                summary, []))
            continue
        if token.startswith(b":") and commits:
            fields = token[1:].split(b" ")
            if len(fields) < 5:
                continue
            status = fields[4].decode("ascii", "replace")
            count = 2 if status[:1] in ("R", "C") else 1
            paths = [t.decode("utf-8", "replace") for t in tokens[i:i + count]]
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

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.M)
_ANCHOR_OR_ALIAS = re.compile(r"(^|[\s\[{,:-])[&*]\S", re.M)
_FENCE = re.compile(r"^---[ \t]*$", re.M)


@dataclass
class Version:
    """An event file as a commit left it, kept as the text of each top-level key: two versions are
    compared key by key as text, and only a key whose text differs is read as YAML (libyaml's safe
    loader, one small block), so a history of many commits costs little more than reading git."""

    readable: bool
    blocks: dict[str, str] = field(default_factory=dict)
    body: str = ""
    _read: dict = field(default_factory=dict)

    def value(self, key: str):
        if key not in self._read:
            block = self.blocks.get(key)
            try:
                loaded = yaml.load(block, Loader=_FAST) if block else None  # noqa: S506 (a safe loader)
            except yaml.YAMLError:
                loaded = block
            self._read[key] = loaded.get(key) if isinstance(loaded, dict) else None
        return self._read[key]


def read_version(path: str, data: bytes) -> Version:
    """`data` split into its front matter's top-level keys and its body; unreadable when it has no
    front matter, or anchors and aliases (which could expand without end: validate refuses them)."""
    if len(data) > load.MAX_FILE_BYTES:
        return Version(False)
    try:
        text = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return Version(False)
    first = _FENCE.match(text)
    second = _FENCE.search(text, first.end()) if first else None  # (the body is not searched)
    if first is None or second is None:
        return Version(False)
    front, body = text[first.end():second.start()], text[second.end():]
    if ("&" in front or "*" in front) and _ANCHOR_OR_ALIAS.search(front):  # (the test first: a hot path)
        return Version(False)
    starts = list(_TOP_KEY.finditer(front))
    blocks = {m[1]: front[m.start():(starts[i + 1].start() if i + 1 < len(starts) else len(front))]
              for i, m in reversed(list(enumerate(starts)))}
    return Version(True, blocks, body.strip())


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _many(value) -> list[str]:
    return [_text(v) for v in value] if isinstance(value, list) else [] if value is None else [_text(value)]


def _records(value) -> list[dict]:
    return [{str(k): _text(v) for k, v in item.items()} for item in value if isinstance(item, dict)] \
        if isinstance(value, list) else []


def _human(value) -> str:
    if value is None:
        return "none"
    date = dates.parse_date(_text(value))
    return date.human() if isinstance(date, dates.PartialDate) else _text(value)


def _sources(version: Version) -> dict[tuple[str, str], dict]:
    return {(str(v.get("publisher")), str(v.get("title"))): v for v in _records(version.value("sources"))}


def title_of(version: Version) -> str | None:
    title = version.value("title") if version.readable else None
    return _text(title) if title is not None else None


def _keys_changed(a: dict, b: dict) -> list[str]:
    return ([f"{k} added" for k in b if k not in a] + [f"{k} removed" for k in a if k not in b]
            + [f"{k} edited" for k in b if k in a and a[k] != b[k]])


def _how(before, after) -> str:
    return "added" if not before else "removed" if not after else "edited"


def _list_words(noun: str, before: list[str], after: list[str]) -> list[str]:
    return [f"{noun}: {x} added" for x in after if x not in before] + \
        [f"{noun}: {x} removed" for x in before if x not in after]


def _source_words(sa: dict, sb: dict) -> list[str]:
    words = [f"source added: {p}" for (p, t) in sb if (p, t) not in sa]
    words += [f"source removed: {p}" for (p, t) in sa if (p, t) not in sb]
    return words + [f"source edited: {p} ({', '.join(_keys_changed(sa[(p, t)], v))})" for (p, t), v in sb.items()
                    if (p, t) in sa and sa[(p, t)] != v]


def _correction_words(had: dict, has: dict) -> list[str]:
    return (["correction added" for d in has if d not in had] + ["correction removed" for d in had if d not in has]
            + ["correction edited" for d in has if d in had and had[d] != has[d]])


def describe(old: Version | None, new: Version) -> tuple[str, ...]:
    """The changes from `old` to `new`, in words, in the order of the keys."""
    if old is None:
        return ("added",)
    if not new.readable:
        return ("the file could not be read in this version",)
    if not old.readable:
        return ("the file was repaired",)
    changed = {k for k in old.blocks.keys() | new.blocks.keys() if old.blocks.get(k) != new.blocks.get(k)}
    words: list[str] = []

    def differs(key: str) -> bool:
        return key in changed and old.value(key) != new.value(key)
    if differs("title"):
        words.append(f"title: {_text(old.value('title'))} → {_text(new.value('title'))}")
    for key in ("date", "end"):
        if differs(key):
            words.append(f"{key}: {_human(old.value(key))} → {_human(new.value(key))}")
    for key, noun in (("place", "place"), ("tags", "tag"), ("related", "related event")):
        if differs(key):
            words += _list_words(noun, _many(old.value(key)), _many(new.value(key)))
    if differs("sources"):
        words += _source_words(_sources(old), _sources(new))
    words += [f"{key} {_how(old.value(key), new.value(key))}" for key in ("dispute", "verification") if differs(key)]
    if differs("status"):
        words.append(f"status: {old.value('status') or 'reported'} → {new.value('status') or 'reported'}")
    if differs("corrections"):
        words += _correction_words(*({c.get("date"): c.get("note") for c in _records(v.value("corrections"))}
                                     for v in (old, new)))
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
    # Every option that changes the output is given (the repository's own config could set them).
    raw = _git(root, "-c", "core.quotePath=false", "-c", "diff.renameLimit=0", "log", "-z", "--reverse",
               "--no-abbrev", "--raw", "-M30%", "--no-show-signature", "--no-color", "--first-parent",
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
        at = Revision(commit, date, summary, ())
        steps = []
        for status, _, new_blob, paths in changes:
            paths = [p[len(prefix):] if prefix and p.startswith(prefix) else p for p in paths]
            if status == "R" and not _is_event(paths[1]):
                status, paths = "D", paths[:1]  # renamed to something that is no event: gone
            elif status == "R" and not _is_event(paths[0]):
                status, paths = "A", paths[1:]  # made an event from something that was not one
            if _is_event(paths[-1]):
                steps.append((status, new_blob, paths))
        deleted = [s for s in steps if s[0] == "D" and s[2][0] in walk.lineage]
        added = [s for s in steps if s[0] == "A"]
        if len(deleted) == 1 and len(added) == 1:  # one out, one in: a rename git did not see (heavy edits)
            steps = [s for s in steps if s not in (deleted[0], added[0])]
            steps.append(("R", added[0][1], [deleted[0][2][0], added[0][2][0]]))
        for status, new_blob, paths in steps:
            walk.step(at, status, new_blob, paths)
    walk.finish()
    return history


@dataclass
class _Walk:
    """The history, built commit by commit: which file is which event now."""

    history: History
    blobs: dict[str, bytes]
    lineage: dict[str, tuple[str, Version]] = field(default_factory=dict)  # path → (event id, last version)
    files: dict[str, int] = field(default_factory=dict)  # event id → how many files have it now

    def finish(self) -> None:
        """Each old address points at the event's address now, through any chain of renames."""
        moved = self.history.moved
        for old in list(moved):
            seen, now = {old}, moved[old]
            while now in moved and now not in seen:
                seen.add(now)
                now = moved[now]
            moved[old] = now

    def version(self, path: str, blob: str) -> Version:
        return read_version(path, self.blobs.get(blob, b""))

    def step(self, at: Revision, status: str, new_blob: str, paths: list[str]) -> None:
        """One file's change in one commit: added, modified, renamed or deleted."""
        if status == "A":
            self.added(at, paths[0], self.version(paths[0], new_blob))
        elif status == "M" and paths[0] in self.lineage:
            event_id, before = self.lineage[paths[0]]
            new = self.version(paths[0], new_blob)
            self.revised(at, paths[0], event_id, describe(before, new), "updated", new, before)
        elif status == "R" and paths[0] in self.lineage:
            self.renamed(at, paths[0], paths[1], self.version(paths[1], new_blob))
        elif status == "D" and paths[0] in self.lineage:
            self.deleted(at, paths[0])

    def added(self, at: Revision, path: str, new: Version) -> None:
        event_id = _event_id(path)
        gone = self.history.withdrawn.pop(event_id, None)
        if gone is not None:  # an id used again: its past stays, and the event says it was restored
            self.history.events[event_id] = [*gone.before, gone.revision]
            self.revised(at, path, event_id, ("restored",), "added", new)
            return
        self.history.events[event_id] = []
        self.revised(at, path, event_id, describe(None, new), "added", new)

    def revised(self, at: Revision, path: str, event_id: str, words: tuple[str, ...], kind: str, new: Version,
                before: Version | None = None) -> None:
        self.history.events.setdefault(event_id, []).append(Revision(at.commit, at.date, at.summary, words, kind))
        if path not in self.lineage:
            self.files[event_id] = self.files.get(event_id, 0) + 1
        self.lineage[path] = (event_id, new)
        if before is None or event_id not in self.history.titles or before.blocks.get("title") != new.blocks.get("title"):
            title = title_of(new)  # (read only when its text changed: most commits change something else)
            if title:
                self.history.titles[event_id] = title

    def renamed(self, at: Revision, old_path: str, new_path: str, new: Version) -> None:
        history = self.history
        old_id, before = self.lineage.pop(old_path)
        new_id = _event_id(new_path)
        words = describe(before, new)
        if old_id != new_id:  # a new address: the old one redirects to it, and so do those before it
            words = (f"renamed from {old_id}",) + tuple(w for w in words if not w.startswith("format only"))
            history.events[new_id] = history.events.pop(old_id, [])
            history.moved[old_id] = new_id  # (chains are followed once, at the end)
            history.moved.pop(new_id, None)  # an address moved back to: it is the event's again
        self.files[old_id] -= 1
        self.revised(at, new_path, new_id, words, "renamed", new, before)

    def deleted(self, at: Revision, path: str) -> None:
        event_id, _ = self.lineage.pop(path)
        self.files[event_id] -= 1
        if self.files[event_id] > 0:
            return  # another file has that id still
        before = tuple(self.history.events.pop(event_id, []))
        revision = Revision(at.commit, at.date, at.summary, ("withdrawn",), "withdrawn")
        self.history.withdrawn[event_id] = Withdrawn(event_id, self.history.titles.get(event_id, event_id), revision,
                                                     before)



# ---------------------------------------------------------------- published corrections stay

def _corrections(path: str, data: bytes) -> list[tuple[str, str, int]]:
    """(date, note, line) of each well-formed correction of an event file, read as validate reads it."""
    doc = load.parse_event(path, data)
    if not doc.ok:
        return []
    values = EVENTS.read(Reading(path, [], 2), doc.entries, 1)
    return [(c["date"].iso(), c["note"], line) for c, _, line in values.get("corrections") or []
            if c.get("date") and c.get("note")]


def check_corrections(root: Path, base: str, current: dict[str, tuple[str, bytes]]) -> list:
    """A pull request may add corrections, never remove or edit a published one: compared with the
    event files at `base` (the target branch). `current`: event id → (path, bytes) as the pull
    request has them. A file renamed since `base` is followed; an event deleted with published
    corrections is an error too (its corrections would be gone with it)."""
    from .diagnostics import error
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", base)
    prefix = (_git(root, "rev-parse", "--show-prefix") or b"").decode().strip()
    if listing is None:
        return [error("events", 1, f"cannot read the target branch {base!r}: fetch it first "
                      f"(git fetch origin {base.split('/')[-1]})", "correction-changed")]
    entries = []  # (path, blob id), from "mode type id\tpath" records
    for record in listing.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        path = name.decode("utf-8", "replace")
        fields = meta.split(b" ")
        if len(fields) == 3 and fields[1] == b"blob" and path.startswith(prefix + "events/") and _is_event(path):
            entries.append((path[len(prefix):], fields[2].decode()))
    renames = {}
    diff = _git(root, "-c", "diff.renameLimit=0", "diff", "-z", "--name-status", "-M30%", "--no-color", base,
                "--", "events") or b""
    tokens = diff.split(b"\0")
    for i, token in enumerate(tokens):
        if token[:1] == b"R" and i + 2 < len(tokens):
            renames[_event_id(tokens[i + 1].decode("utf-8", "replace"))] = _event_id(tokens[i + 2].decode("utf-8", "replace"))
    blobs = _blobs(root, [blob for _, blob in entries])
    problems = []
    for path, blob in entries:
        published = _corrections(path, blobs.get(blob, b""))
        if not published:
            continue
        event_id = renames.get(_event_id(path), _event_id(path))
        if event_id not in current:
            problems.append(error(path, 1, f"the event {_event_id(path)!r} has published corrections and was "
                                  "deleted: withdraw it with status 'retracted' and a correction instead",
                                  "correction-changed", "restore the file, set 'status: retracted' and add a "
                                  "correction saying why"))
            continue
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
