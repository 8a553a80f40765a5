"""Everything the timeline adds to a site, planned in one call: pages, data files and the search
entries of the pages. Pure (no engine): the hook hands the result to MkDocs as virtual files."""
from __future__ import annotations

from dataclasses import dataclass

from .exports import plan_exports
from .history import History
from .markup import Renderer
from .model import Timeline
from .pages import HtmlPage, MarkdownPage, Page, make_plan, plan_pages
from .pages.changes import changes_feed
from .schema import json_schema_files
from .search import generated_docs
from .settings import Settings
from .urls import CHANGES, HOME, MAP, PLACES_INDEX, SCHEMAS, SOURCES_INDEX, TAGS_INDEX, Urls

# Generated pages a site's nav may list; every other generated page stays out of the sidebar,
# because each page embeds the whole navigation (1,000 pages in the nav take 37 s, out of it 6 s).
NAV_PAGES = frozenset({HOME, MAP, PLACES_INDEX, TAGS_INDEX, SOURCES_INDEX, CHANGES})


@dataclass(frozen=True)
class SitePlan:
    pages: dict[str, Page]  # by source uri, as if in docs/
    files: dict[str, str]  # data files (exports, JSON Schemas) by their path in the site
    search: list[dict]  # search entries for the generated HTML pages (the theme indexes the rest)
    markdown_pages: frozenset[str]  # URLs of the generated Markdown pages, whose sections search drops


def plan_site(timeline: Timeline, intro: str | None, settings: Settings, urls: Urls, renderer: Renderer,
              site_url: str | None, title: str, history: History | None = None) -> SitePlan:
    plan = make_plan(timeline, settings, urls, renderer, history)
    pages = plan_pages(plan, intro)
    files = {f"{SCHEMAS}/{name}": text for name, text in json_schema_files().items()}
    files.update(plan_exports(plan, site_url=site_url, title=title))
    files["changes.xml"] = changes_feed(plan, plan.history, title, site_url)
    return SitePlan(pages, files, generated_docs(timeline, urls, pages, renderer),
                    frozenset(urls.url(uri) for uri, page in pages.items() if isinstance(page, MarkdownPage)))


__all__ = ["NAV_PAGES", "HtmlPage", "MarkdownPage", "SitePlan", "plan_site"]
