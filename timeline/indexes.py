"""What the pages and exports look up, computed once from a Timeline and passed to them: events
by id, place, tag and publisher, backlinks, the periods of each event, and where the timeline
lists each event (the home page, or a year or month page of a long timeline)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import MONTHS, Event, Period, Place, Timeline
from .urls import HOME, month_uri, part_uri, publisher_slug, year_uri

# Period bands cycle through this many colours: timeline.css defines .tl-band-0 to .tl-band-3.
BANDS = 4


@dataclass(frozen=True)
class Listing:
    """One page of a timeline too long for the home page: a year, or a month of a busy year."""

    year: int
    month: int | None  # None: the year's page
    events: tuple[Event, ...]
    months: tuple[int, ...] = ()  # a year split into months: the months with pages of their own
    part: int = 1  # a month longer than a page is cut into parts of page_size events
    parts: int = 1

    @property
    def title(self) -> str:
        return part_title(f"{MONTHS[self.month]} {self.year}" if self.month else str(self.year), self.part, self.parts)


@dataclass(frozen=True)
class Indexes:
    timeline: Timeline
    by_id: dict[str, Event]
    backlinks: dict[str, list[Event]]  # event id → the events naming it in `related`
    by_place: dict[str, list[Event]]
    by_tag: dict[str, list[Event]]
    by_publisher: dict[str, list[Event]]  # publisher slug → events citing it
    publisher_names: dict[str, str]  # publisher slug → the name as first written
    publisher_slugs: dict[str, str]  # each spelling of a publisher → its slug
    periods_of: dict[str, list[Period]]  # event id → the periods it starts inside
    first_in_period: dict[str, Event]
    bands: dict[str, str]  # period id → its band's CSS class
    listing: dict[str, str]  # event id → the timeline page that lists it
    listing_pages: dict[str, Listing]  # empty when the home page lists everything
    places: tuple[Place, ...]  # the places with a page: with events, or holding places with events; by name
    children: dict[str, list[Place]]  # place id → the places with a page within it, by name
    # event id → the slugs of its sources' publishers, sorted, for its filter_values (made for each
    # listing of it: kept whole for every event, the values were 7 MB at 10,000 events)
    publishers_of: dict[str, list[str]]

    def values(self, event: Event) -> dict[str, object]:
        return filter_values(event, self.publishers_of[event.id])

    @property
    def events(self) -> tuple[Event, ...]:
        return self.timeline.events

    def place_name(self, place_id: str) -> str:
        return self.timeline.places[place_id].name

    def band(self, period: Period) -> str:
        return self.bands[period.id]


def filter_values(event: Event, publishers: list[str] | None = None) -> dict[str, object]:
    """What the reader's filters match an event by, and how its entry is drawn: one definition for the
    list items' data-* attributes and for timeline-index.json's rows. `publishers`: the slugs of its
    sources' publishers, when already known."""
    return {"year": event.year, "status": event.status, "tags": list(event.tags), "places": list(event.places),
            "publishers": publishers if publishers is not None else sorted({publisher_slug(s.publisher)
                                                                             for s in event.sources}),
            "precision": event.start.precision + ("-span" if event.end else ""),
            "first": event.start.first_day.isoformat(), "last": (event.end or event.start).last_day.isoformat()}


def chunked(events, size: int) -> list:
    """`events` cut into pages of at most `size`, in order."""
    return [events[i:i + size] for i in range(0, len(events), size)]


def part_title(name: str, number: int, count: int) -> str:
    """The title of part `number` of a list cut into `count` pages."""
    return f"{name}, part {number} of {count}" if count > 1 else name


def by_year(events) -> dict[int, list[Event]]:
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        years[event.year].append(event)
    return dict(sorted(years.items()))


def build_indexes(timeline: Timeline, page_size: int) -> Indexes:
    events = timeline.events
    by_id = timeline.by_id()
    backlinks: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for other in event.related:
            if other in by_id:
                backlinks[other].append(event)
    periods_of = {e.id: [p for p in timeline.periods if p.contains(e)] for e in events}
    first_in_period: dict[str, Event] = {}
    for event in events:
        for period in periods_of[event.id]:
            first_in_period.setdefault(period.id, event)
    by_place: dict[str, list[Event]] = defaultdict(list)
    by_tag: dict[str, list[Event]] = defaultdict(list)
    by_publisher: dict[str, list[Event]] = defaultdict(list)
    publisher_names: dict[str, str] = {}
    publisher_slugs: dict[str, str] = {}
    publishers_of: dict[str, list[str]] = {}
    for event in events:
        for place in event.places:
            by_place[place].append(event)
        for tag in event.tags:
            by_tag[tag].append(event)
        slugs = set()
        for publisher in sorted({s.publisher for s in event.sources}):
            slug = publisher_slugs.get(publisher) or publisher_slugs.setdefault(publisher, publisher_slug(publisher))
            slugs.add(slug)
            publisher_names.setdefault(slug, publisher)
            if not by_publisher[slug] or by_publisher[slug][-1] is not event:
                by_publisher[slug].append(event)
        publishers_of[event.id] = sorted(slugs)
    listing_pages = plan_listing(events, page_size)
    listing = {e.id: HOME for e in events}
    for uri, page in listing_pages.items():
        for event in page.events:
            listing[event.id] = uri
    bands = {p.id: f"tl-band-{i % BANDS}" for i, p in enumerate(timeline.periods)}
    places = paged_places(timeline.places, by_place)
    children: dict[str, list[Place]] = defaultdict(list)
    for inner in sorted(places, key=lambda p: p.name):
        if inner.parent:
            children[inner.parent].append(inner)
    return Indexes(timeline, by_id, dict(backlinks), dict(by_place), dict(by_tag), dict(by_publisher),
                   publisher_names, publisher_slugs, periods_of, first_in_period, bands, listing, listing_pages,
                   places, dict(children), publishers_of)


def paged_places(gazetteer: dict[str, Place], by_place: dict[str, list[Event]]) -> tuple[Place, ...]:
    """The places that get a page: a gazetteer may hold thousands that no event names yet, and a page
    each would cost the build time and the reader nothing but empty pages. A place holding a place
    with events keeps its page, so that "Part of" always leads somewhere."""
    keep: set[str] = set()
    for place_id in by_place:
        while place_id in gazetteer and place_id not in keep:
            keep.add(place_id)
            place_id = gazetteer[place_id].parent or ""
    return tuple(sorted((gazetteer[p] for p in keep), key=lambda p: (p.name.casefold(), p.id)))


def plan_listing(events: tuple[Event, ...], page_size: int) -> dict[str, Listing]:
    """Small timelines list every event on the home page. Past `page_size` events, each year gets a
    page, a year with more than `page_size` events a page per month, and a longer month parts of
    `page_size` events (timeline/2020/02.md, 02-2.md…)."""
    if len(events) <= page_size:
        return {}
    pages: dict[str, Listing] = {}
    for year, year_events in by_year(events).items():
        if len(year_events) <= page_size:
            pages[year_uri(year)] = Listing(year, None, tuple(year_events))
            continue
        months: dict[int, list[Event]] = defaultdict(list)
        for event in year_events:
            if event.start.month is not None:
                months[event.start.month].append(event)
        pages[year_uri(year)] = Listing(year, None, tuple(e for e in year_events if e.start.month is None),
                                        tuple(sorted(months)))
        for month, month_events in sorted(months.items()):
            chunks = chunked(month_events, page_size)
            for number, chunk in enumerate(chunks, 1):
                pages[part_uri(month_uri(year, month), number)] = Listing(year, month, tuple(chunk),
                                                                          part=number, parts=len(chunks))
    return pages
