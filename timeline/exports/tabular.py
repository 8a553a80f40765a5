"""events.csv (for spreadsheets) and events.geojson (for maps)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..claims import claimed
from ..markup import Renderer
from ..model import FIGURES, Event, Timeline, human_range
from ..urls import Urls, event_uri
from .common import dumps, iso, ordered, places_of

CSV_COLUMNS = ["id", "title", "start", "end", "precision", "date_text", "places", "place_ids", "latitude",
               "longitude", "tags", "publishers", "source_urls", "dispute", "url", "status",
               *(f"{name}_{bound}" for name in FIGURES for bound in ("low", "high")), "claimants"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A spreadsheet opens a text cell starting with = + - @ as a formula: a leading ' keeps it text.
    Numbers (coordinates, which may be negative) are written as numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _bounds(claim) -> tuple[int | None, int | None]:
    return (claim.low, claim.high) if claim else (None, None)


BATCH = 500  # rows or features in each piece a stream yields


def events_csv(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> str:
    return "".join(events_csv_chunks(timeline, urls, renderer))


def events_csv_chunks(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> Iterator[str]:
    """events.csv in pieces of BATCH rows, for a build to write as they come."""
    out = io.StringIO()
    writer = csv.writer(out)  # lineterminator "\r\n", as RFC 4180 and spreadsheets expect
    writer.writerow(CSV_COLUMNS)
    for number, event in enumerate(ordered(timeline), 1):
        key = ("csv", event, tuple(places_of(event, timeline)), urls.directory_urls)
        writer.writerow(renderer.fragment(key, _csv_row, event, timeline, urls) if renderer
                        else _csv_row(event, timeline, urls))
        if number % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _csv_row(event: Event, timeline: Timeline, urls: Urls) -> list:
    places = places_of(event, timeline)
    located = next((p for p in places if p.has_coordinates), None)
    publishers = list(dict.fromkeys(s.publisher for s in event.sources))  # unique, in source order
    figures = {c.name: c for c in claimed(event)}
    row = [event.id, event.title, event.start.iso(), iso(event.end), event.start.precision,
           human_range(event.start, event.end), "; ".join(p.name for p in places),
           "; ".join(p.id for p in places), located.lat if located else None, located.lon if located else None,
           "; ".join(event.tags), "; ".join(publishers), "; ".join(s.url for s in event.sources if s.url),
           event.dispute, urls.url(event_uri(event.id)), event.status,
           *(bound for name in FIGURES for bound in _bounds(figures.get(name))),
           "; ".join(dict.fromkeys(s.claimant for s in event.sources if s.claim or s.figures()))]
    return [csv_cell(value) for value in row]


def events_geojson(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> str:
    return "".join(events_geojson_chunks(timeline, urls, renderer))


def events_geojson_chunks(timeline: Timeline, urls: Urls, renderer: Renderer | None = None) -> Iterator[str]:
    """RFC 7946: positions are [longitude, latitude]. Events with no located place are left out.
    In pieces of BATCH features."""
    batch: list[str] = []
    started = False
    for event in ordered(timeline):
        key = ("geojson", event, tuple(places_of(event, timeline)), urls.directory_urls)
        feature = renderer.fragment(key, _feature_text, event, timeline, urls) if renderer \
            else _feature_text(event, timeline, urls)
        if feature is not None:
            batch.append(feature)
        if len(batch) == BATCH:
            yield (",\n" if started else _GEOJSON_HEAD) + ",\n".join(batch)
            started, batch = True, []
    if batch:
        yield (",\n" if started else _GEOJSON_HEAD) + ",\n".join(batch)
        started = True
    yield "\n ]\n}\n" if started else dumps({"type": "FeatureCollection", "features": []})


# As dumps() writes the whole (indent 1), each feature is written on its own: at depth 2.
_GEOJSON_HEAD = '{\n "type": "FeatureCollection",\n "features": [\n'


def _feature_text(event: Event, timeline: Timeline, urls: Urls) -> str | None:
    feature = _feature(event, timeline, urls)
    if feature is None:
        return None
    return "\n".join("  " + line for line in dumps(feature)[:-1].split("\n"))  # (JSON escapes newlines in strings)


def _feature(event: Event, timeline: Timeline, urls: Urls) -> dict | None:
    places = places_of(event, timeline)
    points = [[p.lon, p.lat] for p in places if p.has_coordinates]
    if not points:
        return None
    geometry = ({"type": "Point", "coordinates": points[0]} if len(points) == 1
                else {"type": "MultiPoint", "coordinates": points})
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": {
        "id": event.id, "title": event.title, "start": event.start.iso(), "end": iso(event.end),
        "precision": event.start.precision, "date_text": human_range(event.start, event.end),
        "places": [p.name for p in places], "tags": list(event.tags), "url": urls.url(event_uri(event.id)),
        "status": event.status, "figures": {c.name: [c.low, c.high] for c in claimed(event)}}}
