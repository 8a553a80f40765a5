"""events.json, and the JSON Schema that describes it (events.schema.json)."""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..claims import claimed
from ..dates import CANONICAL_PATTERN
from ..fields import LATITUDE, LONGITUDE
from ..markup import Renderer
from ..model import PRECISIONS, STATUSES, Event, Period, Timeline, human_range
from ..urls import Urls, event_uri, publisher_slug
from .common import dumps, iso, ordered, periods, places_of


def event_record(event: Event, timeline: Timeline, urls: Urls) -> dict:
    places = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon} for p in places_of(event, timeline)]
    return {
        "id": event.id,
        "title": event.title,
        "start": event.start.iso(),
        "end": iso(event.end),
        "precision": event.start.precision,
        "end_precision": event.end.precision if event.end else None,
        "date_text": human_range(event.start, event.end),
        "places": places,
        "tags": list(event.tags),
        "sources": [{"title": s.title, "publisher": s.publisher, "publisher_id": publisher_slug(s.publisher),
                     "url": s.url, "published": iso(s.published), "claim": s.claim, "archive": s.archive,
                     "accessed": iso(s.accessed), "sha256": s.sha256, "gone": iso(s.gone), "by": s.by,
                     "figures": {name: [f.low, f.high] for name, f in s.figures()}, "counted": s.counted}
                    for s in event.sources],
        "status": event.status,
        "verification": event.verification,
        "corrections": [{"date": c.date.iso(), "note": c.note} for c in event.corrections],
        "figures": {c.name: [c.low, c.high] for c in claimed(event)},
        "related": list(event.related),
        "dispute": event.dispute,
        "url": urls.url(event_uri(event.id)),
        "body": event.body,
    }


def period_record(period: Period) -> dict:
    return {"id": period.id, "title": period.title, "start": period.start.iso(), "end": iso(period.end),
            "description": period.description}


def _line(event: Event, timeline: Timeline, urls: Urls) -> str:
    return json.dumps(event_record(event, timeline, urls), ensure_ascii=False)


def events_json(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> str:
    return "".join(events_json_chunks(timeline, urls, renderer))


def events_json_chunks(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> Iterator[str]:
    """events.json: every event in time order, one per line, with its places resolved to coordinates;
    in pieces, to be written as they come. `renderer` keeps each event's line for the next build."""
    def line(event: Event) -> str:
        key = ("json", event, tuple(timeline.places[p] for p in event.places), urls.directory_urls)
        return renderer.fragment(key, _line, event, timeline, urls) if renderer else _line(event, timeline, urls)
    yield f'{{"version": 1, "count": {len(timeline.events)}, "events": [\n'
    for number, event in enumerate(ordered(timeline)):
        yield (",\n" if number else "") + line(event)
    period_list = json.dumps([period_record(p) for p in periods(timeline)], ensure_ascii=False)
    yield f'\n], "periods": {period_list}}}\n'


def _object(properties: dict) -> dict:
    """A closed JSON object: every key required, no other key allowed."""
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


# The dates events.json writes are what PartialDate.iso() gives: the editors' grammar, canonical.
_DATE = {"type": "string", "pattern": CANONICAL_PATTERN}
_DATE_OR_NULL = {"type": ["string", "null"], "pattern": CANONICAL_PATTERN}  # pattern applies to strings only
_PRECISION = {"enum": list(PRECISIONS)}
_STRINGS = {"type": "array", "items": {"type": "string"}}


def _degrees(kind) -> dict:
    return {"type": ["number", "null"], "minimum": kind.low, "maximum": kind.high}


EVENTS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Timeline events",
    "description": "events.json: every event of the timeline in time order, with places and sources resolved.",
    **_object({
        "version": {"const": 1},
        "count": {"type": "integer", "minimum": 0},
        "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        "periods": {"type": "array", "items": {"$ref": "#/$defs/period"}},
    }),
    "$defs": {
        "date": _DATE,
        "place": _object({
            "id": {"type": "string"},
            "name": {"type": "string"},
            "lat": _degrees(LATITUDE),
            "lon": _degrees(LONGITUDE),
        }),
        "source": _object({
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "publisher_id": {"type": "string"},
            "url": _nullable("string"),
            "published": _DATE_OR_NULL,
            "claim": _nullable("string"),
            "archive": _nullable("string"),
            "accessed": _DATE_OR_NULL,
            "sha256": _nullable("string"),
            "gone": _DATE_OR_NULL,
            "by": _nullable("string"),
            "figures": {"type": "object"},
            "counted": _nullable("string"),
        }),
        "event": _object({
            "id": {"type": "string"},
            "title": {"type": "string"},
            "start": {"$ref": "#/$defs/date"},
            "end": _DATE_OR_NULL,
            "precision": _PRECISION,
            "end_precision": {"anyOf": [_PRECISION, {"type": "null"}]},
            "date_text": {"type": "string"},
            "places": {"type": "array", "items": {"$ref": "#/$defs/place"}},
            "tags": _STRINGS,
            "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
            "related": _STRINGS,
            "dispute": _nullable("string"),
            "status": {"enum": list(STATUSES)},
            "verification": _nullable("string"),
            "corrections": {"type": "array", "items": {"type": "object"}},
            "figures": {"type": "object", "description": "each kind of figure: [lowest, highest] across the sources"},
            "url": {"type": "string", "description": "relative to the site's root"},
            "body": {"type": "string", "description": "Markdown, as written"},
        }),
        "period": _object({
            "id": {"type": "string"},
            "title": {"type": "string"},
            "start": {"$ref": "#/$defs/date"},
            "end": _DATE_OR_NULL,
            "description": _nullable("string"),
        }),
    },
}


def events_schema() -> str:
    return dumps(EVENTS_SCHEMA)
