"""Plain data: what the rest of the package passes around.

Nothing here reads files or knows about MkDocs; every type is a frozen dataclass
so that a loaded timeline can be shared between builds without defensive copies.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named as the functools one it stands in for)
    """functools.cached_property without its lock, as Python 3.12 has it: on Python 3.11 the first
    use of each event's dates and sort key takes an RLock, 4 % of checking 10,000 events. Computed
    twice from two threads, a value is the same. Frozen dataclasses allow it: it writes __dict__."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function, self.name, self.__doc__ = function, function.__name__, function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


MONTHS = [calendar.month_name[m] for m in range(13)]  # MONTHS[2] == "February"

# Coarser precisions sort first among events that start on the same day.
PRECISIONS = ("year", "month", "day", "minute")


@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month, day or minute precision.

    `2017` means "some time in 2017": it starts on 1 January and ends on
    31 December, and is shown as "2017", never as "1 January 2017".
    """

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset_minutes: int | None = None  # None: local time of the place, no offset given

    @property
    def precision(self) -> str:
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        if self.hour is None:
            return "day"
        return "minute"

    @cached_property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def last_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    @cached_property
    def sort_key(self) -> tuple:
        """The first day, the precision (coarser first), the time of day: flat, and without making a
        date (sorting 10,000 events makes one for each otherwise)."""
        return (self.year, self.month or 1, self.day or 1, PRECISIONS.index(self.precision), self.hour or 0,
                self.minute or 0, self.second or 0)

    def moment(self) -> dt.datetime:
        """A minute-precision date as a datetime: aware when its UTC offset is given, else naive
        (the local time of the place)."""
        zone = None if self.offset_minutes is None else dt.timezone(dt.timedelta(minutes=self.offset_minutes))
        return dt.datetime(self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0,
                           self.second or 0, tzinfo=zone)

    def iso(self) -> str:
        """The canonical text form, as an editor writes it: 2017, 2019-12, 2020-02-03, 2020-02-03T10:00+03:00."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset_minutes is not None:
                sign = "-" if self.offset_minutes < 0 else "+"
                hours, minutes = divmod(abs(self.offset_minutes), 60)
                text += f"{sign}{hours:02d}:{minutes:02d}"
        return text

    def human(self) -> str:
        """How a reader sees it: "2017", "December 2019", "3 February 2020", "3 February 2020, 10:00 UTC+03:00"."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month]} {self.year}"
        text = f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.hour is not None:
            text += f", {self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset_minutes is not None:
                text += " UTC" + self.iso()[-6:]
        return text


def human_range(start: PartialDate, end: PartialDate | None) -> str:
    """"3 February 2020", "3–5 February 2020", "December 2019 – 5 March 2020"."""
    if end is None or end == start:
        return start.human()
    if start.precision == end.precision == "day" and start.month is not None and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{end.day} {MONTHS[start.month]} {start.year}"
        return f"{start.day} {MONTHS[start.month]} – {end.human()}"
    return f"{start.human()} – {end.human()}"


def date_label(start: PartialDate, end: PartialDate | None) -> str:
    """An event's date as the timeline lists it: an event known only to its month or year says so
    ("Sometime in February 2020"), since it is listed first in that month or year."""
    if end is None and start.precision in ("month", "year"):
        return f"Sometime in {start.human()}"
    return human_range(start, end)


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None
    country: str | None = None
    parent: str | None = None
    description: str | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


STATUSES = ("reported", "corroborated", "verified", "disputed", "retracted")
FIGURES = ("killed", "injured", "displaced", "missing", "detained")  # what a source's claim may count


@dataclass(frozen=True)
class Figure:
    """A count as a source gives it: one number (low == high) or a range."""

    low: int
    high: int

    def text(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"


@dataclass(frozen=True)
class Correction:
    date: PartialDate
    note: str


@dataclass(frozen=True)
class Publisher:
    """Who publishes sources (publishers.yml): a news agency, a newspaper, a monitor, a government…"""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    country: str | None = None
    language: str | None = None
    origin: str | None = None  # the publisher whose material this one republishes (Ahram Online: Reuters)
    grade: str | None = None  # reliability on the Admiralty scale, A (reliable) to F (cannot be judged)
    grade_basis: str | None = None


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str | None = None
    published: PartialDate | None = None
    claim: str | None = None  # what this source in particular reports
    archive: str | None = None  # an archived copy (a Wayback Machine snapshot, archive.today, …)
    accessed: PartialDate | None = None  # when the editor read it
    sha256: str | None = None  # of a saved capture: what a court or an auditor can check a copy against
    gone: PartialDate | None = None  # when the original was found offline: readers get the archive first
    by: str | None = None  # who makes the claim, when it is not the publisher (a minister, a monitor)
    killed: Figure | None = None
    injured: Figure | None = None
    displaced: Figure | None = None
    missing: Figure | None = None
    detained: Figure | None = None
    counted: str | None = None  # whom the figures count ("Syrian soldiers", "civilians")

    def figures(self) -> list[tuple[str, Figure]]:
        return [(name, f) for name in FIGURES if (f := getattr(self, name)) is not None]

    @property
    def claimant(self) -> str:
        return self.by or self.publisher


@dataclass(frozen=True)
class Event:
    id: str
    path: str  # relative to the project root, for messages and "edit this page"
    title: str
    start: PartialDate
    places: tuple[str, ...]  # canonical place ids
    sources: tuple[Source, ...]
    end: PartialDate | None = None
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    dispute: str | None = None
    body: str = ""  # Markdown, as written
    status: str = "reported"
    verification: str | None = None  # how it was verified: geolocation, official confirmation…
    corrections: tuple[Correction, ...] = ()

    def __hash__(self) -> int:  # (serve keeps fragments of pages keyed by events: hashed once, not each time)
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    @cached_property
    def sort_key(self) -> tuple:
        """Chronological order, documented in the editing guide: start, coarser precision
        first, time of day, then the shorter span, then the id."""
        end_key = self.end.sort_key if self.end else self.start.sort_key
        return (self.start.sort_key, end_key, self.id)

    @property
    def year(self) -> int:
        return self.start.year


@dataclass(frozen=True)
class Period:
    """A named stretch of time (an offensive, a ceasefire) drawn on the timeline."""

    id: str
    title: str
    start: PartialDate
    end: PartialDate | None = None  # None: still going on
    description: str | None = None

    @property
    def sort_key(self) -> tuple:
        """Periods in time order: by start, then id."""
        return (self.start.sort_key, self.id)

    def contains(self, event: Event) -> bool:
        """An event belongs to a period when it starts inside it."""
        end = self.end.last_day if self.end else None
        return self.start.first_day <= event.start.first_day and (end is None or event.start.first_day <= end)


@dataclass(frozen=True)
class Timeline:
    """Everything the validator accepted, in chronological order."""

    events: tuple[Event, ...]
    places: dict[str, Place] = field(default_factory=dict)
    periods: tuple[Period, ...] = ()  # in time order
    publishers: dict[str, Publisher] = field(default_factory=dict)  # publishers.yml, when the project has one

    def by_id(self) -> dict[str, Event]:
        return {event.id: event for event in self.events}

    def latest_day(self) -> dt.date | None:
        """The last day any event reaches: what the build dates its output by."""
        return max(((e.end or e.start).last_day for e in self.events), default=None)


def slugify(text: str) -> str:
    """"Le Monde" → "le-monde", "Maaret al-Numan" → "maaret-al-numan"; "" when nothing ASCII is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
