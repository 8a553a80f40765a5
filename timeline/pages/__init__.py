"""Plan every generated page: {source uri: page}. Pure: no MkDocs, no files.

Each page kind is a function from the Plan (the timeline's indexes, computed once, and the
site's settings) to its pages; this module only calls them in the site's order.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from ..history import History
from ..indexes import build_indexes
from ..markup import Renderer, plural
from ..model import Timeline
from ..settings import Settings
from ..urls import HOME, MAP, PLACES_INDEX, SOURCES_INDEX, TAGS_INDEX, Urls, event_uri, place_uri, source_uri, tag_uri
from .changes import changes_pages, redirect_page, withdrawn_page
from .common import DeferredPage, HtmlPage, MarkdownPage, PackedPage, Page, Plan
from .event import event_page
from .lists import index_page, source_page, tag_page
from .places import map_page, place_page
from .timeline import TIMELINE_MARKER, home_page, listing_page

__all__ = ["DeferredPage", "Group", "HtmlPage", "MarkdownPage", "PackedPage", "Page", "Plan", "TIMELINE_MARKER",
           "in_site_order", "make_plan", "page_groups", "plan_pages"]

T = TypeVar("T")


def make_plan(timeline: Timeline, settings: Settings = Settings(), urls: Urls = Urls(),
              renderer: Renderer | None = None, history: History | None = None) -> Plan:
    return Plan(build_indexes(timeline, settings.page_size), urls, settings, renderer or Renderer(),
                history or History())


@dataclass(frozen=True)
class Group:
    """Pages made together: an event's page, a place's page and the pages of its years… `always`:
    pages that sum up the whole timeline (the home page, the map, the indexes, the changes), planned
    on every build; the others are planned again only when an event they show changed
    (timeline/incremental.py). `years`: the group's pages after its first go with all other groups'
    years, after the sources index (the order of the sitemap and the search index)."""

    key: str
    make: Callable[[], dict[str, Page]]
    always: bool = False
    years: bool = False
    event: str = ""  # the event whose page this is


def page_groups(plan: Plan, intro: str | None = None) -> list[Group]:
    """Every generated page, as groups in the site's order."""
    ix = plan.ix
    groups = [Group("home", lambda: {HOME: home_page(plan, intro)}, always=True)]
    for uri in ix.listing_pages:
        groups.append(Group(f"listing:{uri}", partial(_one, uri, listing_page, plan, uri)))
    for index, event in enumerate(ix.events):
        groups.append(Group(f"event:{event.id}", partial(_one, event_uri(event.id), event_page, plan, index),
                            event=event.id))
    places = ix.places
    for place in places:
        groups.append(Group(f"place:{place.id}", partial(_with_years, place_uri(place.id), place_page, plan, place),
                            years=True))
    groups.append(Group("map", lambda: {MAP: map_page(plan)}, always=True))
    groups.append(Group("index:places", lambda: {PLACES_INDEX: places_index(plan)}, always=True))
    for tag in sorted(ix.by_tag):
        groups.append(Group(f"tag:{tag}", partial(_with_years, tag_uri(tag), tag_page, plan, tag), years=True))
    groups.append(Group("index:tags", lambda: {TAGS_INDEX: index_page(plan, "Tags", TAGS_INDEX, "Tag", [
        (tag_uri(t), t, len(ix.by_tag[t]), "") for t in sorted(ix.by_tag)])}, always=True))
    for slug in sorted(ix.by_publisher):
        groups.append(Group(f"source:{slug}", partial(_with_years, source_uri(slug), source_page, plan, slug),
                            years=True))
    groups.append(Group("index:sources", lambda: {SOURCES_INDEX: index_page(plan, "Sources", SOURCES_INDEX, "Publisher", [
        (source_uri(slug), ix.publisher_names[slug], len(ix.by_publisher[slug]), "")
        for slug in sorted(ix.by_publisher, key=lambda s: ix.publisher_names[s].casefold())])}, always=True))
    groups.append(Group("history", lambda: history_pages(plan), always=True))
    return groups


def _one(uri: str, make: Callable[..., Page], *args: Any) -> dict[str, Page]:
    return {uri: make(*args)}


def _with_years(uri: str, make: Callable[..., tuple[HtmlPage, dict[str, HtmlPage]]], *args: Any) -> dict[str, Page]:
    page, years = make(*args)
    return {uri: page, **years}


def places_index(plan: Plan) -> HtmlPage:
    ix = plan.ix
    places = ix.places
    unused = len(ix.timeline.places) - len(places)
    return index_page(plan, "Places", PLACES_INDEX, "Place", [
        (place_uri(p.id), p.name, len(ix.by_place.get(p.id, [])),
         ", ".join(x for x in (p.kind, p.country) if x)) for p in places],
        note=f"{plural(unused, 'place')} in places.yml {'has' if unused == 1 else 'have'} no events yet, "
        "so no page." if unused else "")


def history_pages(plan: Plan) -> dict[str, Page]:
    """What changed, and the old addresses of renamed and withdrawn events."""
    ix, history = plan.ix, plan.history
    pages: dict[str, Page] = dict(changes_pages(plan, history))
    for old_id, new_id in sorted(history.moved.items()):  # old addresses keep working
        if old_id not in ix.by_id and new_id in ix.by_id:
            pages[event_uri(old_id)] = redirect_page(plan, old_id, new_id)
    for event_id, withdrawn in sorted(history.withdrawn.items()):
        if event_id not in ix.by_id:
            pages[event_uri(event_id)] = withdrawn_page(plan, withdrawn)
    return pages


def in_site_order(groups: list[Group], made: dict[str, dict[str, T]]) -> dict[str, T]:
    """The groups' pages ({group key: {uri: page}}, in each group's order) in the site's order."""
    pages: dict[str, T] = {}
    years: dict[str, T] = {}
    for group in groups:
        out = made[group.key]
        if group.years:
            first = next(iter(out), None)
            for uri, page in out.items():
                (pages if uri == first else years)[uri] = page
        else:
            if group.key == "history":
                pages.update(years)
                years = {}
            pages.update(out)
    pages.update(years)
    return pages


def plan_pages(plan: Plan, intro: str | None = None) -> dict[str, Page]:
    """Every generated page, keyed by its source uri (as if it were in docs/): MarkdownPage for the
    timeline pages (their year and month headings make the table of contents), HtmlPage for the rest."""
    groups = page_groups(plan, intro)
    return in_site_order(groups, {group.key: group.make() for group in groups})
