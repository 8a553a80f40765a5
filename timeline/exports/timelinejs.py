"""timelinejs.json: the timeline in TimelineJS3's format, to embed with Knight Lab's viewer.

TimelineJS inserts headline and text as HTML, so every user string is escaped here, and the body
is the sanitised HTML the event pages show. Each slide also carries the event as written
(`timeline_event`), which TimelineJS ignores and `import timelinejs` reads back exactly.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from ..fields import CORRECTIONS, EVENTS, SOURCES
from ..markup import Renderer, esc
from ..model import Event, Figure, PartialDate, Source, Timeline, human_range
from .common import ordered, periods

TJS_PARTS = ("year", "month", "day", "hour", "minute", "second")

# TimelineJS sanitises each HTML field with DOMPurify and *then* turns text that starts with "www."
# into links, with a pattern (`www\.[\S]+`) that takes quotes along: `www.x.org'onmouseover='…'`
# became an attribute of its link. DOMPurify writes every entity back as the character, so no
# escaping survives; breaking each "www." of the text with an empty element does.
_PSEUDO_URL = re.compile(r"(?i)(www)(\.)")


class _AutolinkProof(HTMLParser):
    """Re-writes sanitised HTML unchanged but for its text, where each 'www.' is broken."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(_PSEUDO_URL.sub(r"\1<span></span>\2", data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")


def autolink_proof(html: str) -> str:
    """HTML for a TimelineJS field, safe as TimelineJS renders it, autolinking included."""
    if "www" not in html.lower():
        return html
    writer = _AutolinkProof()
    writer.feed(html)
    writer.close()
    return "".join(writer.out)
EXTENSION_KEY = "timeline_event"


def tjs_date(value: PartialDate) -> dict:
    """A TimelineJS date object, down to the date's precision. TimelineJS has no time zones:
    a time stays the wall-clock time written, and display_date shows its offset."""
    parts = {name: getattr(value, name) for name in TJS_PARTS if getattr(value, name) is not None}
    return {**parts, "display_date": autolink_proof(esc(value.human()))}


def _sources_line(event: Event) -> str:
    names = "; ".join(f"{s.publisher}: {s.title}" for s in event.sources)
    return f'<p class="tl-sources">Sources: {esc(names)}</p>' if names else ""


def _value(value: object) -> object:
    """A model value as JSON: dates as written, tuples as lists, sources as their keys."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if isinstance(value, Figure):  # as written: a number, or [low, high]
        return value.low if value.low == value.high else [value.low, value.high]
    if hasattr(value, "__dataclass_fields__"):  # a Source or a Correction
        table = SOURCES if isinstance(value, Source) else CORRECTIONS
        return {f.key: _value(getattr(value, f.attr or f.key)) for f in table.fields
                if getattr(value, f.attr or f.key) is not None}
    return value


def as_written(event: Event) -> dict:
    """The event as written (every key of the field table, the Markdown body), so that `import
    timelinejs` gives it back exactly. The date is here too: TimelineJS's date objects have no UTC offset."""
    return {"id": event.id, **{f.key: _value(getattr(event, f.attr or f.key)) for f in EVENTS.fields},
            "body": event.body}


def timelinejs(timeline: Timeline, renderer: Renderer, title: str = "Timeline") -> str:
    return "".join(timelinejs_chunks(timeline, renderer, title))


def timelinejs_chunks(timeline: Timeline, renderer: Renderer, title: str = "Timeline") -> Iterator[str]:
    """timelinejs.json in pieces, to be written as they come: whole, it is the largest export (at
    10,000 events 60 MB of text, twice that in memory once one character is beyond Latin-1)."""
    events = ordered(timeline)
    head = json.dumps({"title": {"text": {"headline": autolink_proof(esc(title))}}}, ensure_ascii=False)[:-1]
    yield f'{head}, "events": [\n'
    for number, event in enumerate(events):
        yield (",\n" if number else "") + renderer.fragment(("timelinejs", event), _slide, event, renderer)
    # TimelineJS needs an end for every era: an open period runs to the latest event.
    latest = max((e.end or e.start for e in events), key=lambda d: (d.last_day, d.sort_key), default=None)
    eras = [{"start_date": tjs_date(p.start), "end_date": tjs_date(p.end or latest or p.start),
             "text": {"headline": autolink_proof(esc(p.title)), "text": autolink_proof(esc(p.description or ""))}}
            for p in periods(timeline)]
    yield f'\n], "eras": {json.dumps(eras, ensure_ascii=False)}}}\n'


def _slide(event: Event, renderer: Renderer) -> str:
    slide: dict[str, object] = {"start_date": tjs_date(event.start)}
    if event.end:
        slide["end_date"] = tjs_date(event.end)
    slide["text"] = {"headline": autolink_proof(esc(event.title)),
                     "text": autolink_proof(renderer.body(event.body) + _sources_line(event))}
    if event.tags:
        slide["group"] = event.tags[0]
    slide["display_date"] = autolink_proof(esc(human_range(event.start, event.end)))
    slide["unique_id"] = event.id
    slide[EXTENSION_KEY] = as_written(event)  # ignored by TimelineJS; read back by the importer
    return json.dumps(slide, ensure_ascii=False)
