"""Every export, read back with an independent parser and checked against the events it came from."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import feedparser
import icalendar
import jsonschema
import pytest

from timeline.dates import CANONICAL_PATTERN as DATE_PATTERN
from timeline.dates import parse_date
from timeline.exports import plan_exports as _plan_exports
from timeline.model import Event, Period, Place, Source, Timeline
from timeline.pages import make_plan

FILES = {"events.json", "events.schema.json", "events.csv", "events.geojson", "events.ics", "feed.xml",
         "timelinejs.json", "timeline-index.json", "map-places.json"}
FORMULA = '=HYPERLINK("https://evil.example/","click")'
TAGGED = "<b>x</b> & y"
QUOTED = 'Tom & Jerry say "a < b"'

PLACES = {
    "saraqeb": Place("saraqeb", "Saraqeb", lat=35.8627, lon=36.8006),
    "madrid": Place("madrid", "Madrid", lat=40.4168, lon=-3.7038),  # west of Greenwich: a negative longitude
    "nowhere": Place("nowhere", "Somewhere unmapped"),
}


def plan_exports(timeline: Timeline, **options) -> dict[str, str]:
    return _plan_exports(make_plan(timeline), **options)


def date(text: str):
    value = parse_date(text)
    assert not isinstance(value, str), value
    return value


def event(event_id: str, start: str, end: str | None = None, places=("saraqeb",), title=None, **fields) -> Event:
    sources = (Source("An article", "Le Monde", url=f"https://example.org/{event_id}", published=date("2020-03")),
               Source("A report", "The New Arab", claim="Sixteen dead."))
    return Event(id=event_id, path=f"events/{event_id}.md", title=title or f"Event {event_id}", start=date(start),
                 end=date(end) if end else None, places=places, sources=sources, **fields)


EVENTS = {
    "day": event("day", "2020-02-03", tags=("clash", "turkey"), body="Body *ok*.\n\n<script>alert(1)</script>\n"),
    "month": event("month", "2019-12", places=("nowhere",)),
    "year": event("year", "2017", places=("saraqeb", "madrid", "nowhere")),
    "span": event("span", "2019-11", "2020-03-05", tags=("offensive",)),
    "timed": event("timed", "2020-02-27T10:00+03:00", places=("madrid",)),
    "floating": event("floating", "2020-02-28T09:30", places=()),
    "formula": event("formula", "2020-01-15", title=FORMULA, dispute="-1 dead, says one source"),
    "tagged": event("tagged", "2020-02-10", title=TAGGED),
    "quoted": event("quoted", "2020-02-11", title=QUOTED),
}
PERIODS = (Period("offensive", "Offensive", date("2019-11"), date("2020-03-05"), "The <campaign>."),
           Period("ceasefire", "Ceasefire", date("2020-03-05")))


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    # Deliberately out of order: the exports must sort for themselves.
    return Timeline(events=tuple(reversed(list(EVENTS.values()))), places=PLACES, periods=PERIODS)


@pytest.fixture(scope="module")
def files(timeline) -> dict[str, str]:
    return plan_exports(timeline)


def in_time_order() -> list[str]:
    return [e.id for e in sorted(EVENTS.values(), key=lambda e: e.sort_key)]


def test_every_format_is_planned_and_deterministic(timeline, files):
    assert set(files) == FILES
    again = plan_exports(Timeline(events=tuple(EVENTS.values()), places=PLACES, periods=PERIODS))
    assert {k: v.encode() for k, v in again.items()} == {k: v.encode() for k, v in files.items()}


def test_events_json_matches_its_schema(files):
    data = json.loads(files["events.json"])
    schema = json.loads(files["events.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["count"] == len(EVENTS) and [e["id"] for e in data["events"]] == in_time_order()
    assert [p["id"] for p in data["periods"]] == ["offensive", "ceasefire"]
    assert data["periods"][1] == {"id": "ceasefire", "title": "Ceasefire", "start": "2020-03-05", "end": None,
                                  "description": None}
    # The schema is closed: an unknown key or a bad date is refused.
    for broken in ({**data["events"][0], "extra": 1}, {**data["events"][0], "start": "3 Feb 2020"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**data, "events": [broken]}, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("text", ["2017", "2019-12", "2020-02-03", "2020-02-03T10:00", "2020-02-03T10:00:05+03:00",
                                  "2020-02-03T10:00+00:00", "2020-02-03T10:00-05:30"])
def test_date_pattern_accepts_every_form(text):
    jsonschema.validate(text, {"type": "string", "pattern": DATE_PATTERN})


@pytest.mark.parametrize("text", ["2020-2", "2020-02-03T10:00Z", "2020-02-03 10:00", "2020-02-03T10:00+0300", " 2017"])
def test_date_pattern_refuses_what_the_exports_never_write(text):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(text, {"type": "string", "pattern": DATE_PATTERN})


def test_csv_rows_and_formula_neutralised(files):
    assert files["events.csv"].count("\r\n") == len(EVENTS) + 1
    rows = list(csv.DictReader(io.StringIO(files["events.csv"], newline="")))
    assert [r["id"] for r in rows] == in_time_order()
    by_id = {r["id"]: r for r in rows}
    assert by_id["formula"]["title"] == "'" + FORMULA
    assert by_id["formula"]["dispute"] == "'-1 dead, says one source"
    assert by_id["year"]["places"] == "Saraqeb; Madrid; Somewhere unmapped"
    assert by_id["year"]["place_ids"] == "saraqeb; madrid; nowhere"
    assert (by_id["timed"]["latitude"], by_id["timed"]["longitude"]) == ("40.4168", "-3.7038")  # still a number
    assert by_id["month"]["latitude"] == by_id["month"]["longitude"] == ""
    assert by_id["span"]["start"] == "2019-11" and by_id["span"]["end"] == "2020-03-05"
    assert by_id["day"]["tags"] == "clash; turkey" and by_id["day"]["publishers"] == "Le Monde; The New Arab"
    assert by_id["day"]["source_urls"] == "https://example.org/day" and by_id["day"]["url"] == "events/day/"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row.values())


def test_geojson_points_are_lon_lat(files):
    data = json.loads(files["events.geojson"])
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["id"]: f for f in data["features"]}
    located = [i for i in in_time_order() if any(PLACES[p].has_coordinates for p in EVENTS[i].places)]
    assert [f["properties"]["id"] for f in data["features"]] == located  # month and floating have no coordinates
    assert features["timed"]["geometry"] == {"type": "Point", "coordinates": [-3.7038, 40.4168]}
    assert features["year"]["geometry"] == {"type": "MultiPoint", "coordinates": [[36.8006, 35.8627],
                                                                                  [-3.7038, 40.4168]]}
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        points = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in points)
        assert set(feature["properties"]) == {"id", "title", "start", "end", "precision", "date_text", "places",
                                              "tags", "url", "status", "figures"}


def test_icalendar_dates(files):
    calendar = icalendar.Calendar.from_ical(files["events.ics"])
    assert str(calendar["version"]) == "2.0" and calendar["prodid"] and str(calendar["x-wr-calname"]) == "Timeline"
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(EVENTS)

    def span(uid):
        item = events[f"{uid}@timeline"]
        return item.decoded("dtstart"), item.decoded("dtend")

    day = dt.date
    assert span("day") == (day(2020, 2, 3), day(2020, 2, 4))  # RFC 5545: DTEND is exclusive
    assert span("month") == (day(2019, 12, 1), day(2020, 1, 1))
    assert span("year") == (day(2017, 1, 1), day(2018, 1, 1))
    assert span("span") == (day(2019, 11, 1), day(2020, 3, 6))
    utc = dt.timezone.utc
    start, end = span("timed")
    assert start == dt.datetime(2020, 2, 27, 7, 0, tzinfo=utc) and end - start == dt.timedelta(hours=1)
    assert "DTSTART:20200227T070000Z" in files["events.ics"]
    assert span("floating")[0] == dt.datetime(2020, 2, 28, 9, 30) and span("floating")[0].tzinfo is None
    item = events["day@timeline"]
    assert str(item["summary"]) == "Event day" and str(item["location"]) == "Saraqeb"
    assert str(item["description"]) == "3 February 2020\nLe Monde: An article\nThe New Arab: A report"
    assert item.categories == ["clash", "turkey"]
    assert "url" not in item  # no site URL known: a relative link means nothing in a calendar
    stamps = {e.decoded("dtstamp") for e in events.values()}
    assert stamps == {dt.datetime(2020, 3, 5, tzinfo=utc)}  # the latest date in the timeline, not the clock


def test_icalendar_links_when_site_url_is_known(timeline):
    ics = plan_exports(timeline, site_url="https://example.org/timeline")["events.ics"]
    events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    assert str(events["day@timeline"]["url"]) == "https://example.org/timeline/events/day/"


def test_atom_feed_newest_first_with_exact_titles(files):
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == "Timeline"
    assert [e.id for e in feed.entries] == [f"urn:timeline:{i}" for i in reversed(in_time_order())]
    titles = {e.id.rsplit(":", 1)[1]: e.title for e in feed.entries}
    assert titles["tagged"] == TAGGED and titles["quoted"] == QUOTED and titles["formula"] == FORMULA
    entry = next(e for e in feed.entries if e.id == "urn:timeline:span")
    assert entry.updated_parsed[:3] == (2020, 3, 5) and entry.link == "events/span/"
    assert feed.feed.updated_parsed[:3] == (2020, 3, 5)
    day = next(e for e in feed.entries if e.id == "urn:timeline:day")
    assert "<em>ok</em>" in day.content[0].value and "<script" not in day.content[0].value


def test_atom_feed_keeps_the_newest_fifty():
    many = tuple(event(f"e{n:03d}", (dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat()) for n in range(60))
    feed = feedparser.parse(plan_exports(Timeline(events=many, places=PLACES))["feed.xml"])
    assert [e.id for e in feed.entries] == [f"urn:timeline:e{n:03d}" for n in range(59, 9, -1)]


def test_timelinejs_events_and_eras(files):
    data = json.loads(files["timelinejs.json"])
    slides = {s["unique_id"]: s for s in data["events"]}
    assert [s["unique_id"] for s in data["events"]] == in_time_order()
    assert slides["tagged"]["text"]["headline"] == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert slides["year"]["start_date"] == {"year": 2017, "display_date": "2017"}
    assert slides["month"]["start_date"] == {"year": 2019, "month": 12, "display_date": "December 2019"}
    assert slides["span"]["end_date"] == {"year": 2020, "month": 3, "day": 5, "display_date": "5 March 2020"}
    assert slides["timed"]["start_date"] == {"year": 2020, "month": 2, "day": 27, "hour": 10, "minute": 0,
                                             "display_date": "27 February 2020, 10:00 UTC+03:00"}
    assert slides["day"]["group"] == "clash" and "group" not in slides["month"]
    assert slides["span"]["display_date"] == "November 2019 – 5 March 2020"
    text = slides["day"]["text"]["text"]
    assert "<em>ok</em>" in text and "<script" not in text and "Le Monde: An article" in text
    offensive, ceasefire = data["eras"]
    assert offensive["text"]["headline"] == "Offensive" and offensive["end_date"]["day"] == 5
    assert ceasefire["end_date"] == {"year": 2020, "month": 3, "day": 5, "display_date": "5 March 2020"}


def test_build_writes_every_export(project):
    project.event("e", title="=1+2")
    status, out, err = project.run("build", "-q")
    assert status == 0, out + err
    site = project.root / "site"
    assert {name for name in FILES if (site / name).is_file()} == FILES
    rows = list(csv.reader(io.StringIO((site / "events.csv").read_text(encoding="utf-8"), newline="")))
    assert rows[1][1] == "'=1+2"
    assert (site / "events.csv").read_bytes().count(b"\r\n") == 2  # written as generated, no newline translation


def test_the_long_exports_come_in_pieces_that_make_the_whole():
    """A build writes each data file as its pieces come (at 10,000 events they are 100 MB of text):
    no piece of a long file is more than a fraction of it, and the pieces are the file."""
    from timeline.exports import export_files

    many = Timeline(events=tuple(event(f"e{n:04d}", f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}",
                                       places=("saraqeb",) if n % 3 else ("madrid", "nowhere"), tags=(f"t{n % 7}",))
                                 for n in range(1200)), places=PLACES, periods=PERIODS)
    made = export_files(make_plan(many), site_url="https://example.org/t/")
    for path in ("events.json", "events.csv", "events.geojson", "events.ics", "timelinejs.json", "timeline-index.json"):
        pieces = list(made[path]())
        whole = "".join(pieces)
        assert len(pieces) > 2 and max(map(len, pieces)) < len(whole) / 2, path
    assert len(list(csv.reader(io.StringIO("".join(made["events.csv"]()))))) == 1201
    assert len(json.loads("".join(made["events.geojson"]()))["features"]) == 1200
    index = json.loads("".join(made["timeline-index.json"]()))
    assert index["count"] == len(index["events"]) == 1200 and index["events"][0][0] == "e0000"
    calendar = icalendar.Calendar.from_ical("".join(made["events.ics"]()))
    assert len(calendar.walk("VEVENT")) == 1200


def test_an_export_with_nothing_located_is_still_whole_geojson():
    made = plan_exports(Timeline(events=(event("x", "2020-01-01", places=("nowhere",)),), places=PLACES))
    assert json.loads(made["events.geojson"]) == {"type": "FeatureCollection", "features": []}
