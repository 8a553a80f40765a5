"""Machine-readable copies of the timeline, built from the same validated events as the pages.

Every export is a pure function of the Timeline: no clock, no environment, explicit ordering,
so that two builds of the same files give byte-identical data (and clean diffs for mirrors).
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import urllib.parse

import icalendar
from feedgen.feed import FeedGenerator

from .model import Event, PartialDate, Period, Place, Timeline, human_range
from .pages import Site, esc, event_uri, place_uri, publisher_slug, render_body, tag_uri

# YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z]: what PartialDate.iso() writes, and Z.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?)?)?$"
FEED_SIZE = 50
EPOCH = dt.date(1970, 1, 1)  # stands in for "the latest date" of an empty timeline


# ------------------------------------------------------------------ shared pieces

def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _ordered(timeline: Timeline) -> list[Event]:
    """Time order, whatever order the Timeline was built in (sort_key ends with the id: a total order)."""
    return sorted(timeline.events, key=lambda e: e.sort_key)


def _periods(timeline: Timeline) -> list[Period]:
    return sorted(timeline.periods, key=lambda p: (p.start.sort_key, p.id))


def _places(event: Event, timeline: Timeline) -> list[Place]:
    return [timeline.places[place_id] for place_id in event.places]


def _last_day(event: Event) -> dt.date:
    return (event.end or event.start).last_day


def _latest_day(timeline: Timeline) -> dt.date:
    return max((_last_day(e) for e in timeline.events), default=EPOCH)


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _absolute(site_url: str, path: str) -> str:
    return urllib.parse.urljoin(site_url.rstrip("/") + "/", path)


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# ------------------------------------------------------------------ events.json and its schema

def event_record(event: Event, timeline: Timeline, site: Site) -> dict:
    places = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon} for p in _places(event, timeline)]
    return {
        "id": event.id,
        "title": event.title,
        "start": event.start.iso(),
        "end": _date(event.end),
        "precision": event.start.precision,
        "end_precision": event.end.precision if event.end else None,
        "date_text": human_range(event.start, event.end),
        "places": places,
        "tags": list(event.tags),
        "sources": [{"title": s.title, "publisher": s.publisher, "publisher_id": publisher_slug(s.publisher),
                     "url": s.url, "published": _date(s.published), "claim": s.claim} for s in event.sources],
        "related": list(event.related),
        "dispute": event.dispute,
        "url": site.url(event_uri(event.id)),
        "body": event.body,
    }


def period_record(period: Period) -> dict:
    return {"id": period.id, "title": period.title, "start": period.start.iso(), "end": _date(period.end),
            "description": period.description}


def events_json(timeline: Timeline, site: Site = Site()) -> str:
    """events.json: every event in time order, with its places resolved to coordinates."""
    events = [_event_json(e, tuple(_places(e, timeline)), site) for e in _ordered(timeline)]
    periods = json.dumps([period_record(p) for p in _periods(timeline)], ensure_ascii=False)
    return (f'{{"version": 1, "count": {len(events)}, "events": [\n' + ",\n".join(events)
            + f'\n], "periods": {periods}}}\n')


@functools.lru_cache(maxsize=65536)
def _event_json(event: Event, places: tuple[Place, ...], site: Site) -> str:
    """One event's line of events.json. Cached: `serve` rewrites the file after every save, and all
    but the edited events come out the same."""
    return json.dumps(event_record(event, Timeline((event,), {p.id: p for p in places}), site), ensure_ascii=False)


def _object(properties: dict) -> dict:
    """A closed JSON object: every key required, no other key allowed."""
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


_DATE = {"type": "string", "pattern": DATE_PATTERN}
_DATE_OR_NULL = {"type": ["string", "null"], "pattern": DATE_PATTERN}  # pattern applies to strings only
_PRECISION = {"enum": ["year", "month", "day", "minute"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}

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
            "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "lon": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        }),
        "source": _object({
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "publisher_id": {"type": "string"},
            "url": _nullable("string"),
            "published": _DATE_OR_NULL,
            "claim": _nullable("string"),
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
    return _dumps(EVENTS_SCHEMA)


# ------------------------------------------------------------------ events.csv

CSV_COLUMNS = ["id", "title", "start", "end", "precision", "date_text", "places", "place_ids", "latitude",
               "longitude", "tags", "publishers", "source_urls", "dispute", "url"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A spreadsheet opens a text cell starting with = + - @ as a formula: a leading ' keeps it text.
    Numbers (coordinates, which may be negative) are written as numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def events_csv(timeline: Timeline, site: Site = Site()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # lineterminator "\r\n", as RFC 4180 and spreadsheets expect
    writer.writerow(CSV_COLUMNS)
    for event in _ordered(timeline):
        places = _places(event, timeline)
        located = next((p for p in places if p.has_coordinates), None)
        publishers = list(dict.fromkeys(s.publisher for s in event.sources))  # unique, in source order
        row = [event.id, event.title, event.start.iso(), _date(event.end), event.start.precision,
               human_range(event.start, event.end), "; ".join(p.name for p in places),
               "; ".join(p.id for p in places), located.lat if located else None, located.lon if located else None,
               "; ".join(event.tags), "; ".join(publishers), "; ".join(s.url for s in event.sources if s.url),
               event.dispute, site.url(event_uri(event.id))]
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


# ------------------------------------------------------------------ events.geojson

def events_geojson(timeline: Timeline, site: Site = Site()) -> str:
    """RFC 7946: positions are [longitude, latitude]. Events with no located place are left out."""
    features = []
    for event in _ordered(timeline):
        places = _places(event, timeline)
        points = [[p.lon, p.lat] for p in places if p.has_coordinates]
        if not points:
            continue
        geometry = ({"type": "Point", "coordinates": points[0]} if len(points) == 1
                    else {"type": "MultiPoint", "coordinates": points})
        features.append({"type": "Feature", "id": event.id, "geometry": geometry, "properties": {
            "id": event.id, "title": event.title, "start": event.start.iso(), "end": _date(event.end),
            "precision": event.start.precision, "date_text": human_range(event.start, event.end),
            "places": [p.name for p in places], "tags": list(event.tags), "url": site.url(event_uri(event.id))}})
    return _dumps({"type": "FeatureCollection", "features": features})


# ------------------------------------------------------------------ events.ics

def _moment(value: PartialDate) -> dt.datetime:
    """A minute-precision date: in UTC when its offset is known, else floating (local time of the place)."""
    moment = dt.datetime(value.year, value.month, value.day, value.hour, value.minute or 0, value.second or 0)
    if value.offset_minutes is None:
        return moment
    offset = dt.timezone(dt.timedelta(minutes=value.offset_minutes))
    try:
        return moment.replace(tzinfo=offset).astimezone(dt.timezone.utc)
    except OverflowError:  # 1 January of year 1 east of UTC: no earlier instant to convert to
        return moment


def _ics_times(event: Event) -> tuple[dt.date, dt.date]:
    """DTSTART and DTEND. RFC 5545 wants both of one value type and DTEND exclusive: a timed event
    stays timed only when its end (if any) is timed too; anything else is all-day, to the day after."""
    start, end = event.start, event.end
    if start.precision == "minute" and (end is None or end.precision == "minute"):
        begin = _moment(start)
        return begin, _moment(end) if end else begin + dt.timedelta(hours=1)
    return start.first_day, _last_day(event) + dt.timedelta(days=1)


def events_ics(timeline: Timeline, site: Site = Site(), title: str = "Timeline", site_url: str | None = None) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline//events export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    stamp = _midnight_utc(_latest_day(timeline))  # deterministic: the build's clock never enters the file
    items = b"".join(_vevent(e, tuple(_places(e, timeline)), stamp, site, site_url) for e in _ordered(timeline))
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return (head + items + b"END:VCALENDAR" + end).decode("utf-8")


@functools.lru_cache(maxsize=65536)
def _vevent(event: Event, places: tuple[Place, ...], stamp: dt.datetime, site: Site, site_url: str | None) -> bytes:
    """One event's VEVENT, serialised by icalendar (cached, as _event_json is)."""
    start, end = _ics_times(event)
    lines = [human_range(event.start, event.end)] + [f"{s.publisher}: {s.title}" for s in event.sources]
    item = icalendar.Event()
    item.add("uid", f"{event.id}@timeline")
    item.add("dtstamp", stamp)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", event.title)
    item.add("description", "\n".join(lines))
    if places:
        item.add("location", "; ".join(p.name for p in places))
    if event.tags:
        item.add("categories", list(event.tags))
    if site_url:  # a calendar has no base URL: only an absolute link is any use
        item.add("url", _absolute(site_url, site.url(event_uri(event.id))))
    return item.to_ical()


# ------------------------------------------------------------------ feed.xml

def atom_feed(timeline: Timeline, site: Site = Site(), title: str = "Timeline", site_url: str | None = None) -> str:
    """Atom, newest first. Without a site_url the links are relative: Atom resolves them against the
    feed's own address (feed.xml sits at the site's root), so the feed works under any host or folder."""
    def link(path: str) -> str:
        return _absolute(site_url, path) if site_url else (path or "./")

    newest = sorted(timeline.events, key=lambda e: e.sort_key, reverse=True)[:FEED_SIZE]
    feed = FeedGenerator()
    feed.id(_absolute(site_url, "feed.xml") if site_url else "urn:timeline:feed")
    feed.title(title)
    feed.author({"name": title})  # Atom requires an author; the timeline speaks for itself
    feed.link(href=link(site.url("index.md")), rel="alternate")
    feed.link(href=link("feed.xml"), rel="self")
    feed.updated(max((_midnight_utc(_last_day(e)) for e in newest), default=_midnight_utc(EPOCH)))
    for event in newest:
        date_text = human_range(event.start, event.end)
        entry = feed.add_entry(order="append")  # feedgen prepends by default
        entry.id(f"urn:timeline:{event.id}")  # stable whatever the site's address
        entry.title(event.title)
        entry.updated(_midnight_utc(_last_day(event)))  # never "now": rebuilds must not re-announce
        entry.link(href=link(site.url(event_uri(event.id))), rel="alternate")
        entry.summary(date_text)
        entry.content(f"<p>{esc(date_text)}</p>\n{render_body(event.body)}", type="html")  # feedgen escapes
    return feed.atom_str(pretty=True).decode("utf-8")


# ------------------------------------------------------------------ timelinejs.json

TJS_PARTS = ("year", "month", "day", "hour", "minute", "second")


def tjs_date(value: PartialDate) -> dict:
    """A TimelineJS date object, down to the date's precision. TimelineJS has no time zones:
    a time stays the wall-clock time written, and display_date shows its offset."""
    parts = {name: getattr(value, name) for name in TJS_PARTS if getattr(value, name) is not None}
    return {**parts, "display_date": esc(value.human())}


def _tjs_sources(event: Event) -> str:
    names = "; ".join(f"{s.publisher}: {s.title}" for s in event.sources)
    return f'<p class="tl-sources">Sources: {esc(names)}</p>' if names else ""


def _tjs_event(event: Event) -> dict:
    """The event as written (Markdown body, place ids, sources), so that `import timelinejs` gives it back exactly.
    The date is here too: TimelineJS's own date objects have no UTC offset."""
    sources = [{key: value for key, value in (("title", s.title), ("publisher", s.publisher), ("url", s.url),
                                              ("published", _date(s.published)), ("claim", s.claim))
                if value is not None} for s in event.sources]
    return {"id": event.id, "title": event.title, "date": event.start.iso(), "end": _date(event.end),
            "places": list(event.places), "tags": list(event.tags), "sources": sources,
            "related": list(event.related), "dispute": event.dispute, "body": event.body}


def timelinejs(timeline: Timeline, title: str = "Timeline") -> str:
    """TimelineJS3's JSON. TimelineJS inserts headline and text as HTML, so every user string is
    escaped here, and the body is the sanitised HTML the event pages show."""
    events = _ordered(timeline)
    slides = ",\n".join(_slide(event) for event in events)
    # TimelineJS needs an end for every era: an open period runs to the latest event.
    latest = max((e.end or e.start for e in events), key=lambda d: (d.last_day, d.sort_key), default=None)
    eras = [{"start_date": tjs_date(p.start), "end_date": tjs_date(p.end or latest or p.start),
             "text": {"headline": esc(p.title), "text": esc(p.description or "")}} for p in _periods(timeline)]
    head = json.dumps({"title": {"text": {"headline": esc(title)}}}, ensure_ascii=False)[:-1]
    return f'{head}, "events": [\n{slides}\n], "eras": {json.dumps(eras, ensure_ascii=False)}}}\n'


@functools.lru_cache(maxsize=65536)
def _slide(event: Event) -> str:
    """One TimelineJS slide (cached, as _event_json is)."""
    slide = {"start_date": tjs_date(event.start)}
    if event.end:
        slide["end_date"] = tjs_date(event.end)
    slide["text"] = {"headline": esc(event.title), "text": render_body(event.body) + _tjs_sources(event)}
    if event.tags:
        slide["group"] = event.tags[0]
    slide["display_date"] = esc(human_range(event.start, event.end))
    slide["unique_id"] = event.id
    slide["timeline_event"] = _tjs_event(event)  # ignored by TimelineJS; read back by the importer
    return json.dumps(slide, ensure_ascii=False)


# ------------------------------------------------------------------ timeline-index.json

def filter_index(timeline: Timeline, site: Site = Site()) -> str:
    """What the reader's filters need to search a timeline split over many pages, and no more:
    one short row per event, [id, title, date text, start, url, year, precision class, tags,
    place ids, publisher ids]; names of places and publishers once each."""
    rows = []
    for event in _ordered(timeline):
        rows.append([event.id, event.title, human_range(event.start, event.end), event.start.iso(),
                     site.url(event_uri(event.id)), event.year, event.start.precision + ("-span" if event.end else ""),
                     list(event.tags), list(event.places),
                     sorted({publisher_slug(s.publisher) for s in event.sources})])
    places = {p: timeline.places[p].name for p in sorted({p for e in timeline.events for p in e.places})}
    urls = {"place": site.url(place_uri("{id}")), "tag": site.url(tag_uri("{id}"))}
    return json.dumps({"version": 1, "count": len(rows), "urls": urls, "places": places, "events": rows},
                      ensure_ascii=False, separators=(",", ":")) + "\n"


# ------------------------------------------------------------------ all of them

def plan_exports(timeline: Timeline, directory_urls: bool = True, *, site_url: str | None = None,
                 title: str = "Timeline") -> dict[str, str]:
    """Every generated data file, keyed by its path in the site."""
    site = Site(directory_urls)
    return {
        "events.json": events_json(timeline, site),
        "events.schema.json": events_schema(),
        "events.csv": events_csv(timeline, site),
        "events.geojson": events_geojson(timeline, site),
        "events.ics": events_ics(timeline, site, title, site_url),
        "feed.xml": atom_feed(timeline, site, title, site_url),
        "timelinejs.json": timelinejs(timeline, title),
        "timeline-index.json": filter_index(timeline, site),
    }
