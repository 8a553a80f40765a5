"""Machine-readable copies of the timeline, built from the same validated events as the pages.

Every export is a pure function of the Timeline: no clock, no environment, explicit ordering,
so that two builds of the same files give byte-identical data (and clean diffs for mirrors).
"""
from __future__ import annotations

from ..pages import Plan
from ..pages.places import map_places
from .calendar import atom_feed, events_ics
from .filters import filter_index
from .records import event_record, events_json, events_schema
from .tabular import csv_cell, events_csv, events_geojson
from .timelinejs import timelinejs

__all__ = ["atom_feed", "csv_cell", "event_record", "events_csv", "events_geojson", "events_ics", "events_json",
           "events_schema", "filter_index", "plan_exports", "timelinejs"]


def plan_exports(plan: Plan, *, site_url: str | None = None, title: str = "Timeline") -> dict[str, str]:
    """Every generated data file, keyed by its path in the site."""
    timeline, urls = plan.ix.timeline, plan.urls
    return {
        "events.json": events_json(timeline, urls, plan.renderer),
        "events.schema.json": events_schema(),
        "events.csv": events_csv(timeline, urls, plan.renderer),
        "events.geojson": events_geojson(timeline, urls, plan.renderer),
        "events.ics": events_ics(timeline, urls, title, site_url, plan.renderer),
        "feed.xml": atom_feed(timeline, urls, plan.renderer, title, site_url),
        "timelinejs.json": timelinejs(timeline, plan.renderer, title),
        "timeline-index.json": filter_index(timeline, urls, plan.renderer, plan.ix.publisher_names),
        "map-places.json": map_places(plan),
    }
