"""What `serve` watches with: the system's file events, instead of MkDocs' polling.

MkDocs polls every watched file twice a second, so a save waits up to half a second to be seen,
and every file of a large timeline is looked at again and again between saves. watchdog's native
observer (inotify, FSEvents, ReadDirectoryChangesW) hears of a save at once and costs nothing in
between; it follows a single file (places.yml) through its folder, so an editor that saves by
renaming a new file over the old one is heard too (tests/test_serve.py). Where the system refuses
its events (the inotify watch limit, some network file systems), the observer polls, as MkDocs does.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.build_timeline")

# What a save or a deletion makes. Not the opening and closing that reading makes: MkDocs rebuilds on
# every event it is given, and each rebuild reads every event file.
CHANGES: list[type[FileSystemEvent]] = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                                        FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


class FileEvents:
    """The observer MkDocs' live-reload server calls (schedule, unschedule, start, stop, join):
    native events, or polling every `interval` seconds where they cannot start."""

    def __init__(self, interval: float = 0.5, native: Callable[[], BaseObserver] = Observer) -> None:
        self.interval = interval
        self.observer: BaseObserver = native()
        self.watches: dict[ObservedWatch, tuple[FileSystemEventHandler, str, bool]] = {}  # as asked for
        self.refs: dict[ObservedWatch, ObservedWatch] = {}  # what was returned → the observer's own watch

    def schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool = False) -> ObservedWatch:
        ref = self.observer.schedule(handler, path, recursive=recursive, event_filter=CHANGES)
        self.watches[ref] = (handler, path, recursive)
        self.refs[ref] = ref
        return ref

    def unschedule(self, ref: ObservedWatch) -> None:
        self.observer.unschedule(self.refs.pop(ref))
        del self.watches[ref]

    def start(self) -> None:
        try:
            self.observer.start()
        except OSError as exc:
            log.warning(f"file events are not available here ({exc.strerror or exc}): watching by polling instead")
            try:
                self.observer.stop()
            except RuntimeError:  # (never started)
                pass
            self.observer = PollingObserver(timeout=self.interval)
            self.refs = {ref: self.observer.schedule(handler, path, recursive=recursive)
                         for ref, (handler, path, recursive) in self.watches.items()}
            self.observer.start()

    def stop(self) -> None:
        self.observer.stop()

    def join(self, timeout: float | None = None) -> None:
        self.observer.join(timeout)


def use_file_events(server: Any) -> bool:
    """Give MkDocs' live-reload server the FileEvents observer, moving over what it already watches
    (before it starts). Whether it could: a server without the attributes MkDocs 1.6 has keeps its
    own observer."""
    paths, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    watch, observer = getattr(server, "watch", None), getattr(server, "observer", None)
    if not (isinstance(paths, dict) and isinstance(refs, dict) and callable(watch) and observer is not None) \
            or observer.is_alive():
        return False
    interval = float(getattr(observer, "timeout", 0.5) or 0.5)
    watched = list(paths)
    paths.clear()
    refs.clear()
    server.observer = FileEvents(interval)
    for path in watched:
        watch(path)
    return True
