"""Machine-readable copies of the timeline, built from the same validated events as the pages."""
from __future__ import annotations

import json

from .model import Event, PartialDate, Timeline, human_range
from .pages import Site, event_uri, publisher_slug


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def event_record(event: Event, timeline: Timeline, site: Site) -> dict:
    places = []
    for place_id in event.places:
        place = timeline.places[place_id]
        places.append({"id": place.id, "name": place.name, "lat": place.lat, "lon": place.lon})
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


def events_json(timeline: Timeline, site: Site = Site()) -> str:
    """events.json: every event in time order, with its places resolved to coordinates."""
    data = {"version": 1, "count": len(timeline.events),
            "events": [event_record(e, timeline, site) for e in timeline.events]}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def plan_exports(timeline: Timeline, directory_urls: bool = True) -> dict[str, str]:
    """Every generated data file, keyed by its path in the site."""
    return {"events.json": events_json(timeline, Site(directory_urls))}
