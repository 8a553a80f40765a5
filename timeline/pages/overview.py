"""The time overview at the top of the timeline: every event drawn to scale on one time axis, as
inline SVG made at build time (it shows without script; timeline.js only adds choosing a range).

The x of a mark's left edge is linear in the event's first day. A day is a dot, a span a bar from
its start to its end, an event known only to its month or year a faint band across all of it.
Marks that would overlap stack upwards, so a busy week stands taller than a quiet one. A timeline
too dense for one mark per event is drawn as a count per week instead.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..markup import attr, esc, plural
from ..model import MONTHS, Event, PartialDate, human_range
from ..urls import HOME, event_uri
from .common import Plan, period_dates

WIDTH = 700  # viewBox units; CSS scales it to the column (and a phone scrolls it: see timeline.css)
LEFT, RIGHT = 8, 8
BAND_H = 16  # the periods' label row
ROW, MARK = 5, 4  # height of a stacking row, and of a mark in it
MAX_ROWS = 32  # more stacked than this and the overview shows counts per week
MAX_MARKS = 600  # past this many events, counts per week (the home page stays small)
AXIS_H = 26
COUNT_H = 60  # the tallest week's bar, in the aggregated form
GAP_DAYS = 60  # a quiet stretch this long is named in the summary


@dataclass(frozen=True)
class Axis:
    first: dt.date
    last: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def x(self, day: dt.date) -> float:
        return LEFT + (day - self.first).days * (WIDTH - LEFT - RIGHT) / self.days

    def x_end(self, day: dt.date) -> float:
        """The right edge of a day."""
        return self.x(day + dt.timedelta(days=1))


def _last_day(event: Event) -> dt.date:
    return (event.end or event.start).last_day


def axis_of(plan: Plan) -> Axis | None:
    events = plan.ix.events
    if not events:
        return None
    first = min(e.start.first_day for e in events)
    last = max(_last_day(e) for e in events)
    first = first.replace(day=1)  # whole months, so ticks sit on month starts; periods are cut at the events
    nxt = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return Axis(first, nxt - dt.timedelta(days=1))


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _rect(x: float, y: float, w: float, h: float, css: str, rx: float = 0) -> str:
    corner = f' rx="{_fmt(rx)}"' if rx else ""
    return (f'<rect class="{css}" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(max(w, 0.5))}" '
            f'height="{_fmt(h)}"{corner}/>')


def _mark_box(axis: Axis, event: Event) -> tuple[float, float, str]:
    """(left, right, kind) of an event's mark."""
    start = axis.x(event.start.first_day)
    precision = event.start.precision
    if precision in ("month", "year") and not event.end:
        return start, axis.x_end(event.start.last_day), "tl-ov-range"
    if event.end and event.end.last_day > event.start.first_day:
        return start, max(axis.x_end(event.end.last_day), start + MARK), "tl-ov-span"
    return start, start + MARK, "tl-ov-day"


def _stack(boxes: list[tuple[float, float]]) -> list[int]:
    """The lowest free row for each box, in order: a box never overlaps another in its row."""
    ends: list[float] = []  # each row's right edge so far
    rows = []
    for left, right in boxes:
        for row, end in enumerate(ends):
            if left >= end + 1:
                ends[row] = right
                rows.append(row)
                break
        else:
            ends.append(right)
            rows.append(len(ends) - 1)
    return rows


def _ticks(axis: Axis, top: float, height: float) -> list[str]:
    """A tick on each month start, labelled when there is room; a year's start is labelled with it."""
    out = []
    month_width = (WIDTH - LEFT - RIGHT) * 30.4 / axis.days
    day = axis.first
    base = top + height
    while day <= axis.last:
        x = _fmt(axis.x(day))
        if day.month == 1 or day == axis.first:
            out.append(f'<line class="tl-ov-tick tl-ov-year" x1="{x}" x2="{x}" y1="{_fmt(top)}" y2="{_fmt(base + 6)}"/>')
            out.append(f'<text class="tl-ov-year-label" x="{x}" y="{_fmt(base + 19)}" dx="2">{day.year}</text>')
        else:
            out.append(f'<line class="tl-ov-tick" x1="{x}" x2="{x}" y1="{_fmt(base)}" y2="{_fmt(base + 4)}"/>')
        if month_width >= 24 and day.month != 1:
            out.append(f'<text class="tl-ov-month-label" x="{x}" y="{_fmt(base + 13)}" dx="2">{MONTHS[day.month][:3]}</text>')
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _period_bands(plan: Plan, axis: Axis, height: float) -> list[str]:
    out = []
    for period in plan.ix.timeline.periods:
        left = axis.x(max(period.start.first_day, axis.first))
        end = min(period.end.last_day, axis.last) if period.end else axis.last
        if end < axis.first or period.start.first_day > axis.last:
            continue
        right = axis.x_end(end)
        band = plan.ix.band(period)
        label = f"{period.title} ({period_dates(period)})"
        out.append(f'<g class="tl-ov-period {band}"><title>{esc(label)}</title>'
                   + _rect(left, 0, right - left, height, "tl-ov-band")
                   + _rect(left, 0, right - left, 3, "tl-ov-band-edge")
                   + f'<svg x="{_fmt(left)}" y="0" width="{_fmt(max(right - left, 1))}" height="{BAND_H}">'
                   f'<text class="tl-ov-band-label" x="3" y="13">{esc(period.title)}</text></svg></g>')
    return out


def _marks(plan: Plan, axis: Axis, events: tuple[Event, ...]) -> tuple[list[str], int] | None:
    boxes = [_mark_box(axis, e) for e in events]
    rows = _stack([(left, right) for left, right, _ in boxes])
    if rows and max(rows) >= MAX_ROWS:
        return None
    height = (max(rows, default=0) + 1) * ROW
    out = []
    for event, (left, right, kind), row in zip(events, boxes, rows, strict=True):
        y = BAND_H + height - (row + 1) * ROW + (ROW - MARK) / 2
        href = attr(plan.urls.href(HOME, event_uri(event.id)))
        rx = MARK / 2 if kind != "tl-ov-range" else 1
        flag = " tl-ov-disputed" if event.dispute else ""
        out.append(f'<a href="{href}" tabindex="-1" class="tl-ov-mark{flag}" data-event="{attr(event.id)}" '
                   f'data-start="{event.start.first_day.isoformat()}" data-end="{_last_day(event).isoformat()}">'
                   f"<title>{esc(human_range(event.start, event.end))}: {esc(event.title)}</title>"
                   + _rect(left, y, right - left, MARK, kind, rx) + "</a>")
    return out, height


def _counts(axis: Axis, events: tuple[Event, ...]) -> tuple[list[str], int]:
    """The aggregated form: a bar per week, as tall as the number of events starting in it."""
    weeks: Counter[dt.date] = Counter()
    for event in events:
        day = max(event.start.first_day, axis.first)
        weeks[day - dt.timedelta(days=day.weekday())] += 1
    top = max(weeks.values())
    out = []
    for week, count in sorted(weeks.items()):
        h = max(1.5, COUNT_H * count / top)
        left = max(axis.x(week), LEFT)
        out.append(f'<g class="tl-ov-week" data-start="{week.isoformat()}" '
                   f'data-end="{(week + dt.timedelta(days=6)).isoformat()}"><title>Week of {week.day} '
                   f'{MONTHS[week.month]} {week.year}: {plural(count, "event")}</title>'
                   + _rect(left, BAND_H + COUNT_H - h, max(axis.x_end(week + dt.timedelta(days=6)) - left, 1), h,
                           "tl-ov-count") + "</g>")
    return out, COUNT_H


def summary(plan: Plan) -> str:
    """The overview in words (for screen readers, and anyone): span, busiest month, quiet stretches."""
    events = plan.ix.events
    months = Counter((e.start.year, e.start.month) for e in events if e.start.month is not None)
    parts = [f"The overview draws {plural(len(events), 'event')} from {events[0].start.human()} to "
             f"{_human_last(events)} on one time axis."]
    if months:
        (year, month), count = max(months.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
        parts.append(f"The busiest month is {MONTHS[month]} {year}, with {plural(count, 'event')}.")
    gaps = []
    reach: tuple[dt.date, PartialDate] | None = None
    for event in events:
        if reach and (event.start.first_day - reach[0]).days > GAP_DAYS:
            gaps.append(f"between {reach[1].human()} and {event.start.human()}")
        last = _last_day(event)
        if reach is None or last > reach[0]:
            reach = (last, event.end or event.start)
    if gaps:
        parts.append("No events " + (", ".join(gaps[:-1]) + " or " + gaps[-1] if len(gaps) > 1 else gaps[0]) + ".")
    return " ".join(parts)


def _human_last(events: tuple[Event, ...]) -> str:
    last = max(events, key=_last_day)
    return (last.end or last.start).human()


def legend(aggregated: bool, has: set[str]) -> str:
    def key(css: str, shape: str, text: str) -> str:
        return (f'<li><svg class="tl-ov-key" viewBox="0 0 24 10" width="24" height="10" aria-hidden="true">'
                f"{shape}</svg> {text}</li>")
    items = []
    if aggregated:
        items.append(key("count", _rect(8, 0, 8, 10, "tl-ov-count"), "events starting in a week (taller: more)"))
    else:
        if "tl-ov-day" in has:
            items.append(key("day", _rect(8, 2, MARK, MARK, "tl-ov-day", MARK / 2), "an event on a known day"))
        if "tl-ov-span" in has:
            items.append(key("span", _rect(2, 2, 20, MARK, "tl-ov-span", MARK / 2), "a span, drawn from start to end"))
        if "tl-ov-range" in has:
            items.append(key("range", _rect(0, 2, 24, MARK, "tl-ov-range", 1),
                             "known only to the month or year: drawn across all of it"))
        if "disputed" in has:
            items.append(key("disputed", _rect(8, 2, MARK, MARK, "tl-ov-day tl-ov-disputed-key", MARK / 2),
                             "sources differ"))
    if "period" in has:
        items.append(key("period", _rect(0, 0, 24, 10, "tl-ov-band tl-band-0") + _rect(0, 0, 24, 2, "tl-ov-band-edge tl-band-0"),
                         "a period (named above its band)"))
    return '<ul class="tl-ov-legend" aria-label="Key to the overview">' + "".join(items) + "</ul>"


def overview(plan: Plan) -> str:
    """The figure: the SVG, its key and its summary; the range controls are added by timeline.js."""
    axis = axis_of(plan)
    if axis is None:
        return ""
    events = plan.ix.events
    drawn = _marks(plan, axis, events) if len(events) <= MAX_MARKS else None
    aggregated = drawn is None
    marks, height = drawn if drawn is not None else _counts(axis, events)
    has = {"period"} if plan.ix.timeline.periods else set()
    if not aggregated:
        has |= {_mark_box(axis, e)[2] for e in events}
        if any(e.dispute for e in events):
            has.add("disputed")
    area = BAND_H + height
    total = area + AXIS_H
    svg = (f'<svg class="tl-ov-svg" viewBox="0 0 {WIDTH} {_fmt(total)}" role="group" '
           f'aria-label="Events over time" data-first="{axis.first.isoformat()}" data-last="{axis.last.isoformat()}" '
           f'data-left="{LEFT}" data-right="{WIDTH - RIGHT}" data-top="{BAND_H}" data-bottom="{_fmt(area)}" '
           f'preserveAspectRatio="xMinYMin meet">'
           + "".join(_period_bands(plan, axis, area))
           + f'<line class="tl-ov-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(area)}" y2="{_fmt(area)}"/>'
           + "".join(_ticks(axis, BAND_H, height))
           + f'<g class="tl-ov-marks" aria-hidden="true">{"".join(marks)}</g>'
           + "</svg>")
    return (f'<figure class="tl-overview-figure{" tl-ov-aggregated" if aggregated else ""}" id="tl-overview">'
            f'<div class="tl-ov-scroll">{svg}</div>'
            f'<figcaption><p class="tl-ov-summary">{esc(summary(plan))}</p>{legend(aggregated, has)}</figcaption>'
            "</figure>\n")
