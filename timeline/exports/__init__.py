"""Machine-readable copies of the timeline, built from the same validated events as the pages.

Every export is a pure function of the Timeline: no clock, no environment, explicit ordering,
so that two builds of the same files give byte-identical data (and clean diffs for mirrors).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..pages import Plan
from ..pages.places import map_places
from .calendar import atom_feed, events_ics, events_ics_chunks
from .filters import filter_index, filter_index_chunks
from .records import event_record, events_json, events_json_chunks, events_schema
from .tabular import csv_cell, events_csv, events_csv_chunks, events_geojson, events_geojson_chunks
from .timelinejs import timelinejs, timelinejs_chunks

__all__ = ["atom_feed", "csv_cell", "event_record", "events_csv", "events_geojson", "events_ics", "events_json",
           "events_schema", "export_files", "filter_index", "plan_exports", "timelinejs"]


def export_files(plan: Plan, *, site_url: str | None = None,
                 title: str = "Timeline") -> dict[str, Callable[[], Iterable[str]]]:
    """Every generated data file by its path in the site, each made when asked for, in pieces: a
    build writes them one at a time as they come (at 10,000 events the eight are 100 MB of text)."""
    timeline, urls, renderer = plan.ix.timeline, plan.urls, plan.renderer
    return {
        "events.json": lambda: events_json_chunks(timeline, urls, renderer),
        "events.schema.json": lambda: (events_schema(),),
        "events.csv": lambda: events_csv_chunks(timeline, urls, renderer),
        "events.geojson": lambda: events_geojson_chunks(timeline, urls, renderer),
        "events.ics": lambda: events_ics_chunks(timeline, urls, title, site_url, renderer),
        "feed.xml": lambda: (atom_feed(timeline, urls, renderer, title, site_url),),
        "timelinejs.json": lambda: timelinejs_chunks(timeline, renderer, title),
        "timeline-index.json": lambda: filter_index_chunks(timeline, urls, renderer, plan.ix.publisher_names),
        "map-places.json": lambda: (map_places(plan),),
    }


def plan_exports(plan: Plan, *, site_url: str | None = None, title: str = "Timeline") -> dict[str, str]:
    """Every generated data file, made, keyed by its path in the site."""
    return {path: "".join(make()) for path, make in export_files(plan, site_url=site_url, title=title).items()}
