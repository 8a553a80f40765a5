"""timeline-index.json: what the reader's filters search when the timeline is split over many
pages, and where the find box of a long list of filter values looks. One short row per event;
`columns` names each position, and timeline.js finds its columns by these names (never by
position). `places` and `publishers` name the ids and slugs the rows hold."""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..indexes import filter_values
from ..markup import Renderer
from ..model import Event, Timeline, date_label
from ..urls import Urls, event_uri, place_uri, tag_uri
from .common import ordered

COLUMNS = ("id", "title", "date_text", "start", "url", "year", "precision", "tags", "places", "publishers", "first",
           "last", "status")


def filter_index(timeline: Timeline, urls: Urls, renderer: Renderer | None = None,
                 publishers: dict[str, str] | None = None) -> str:
    return "".join(filter_index_chunks(timeline, urls, renderer, publishers))


def filter_index_chunks(timeline: Timeline, urls: Urls, renderer: Renderer | None = None,
                        publishers: dict[str, str] | None = None) -> Iterator[str]:
    """`publishers`: each publisher's slug and name (indexes.Indexes.publisher_names), for the
    filters' find box; the rows hold slugs. json.dumps of the whole, a row at a time ("events" last)."""
    places = {p: timeline.places[p].name for p in sorted({p for e in timeline.events for p in e.places})}
    index_urls = {"place": urls.url(place_uri("{id}")), "tag": urls.url(tag_uri("{id}"))}
    head = _dumps({"version": 2, "count": len(timeline.events), "columns": list(COLUMNS), "urls": index_urls,
                   "places": places, "publishers": dict(sorted((publishers or {}).items())), "events": []})
    yield head[:-2]  # without "]}"
    for number, event in enumerate(ordered(timeline)):
        row = renderer.fragment(("filters", event, urls.directory_urls), _row, event, urls) if renderer \
            else _row(event, urls)
        yield ("," if number else "") + _dumps(row)
    yield "]}\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(event: Event, urls: Urls) -> list:
    row = {"id": event.id, "title": event.title, "date_text": date_label(event.start, event.end),
           "start": event.start.iso(), "url": urls.url(event_uri(event.id)), **filter_values(event)}
    return [row[name] for name in COLUMNS]
