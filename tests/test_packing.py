"""What a build holds packed: the pages between planning and writing (pages.PackedPage), and the
exports' pieces on their shelves (timeline/shelves.py): what is reused, what is made again, and
that nothing is left unpacked once its data file is written. Whole sites with and without the
cache are compared byte for byte in test_incremental.py."""
from __future__ import annotations

import hashlib
from pathlib import Path

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


def shelf(name: str, kind: str = "ics") -> str:
    return f"{kind}-{digest(name)[0] % SHARDS:02d}"


def test_an_unchanged_shelf_is_kept_as_it_was_packed():
    kept = Shelves()
    ask(kept, Maker(), "ics", NAMES)
    stored = kept.finish()
    again = Shelves(stored=dict(stored))
    ask(again, Maker(), "ics", NAMES)
    assert all(blob is stored[name] for name, blob in again.finish().items())


def test_a_shelf_with_a_new_piece_is_packed_again():
    kept = Shelves()
    ask(kept, Maker(), "ics", NAMES)
    stored = kept.finish()
    changed = "event-edited"
    again = Shelves(stored=dict(stored))
    make = Maker()
    ask(again, make, "ics", [*NAMES, changed])  # every piece found, and one made
    assert make.calls == [changed]
    out = again.finish()
    assert {name for name in out if out[name] is not stored[name]} == {shelf(changed)}
    assert ask(Shelves(stored=out), Maker(), "ics", [changed]) == [changed.upper()]


def test_a_shelf_with_a_piece_gone_is_packed_again():
    kept = Shelves()
    ask(kept, Maker(), "ics", NAMES)
    stored = kept.finish()
    again = Shelves(stored=dict(stored))
    ask(again, Maker(), "ics", NAMES[1:])  # the first event was deleted
    out = again.finish()
    assert {name for name in out if out[name] is not stored[name]} == {shelf(NAMES[0])}
    fresh = Maker()
    ask(Shelves(stored=out), fresh, "ics", NAMES)
    assert fresh.calls == NAMES[:1]


def test_a_shelf_asked_for_between_two_packings_keeps_every_piece_of_both():
    """A piece made before the first packing is on the shelf the second packs, as it was (not the
    shelf stored from the last run)."""
    kept = Shelves()
    ask(kept, Maker(), "json", NAMES)
    stored = kept.finish()
    same_shelf = [n for n in NAMES if shelf(n, "json") == shelf(NAMES[0], "json")]
    assert len(same_shelf) >= 3
    new = next(f"new-{n}" for n in range(1000) if shelf(f"new-{n}", "json") == shelf(NAMES[0], "json"))
    run = Shelves(stored=dict(stored))
    make = Maker()
    ask(run, make, "json", [same_shelf[0], new])
    run.pack()
    ask(run, make, "json", same_shelf[:-1])  # as many pieces as the stored shelf holds, one of them new
    assert make.calls == [new]
    out = run.finish()
    again = Maker()
    wanted = [new, *same_shelf[:-1]]
    assert ask(Shelves(stored=out), again, "json", wanted) == [n.upper() for n in wanted]
    assert again.calls == []


def test_a_damaged_shelf_is_as_if_there_were_none():
    kept = Shelves()
    ask(kept, Maker(), "csv", NAMES)
    stored = kept.finish()
    bad = shelf(NAMES[0], "csv")
    stored[bad] = stored[bad][:-9] + b"damaged!!"
    run = Shelves(stored=stored)
    make = Maker()
    assert ask(run, make, "csv", NAMES) == [n.upper() for n in NAMES]
    assert sorted(make.calls) == sorted(n for n in NAMES if shelf(n, "csv") == bad)
    assert ask(Shelves(stored=run.finish()), Maker(), "csv", NAMES) == [n.upper() for n in NAMES]


def test_the_cache_rewrites_only_the_files_of_shelves_that_changed(tmp_path):
    from timeline import buildcache

    def saved(root: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((root / buildcache.FOLDER / "build").glob("fragments-*"))}

    version = buildcache.code_version()
    first = Shelves()
    ask(first, Maker(), "ics", NAMES)
    kept = buildcache.Kept(buildcache.Summary(version), loaded=True)
    kept.fragments = first.finish()
    buildcache.write(tmp_path, kept)
    before = saved(tmp_path)

    kept = buildcache.read(tmp_path, version)
    buildcache.load_build(tmp_path, kept)
    run = Shelves(stored=dict(kept.fragments))
    ask(run, Maker(), "ics", [*NAMES, "event-edited"])
    kept.fragments = run.finish()
    buildcache.write(tmp_path, kept)
    after = saved(tmp_path)
    assert before.keys() == after.keys()
    assert [name for name in after if after[name] != before[name]] == \
        [f"fragments-{buildcache.shard_of(shelf('event-edited')):02d}.pickle"]
    kept = buildcache.read(tmp_path, version)
    buildcache.load_build(tmp_path, kept)
    fresh = Maker()
    ask(Shelves(stored=kept.fragments), fresh, "ics", [*NAMES, "event-edited"])
    assert fresh.calls == []


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


def test_new_pieces_are_packed_as_they_come_and_none_is_lost():
    """A cold build makes every piece: no shelf holds more than CHUNK of them unpacked, and the
    chunks become one shelf when packed (asked for again later, from the chunk, by the next run)."""
    from timeline.shelves import CHUNK
    names = [f"event-{n}" for n in range(SHARDS * CHUNK * 3)]
    run = Shelves()
    make = Maker()
    assert ask(run, make, "timelinejs", names) == [n.upper() for n in names]
    assert max(map(len, run.made.values())) < CHUNK and sum(map(len, run.chunks.values())) >= SHARDS
    out = run.finish()
    assert len(out) == SHARDS and not run.chunks
    again = Maker()
    assert ask(Shelves(stored=out), again, "timelinejs", names) == [n.upper() for n in names]
    assert again.calls == []


def test_a_damaged_body_in_the_cache_is_rendered_again_and_written_whole(tmp_path):
    """A body's packed bytes can be damaged while the cache file still loads: the body is rendered
    again (not a failed build), and the cache file that held it is written again, repaired."""
    import pickle

    from timeline import buildcache
    from timeline.markup import Renderer

    text = "A body with *emphasis* and a [link](https://example.org/).\n"
    first = Renderer()
    html = first.body(text)
    version = buildcache.code_version()
    kept = buildcache.Kept(buildcache.Summary(version), loaded=True)
    kept.bodies = first.bodies()
    buildcache.write(tmp_path, kept)
    path = next(p for p in (tmp_path / buildcache.FOLDER / "build").glob("bodies-*") if text.encode() in p.read_bytes())
    stored_version, table = pickle.loads(path.read_bytes())
    table[text] = table[text][:-6] + b"broken"
    path.write_bytes(pickle.dumps((stored_version, table)))

    kept = buildcache.read(tmp_path, version)
    buildcache.load_build(tmp_path, kept)
    again = Renderer()
    again.remember(kept.bodies)
    assert again.body(text) == html
    kept.bodies = again.bodies()
    buildcache.write(tmp_path, kept)
    kept = buildcache.read(tmp_path, version)
    buildcache.load_build(tmp_path, kept)
    third = Renderer()
    third.remember(kept.bodies)
    third._render = None  # type: ignore[method-assign, assignment]  # found, never rendered again
    assert third.body(text) == html
