"""Tag and source pages, and the tables of all places, tags and sources."""
from __future__ import annotations

from ..markup import esc, heading, plural
from ..model import Event, Source
from ..urls import source_uri, tag_uri
from .common import HtmlPage, Plan, count_line, split_listing


def tag_page(plan: Plan, tag: str) -> tuple[HtmlPage, dict[str, HtmlPage]]:
    here = tag_uri(tag)
    events = plan.ix.by_tag[tag]
    listing, years = split_listing(plan, here, events, f"Tag: {tag}")
    return HtmlPage(f"Tag: {tag}", f"<h1>Tag: {esc(tag)}</h1>\n{count_line(len(events))}\n" + listing), years


def source_page(plan: Plan, slug: str) -> tuple[HtmlPage, dict[str, HtmlPage]]:
    """A publisher: the articles of theirs the timeline cites, then the events citing them. When the
    events are split by year, so are the articles: each year's page lists those its events cite."""
    here = source_uri(slug)
    name = plan.ix.publisher_names[slug]
    events = plan.ix.by_publisher[slug]

    def articles(of: list[Event] | tuple[Event, ...]) -> str:
        return heading(2, "Articles cited") + '<ul class="tl-articles">\n' + "\n".join(_articles(plan, slug, of)) \
            + "\n</ul>\n"

    listing, years = split_listing(plan, here, events, f"Source: {name}", before=articles)
    count = len(_cited(plan, slug, events))
    if years and count > plan.settings.page_size:  # as long as the events' list: by year too
        cited = heading(2, "Articles cited") + f'<p class="tl-note">{plural(count, "article")}, listed on the ' \
            "page of each year with the events citing them.</p>\n"
    else:
        cited = articles(events)
    return HtmlPage(f"Source: {name}", f"<h1>Source: {esc(name)}</h1>\n" + _publisher_facts(plan, name) + cited
                    + heading(2, "Events") + count_line(len(events)) + "\n" + listing), years


def _cited(plan: Plan, slug: str, events) -> dict[tuple[str, str], Source]:
    """The publisher's articles the events cite, each once (by title and address)."""
    found: dict[tuple[str, str], Source] = {}
    for event in events:
        for source in event.sources:
            if plan.ix.publisher_slugs[source.publisher] == slug:
                found.setdefault((source.title, source.url or ""), source)
    return found


def _articles(plan: Plan, slug: str, events) -> list[str]:
    rows = []
    for (title, url), source in sorted(_cited(plan, slug, events).items(),
                                       key=lambda kv: (kv[1].published.sort_key if kv[1].published else (), kv[0])):
        cited = esc(title) if not url else f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(title)}</a>'
        when = f' — <time datetime="{source.published.iso()}">{esc(source.published.human())}</time>' \
            if source.published else ""
        rows.append(f"<li><cite>{cited}</cite>{when}</li>")
    return rows


def _publisher_facts(plan: Plan, name: str) -> str:
    """What publishers.yml says of a publisher: its kind, country, language, origin and grade."""
    registry = plan.ix.timeline.publishers
    publisher = next((p for p in registry.values() if p.name == name), None)
    if publisher is None:
        return ""
    facts = []
    if publisher.kind:
        facts.append(f"<dt>Kind</dt><dd>{esc(publisher.kind.replace('-', ' '))}</dd>")
    where = ", ".join(x for x in (publisher.country, publisher.language) if x)
    if where:
        facts.append(f"<dt>Country, language</dt><dd>{esc(where)}</dd>")
    if publisher.origin and publisher.origin in registry:
        facts.append(f"<dt>Republishes</dt><dd>{esc(registry[publisher.origin].name)}: its stories count as "
                     f"{esc(registry[publisher.origin].name)}'s when sources are counted as independent</dd>")
    if publisher.grade:
        basis = f" {esc(publisher.grade_basis)}" if publisher.grade_basis else ""
        facts.append(f"<dt>Reliability</dt><dd>{publisher.grade.upper()} on the Admiralty scale "
                     f"({GRADE_WORDS[publisher.grade]}).{basis}</dd>")
    return '<dl class="tl-facts">' + "".join(facts) + "</dl>\n" if facts else ""


GRADE_WORDS = {"a": "completely reliable", "b": "usually reliable", "c": "fairly reliable",
               "d": "not usually reliable", "e": "unreliable", "f": "reliability cannot be judged"}


def index_page(plan: Plan, title: str, here: str, column: str, rows: list[tuple[str, str, int, str]],
               note: str = "") -> HtmlPage:
    """A table of (uri, name, event count, detail), and a note under it."""
    body = ['<div class="md-typeset__table">',
            f'<table class="tl-index">\n<thead><tr><th scope="col">{column}</th><th scope="col">Events</th>'
            '<th scope="col">Details</th></tr></thead>\n<tbody>']
    for uri, name, count, detail in rows:
        shown = str(count) if count else "none of its own: places within it have some"  # (a country, a province)
        body.append(f"<tr><td>{plan.link(here, uri, name, auto=True)}</td><td>{shown}</td><td>{esc(detail)}</td></tr>")
    body.append("</tbody>\n</table>\n</div>\n")
    if note:
        body.append(f'<p class="tl-note">{esc(note)}</p>\n')
    return HtmlPage(title, f"<h1>{esc(title)}</h1>\n" + "\n".join(body))
