"""Everything the timeline adds to a site, planned in one call: pages, data files and the search
entries of the pages. Pure (no engine): the hook hands the result to MkDocs as virtual files.

Given the manifest of the last build (timeline/incremental.py), only the groups of pages that may
have changed are planned; the others are `reused`, their files taken from the last build."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from .exports import export_files
from .history import History
from .incremental import GroupRecord, Manifest, PageInfo, State, info, record, replan
from .markup import Renderer
from .model import Timeline
from .pages import DeferredPage, Group, HtmlPage, MarkdownPage, PackedPage, Page, in_site_order, make_plan, page_groups
from .pages.changes import changes_feed
from .schema import json_schema_files
from .search import generated_docs
from .settings import Settings
from .urls import CHANGES, HOME, MAP, PLACES_INDEX, SCHEMAS, SOURCES_INDEX, TAGS_INDEX, Urls

# Generated pages a site's nav may list; every other generated page stays out of the sidebar,
# because each page embeds the whole navigation (1,000 pages in the nav take 37 s, out of it 6 s).
NAV_PAGES = frozenset({HOME, MAP, PLACES_INDEX, TAGS_INDEX, SOURCES_INDEX, CHANGES})


@dataclass(frozen=True)
class Incremental:
    """What a build may reuse: the last build's manifest, this build's key (besides the events), and
    each event file's digest."""

    previous: Manifest | None
    key: str
    digests: dict[str, bytes]


@dataclass(frozen=True)
class SitePlan:
    # By source uri, as if in docs/: the pages planned by this build (the hook empties it as MkDocs writes them).
    pages: dict[str, Page]
    data: dict[str, Callable[[], Iterable[str]]]  # data files (exports, JSON Schemas) by path, made in pieces when written
    search: list[dict]  # search entries for the generated HTML pages (the theme indexes the rest), in site order
    markdown_pages: frozenset[str]  # URLs of the generated Markdown pages, whose sections search drops
    reused: dict[str, PageInfo] | None = None  # pages taken as they are from the last build
    order: tuple[str, ...] = ()  # every generated page's uri, planned or reused, in the site's order
    manifest: Manifest | None = None  # this build's, for the next (its folder filled in by the hook)


def plan_site(timeline: Timeline, intro: str | None, settings: Settings, urls: Urls, renderer: Renderer,
              site_url: str | None, title: str, history: History | None = None,
              incremental: Incremental | None = None, defer: bool = False) -> SitePlan:
    """The HTML pages are planned packed (PackedPage), each as its group is made; with `defer`, the
    events' pages are let go of instead, to be made again when written (DeferredPage: the hook
    writes them itself). The data files are made when the hook writes them, after the pages: one at
    a time, and after the page a preview is waited for."""
    plan = make_plan(timeline, settings, urls, renderer, history)
    groups = page_groups(plan, intro)
    state = State.of(plan.ix, incremental.digests) if incremental else None
    previous = incremental.previous if incremental else None
    again = replan(previous, incremental.key, state, plan.ix, groups) if incremental and state else None
    made: dict[str, dict[str, Page | PageInfo]] = {}
    records: dict[str, GroupRecord] = {}
    ids = {event_id: event_id for event_id in plan.ix.by_id}
    for group in groups:
        if again is None or group.key in again or previous is None:
            pages = group.make()
            records[group.key] = record(pages, ids)
            made[group.key] = {uri: _held(page, uri, group, defer) for uri, page in pages.items()}
        else:
            records[group.key] = previous.groups[group.key]
            made[group.key] = {uri: previous.pages[uri] for uri in records[group.key].uris}
    everything = in_site_order(groups, made)
    pages = {uri: p for uri, p in everything.items() if not isinstance(p, PageInfo)}
    reused = {uri: p for uri, p in everything.items() if isinstance(p, PageInfo)}
    docs = {doc["location"]: doc for doc in generated_docs(timeline, urls, pages, renderer)}
    search, infos = [], {}
    for uri, page in everything.items():
        if isinstance(page, PageInfo):  # (a timeline page's entry is the theme's: search.merge_index)
            doc = None if page.markdown else page.search
        else:
            doc = docs.get(urls.url(uri))
        if doc is not None:
            search.append(doc)
        infos[uri] = page if isinstance(page, PageInfo) else info(page, doc)
    data: dict[str, Callable[[], Iterable[str]]] = {f"{SCHEMAS}/{name}": partial(tuple, (text,))
                                                    for name, text in json_schema_files().items()}
    data.update(export_files(plan, site_url=site_url, title=title))
    data["changes.xml"] = lambda: (changes_feed(plan, plan.history, title, site_url),)
    markdown = frozenset(urls.url(uri) for uri, page in everything.items()
                         if isinstance(page, MarkdownPage) or isinstance(page, PageInfo) and page.markdown)
    manifest = Manifest(incremental.key, "", state, records, infos) if incremental and state else None
    return SitePlan(pages, data, search, markdown, reused if again is not None else None, tuple(everything), manifest)


def _held(page: Page, uri: str, group: Group, defer: bool) -> Page:
    """A planned page as it is held until it is written."""
    if not isinstance(page, HtmlPage):
        return page
    return page.deferred(partial(_page_of, group.make, uri)) if defer and group.event else page.packed()


def _page_of(make: Callable[[], dict[str, Page]], uri: str) -> HtmlPage:
    page = make()[uri]
    assert isinstance(page, HtmlPage)  # a group's pages are made again as they were
    return page


__all__ = ["NAV_PAGES", "DeferredPage", "HtmlPage", "Incremental", "MarkdownPage", "PackedPage", "SitePlan", "plan_site"]
