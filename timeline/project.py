"""Reading a project folder, safely: which files make the timeline, and their bytes.

Everything the build reads comes from a pull request, and git carries symbolic links, pipes are a
`mkfifo` away and /dev/zero never ends. So every file is checked before it is opened: it must be a
regular file whose real path lies inside the project (nothing from elsewhere on the machine is
read, printed or published), it is opened without following a last-moment link and without
waiting on a pipe, and never more than the size limit and one byte is read of it. Inside
events/, links are refused altogether (an id is a file name: a link would be a second name).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from functools import partial
from pathlib import Path

import yaml

from .diagnostics import Diagnostic, error, warning
from .load import MAX_FILE_BYTES, Inputs, SourceFile, printable, too_large
from .settings import SettingsError, read_settings

TOP_FILES = ("places.yml", "periods.yml", "publishers.yml")


def inside(root: Path, path: Path | str) -> bool:
    """Whether `path`, with every link followed, lies inside the folder `root`."""
    real_root, real = os.path.realpath(root), os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def read_file(root: Path, path: Path | str, name: str, limit: int = MAX_FILE_BYTES,
              scanned: bool = False) -> bytes | Diagnostic:
    """The bytes of the project file `path` (at most limit + 1 of them, so that a size check can
    see it is too large), or the diagnostic saying why it is not read; `name` names it in messages.
    `scanned`: found by scan_event_files, which refused every link on the way to it."""
    rel = name
    if not scanned and not inside(root, path):
        return error(rel, 1, f"{rel} is a symbolic link to a file outside the project",
                     "symlink", "replace the link with the file itself")
    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path if scanned else os.path.realpath(path), flags)
    except OSError as exc:
        return error(rel, 1, f"cannot read file: {exc.strerror}", "unreadable")
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return error(rel, 1, "not a regular file (a pipe, a socket or a device)", "special-file",
                         "replace it with a plain text file")
        if info.st_size > limit:
            return too_large(rel, info.st_size)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return error(rel, 1, f"cannot read file: {exc.strerror}", "unreadable")
    finally:
        os.close(descriptor)


def outside(root: Path, paths) -> list[str]:
    """The paths (files MkDocs would read: hand-written pages, theme overrides) that are links to
    something outside the project, as they are named inside it."""
    return sorted(os.path.relpath(path, root) for path in paths if not inside(root, Path(path)))


Signature = tuple[int, int, int, int]  # a file's size, modification and change times, inode


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def load_project(root: Path, known: dict[str, tuple[Signature, bytes]] | None = None,
                 seen: dict[str, tuple[Signature, bytes]] | None = None, defer: bool = False) -> Inputs:
    """Read every event file, places.yml and periods.yml of a project, in a fixed order.
    `known`: {file: (signature, digest)} from the build cache; a file with the same signature now is
    not read (unless its check must run again). `seen` gets every event file's signature and digest.
    `defer`: event files are read only when checked, so that each of the two processes checking
    them reads its own (a cold `validate`); one that cannot be read then gives its diagnostic there."""
    found, problems = scan_event_files(root, root / "events")
    events = []
    for path, rel in found:
        if defer:
            events.append(SourceFile(rel, b"", reread=partial(read_file, root, path, rel, scanned=True)))
            continue
        if known is not None and rel in known:
            try:
                info = os.lstat(path)
                now = signature(info) if stat.S_ISREG(info.st_mode) else None
            except OSError:
                now = None
            if now is not None and known[rel][0] == now:
                digest = known[rel][1]
                events.append(SourceFile(rel, b"", digest, partial(_read_again, root, path, rel)))
                if seen is not None:
                    seen[rel] = (now, digest)
                continue
        data = read_file(root, path, rel, scanned=True)
        if isinstance(data, Diagnostic):
            problems.append(data)
        elif seen is None:
            events.append(SourceFile(rel, data))
        else:  # hashed once, for the cache and for the check's own key
            digest = hashlib.blake2b(data, digest_size=16).digest()
            events.append(SourceFile(rel, data, digest))
            try:
                seen[rel] = (signature(os.lstat(path)), digest)
            except OSError:
                pass
    top: list[SourceFile | None] = []
    for name in TOP_FILES:
        content = read_file(root, root / name, name) if os.path.lexists(root / name) else None
        if isinstance(content, Diagnostic):
            problems.append(content)
        top.append(SourceFile(name, content) if isinstance(content, bytes) else None)
    return Inputs(tuple(events), top[0], top[1], tuple(problems), today(), archive_policy(root), top[2])


def _read_again(root: Path, path: str, rel: str) -> bytes:
    """The file, read if its check must run again after all (an unreadable file reads as empty)."""
    data = read_file(root, path, rel, scanned=True)
    return data if isinstance(data, bytes) else b""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: its tags (!ENV, !!python/name:…) read as nothing, never run."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_dir(root: Path) -> str:
    """mkdocs.yml's site_dir (site by default), read without MkDocs."""
    path = root / "mkdocs.yml"
    data = read_file(root, path, "mkdocs.yml") if os.path.lexists(path) else None
    try:
        config = yaml.load(data.decode("utf-8"), Loader=_ConfigLoader) if isinstance(data, bytes) else None  # noqa: S506
        value = config.get("site_dir") if isinstance(config, dict) else None
    except (yaml.YAMLError, UnicodeDecodeError):
        value = None
    return value if isinstance(value, str) and value else "site"


def archive_policy(root: Path) -> str:
    """What mkdocs.yml's `extra: timeline: archives:` asks of sources without an archived copy. A bad
    value counts as unset here: the build refuses it with its own message."""
    path = root / "mkdocs.yml"
    data = read_file(root, path, "mkdocs.yml") if os.path.lexists(path) else None
    if not isinstance(data, bytes):
        return ""
    try:
        config = yaml.load(data.decode("utf-8"), Loader=_ConfigLoader)  # noqa: S506 (a safe loader)
        return read_settings((config.get("extra") or {}).get("timeline")).archives
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError, SettingsError):
        return ""


def today() -> dt.date:
    """The day a check runs on (UTC): SOURCE_DATE_EPOCH's, when it is set, so that a reproducible
    build is reproducible in its warnings too."""
    try:
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc).date()
    except (KeyError, ValueError, OverflowError, OSError):  # unset, or not a time MkDocs could use either
        return dt.datetime.now(dt.timezone.utc).date()


def scan_event_files(root: Path, events_dir: Path) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """Every *.md under events/ as (its path, its name relative to the root), in a fixed order, refusing
    links (they could point anywhere) and anything that is not a regular file."""
    found: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    if events_dir.is_symlink() and not inside(root, events_dir):
        return found, [error("events", 1, "events/ is a symbolic link to a folder outside the project", "symlink",
                             "replace the link with a real folder")]
    if not events_dir.is_dir():
        return found, problems
    prefix = len(str(root)) + 1
    folders = [events_dir]
    while folders:
        folder = folders.pop()
        try:
            _scan_folder(folder, prefix, folders, found, problems)
        except OSError as exc:  # unreadable, or changed while we looked
            rel = printable(str(folder)[prefix:].replace(os.sep, "/")) or "events"
            problems.append(error(rel, 1, f"cannot read: {exc.strerror or exc}", "unreadable"))
    found.sort(key=lambda f: f[1])
    return found, problems


def _scan_folder(folder: Path, prefix: int, folders: list[Path], found: list[tuple[str, str]],
                 problems: list[Diagnostic]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = printable(entry.path[prefix:].replace(os.sep, "/"))
            if entry.is_symlink():
                kind = "symlinked folders are not" if os.path.isdir(entry.path) else "symlinks are not"
                hint = "replace the link with a real folder" if kind.startswith("symlinked") \
                    else "replace the link with the file itself"
                problems.append(error(rel, 1, f"{kind} allowed in events/", "symlink", hint))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif not entry.name.endswith(".md"):
                problems.append(warning(rel, 1, "not an event file (event files end in .md); ignored", "not-markdown"))
            elif entry.is_file(follow_symlinks=False):
                found.append((entry.path, rel))
            else:
                problems.append(error(rel, 1, "not a regular file (a pipe, a socket or a device)", "special-file",
                                      "replace it with a plain text file"))
