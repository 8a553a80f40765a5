"""Plan every generated page: {source uri: page}. Pure: no MkDocs, no files.

Each page kind is a function from the Plan (the timeline's indexes, computed once, and the
site's settings) to its pages; this module only calls them in the site's order.
"""
from __future__ import annotations

from ..history import History
from ..indexes import build_indexes
from ..markup import Renderer, plural
from ..model import Timeline
from ..settings import Settings
from ..urls import HOME, MAP, PLACES_INDEX, SOURCES_INDEX, TAGS_INDEX, Urls, event_uri, place_uri, source_uri, tag_uri
from .changes import changes_pages, redirect_page, withdrawn_page
from .common import HtmlPage, MarkdownPage, Page, Plan
from .event import event_page
from .lists import index_page, source_page, tag_page
from .places import map_page, place_page
from .timeline import TIMELINE_MARKER, home_page, listing_page

__all__ = ["HtmlPage", "MarkdownPage", "Page", "Plan", "TIMELINE_MARKER", "make_plan", "plan_pages"]


def make_plan(timeline: Timeline, settings: Settings = Settings(), urls: Urls = Urls(),
              renderer: Renderer | None = None, history: History | None = None) -> Plan:
    return Plan(build_indexes(timeline, settings.page_size), urls, settings, renderer or Renderer(),
                history or History())


def plan_pages(plan: Plan, intro: str | None = None) -> dict[str, Page]:
    """Every generated page, keyed by its source uri (as if it were in docs/): MarkdownPage for the
    timeline pages (their year and month headings make the table of contents), HtmlPage for the rest."""
    ix = plan.ix
    pages: dict[str, Page] = {HOME: home_page(plan, intro)}
    for uri in ix.listing_pages:
        pages[uri] = listing_page(plan, uri)
    for index, event in enumerate(ix.events):
        pages[event_uri(event.id)] = event_page(plan, index)
    years: dict[str, HtmlPage] = {}  # the year pages of long place, tag and source lists
    places = ix.places
    for place in places:
        pages[place_uri(place.id)], more = place_page(plan, place)
        years.update(more)
    pages[MAP] = map_page(plan)
    unused = len(ix.timeline.places) - len(places)
    pages[PLACES_INDEX] = index_page(plan, "Places", PLACES_INDEX, "Place", [
        (place_uri(p.id), p.name, len(ix.by_place.get(p.id, [])),
         ", ".join(x for x in (p.kind, p.country) if x)) for p in places],
        note=f"{plural(unused, 'place')} in places.yml {'has' if unused == 1 else 'have'} no events yet, "
        "so no page." if unused else "")
    for tag in sorted(ix.by_tag):
        pages[tag_uri(tag)], more = tag_page(plan, tag)
        years.update(more)
    pages[TAGS_INDEX] = index_page(plan, "Tags", TAGS_INDEX, "Tag", [
        (tag_uri(t), t, len(ix.by_tag[t]), "") for t in sorted(ix.by_tag)])
    for slug in sorted(ix.by_publisher):
        pages[source_uri(slug)], more = source_page(plan, slug)
        years.update(more)
    pages[SOURCES_INDEX] = index_page(plan, "Sources", SOURCES_INDEX, "Publisher", [
        (source_uri(slug), ix.publisher_names[slug], len(ix.by_publisher[slug]), "")
        for slug in sorted(ix.by_publisher, key=lambda s: ix.publisher_names[s].casefold())])
    pages.update(years)
    history = plan.history
    pages.update(changes_pages(plan, history))
    for old_id, new_id in sorted(history.moved.items()):  # old addresses keep working
        if old_id not in ix.by_id and new_id in ix.by_id:
            pages[event_uri(old_id)] = redirect_page(plan, old_id, new_id)
    for event_id, withdrawn in sorted(history.withdrawn.items()):
        if event_id not in ix.by_id:
            pages[event_uri(event_id)] = withdrawn_page(plan, withdrawn)
    return pages
