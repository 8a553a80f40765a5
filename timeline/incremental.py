"""Which pages a build plans again, and which it takes as they are from the last build.

The last build leaves a Manifest: for each group of pages (pages/__init__.py: an event's page, a
place's pages…) the events it shows, read from its HTML (every event a page shows is a link to it,
or an entry with its id), and for each page what the sitemap and the search index need. The next
build plans a group again when

- it sums up the whole timeline (`always`: the home page, the map, the indexes, the changes);
- it is new, or showed an event that changed, went or moved to another timeline page (an event is
  known by its file's digest);
- it would show now an event that changed: the event's own page, the pages of the events before
  and after it and of those it names as related or that name it, the pages of its places, tags,
  publishers and timeline pages;
- the counts it shows of other things changed (place pages show their neighbours' counts, timeline
  pages their months'), or a period now starts at another event;

and anything else than the events (the code, mkdocs.yml, docs/, the gazetteers, the settings, the
history) plans everything. tests/test_incremental.py checks that a site built this way after
edits of every kind is the site a build from nothing makes, byte for byte. Pure: data in, data out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .indexes import Indexes
from .pages import DeferredPage, Group, MarkdownPage, Page

_SHOWS = re.compile(r'(?:data-event|href)="([^"#]*)')


def shown(pages: dict[str, Page], ids: dict[str, str]) -> tuple[str, ...]:
    """The ids of the events the pages show: an entry's id, or the last part of an address that is
    an event's id (a link to its page, however relative: a place of the same name only adds to it).
    `ids`: each event id to itself, so that every page's record holds the one string of each id
    (a record of each of 11,000 pages at 10,000 events, 15 MB with strings of their own)."""
    found: set[str] = set()
    for page in pages.values():
        if isinstance(page, DeferredPage):  # shown() reads pages as they are made, never as held
            raise TypeError(f"a deferred page has no HTML to read: {page.title!r}")
        text = page.expanded() if isinstance(page, MarkdownPage) else page.html
        for value in _SHOWS.findall(text):
            last = value.rstrip("/").rpartition("/")[2]
            found.add(last[:-5] if last.endswith(".html") else last)
    return tuple(sorted(ids[i] for i in found if i in ids))


@dataclass(frozen=True)
class PageInfo:
    """What a page kept from the last build contributes besides its file."""

    markdown: bool  # a timeline page (its table of contents made by Markdown)
    search: dict | None = None  # its entry in our part of the search index (HTML pages)


@dataclass(frozen=True)
class GroupRecord:
    uris: tuple[str, ...]
    shows: tuple[str, ...]  # sorted


@dataclass
class State:
    """What decides which groups change: computed from the timeline, cheaply, on every build."""

    tokens: dict[str, bytes]  # event id → its file's digest
    listing: dict[str, str]  # event id → its timeline page
    firsts: dict[str, tuple[str, str]]  # period id → its first event and that event's timeline page
    counts: tuple  # places with pages and their event counts; timeline pages and theirs

    @classmethod
    def of(cls, ix: Indexes, digests: dict[str, bytes]) -> State:
        firsts = {p: (e.id, ix.listing.get(e.id, "")) for p, e in ix.first_in_period.items()}
        counts = (tuple((p.id, len(ix.by_place.get(p.id, ()))) for p in ix.places),
                  tuple((uri, len(page.events), page.months) for uri, page in ix.listing_pages.items()))
        return cls({e.id: digests.get(e.path, b"") for e in ix.events}, dict(ix.listing), firsts, counts)


@dataclass
class Manifest:
    """What the last build planned, and where its pages are."""

    key: str  # everything besides the events that the pages depend on
    folder: str  # the site folder that holds them
    state: State
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    pages: dict[str, PageInfo] = field(default_factory=dict)


def changed_events(old: State, new: State) -> set[str]:
    """Events whose pages and entries may read differently now."""
    changed = {i for i in old.tokens.keys() | new.tokens.keys() if old.tokens.get(i) != new.tokens.get(i)}
    changed |= {i for i in new.listing if old.listing.get(i) != new.listing[i]}
    moved = {p for p in old.firsts.keys() | new.firsts.keys() if old.firsts.get(p) != new.firsts.get(p)}
    if moved:  # a period's mark moved: every page linking to it changes
        changed |= set(new.tokens)  # (rare: an event added or dated before a period's first)
    return changed


def replan(manifest: Manifest | None, key: str, state: State, ix: Indexes, groups: list[Group]) -> set[str] | None:
    """The keys of the groups to plan again; None: all of them."""
    if manifest is None or manifest.key != key:
        return None
    old = manifest.state
    changed = changed_events(old, state)
    if len(changed) > len(state.tokens) // 2:
        return None
    again = {g.key for g in groups if g.always or g.key not in manifest.groups}
    again |= {k for k, record in manifest.groups.items() if not changed.isdisjoint(record.shows)}
    places_changed, listings_changed = old.counts[0] != state.counts[0], old.counts[1] != state.counts[1]
    for group in groups:
        kind = group.key.split(":", 1)[0]
        if places_changed and kind == "place" or listings_changed and kind == "listing":
            again.add(group.key)
    again |= now_showing(changed, ix)
    return again


def now_showing(changed: set[str], ix: Indexes) -> set[str]:
    """The groups that show an event of `changed` now (those that did are in the manifest)."""
    groups: set[str] = set()
    position = {e.id: i for i, e in enumerate(ix.events)}
    for event_id in changed:
        if event_id not in position:
            continue
        index, event = position[event_id], ix.events[position[event_id]]
        groups.add(f"event:{event_id}")
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(ix.events):
                groups.add(f"event:{ix.events[neighbour].id}")
        groups.update(f"event:{other}" for other in event.related)
        groups.update(f"event:{other.id}" for other in ix.backlinks.get(event_id, ()))
        groups.update(f"place:{p}" for p in event.places)
        groups.update(f"tag:{t}" for t in event.tags)
        groups.update(f"source:{ix.publisher_slugs[s.publisher]}" for s in event.sources)
        groups.add(f"listing:{ix.listing[event_id]}")
    return groups


def record(made: dict[str, Page], ids: dict[str, str]) -> GroupRecord:
    return GroupRecord(tuple(made), shown(made, ids))


def info(page: Page, search: dict | None) -> PageInfo:
    return PageInfo(isinstance(page, MarkdownPage), search)
