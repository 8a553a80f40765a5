"""The exports' pieces kept between runs (the build cache's fragments), held packed.

Each piece (an event's line of events.json, its VEVENT, its CSV row…) is known by a digest of what
it is made from (markup.Renderer.fragment). At 10,000 events they come to 80 MB, which a build
held until it wrote the cache. They are kept instead on shelves, one per kind and shard: a shelf
is packed (pickled and compressed) once the data file that asked for its pieces is written, and a
shelf kept from the last run is unpacked only when its kind is first asked for, so that one kind
at a time is ever unpacked. A shelf's new pieces are packed as they come, CHUNK at a time (a cold
build makes every piece, and one kind unpacked was up to 30 MB: the TimelineJS slides at 10,000
events), and its chunks become one when it is packed. Plain data: no files here
(timeline/buildcache.py writes the shelves).
"""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
SHARDS = 32  # shelves per kind: an edit repacks the one of each kind that holds its pieces
CHUNK = 64  # new pieces on one shelf packed together as they come
_NONE = object()


def pack(pieces: dict[bytes, Any]) -> bytes:
    return zlib.compress(pickle.dumps(pieces, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> dict[bytes, Any] | None:
    """The shelf's pieces; None if the bytes are damaged (the cache file is read whole, its shelves later)."""
    try:
        pieces = pickle.loads(zlib.decompress(packed))  # noqa: S301 (packed by this project's runs: buildcache.py)
    except Exception:  # noqa: BLE001 — a damaged cache only makes a slower run
        return None
    return pieces if isinstance(pieces, dict) else None


@dataclass
class Shelves:
    stored: dict[str, bytes] = field(default_factory=dict)  # the last run's: shelf → its packed {digest: piece}
    opened: dict[str, dict[bytes, Any]] = field(default_factory=dict)  # stored shelves unpacked, until packing
    made: dict[str, dict[bytes, Any]] = field(default_factory=dict)  # the pieces this run asked for, unpacked …
    packed: dict[str, bytes] = field(default_factory=dict)  # … and packed
    new: set[str] = field(default_factory=set)  # shelves on which this run made a piece rather than found it
    chunks: dict[str, list[bytes]] = field(default_factory=dict)  # of the pieces asked for, packed as they came
    fresh: dict[str, int] = field(default_factory=dict)  # pieces made on each unpacked shelf since its last chunk

    def get(self, kind: str, digest: bytes, make: Callable[..., T], *args: Any) -> T:
        """The piece of `kind` known by `digest`: this run's, the last run's, or `make(*args)`."""
        name = f"{kind}-{digest[0] % SHARDS:02d}"
        made = self.made.get(name)
        if made is None:  # the shelf's first piece since the last packing (this run may have packed some)
            made = self.made[name] = (unpack(self.packed.pop(name)) if name in self.packed else None) or {}
        value = made.get(digest, _NONE)
        if value is _NONE:
            old = self.opened.get(name)
            if old is None:
                old = unpack(self.stored[name]) if name in self.stored else {}
                if old is None:  # damaged: as if there were none, and never kept as it was
                    del self.stored[name]
                    old = {}
                self.opened[name] = old
            value = old.get(digest, _NONE)
            if value is _NONE:
                value = make(*args)
                self.new.add(name)
                self.fresh[name] = self.fresh.get(name, 0) + 1
            made[digest] = value
            if self.fresh.get(name, 0) >= CHUNK:  # (a piece asked for again after this is made again)
                self.chunks.setdefault(name, []).append(pack(made))
                self.made[name], self.fresh[name] = {}, 0
        return value

    def pack(self) -> None:
        """Pack what was asked for since the last packing, and let go of every unpacked shelf. A shelf
        this run asked for whole, finding every piece on it, is the one stored: kept as it is."""
        for name, pieces in self.made.items():
            if name in self.chunks:
                whole: dict[bytes, Any] = {}
                for chunk in self.chunks.pop(name):
                    whole.update(unpack(chunk) or {})
                pieces = {**whole, **pieces}
            opened = self.opened.get(name)
            same = name not in self.new and name in self.stored and opened is not None and pieces.keys() == opened.keys()
            self.packed[name] = self.stored[name] if same else pack(pieces)
        self.made, self.opened, self.fresh = {}, {}, {}

    def finish(self) -> dict[str, bytes]:
        """The shelves this run asked for, packed, to keep for the next; they become what it reuses."""
        self.pack()
        out, self.packed, self.new = self.packed, {}, set()
        self.stored = dict(out)
        return out
