"""What a build holds packed: the pages between planning and writing (pages.PackedPage), and the
exports' pieces on their shelves (timeline/shelves.py): what is reused, what is made again, and
that nothing is left unpacked once its data file is written. Whole sites with and without the
cache are compared byte for byte in test_incremental.py."""
from __future__ import annotations

import hashlib

from timeline.pages import HtmlPage
from timeline.shelves import SHARDS, Shelves


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class Maker:
    """make() for a piece, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> str:
        self.calls.append(text)
        return text.upper()


def ask(shelves: Shelves, make: Maker, kind: str, names: list[str]) -> list[str]:
    return [shelves.get(kind, digest(name), make, name) for name in names]


NAMES = [f"event-{n}" for n in range(200)]  # on every shelf of a kind


def test_a_piece_is_made_once_a_run_and_reused_by_the_next():
    make = Maker()
    first = Shelves()
    assert ask(first, make, "json", NAMES) == [n.upper() for n in NAMES]
    assert ask(first, make, "json", NAMES[:5]) == [n.upper() for n in NAMES[:5]]  # asked again, not made again
    assert len(make.calls) == len(NAMES)
    kept = first.finish()
    assert all(isinstance(blob, bytes) for blob in kept.values())
    assert len(kept) == SHARDS  # 200 digests fill every shelf of the kind

    make.calls.clear()
    second = Shelves(stored=dict(kept))
    assert ask(second, make, "json", NAMES) == [n.upper() for n in NAMES]
    assert make.calls == []


def test_packing_lets_go_of_every_unpacked_piece_and_a_kind_asked_again_is_found():
    make = Maker()
    shelves = Shelves(stored=Shelves().finish())
    ask(shelves, make, "json", NAMES)
    assert shelves.made
    shelves.pack()  # events.json is written
    assert (shelves.made, shelves.opened) == ({}, {})
    assert ask(shelves, make, "json", NAMES[:3]) == [n.upper() for n in NAMES[:3]]  # a second file wants them
    assert len(make.calls) == len(NAMES)
    kept = shelves.finish()
    assert ask(Shelves(stored=kept), Maker(), "json", NAMES) == [n.upper() for n in NAMES]  # nothing lost


def test_an_unchanged_shelf_is_kept_as_it_was_packed_and_a_changed_one_is_packed_again():
    kept = Shelves()
    ask(kept, Maker(), "ics", NAMES)
    stored = kept.finish()

    again = Shelves(stored=dict(stored))
    changed = "event-edited"
    make = Maker()
    ask(again, make, "ics", [*NAMES[1:], changed])  # one event gone, one new: two shelves differ
    assert make.calls == [changed]
    out = again.finish()
    touched = {f"ics-{digest(changed)[0] % SHARDS:02d}", f"ics-{digest(NAMES[0])[0] % SHARDS:02d}"}
    assert {name for name in out if out[name] is not stored[name]} == touched
    assert ask(Shelves(stored=out), Maker(), "ics", [changed, NAMES[1]]) == [changed.upper(), NAMES[1].upper()]


def test_pieces_no_run_asked_for_are_dropped_and_kinds_stay_apart():
    first = Shelves()
    ask(first, Maker(), "csv", NAMES)
    ask(first, Maker(), "geojson", NAMES[:1])
    second = Shelves(stored=first.finish())
    make = Maker()
    ask(second, make, "csv", NAMES[:1])
    assert make.calls == []
    assert ask(second, make, "json", NAMES[:1]) == [NAMES[0].upper()] and make.calls == NAMES[:1]  # another kind
    kept = second.finish()
    assert {name.split("-")[0] for name in kept} == {"csv", "json"}  # geojson was not asked for
    fresh = Maker()
    ask(Shelves(stored=kept), fresh, "csv", NAMES)
    assert len(fresh.calls) == len(NAMES) - 1  # only the one asked for was kept


def test_a_packed_page_is_its_page():
    html = "<h1>Saraqib – سراقب</h1>\n<p>a lone \udcff surrogate, kept</p>" * 50
    page = HtmlPage("Saraqib", html, "A town")
    packed = page.packed()
    assert (packed.title, packed.description, packed.html, packed.headed) == ("Saraqib", "A town", html, True)
    assert packed.meta() == page.meta()
    assert len(packed.data) < len(html) / 5
    assert not HtmlPage("x", "<p>no heading</p>").packed().headed
