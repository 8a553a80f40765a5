"""Putting a finished build in place, so that site/ is never half-written.

Each build is made in a folder of its own beside site/ (.site.builds/<stamp>/), and site/ is a
symbolic link to the last complete one. Publishing a build is one rename of a new link over the
old: at every instant site/ is the old site or the new one, even if the process is killed (a
plain folder cannot be swapped in one step). A lock keeps two builds apart, and whatever killed
builds left behind is removed by the next one. Static hosts and the CI artifact read through the
link (GitHub's upload actions dereference it).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import TextIO


def marker(build: Path) -> Path:
    """Beside a build folder once MkDocs has finished it (not inside: the site would publish it)."""
    return build.with_name(build.name + ".complete")


def _order(build: Path) -> int:
    try:
        return int(marker(build).read_text(encoding="utf-8") or 0)
    except (OSError, ValueError):
        return 0


def complete_builds(site: Path) -> list[Path]:
    """The finished builds, oldest first: each marker holds a number larger than any before it."""
    done = [p for p in builds_folder(site).glob("*") if p.is_dir() and marker(p).exists()]
    return sorted(done, key=lambda p: (_order(p), p.name))


def mark(site: Path, build: Path) -> None:
    """Mark `build` finished, after every build finished so far."""
    number = max([time.time_ns(), *(_order(p) + 1 for p in complete_builds(site))])
    marker(build).write_text(str(number), encoding="utf-8")


class SiteBusy(Exception):
    """Another build holds the lock on this site folder."""


def builds_folder(site: Path) -> Path:
    return site.parent / f".{site.name}.builds"


class Lock:
    """An exclusive lock beside site/, held for one build; released when the process ends, however."""

    def __init__(self, site: Path):
        self.site = site
        self.path = site.parent / f".{site.name}.lock"
        self.handle: TextIO | None = None

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SiteBusy(f"another build is writing {self.site} ({holder}): wait for it to finish, "
                           "or stop it") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}\n")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def new_build(site: Path) -> Path:
    """An empty folder for the next build, readable by a web server (755, as `mkdocs build` makes)."""
    builds = builds_folder(site)
    builds.mkdir(parents=True, exist_ok=True)
    # To the nanosecond: a name is never given twice, even to a build of the same second in the same
    # process after an older one of that second was removed.
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    for number in range(1000):
        folder = builds / f"{stamp}-{number}"
        try:
            folder.mkdir(mode=0o755)
        except FileExistsError:
            continue  # a build of this same second
        os.chmod(folder, 0o755)  # whatever the umask
        return folder
    raise FileExistsError(f"{builds}: too many builds started at {stamp}")


def publish(site: Path, build: Path) -> None:
    """Make `site` the finished `build`, in one rename."""
    link = site.parent / f".{site.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(build, site.parent), link)
    if site.is_dir() and not site.is_symlink():
        # A plain folder (a site from before, or from plain `mkdocs build`): moved aside once, in the
        # builds folder, where `recover` finds it should anything stop before the link is in place.
        aside = builds_folder(site) / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-before"
        os.replace(site, aside)
        mark(site, aside)
    mark(site, build)  # after the one aside: recover takes the newest
    os.replace(link, site)
    tidy(site)


def recover(site: Path) -> None:
    """If a build was killed mid-swap and site/ is missing, point it at the newest complete build."""
    if os.path.lexists(site):
        return
    complete = complete_builds(site)
    if complete:
        link = site.parent / f".{site.name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(complete[-1], site.parent), link)
        os.replace(link, site)


def current(site: Path) -> Path | None:
    return Path(os.path.realpath(site)) if site.is_symlink() else None


def tidy(site: Path, keep: int = 2) -> None:
    """Remove what earlier builds left: unfinished build folders (a killed build), complete ones but
    the newest `keep` (the site and the one before, which a reader may still be loading pages of),
    stray links and the temporary folders of earlier versions of this tool. Call with the lock held."""
    remove(doomed(site, keep))
    for entry in builds_folder(site).glob("*.complete"):
        if not entry.with_name(entry.name[:-len(".complete")]).is_dir():
            entry.unlink(missing_ok=True)
    for stray in site.parent.glob(f".{site.name}.link-*"):
        stray.unlink(missing_ok=True)
    for old in (*site.parent.glob(f".{site.name}.tmp-*"), *site.parent.glob(f".{site.name}.old-*")):
        shutil.rmtree(old, ignore_errors=True)


def doomed(site: Path, keep: int = 2) -> list[Path]:
    """The build folders tidy(site, keep) removes."""
    live = current(site)
    kept = {p.resolve() for p in complete_builds(site)[-keep:]} | ({live} if live else set())
    return [entry for entry in builds_folder(site).glob("*") if entry.is_dir() and entry.resolve() not in kept]


def superseded(site: Path) -> list[Path]:
    """The finished builds older than the one the site is: the next tidy removes them whatever
    happens, and a build may take the newest (recycle). With the lock held: a build that holds it may
    be making its folder from one of them."""
    live = current(site)
    if live is None:
        return []
    finished = [p.resolve() for p in complete_builds(site)]
    return finished[:finished.index(live)] if live in finished else []


def recycle(site: Path) -> Path | None:
    """The newest finished build older than the site's own, taken out of the finished builds (its
    marker removed, then the folder renamed as unfinished), for the next build to reuse its folders
    and the files it shares with the site (`refill`); None if there is none. With the lock held: the
    removal of the older ones (cmd_build) leaves the newest for this."""
    old = superseded(site)
    if not old:
        return None
    folder = old[-1]
    taken = folder.with_name(f"{folder.name}-recycled-{os.getpid()}")
    try:
        marker(folder).unlink(missing_ok=True)
        os.rename(folder, taken)
    except OSError:
        return None
    return taken


def refill(recycled: Path, build: Path, keep: set[str], live: Path) -> tuple[set[str], set[str]]:
    """Move into `build` (empty: MkDocs has just cleaned it) the folders of `recycled`, keeping only
    the files in `keep` (paths in the site) that are the very files of the `live` build (hard links
    of one another); every other file goes, so nothing this build writes can reach a file the site
    shares. Removing a file and making a folder are what a build of 10,000 pages spends its seconds
    on; a file is kept here for one stat. Returns (the files kept, the folders files were removed
    from: `prune` removes those the build left empty)."""
    kept: set[str] = set()
    emptied: set[str] = set()
    device = os.stat(recycled).st_dev

    def walk(folder: str) -> None:
        with os.scandir(recycled / folder if folder else recycled) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    walk(rel)
                    continue
                if rel in keep and entry.is_file(follow_symlinks=False):
                    try:
                        there = os.stat(live / rel, follow_symlinks=False)
                        if (there.st_dev, there.st_ino) == (device, entry.inode()):
                            kept.add(rel)
                            continue
                    except OSError:
                        pass
                os.unlink(entry.path)
                emptied.add(folder)

    walk("")
    moved = set()
    for name in os.listdir(recycled):
        try:
            os.rename(recycled / name, build / name)
            moved.add(name)
        except OSError:  # left behind, and removed below: what it held is made again
            pass
    shutil.rmtree(recycled, ignore_errors=True)
    return ({rel for rel in kept if rel.split("/", 1)[0] in moved},
            {rel for rel in emptied if rel.split("/", 1)[0] in moved})


def prune(build: Path, emptied: set[str]) -> None:
    """Remove the folders of `emptied` (and their parents) that the build left empty."""
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(build / folder)
            except OSError:  # not empty, or gone with a child already
                break
            folder = folder.rpartition("/")[0]


def remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def discard(build: Path) -> None:
    shutil.rmtree(build, ignore_errors=True)


def search_languages(config) -> set[str]:
    """The languages the theme's search is set to (the site's language unless told otherwise)."""
    plugin = config.plugins.get("search") if hasattr(config, "plugins") else None
    langs = (plugin.config.get("lang") if plugin is not None else None) or [config.theme.get("language") or "en"]
    return {str(lang) for lang in ([langs] if isinstance(langs, str) else langs)}


def prune_theme_files(site: Path, languages: set[str]) -> list[str]:
    """Remove what the theme ships and the site never loads: source maps (they only serve the theme's
    developers) and the search's support for languages the site's search is not set to. Returns
    what went, relative to the site."""
    gone = []
    lunr = site / "assets" / "javascripts" / "lunr"
    keep = {f"lunr.{lang}.min.js" for lang in languages}
    if languages - {"en"}:
        keep |= {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
    if "ja" in languages:
        keep.add("tinyseg.js")
    if "th" in languages:
        keep.add("wordcut.js")
    candidates = [*sorted((site / "assets").rglob("*.map"))]
    if lunr.is_dir():
        candidates += [p for p in sorted(lunr.rglob("*.js")) if p.name not in keep]
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            path.unlink()
            gone.append(path.relative_to(site).as_posix())
    return gone
