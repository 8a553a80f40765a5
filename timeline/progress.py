"""What a long build is doing, as it does it: on a terminal, one line rewritten in place (events
checked, pages planned, pages written); elsewhere (CI logs) nothing until the one summary line.
No state but the reporter's own, made by the command for one run."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.start = time.perf_counter()
        self.shown = False
        self.last = 0.0
        self.pages = self.reused = self.written = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def step(self, text: str, every: float = 0.0) -> None:
        """Show `text` (at most every `every` seconds), on a terminal only."""
        now = time.perf_counter()
        if not self.live or every and now - self.last < every:
            return
        self.last = now
        self.stream.write(f"\r\x1b[K{text} ({now - self.start:.1f} s)")
        self.stream.flush()
        self.shown = True

    def planned(self, pages: int, reused: int) -> None:
        self.pages, self.reused = pages, reused
        self.step(f"planned {pages:,} pages" + (f", {reused:,} reused from the last build" if reused else ""))

    def page_written(self) -> None:
        self.written += 1
        self.step(f"pages written: {self.written:,}" + (f" ({self.reused:,} reused)" if self.reused else ""), every=0.25)

    def done(self) -> None:
        """Leave the line: what follows starts on a line of its own."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def summary(self) -> str:
        reused = f", {self.reused:,} of them reused from the last build" if self.reused else ""
        return f"{self.pages:,} pages{reused}, in {self.elapsed():.1f} s"
