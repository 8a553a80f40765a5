"""serve's file watching: the system's events where it has them, polling where they cannot start."""
from __future__ import annotations

import time

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from timeline.watching import FileEvents


class Refused(Observer):  # type: ignore[misc, valid-type]
    """As inotify is when the machine's watch limit is reached."""

    def start(self):
        raise OSError(28, "No space left on device")


def changes(observer, folder, path) -> list[str]:
    seen: list[str] = []
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(event.src_path) if not event.is_directory else None
    ref = observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    try:
        time.sleep(0.3)
        path.write_text("changed", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        observer.unschedule(ref)
    finally:
        observer.stop()
        observer.join(5)
    return seen


def test_file_events_are_heard(tmp_path):
    watched = FileEvents()
    assert not isinstance(watched.observer, PollingObserver)
    assert str(tmp_path / "a.md") in changes(watched, tmp_path, tmp_path / "a.md")


def test_refused_file_events_fall_back_to_polling(tmp_path, caplog):
    watched = FileEvents(interval=0.1, native=Refused)
    assert str(tmp_path / "a.md") in changes(watched, tmp_path, tmp_path / "a.md")
    assert isinstance(watched.observer, PollingObserver)
    assert "file events are not available here (No space left on device): watching by polling instead" in caplog.text


def test_reading_a_file_is_not_a_change(tmp_path):
    """Each rebuild reads every event file: were reading an event, serve would rebuild for ever."""
    (tmp_path / "a.md").write_text("text", encoding="utf-8")
    watched, seen = FileEvents(), []
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(event.event_type)
    watched.schedule(handler, str(tmp_path), recursive=True)
    watched.start()
    try:
        time.sleep(0.3)
        for _ in range(3):
            (tmp_path / "a.md").read_bytes()
        time.sleep(0.5)
    finally:
        watched.stop()
        watched.join(5)
    assert seen == []
