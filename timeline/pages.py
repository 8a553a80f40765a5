"""Plan the generated pages: {source uri: Markdown text}. Pure: no MkDocs, no files.

User text never reaches Markdown as Markdown. Titles, names, tags, claims and so on
are HTML-escaped into raw HTML blocks, which Markdown passes through untouched;
only the fixed headings ("Sources") are Markdown, so that they feed the table of
contents. The event body is the one piece of editor Markdown: it is rendered here
and run through an HTML sanitiser before it joins the page.
"""
from __future__ import annotations

import functools
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass

import markdown
import nh3

from .model import MONTHS, Event, Period, Place, Timeline, human_range, slugify

TIMELINE_MARKER = "<!-- timeline -->"
PAGE_SIZE = 500  # events listed on one page at most (about 400 KB of HTML); beyond, lists split by year, then month

# What an event body may contain once rendered: text formatting, links, lists, tables. No images:
# an image from another host would tell that host who reads the page.
BODY_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
             "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
             "tr", "ul", "dl", "dt", "dd", "div", "span"}
BODY_ATTRIBUTES = {"a": {"href", "title"},
                   "td": {"align"}, "th": {"align"}, "ol": {"start"}, "abbr": {"title"}, "*": {"lang", "dir"}}
BODY_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@functools.lru_cache(maxsize=131072)  # names, tags and titles recur on many pages
def esc(text: str) -> str:
    """Escape editor text for HTML, on one line (a blank line would end the raw HTML block)."""
    return html.escape(" ".join(_UNPRINTABLE.sub("", text).split()), quote=True)


_MARKDOWN = markdown.Markdown(extensions=BODY_EXTENSIONS, output_format="html")  # building one costs 1 ms


@functools.lru_cache(maxsize=65536)  # pages, feed and TimelineJS export all show the same bodies
def render_body(body: str) -> str:
    """Editor Markdown → sanitised HTML. Safe even if validation was skipped."""
    try:
        rendered = _MARKDOWN.reset().convert(body)
    except RecursionError:  # validation refuses such nesting; if it was skipped, show the text as text
        rendered = "".join(f"<p>{esc(part)}</p>" for part in body.split("\n\n") if part.strip())
    return nh3.clean(rendered, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


@dataclass(frozen=True)
class Site:
    """Where pages live and how one page links to another."""

    directory_urls: bool = True
    tiles: str = ""  # map tile URL template; empty: no tile server, outlines of countries only
    attribution: str = ""  # the tile server's required credit (HTML from the site's own config)
    page_size: int = PAGE_SIZE

    def url(self, uri: str) -> str:
        """Site-relative URL of a source uri: 'events/x.md' → 'events/x/'."""
        stem = uri[:-3]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return (stem[:-len("index")] if stem.endswith("/index") else stem + "/")

    def href(self, from_uri: str, to_uri: str) -> str:
        """A relative link that works on any host and in any subfolder."""
        here = self.url(from_uri)
        folder = here if here.endswith("/") else here.rpartition("/")[0] + "/" if "/" in here else ""
        return _relative(folder, self.url(to_uri) if to_uri.endswith(".md") else to_uri)


def _relative(folder: str, target: str) -> str:
    """'events/x/' to 'tags/t/' → '../../tags/t/'. Both are site-relative; `folder` ends with '/' or is ''."""
    here = folder.split("/")[:-1] if folder else []
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:]) or "./"


def event_uri(event_id: str) -> str:
    return f"events/{event_id}.md"


def place_uri(place_id: str) -> str:
    return f"places/{place_id}.md"


def tag_uri(tag: str) -> str:
    return f"tags/{tag}.md"


@functools.lru_cache(maxsize=65536)
def publisher_slug(publisher: str) -> str:
    """The URL name of a publisher's page; names with no ASCII letters get a stable code."""
    slug = slugify(publisher)
    if slug and slug != "index":
        return slug
    import hashlib
    return "publisher-" + hashlib.sha1(publisher.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class HtmlPage:
    """A generated page written straight as HTML: MkDocs' Markdown pass would only re-parse it
    (a third of the build time for thousands of events). `title` is plain text."""

    title: str
    html: str
    description: str = ""

    def meta(self) -> dict:
        """The page's meta as MkDocs and the theme read it: titles are HTML to them, hence escaped.
        The search index gets these pages from the data (timeline/search.py), so the theme's
        indexer skips them."""
        meta = {"title": esc(self.title), "search": {"exclude": True}}
        if self.description:
            meta["description"] = esc(self.description)
        return meta


_FRAGMENT = "<!-- timeline-fragment {} -->"


@dataclass(frozen=True)
class MarkdownPage:
    """A timeline page whose year and month headings are Markdown (they make the table of contents)
    while its long lists are HTML fragments: the Markdown holds a marker comment for each, and
    on_page_content swaps them in, so Markdown never parses hundreds of kilobytes of list HTML."""

    markdown: str
    fragments: tuple[str, ...] = ()

    def fill(self, rendered: str) -> str:
        for number, fragment in enumerate(self.fragments):
            rendered = rendered.replace(_FRAGMENT.format(number), fragment, 1)
        return rendered

    def expanded(self) -> str:
        """The Markdown with the fragments in place (what MkDocs would get without the markers)."""
        return self.fill(self.markdown)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def heading(level: int, text: str) -> str:
    """A fixed heading with the id Markdown's table of contents would give it."""
    anchor = slugify(text)
    return f'<h{level} id="{anchor}">{esc(text)}</h{level}>\n'


def front_matter(title: str, **extra: object) -> str:
    """Generated pages carry their meta escaped: MkDocs treats page titles as HTML, and the theme
    prints `page.meta.title` and `page.meta.description` into the page without escaping them."""
    data = {"title": esc(title), **{k: esc(v) if isinstance(v, str) else v for k, v in extra.items() if v != ""}}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in data.items()) + "---\n\n"


class Planner:
    """Builds every generated page from one validated Timeline."""

    def __init__(self, timeline: Timeline, site: Site = Site()):
        self.timeline = timeline
        self.site = site
        self.events = timeline.events
        self.by_id = timeline.by_id()
        self.backlinks: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            for other in event.related:
                if other in self.by_id:
                    self.backlinks[other].append(event)
        self.period_index = {period.id: i for i, period in enumerate(timeline.periods)}
        self.in_periods = {e.id: [p for p in timeline.periods if p.contains(e)] for e in self.events}
        self.first_in_period = {}
        for event in self.events:
            for period in self.in_periods[event.id]:
                self.first_in_period.setdefault(period.id, event)
        self.listing: dict[str, str] = {}  # event id → the timeline page that lists it
        self.listing_pages = self.plan_listing()
        self.by_place: dict[str, list[Event]] = defaultdict(list)
        self.by_tag: dict[str, list[Event]] = defaultdict(list)
        self.by_publisher: dict[str, list[Event]] = defaultdict(list)
        self.publisher_names: dict[str, str] = {}
        for event in self.events:
            for place in event.places:
                self.by_place[place].append(event)
            for tag in event.tags:
                self.by_tag[tag].append(event)
            for publisher in sorted({s.publisher for s in event.sources}):
                slug = publisher_slug(publisher)
                self.publisher_names.setdefault(slug, publisher)
                if not self.by_publisher[slug] or self.by_publisher[slug][-1] is not event:
                    self.by_publisher[slug].append(event)

    # ------------------------------------------------------------ shared pieces

    def link(self, here: str, uri: str, text: str, css: str = "") -> str:
        cls = f' class="{css}"' if css else ""
        return f'<a{cls} href="{html.escape(self.site.href(here, uri))}">{esc(text)}</a>'

    def place_name(self, place_id: str) -> str:
        return self.timeline.places[place_id].name

    def publisher_uri(self, publisher: str) -> str:
        return f"sources/{publisher_slug(publisher)}.md"

    def time(self, event: Event) -> str:
        end = f' data-end="{event.end.iso()}"' if event.end else ""
        return (f'<time class="tl-date" datetime="{event.start.iso()}"{end}>'
                f"{esc(human_range(event.start, event.end))}</time>")

    def item(self, here: str, event: Event) -> str:
        """One entry of a timeline list; the data-* attributes feed the reader's filters.
        Only the page that lists the event on the timeline gives it an id (the target of the event's
        "On the timeline" link): elsewhere it can be listed twice, as related and as a backlink."""
        publishers = sorted({publisher_slug(s.publisher) for s in event.sources})
        places = ", ".join(self.link(here, place_uri(p), self.place_name(p)) for p in event.places)
        tags = " ".join(self.link(here, tag_uri(t), t, "tl-tag") for t in event.tags)
        flag = ' <span class="tl-flag">sources differ</span>' if event.dispute else ""
        precision = event.start.precision + ("-span" if event.end else "")
        periods = self.periods_of(event)
        band = f" tl-band-{self.period_index[periods[-1].id] % 4}" if periods else ""
        anchor = f' id="{event.id}"' if self.listing.get(event.id) == here else ""
        return (f'<li class="tl-item tl-{precision}{band}"{anchor} data-year="{event.year}" '
                f'data-periods="{" ".join(p.id for p in periods)}" '
                f'data-tags="{" ".join(event.tags)}" data-places="{" ".join(event.places)}" '
                f'data-publishers="{" ".join(publishers)}">'
                f"{self.time(event)} "
                f"{self.link(here, event_uri(event.id), event.title, 'tl-title')}{flag}"
                f'<span class="tl-meta"><span class="tl-where">{places}</span>'
                + (f' <span class="tl-tags">{tags}</span>' if tags else "")
                + "</span></li>")

    def periods_of(self, event: Event) -> list[Period]:
        return self.in_periods[event.id]

    def event_list(self, here: str, events: list[Event], marks: dict[str, list[str]] | None = None) -> str:
        """An <ol> of events; `marks` maps an event id to period marks drawn just before it."""
        if not events:
            return '<p class="tl-empty">No events yet.</p>\n'
        lines = []
        for event in events:
            lines.extend((marks or {}).get(event.id, []))
            lines.append(self.item(here, event))
        return '<ol class="tl-list">\n' + "\n".join(lines) + "\n</ol>\n"

    def period_marks(self) -> dict[str, list[str]]:
        """Where each period begins on the timeline: before the first event inside it."""
        marks: dict[str, list[str]] = defaultdict(list)
        for period in self.timeline.periods:
            first = self.first_in_period.get(period.id)
            if first is not None:
                marks[first.id].append(
                    f'<li class="tl-period-mark tl-band-{self.period_index[period.id] % 4}" id="period-{period.id}">'
                    f'<span class="tl-period-title">{esc(period.title)}</span> '
                    f'<span class="tl-period-dates">{esc(self.period_dates(period))}</span></li>')
        return marks

    def period_dates(self, period: Period) -> str:
        return human_range(period.start, period.end) if period.end else f"from {period.start.human()}"

    def period_link(self, here: str, period: Period) -> str | None:
        """Where a period's mark is: just before its first event, on the page that lists that event."""
        first = self.first_in_period.get(period.id)
        if first is None:
            return None
        page = self.listing[first.id]
        return (html.escape(self.site.href(here, page)) if page != here else "") + f"#period-{period.id}"

    def periods_legend(self, here: str) -> str:
        if not self.timeline.periods:
            return ""
        items = []
        for period in self.timeline.periods:
            description = f'<span class="tl-period-description">{esc(period.description)}</span>' \
                if period.description else ""
            target = self.period_link(here, period)
            name = f'<a href="{target}">{esc(period.title)}</a>' if target else esc(period.title)
            items.append(f'<li class="tl-band-{self.period_index[period.id] % 4}">{name} '
                         f'<span class="tl-period-dates">({esc(self.period_dates(period))})</span>{description}</li>')
        return '<ul class="tl-periods" aria-label="Periods">\n' + "\n".join(items) + "\n</ul>\n"

    def filters(self) -> str:
        """The reader's filters. Hidden until timeline.js runs: without script the page is the full list.
        Options cover the whole timeline, whatever part of it this page shows."""
        groups = [
            ("tag", "Tags", [(t, t, len(self.by_tag[t])) for t in sorted(self.by_tag)]),
            ("place", "Places", sorted(((p, self.place_name(p), len(es)) for p, es in self.by_place.items()),
                                       key=lambda o: o[1].casefold())),
            ("publisher", "Sources", sorted(((slug, self.publisher_names[slug], len(es))
                                            for slug, es in self.by_publisher.items()), key=lambda o: o[1].casefold())),
            ("year", "Years", [(str(y), str(y), n) for y, n in sorted(self.year_counts().items())]),
        ]
        index = (f' data-index="{html.escape(self.site.href("index.md", "timeline-index.json"))}"'
                 if self.listing_pages else "")
        out = [f'<form class="tl-filters" id="tl-filters" hidden aria-label="Filter the timeline" '
               f'data-count="{len(self.events)}"{index}>']
        for name, label, options in groups:
            boxes = "".join(f'<label><input type="checkbox" name="{name}" value="{esc(value)}"> {esc(text)} '
                            f'<span class="tl-count-n">({count})</span></label>' for value, text, count in options)
            caret = '<span class="tl-caret" aria-hidden="true">▾</span>'
            out.append(f'<details class="tl-filter" data-filter="{name}"><summary>{label} {caret} '
                       f'<span class="tl-chosen" data-for="{name}"></span></summary>'
                       f'<fieldset><legend class="tl-sr-only">{label}</legend>{boxes}</fieldset></details>')
        out.append(f'<p class="tl-status" role="status" aria-live="polite">Showing all {len(self.events)} events</p>'
                   '<button type="reset" class="md-button tl-reset">Reset filters</button></form>\n')
        return "".join(out)

    def year_counts(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for event in self.events:
            counts[event.year] += 1
        return counts

    def grouped(self, here: str, events: list[Event], level: int = 2, marks: dict | None = None,
                with_year: bool = True) -> str:
        """Events under year and month headings, in time order. Headings are Markdown so
        that they enter the table of contents; their text is generated, never typed."""
        out = []
        year_mark, month_mark = "#" * level, "#" * (level + 1 if with_year else level)
        by_year = self.by_year(events)
        for year in sorted(by_year):
            if with_year:
                out.append(f"{year_mark} {year}\n")
            whole_year = [e for e in by_year[year] if e.start.month is None]
            if whole_year:
                out.append(self.block(self.event_list(here, whole_year, marks)))
            by_month: dict[int, list[Event]] = defaultdict(list)
            for event in by_year[year]:
                if event.start.month is not None:
                    by_month[event.start.month].append(event)
            for month in sorted(by_month):
                out.append(f"{month_mark} {MONTHS[month]} {year}\n")
                out.append(self.block(self.event_list(here, by_month[month], marks)))
        return "\n".join(out)

    # ------------------------------------------------------------ a large timeline, page by page

    def plan_listing(self) -> dict[str, tuple[str, list[Event], list[int]]]:
        """Small timelines list every event on the home page. Past `page_size` events, each year gets a
        page, and a year with more than `page_size` events a page per month.
        Returns {uri: (title, events listed there, months that have pages of their own)}."""
        size = self.site.page_size
        if len(self.events) <= size:
            self.listing = {e.id: "index.md" for e in self.events}
            return {}
        pages: dict[str, tuple[str, list[Event], list[int]]] = {}
        for year, events in self.by_year().items():
            year_uri = f"timeline/{year}.md"
            if len(events) <= size:
                pages[year_uri] = (str(year), events, [])
                continue
            months: dict[int, list[Event]] = defaultdict(list)
            for event in events:
                if event.start.month is not None:
                    months[event.start.month].append(event)
            pages[year_uri] = (str(year), [e for e in events if e.start.month is None], sorted(months))
            for month, month_events in sorted(months.items()):
                pages[f"timeline/{year}/{month:02d}.md"] = (f"{MONTHS[month]} {year}", month_events, [])
        for uri, (_, events, _) in pages.items():
            for event in events:
                self.listing[event.id] = uri
        return pages

    def by_year(self, events: list[Event] | None = None) -> dict[int, list[Event]]:
        years: dict[int, list[Event]] = defaultdict(list)
        for event in self.events if events is None else events:
            years[event.year].append(event)
        return dict(sorted(years.items()))

    def overview(self, here: str) -> str:
        """The home page of a large timeline: each year, with its months, linking to their pages."""
        rows = []
        for year, events in self.by_year().items():
            months = self.listing_pages[f"timeline/{year}.md"][2]
            counts = defaultdict(int)
            for event in events:
                counts[event.start.month] += 1
            parts = "".join(f'<li>{self.link(here, f"timeline/{year}/{m:02d}.md", MONTHS[m])} '
                            f'<span class="tl-count-n">({counts[m]})</span></li>' for m in months)
            rows.append(f'<li>{self.link(here, f"timeline/{year}.md", str(year), "tl-year-link")} '
                        f'<span class="tl-count-n">{len(events)} event{"s" if len(events) != 1 else ""}</span>'
                        + (f'<ul class="tl-months">{parts}</ul>' if parts else "") + "</li>")
        return '<ul class="tl-overview">\n' + "\n".join(rows) + "\n</ul>\n"

    def listing_page(self, uri: str) -> str:
        title, events, months = self.listing_pages[uri]
        marks = self.period_marks()
        pages = list(self.listing_pages)
        index = pages.index(uri)
        step = []
        if index > 0:
            step.append(f'<a class="tl-prev" rel="prev" href="{html.escape(self.site.href(uri, pages[index - 1]))}">'
                        f'<span class="tl-label">Previous</span> {esc(self.listing_pages[pages[index - 1]][0])}</a>')
        if index + 1 < len(pages):
            step.append(f'<a class="tl-next" rel="next" href="{html.escape(self.site.href(uri, pages[index + 1]))}">'
                        f'<span class="tl-label">Next</span> {esc(self.listing_pages[pages[index + 1]][0])}</a>')
        step.append(f'<a class="tl-up" href="{html.escape(self.site.href(uri, "index.md"))}">'
                    '<span class="tl-label">The whole timeline</span></a>')
        out = [front_matter(title), f"# {title}\n"]
        year = title.split()[-1]
        if months:  # a year split into months: list them, then the events known only to the year
            parts = "".join(f'<li>{self.link(uri, f"timeline/{year}/{m:02d}.md", f"{MONTHS[m]} {year}")} '
                            f'<span class="tl-count-n">({len(self.listing_pages[f"timeline/{year}/{m:02d}.md"][1])})'
                            "</span></li>" for m in months)
            out.append(self.block(f'<ul class="tl-overview">{parts}</ul>'))
            if events:
                out.append(f"## {year}\n")
                out.append(self.block(self.event_list(uri, events, marks)))
        elif " " in title:  # a month page
            out.append(self.count_line(len(events)) + "\n")
            out.append(self.block(self.event_list(uri, events, marks)))
        else:  # a year page
            out.append(self.count_line(len(events)) + "\n")
            out.append(self.grouped(uri, events, level=2, marks=marks, with_year=False))
        out.append(self.block('<nav class="tl-prevnext" aria-label="Other parts of the timeline">'
                              + "".join(step) + "</nav>"))
        return "\n".join(out)

    def grouped_or_split(self, base: str, events: list[Event], name: str) -> tuple[str, dict[str, HtmlPage]]:
        """The event list of a place, tag or source page named `name`: whole when short, else a page
        per year. Returns (what the main page shows, {year page uri: that page})."""
        if len(events) <= self.site.page_size:
            return self.event_list(base, events), {}
        links, pages = [], {}
        for year, year_events in self.by_year(events).items():
            uri = f"{base[:-3]}/{year}.md"
            links.append(f"<li>{self.link(base, uri, str(year))} "
                         f'<span class="tl-count-n">({len(year_events)})</span></li>')
            pages[uri] = HtmlPage(f"{name}, {year}", f"<h1>{esc(name)}, {year}</h1>\n"
                                  f'<p class="tl-up">All years: {self.link(uri, base, name)}</p>\n'
                                  + self.count_line(len(year_events)) + "\n" + self.event_list(uri, year_events))
        return '<ul class="tl-overview">' + "".join(links) + "</ul>\n", pages

    # ------------------------------------------------------------ pages

    def home(self, intro: str | None) -> str:
        here = "index.md"
        count = len(self.events)
        summary = (f'<p class="tl-summary">{count} event{"s" if count != 1 else ""}'
                   + (f", {esc(human_range(self.events[0].start, None))} to "
                      f"{esc((self.events[-1].end or self.events[-1].start).human())}" if count else "")
                   + ".</p>\n")
        if self.listing_pages:
            listing = self.block(self.overview(here) + '\n<ol class="tl-list tl-results" hidden></ol>')
        else:
            listing = self.grouped(here, list(self.events), marks=self.period_marks())
        body = self.block(summary + self.periods_legend(here) + self.filters()) + "\n" + listing
        if intro is None:
            return front_matter("Timeline") + "# Timeline\n\n" + body
        if TIMELINE_MARKER in intro:
            return intro.replace(TIMELINE_MARKER, "\n" + body + "\n", 1)
        return intro.rstrip("\n") + "\n\n" + body

    def event_page(self, index: int) -> HtmlPage:
        event = self.events[index]
        here = event_uri(event.id)
        out = [f'<h1 class="tl-event-title">{esc(event.title)}</h1>\n']
        facts = [f"<dt>Date</dt><dd>{self.time(event)}</dd>"]
        label = "Places" if len(event.places) > 1 else "Place"
        facts.append(f"<dt>{label}</dt><dd>" + ", ".join(self.link(here, place_uri(p), self.place_name(p))
                                                        for p in event.places) + "</dd>")
        periods = self.periods_of(event)
        if periods:
            facts.append(f"<dt>Period{'s' if len(periods) > 1 else ''}</dt><dd>" + ", ".join(
                f'<a href="{self.period_link(here, p)}">{esc(p.title)}</a>' for p in periods) + "</dd>")
        if event.tags:
            facts.append("<dt>Tags</dt><dd>" + " ".join(self.link(here, tag_uri(t), t, "tl-tag")
                                                        for t in event.tags) + "</dd>")
        out.append('<dl class="tl-facts">' + "".join(facts) + "</dl>\n")
        if event.dispute:
            out.append('<div class="admonition warning tl-dispute"><p class="admonition-title">Sources differ</p>'
                       f"<p>{esc(event.dispute)} Each source's account is given with it below.</p></div>\n")
        if event.body.strip():
            out.append('<div class="tl-body">' + render_body(event.body) + "</div>\n")
        out.append(heading(2, "Sources"))
        items = []
        for source in event.sources:
            title = (f'<a href="{esc(source.url)}" rel="noopener noreferrer">{esc(source.title)}</a>'
                     if source.url else esc(source.title))
            published = (f', <time datetime="{source.published.iso()}">{esc(source.published.human())}</time>'
                         if source.published else "")
            claim = (f'<p class="tl-claim"><span class="tl-claim-label">{esc(source.publisher)} reports:</span> '
                     f"{esc(source.claim)}</p>" if source.claim else "")
            items.append(f'<li><cite>{title}</cite> — '
                         f"{self.link(here, self.publisher_uri(source.publisher), source.publisher)}{published}"
                         f"{claim}</li>")
        out.append('<ol class="tl-sources">\n' + "\n".join(items) + "\n</ol>\n")
        related = [self.by_id[r] for r in event.related if r in self.by_id]
        if related:
            out.append(heading(2, "Related events"))
            out.append(self.event_list(here, sorted(related, key=lambda e: e.sort_key)))
        if self.backlinks.get(event.id):
            out.append(heading(2, "Referred to by"))
            out.append(self.event_list(here, self.backlinks[event.id]))
        out.append(self.prev_next(index))
        return HtmlPage(event.title, "".join(out), f"{human_range(event.start, event.end)}: {event.title}")

    def prev_next(self, index: int) -> str:
        here = event_uri(self.events[index].id)
        links = []
        if index > 0:
            before = self.events[index - 1]
            links.append(f'<a class="tl-prev" rel="prev" href="{html.escape(self.site.href(here, event_uri(before.id)))}">'
                         f'<span class="tl-label">Previous</span> {esc(before.title)}</a>')
        if index + 1 < len(self.events):
            after = self.events[index + 1]
            links.append(f'<a class="tl-next" rel="next" href="{html.escape(self.site.href(here, event_uri(after.id)))}">'
                         f'<span class="tl-label">Next</span> {esc(after.title)}</a>')
        home = html.escape(self.site.href(here, self.listing[self.events[index].id]) + f"#{self.events[index].id}")
        links.append(f'<a class="tl-up" href="{home}"><span class="tl-label">On the timeline</span></a>')
        return '<nav class="tl-prevnext" aria-label="Previous and next events">' + "".join(links) + "</nav>\n"

    def map_block(self, here: str, places: list[Place], label: str) -> str:
        """A Leaflet map of `places`, bundled with the site. The data sits in a JSON block (inert under any
        Content-Security-Policy); without script, tiles or network, the lists beside it still carry the links."""
        data = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": len(self.by_place.get(p.id, [])),
                 "url": self.site.href(here, place_uri(p.id))} for p in places if p.has_coordinates]
        if not data:
            return ""
        asset = lambda path: html.escape(self.site.href(here, f"assets/timeline/{path}"))  # noqa: E731
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        block_id = "tl-map-data"
        return ('<div class="tl-map-block">'
                f'<link rel="stylesheet" href="{asset("vendor/leaflet/leaflet.css")}">'
                f'<div class="tl-map" role="region" aria-label="{esc(label)}" data-places="{block_id}" '
                f'data-tiles="{esc(self.site.tiles)}" data-attribution="{esc(self.site.attribution)}" '
                f'data-world="{asset("vendor/world-atlas/countries-110m.json")}"></div>'
                f'<script type="application/json" id="{block_id}">{payload}</script>'
                f'<script src="{asset("vendor/leaflet/leaflet.js")}"></script>'
                f'<script src="{asset("vendor/topojson-client/topojson-client.min.js")}"></script>'
                f'<script src="{asset("map.js")}"></script>'
                "</div>\n")

    def map_page(self) -> HtmlPage:
        here = "map.md"
        places = sorted((self.timeline.places[p] for p in self.by_place), key=lambda p: (p.name.casefold(), p.id))
        located = [p for p in places if p.has_coordinates]
        rows = "".join(f"<li>{self.link(here, place_uri(p.id), p.name)} "
                       f'<span class="tl-count-n">({plural(len(self.by_place[p.id]), "event")})</span></li>'
                       for p in places)
        unplaced = len(places) - len(located)
        note = f'<p class="tl-note">{unplaced} place{"s have" if unplaced != 1 else " has"} no coordinates and ' \
               "appear only in the list.</p>\n" if unplaced else ""
        return HtmlPage("Map", "<h1>Map</h1>\n"
                        + f'<p class="tl-summary">{len(located)} places with events. Select a place to see its events.</p>\n'
                        + self.map_block(here, located, "Map of the places with events")
                        + heading(2, "All places with events") + f'<ul class="tl-place-list">{rows}</ul>\n' + note)

    def place_page(self, place: Place) -> HtmlPage:
        here = place_uri(place.id)
        out = [f"<h1>{esc(place.name)}</h1>\n"]
        facts = []
        if place.aliases:
            facts.append("<dt>Also spelled</dt><dd>" + ", ".join(esc(a) for a in place.aliases) + "</dd>")
        if place.kind or place.country:
            facts.append("<dt>Kind</dt><dd>" + esc(", ".join(x for x in (place.kind, place.country) if x)) + "</dd>")
        if place.parent and place.parent in self.timeline.places:
            facts.append("<dt>Part of</dt><dd>" + self.link(here, place_uri(place.parent), self.place_name(place.parent))
                         + "</dd>")
        if place.has_coordinates:
            facts.append(f'<dt>Coordinates</dt><dd><span class="tl-coords" data-lat="{place.lat}" data-lon="{place.lon}">'
                         f"{abs(place.lat):.4f}° {'N' if place.lat >= 0 else 'S'}, "
                         f"{abs(place.lon):.4f}° {'E' if place.lon >= 0 else 'W'}</span></dd>")
        if facts:
            out.append('<dl class="tl-facts">' + "".join(facts) + "</dl>\n")
        if place.description:
            out.append(f"<p>{esc(place.description)}</p>\n")
        if place.has_coordinates:
            out.append(self.map_block(here, [place], f"Map of {place.name}"))
        inside = sorted((p for p in self.timeline.places.values() if p.parent == place.id), key=lambda p: p.name)
        if inside:
            out.append('<p class="tl-children">Places within: '
                       + ", ".join(self.link(here, place_uri(p.id), p.name) for p in inside) + "</p>\n")
        events = self.by_place.get(place.id, [])
        listing, self.extra_pages[here] = self.grouped_or_split(here, events, place.name)
        out.append(heading(2, "Events") + self.count_line(len(events)) + "\n")
        out.append(listing)
        return HtmlPage(place.name, "".join(out))

    def count_line(self, count: int) -> str:
        return f'<p class="tl-count">{count} event{"s" if count != 1 else ""}.</p>'

    def tag_page(self, tag: str) -> HtmlPage:
        here = tag_uri(tag)
        events = self.by_tag[tag]
        listing, self.extra_pages[here] = self.grouped_or_split(here, events, f"Tag: {tag}")
        return HtmlPage(f"Tag: {tag}", f"<h1>Tag: {esc(tag)}</h1>\n{self.count_line(len(events))}\n" + listing)

    def source_page(self, slug: str) -> HtmlPage:
        here = f"sources/{slug}.md"
        name = self.publisher_names[slug]
        events = self.by_publisher[slug]
        articles: dict[tuple[str, str], object] = {}
        for event in events:
            for source in event.sources:
                if publisher_slug(source.publisher) == slug:
                    articles.setdefault((source.title, source.url or ""), source)
        rows = []
        for (title, url), source in sorted(articles.items(), key=lambda kv: (kv[1].published.sort_key if kv[1].published
                                                                              else (), kv[0])):
            cited = esc(title) if not url else f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(title)}</a>'
            when = f' — <time datetime="{source.published.iso()}">{esc(source.published.human())}</time>' \
                if source.published else ""
            rows.append(f"<li><cite>{cited}</cite>{when}</li>")
        return HtmlPage(f"Source: {name}", f"<h1>Source: {esc(name)}</h1>\n"
                        + heading(2, "Articles cited") + '<ul class="tl-articles">\n' + "\n".join(rows) + "\n</ul>\n"
                        + heading(2, "Events") + self.count_line(len(events)) + "\n"
                        + self.split_listing(here, events, name))

    def split_listing(self, here: str, events: list[Event], name: str) -> str:
        listing, self.extra_pages[here] = self.grouped_or_split(here, events, f"Source: {name}")
        return listing

    def index_page(self, title: str, here: str, column: str, rows: list[tuple[str, str, int, str]]) -> HtmlPage:
        """A table of (uri, name, event count, detail)."""
        body = [f'<table class="tl-index">\n<thead><tr><th scope="col">{column}</th><th scope="col">Events</th>'
                '<th scope="col">Details</th></tr></thead>\n<tbody>']
        for uri, name, count, detail in rows:
            body.append(f"<tr><td>{self.link(here, uri, name)}</td><td>{count}</td><td>{esc(detail)}</td></tr>")
        body.append("</tbody>\n</table>\n")
        return HtmlPage(title, f"<h1>{esc(title)}</h1>\n" + "\n".join(body))

    def block(self, fragment: str) -> str:
        """Set an HTML fragment aside for the Markdown page being written; return its marker."""
        self.fragments.append(fragment)
        return "\n" + _FRAGMENT.format(len(self.fragments) - 1) + "\n\n"

    def markdown_page(self, write, *args) -> MarkdownPage:
        self.fragments: list[str] = []
        text = write(*args)
        return MarkdownPage(text, tuple(self.fragments))

    def pages(self, intro: str | None) -> dict[str, MarkdownPage | HtmlPage]:
        """MarkdownPage for the timeline pages (their year and month headings make the table of
        contents), HtmlPage for everything else."""
        self.extra_pages: dict[str, dict[str, HtmlPage]] = {}  # a split place/tag/source page → its year pages
        pages = {"index.md": self.markdown_page(self.home, intro)}
        for uri in self.listing_pages:
            pages[uri] = self.markdown_page(self.listing_page, uri)
        for index, event in enumerate(self.events):
            pages[event_uri(event.id)] = self.event_page(index)
        places = sorted(self.timeline.places.values(), key=lambda p: (p.name.casefold(), p.id))
        for place in places:
            pages[place_uri(place.id)] = self.place_page(place)
        pages["map.md"] = self.map_page()
        pages["places/index.md"] = self.index_page("Places", "places/index.md", "Place", [
            (place_uri(p.id), p.name, len(self.by_place.get(p.id, [])),
             ", ".join(x for x in (p.kind, p.country) if x)) for p in places])
        for tag in sorted(self.by_tag):
            pages[tag_uri(tag)] = self.tag_page(tag)
        pages["tags/index.md"] = self.index_page("Tags", "tags/index.md", "Tag", [
            (tag_uri(t), t, len(self.by_tag[t]), "") for t in sorted(self.by_tag)])
        for slug in sorted(self.by_publisher):
            pages[f"sources/{slug}.md"] = self.source_page(slug)
        pages["sources/index.md"] = self.index_page("Sources", "sources/index.md", "Publisher", [
            (f"sources/{slug}.md", self.publisher_names[slug], len(self.by_publisher[slug]), "")
            for slug in sorted(self.by_publisher, key=lambda s: self.publisher_names[s].casefold())])
        for year_pages in self.extra_pages.values():
            pages.update(year_pages)
        return pages


def plan_pages(timeline: Timeline, intro: str | None = None, site: Site = Site()) -> dict[str, MarkdownPage | HtmlPage]:
    """Every generated page, keyed by its source uri (as if it were in docs/)."""
    return Planner(timeline, site).pages(intro)

