"""events.ics (iCalendar, RFC 5545, through icalendar) and feed.xml (Atom, through feedgen).

Deterministic: neither file ever carries the build's clock; every stamp is a date of the timeline.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import icalendar
from feedgen.feed import FeedGenerator

from ..markup import Renderer, esc
from ..model import Event, PartialDate, Timeline, human_range
from ..urls import HOME, Urls, event_uri
from .common import EPOCH, absolute, last_day, midnight_utc, ordered, places_of

FEED_SIZE = 50


def _moment(value: PartialDate) -> dt.datetime:
    """A minute-precision date: in UTC when its offset is known, else floating (local time of the place)."""
    moment = value.moment()
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:  # 1 January of year 1 east of UTC: no earlier instant to convert to
        return moment.replace(tzinfo=None)


def _ics_times(event: Event) -> tuple[dt.date, dt.date]:
    """DTSTART and DTEND. RFC 5545 wants both of one value type and DTEND exclusive: a timed event
    stays timed only when its end (if any) is timed too; anything else is all-day, to the day after."""
    start, end = event.start, event.end
    if start.precision == "minute" and (end is None or end.precision == "minute"):
        begin = _moment(start)
        return begin, _moment(end) if end else begin + dt.timedelta(hours=1)
    return start.first_day, last_day(event) + dt.timedelta(days=1)


def events_ics(timeline: Timeline, urls: Urls, title: str = "Timeline", site_url: str | None = None,
               renderer: Renderer | None = None) -> str:
    return "".join(events_ics_chunks(timeline, urls, title, site_url, renderer))


def events_ics_chunks(timeline: Timeline, urls: Urls, title: str = "Timeline", site_url: str | None = None,
                      renderer: Renderer | None = None) -> Iterator[str]:
    """events.ics: the calendar's head, each event's VEVENT, its end, as they are made."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline//events export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    stamp = midnight_utc(timeline.latest_day() or EPOCH)  # deterministic: the build's clock never enters the file
    def vevent(event: Event) -> bytes:  # icalendar is slow: serve makes an entry again only when it changed
        key = ("ics", event, tuple(p.name for p in places_of(event, timeline)), stamp, site_url, urls.directory_urls)
        args = (event, timeline, stamp, urls, site_url)
        return renderer.fragment(key, _vevent, *args) if renderer else _vevent(*args)
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    yield head.decode("utf-8")
    for event in ordered(timeline):
        yield vevent(event).decode("utf-8")
    yield (b"END:VCALENDAR" + end).decode("utf-8")


def _vevent(event: Event, timeline: Timeline, stamp: dt.datetime, urls: Urls, site_url: str | None) -> bytes:
    """One event's VEVENT, serialised by icalendar."""
    start, end = _ics_times(event)
    places = places_of(event, timeline)
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
        item.add("url", absolute(site_url, urls.url(event_uri(event.id))))
    return item.to_ical()


def atom_feed(timeline: Timeline, urls: Urls, renderer: Renderer, title: str = "Timeline",
              site_url: str | None = None) -> str:
    """Atom, newest first. Without a site_url the links are relative: Atom resolves them against the
    feed's own address (feed.xml sits at the site's root), so the feed works under any host or folder."""
    def link(path: str) -> str:
        return absolute(site_url, path) if site_url else (path or "./")

    newest = sorted(timeline.events, key=lambda e: e.sort_key, reverse=True)[:FEED_SIZE]
    feed = FeedGenerator()
    feed.id(absolute(site_url, "feed.xml") if site_url else "urn:timeline:feed")
    feed.title(title)
    feed.author({"name": title})  # Atom requires an author; the timeline speaks for itself
    feed.link(href=link(urls.url(HOME)), rel="alternate")
    feed.link(href=link("feed.xml"), rel="self")
    feed.updated(max((midnight_utc(last_day(e)) for e in newest), default=midnight_utc(EPOCH)))
    for event in newest:
        date_text = human_range(event.start, event.end)
        entry = feed.add_entry(order="append")  # feedgen prepends by default
        entry.id(f"urn:timeline:{event.id}")  # stable whatever the site's address
        entry.title(event.title)
        entry.updated(midnight_utc(last_day(event)))  # never "now": rebuilds must not re-announce
        entry.link(href=link(urls.url(event_uri(event.id))), rel="alternate")
        entry.summary(date_text)
        entry.content(f"<p>{esc(date_text)}</p>\n{renderer.body(event.body)}", type="html")  # feedgen escapes
    return feed.atom_str(pretty=True).decode("utf-8")
