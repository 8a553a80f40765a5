"""What the exports share: dates as text, time order, absolute links."""
from __future__ import annotations

import datetime as dt
import json
import urllib.parse

from ..model import Event, PartialDate, Period, Place, Timeline

EPOCH = dt.date(1970, 1, 1)  # stands in for "the latest date" of an empty timeline


def iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def ordered(timeline: Timeline) -> list[Event]:
    """Time order, whatever order the Timeline was built in (sort_key ends with the id: a total order)."""
    return sorted(timeline.events, key=lambda e: e.sort_key)


def periods(timeline: Timeline) -> list[Period]:
    return sorted(timeline.periods, key=lambda p: p.sort_key)


def places_of(event: Event, timeline: Timeline) -> list[Place]:
    return [timeline.places[place_id] for place_id in event.places]


def last_day(event: Event) -> dt.date:
    return (event.end or event.start).last_day


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def absolute(site_url: str, path: str) -> str:
    return urllib.parse.urljoin(site_url.rstrip("/") + "/", path)


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
