"""What every page kind is made of: the page types, the planning context, and the pieces of a
timeline list (an event's entry, period marks, lists split by year)."""
from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..history import History
from ..indexes import Indexes, by_year, chunked, part_title
from ..markup import Renderer, attr, esc, heading, plural
from ..model import MONTHS, Event, Period, date_label, human_range
from ..settings import Settings
from ..urls import Urls, event_anchor, event_uri, part_uri, place_uri, split_uri, tag_uri


@dataclass(frozen=True)
class HtmlPage:
    """A generated page written straight as HTML: MkDocs' Markdown pass would only re-parse it
    (a third of the build time for thousands of events). `title` is plain text."""

    title: str
    html: str
    description: str = ""

    def meta(self) -> dict:
        return html_meta(self.title, self.description)

    @property
    def headed(self) -> bool:
        """Whether its content has its own <h1> (the theme adds one otherwise)."""
        return "<h1" in self.html

    def packed(self) -> PackedPage:
        return PackedPage(self.title, self.description, zlib.compress(self.html.encode("utf-8", "surrogatepass"), 1),
                          self.headed)

    def digest(self) -> str:
        """Of what the page writes besides its shell: whether a preview's rebuild changed it (a
        build writes every page, but a deferred page has no other way to be compared)."""
        return _digest(self.title, self.description, self.html.encode("utf-8", "surrogatepass"))

    def deferred(self, remake: Callable[[], HtmlPage]) -> DeferredPage:
        return DeferredPage(self.title, self.description, self.headed, self.digest(), remake)


def _digest(title: str, description: str, content: bytes) -> str:
    head = (title + "\0" + description + "\0").encode("utf-8", "surrogatepass")
    return hashlib.blake2b(head + content, digest_size=16).hexdigest()


@dataclass(frozen=True)
class PackedPage:
    """An HtmlPage held compressed from its planning to its writing. Every page is planned before
    MkDocs writes the first, and their HTML, 150 MB at 10,000 events, compresses about 7-fold."""

    title: str
    description: str
    data: bytes  # the HTML, as UTF-8, compressed by zlib
    headed: bool

    @property
    def html(self) -> str:
        return zlib.decompress(self.data).decode("utf-8", "surrogatepass")

    def digest(self) -> str:
        """As HtmlPage.digest, by the packed bytes (zlib packs the same HTML the same way)."""
        return _digest(self.title, self.description, self.data)

    def meta(self) -> dict:
        return html_meta(self.title, self.description)


@dataclass(frozen=True)
class DeferredPage:
    """An event's page, planned and let go of: made again when the hook writes it into its shell,
    after MkDocs has rendered the other pages, or before MkDocs reads it for one the theme must
    render. (Held until then, even packed, the events' pages were 21 MB at 10,000 events, where the
    build's memory peaked.) What the plan needs of it meanwhile: its title, description, whether it
    has its own <h1>, and a digest of it."""

    title: str
    description: str
    headed: bool
    made_digest: str  # HtmlPage.digest() of the page as planned
    remake: Callable[[], HtmlPage]  # the page again (a pure function of the plan)

    def digest(self) -> str:
        return self.made_digest

    def meta(self) -> dict:
        return html_meta(self.title, self.description)


def html_meta(title: str, description: str) -> dict:
    """An HTML page's meta as MkDocs and the theme read it: titles are HTML to them, hence escaped.
    The search index gets these pages from the data (timeline/search.py), so the theme's indexer
    skips them."""
    meta: dict[str, object] = {"title": esc(title), "search": {"exclude": True}}
    if description:
        meta["description"] = esc(description)
    return meta


_FRAGMENT = "<!-- timeline-fragment {} -->"


@dataclass(frozen=True)
class MarkdownPage:
    """A timeline page whose year and month headings are Markdown (they make the table of contents)
    while its long lists are HTML fragments: the Markdown holds a marker comment for each, and
    the hook swaps them in after rendering, so Markdown never parses hundreds of kilobytes of HTML.
    The fragments are held packed, as an HtmlPage is (PackedPage): 11 MB of them at 10,000 events."""

    markdown: str
    packed: tuple[bytes, ...] = ()  # each fragment's UTF-8, zlib-compressed

    @classmethod
    def of(cls, markdown: str, fragments: tuple[str, ...] = ()) -> MarkdownPage:
        return cls(markdown, tuple(zlib.compress(f.encode("utf-8", "surrogatepass"), 1) for f in fragments))

    @property
    def fragments(self) -> tuple[str, ...]:
        return tuple(zlib.decompress(f).decode("utf-8", "surrogatepass") for f in self.packed)

    def fill(self, rendered: str) -> str:
        for number, fragment in enumerate(self.fragments):
            rendered = rendered.replace(_FRAGMENT.format(number), fragment, 1)
        return rendered

    def expanded(self) -> str:
        """The Markdown with the fragments in place (what MkDocs would get without the markers)."""
        return self.fill(self.markdown)

    def digest(self) -> str:
        return hashlib.blake2b(self.expanded().encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


Page = HtmlPage | PackedPage | MarkdownPage | DeferredPage


@dataclass
class Fragments:
    """The HTML set aside while one Markdown page is written."""

    items: list[str] = field(default_factory=list)

    def add(self, fragment: str) -> str:
        """Set a fragment aside; return its marker, on lines of its own."""
        self.items.append(fragment)
        return "\n" + _FRAGMENT.format(len(self.items) - 1) + "\n\n"

    def page(self, markdown: str) -> MarkdownPage:
        return MarkdownPage.of(markdown, tuple(self.items))


@dataclass(frozen=True)
class Plan:
    """Everything a page function reads: the indexes (computed once), addresses, settings and the
    body renderer."""

    ix: Indexes
    urls: Urls
    settings: Settings
    renderer: Renderer
    history: History = field(default_factory=History)  # from git (timeline/history.py); empty without it

    def link(self, here: str, uri: str, text: str, css: str = "", auto: bool = False) -> str:
        """A link to a page; `auto`: its text is an editor's (a title, a name), in any direction."""
        cls = f' class="{css}"' if css else ""
        direction = ' dir="auto"' if auto else ""
        return f'<a{cls} href="{attr(self.urls.href(here, uri))}"{direction}>{esc(text)}</a>'


def time_element(event: Event) -> str:
    end = f' data-end="{event.end.iso()}"' if event.end else ""
    return (f'<time class="tl-date" datetime="{event.start.iso()}"{end}>'
            f"{esc(date_label(event.start, event.end))}</time>")


STATUS_WORDS = {  # (label, what it means, in plain words)
    "reported": ("Reported", "reported by the sources cited, not corroborated by an independent one"),
    "corroborated": ("Corroborated", "reported by at least two independent sources"),
    "verified": ("Verified", "verified by the editors, with archived copies of every source"),
    "disputed": ("Disputed", "the sources disagree on it"),
    "retracted": ("Retracted", "withdrawn: see the correction"),
}


def status_badge(event: Event) -> str:
    label, meaning = STATUS_WORDS[event.status]
    return (f'<span class="tl-badge tl-badge-{event.status}" title="{esc(meaning)}">{label}'
            f'<span class="tl-sr-only">: {esc(meaning)}</span></span>')


def figures_line(totals, rule: str) -> str:
    """Totals over some events, with the rule they follow (claims.totals)."""
    if not totals.events:
        return ""
    parts = [f"{name} {totals.low[name]:,}" + (f"–{totals.high[name]:,}" if totals.high[name] != totals.low[name] else "")
             for name in totals.low]
    return (f'<p class="tl-totals"><strong>Figures reported</strong> ({plural(totals.events, "event")} of a '
            f"single day): {esc(', '.join(parts))}. <span class=\"tl-rule\">{esc(rule)}</span></p>\n")


COUNTING_RULE = ("Events of a single day only (a count over a month or longer may include them); low: the sum "
                 "of each event's lowest figure, high: of its highest. Within an event, sources' figures are "
                 "alternatives, never added together.")


def count_line(count: int) -> str:
    return f'<p class="tl-count">{count} event{"s" if count != 1 else ""}.</p>'


def item(plan: Plan, here: str, event: Event) -> str:
    """One entry of a timeline list; the data-* attributes feed the reader's filters.
    Only the page that lists the event on the timeline gives it an id (the target of the event's
    "On the timeline" link): elsewhere it can be listed twice, as related and as a backlink.
    An event is listed on many pages: serve keeps each entry, keyed by everything it shows."""
    ix = plan.ix
    periods = tuple((p.id, ix.band(p)) for p in ix.periods_of[event.id])
    key = ("item", here, event, tuple(ix.place_name(p) for p in event.places), periods,
           ix.listing.get(event.id) == here, plan.urls.directory_urls)
    return plan.renderer.fragment(key, _item, plan, here, event)


def _item(plan: Plan, here: str, event: Event) -> str:
    ix = plan.ix
    values = ix.values(event)
    places = ", ".join(plan.link(here, place_uri(p), ix.place_name(p), auto=True) for p in event.places)
    tags = " ".join(plan.link(here, tag_uri(t), t, "tl-tag") for t in event.tags)
    flag = (' <span class="tl-flag">sources differ</span>' if event.dispute else "") + " " + status_badge(event)
    names = sorted({s.publisher for s in event.sources}, key=str.casefold)
    # Articles, not source entries: one article cited once per claimant (by:) is still one source.
    articles = len({(s.publisher, s.title, s.url) for s in event.sources})
    sourcing = (f'<span class="tl-sourcing">{plural(articles, "source")}: '
                + ", ".join(f'<span dir="auto">{esc(n)}</span>' for n in names) + "</span>")
    dispute = f'<span class="tl-differ" dir="auto">{esc(event.dispute)}</span>' if event.dispute else ""
    periods = ix.periods_of[event.id]
    band = f" {ix.band(periods[-1])}" if periods else ""
    anchor = f' id="{event_anchor(event.id)}"' if ix.listing.get(event.id) == here else ""
    data = {"event": event.id, "year": values["year"], "status": values["status"], "first": values["first"],
            "last": values["last"],
            "periods": [p.id for p in periods], "tags": values["tags"], "places": values["places"],
            "publishers": values["publishers"]}
    attributes = " ".join(f'data-{name}="{" ".join(v) if isinstance(v, list) else v}"' for name, v in data.items())
    return (f'<li class="tl-item tl-{values["precision"]}{band}"{anchor} {attributes}>'
            f"{time_element(event)} "
            f"{plan.link(here, event_uri(event.id), event.title, 'tl-title', auto=True)}{flag}"
            f'<span class="tl-meta"><span class="tl-where">{places}</span>'
            + (f' <span class="tl-tags">{tags}</span>' if tags else "")
            + f" {sourcing}{dispute}</span></li>")


def event_list(plan: Plan, here: str, events, marks: dict[str, list[str]] | None = None) -> str:
    """An <ol> of events; `marks` maps an event id to period marks drawn just before it."""
    if not events:
        return '<p class="tl-empty">No events yet.</p>\n'
    lines = []
    for event in events:
        lines.extend((marks or {}).get(event.id, []))
        lines.append(item(plan, here, event))
    return '<ol class="tl-list">\n' + "\n".join(lines) + "\n</ol>\n"


# ---------------------------------------------------------------- periods

def period_dates(period: Period) -> str:
    return human_range(period.start, period.end) if period.end else f"from {period.start.human()}"


def period_marks(plan: Plan) -> dict[str, list[str]]:
    """Where each period begins on the timeline: before the first event inside it."""
    ix = plan.ix
    marks: dict[str, list[str]] = defaultdict(list)
    for period in ix.timeline.periods:
        first = ix.first_in_period.get(period.id)
        if first is not None:
            marks[first.id].append(
                f'<li class="tl-period-mark {ix.band(period)}" id="period-{period.id}">'
                f'<span class="tl-period-title">{esc(period.title)}</span> '
                f'<span class="tl-period-dates">{esc(period_dates(period))}</span></li>')
    return marks


def period_link(plan: Plan, here: str, period: Period) -> str | None:
    """Where a period's mark is: just before its first event, on the page that lists that event."""
    first = plan.ix.first_in_period.get(period.id)
    if first is None:
        return None
    page = plan.ix.listing[first.id]
    return (attr(plan.urls.href(here, page)) if page != here else "") + f"#period-{period.id}"


# ---------------------------------------------------------------- long lists

def grouped(plan: Plan, frag: Fragments, here: str, events, level: int = 2, marks: dict | None = None,
            with_year: bool = True) -> str:
    """Events under year and month headings, in time order. Headings are Markdown so
    that they enter the table of contents; their text is generated, never typed."""
    out = []
    year_mark, month_mark = "#" * level, "#" * (level + 1 if with_year else level)
    for year, year_events in by_year(events).items():
        if with_year:
            out.append(f"{year_mark} {year}\n")
        whole_year = [e for e in year_events if e.start.month is None]
        if whole_year:
            out.append(frag.add(event_list(plan, here, whole_year, marks)))
        by_month: dict[int, list[Event]] = defaultdict(list)
        for event in year_events:
            if event.start.month is not None:
                by_month[event.start.month].append(event)
        for month in sorted(by_month):
            out.append(f"{month_mark} {MONTHS[month]} {year}\n")
            out.append(frag.add(event_list(plan, here, by_month[month], marks)))
    return "\n".join(out)


def split_listing(plan: Plan, base: str, events: list[Event], name: str,
                  before: Callable[[list[Event]], str] | None = None) -> tuple[str, dict[str, HtmlPage]]:
    """The event list of a place, tag or source page named `name`: whole when short, else a page
    per year; a year longer than a page gets a page per month, and a month longer than a page, pages
    of a page's length (`before`: what such a page shows above its events, made from them). Returns
    (what the main page shows, {uri: page} of the pages it leads to)."""
    size = plan.settings.page_size
    if len(events) <= size:
        return event_list(plan, base, events), {}
    links, pages = [], {}
    for year, year_events in by_year(events).items():
        uri = split_uri(base, year)
        links.append(f"<li>{plan.link(base, uri, str(year))} "
                     f'<span class="tl-count-n">({len(year_events)})</span></li>')
        up = f'<p class="tl-up">All years: {plan.link(uri, base, name)}</p>\n'
        if len(year_events) <= size:
            pages[uri] = _list_page(plan, uri, f"{name}, {year}", up, year_events, before)
            continue
        by_month: dict[int, list[Event]] = defaultdict(list)
        for event in year_events:
            by_month[event.start.month or 0].append(event)
        months = []
        for month in sorted(m for m in by_month if m):
            month_events = by_month[month]
            first = f"{uri[:-3]}/{month:02d}.md"
            months.append(f"<li>{plan.link(uri, first, f'{MONTHS[month]} {year}')} "
                          f'<span class="tl-count-n">({len(month_events)})</span></li>')
            back = f'<p class="tl-up">{plan.link(first, uri, f"{name}, {year}")}</p>\n'
            pages.update(_parts(plan, first, f"{name}, {MONTHS[month]} {year}", back, month_events, before))
        whole_year = by_month.get(0, [])
        overview = '<ul class="tl-overview">' + "".join(months) + "</ul>\n"
        if len(whole_year) <= size:  # the events known only to the year, under its months
            pages[uri] = _list_page(plan, uri, f"{name}, {year}", up + overview, whole_year, before) if whole_year \
                else HtmlPage(f"{name}, {year}", f"<h1>{esc(name)}, {year}</h1>\n" + up
                              + count_line(len(year_events)) + "\n" + overview)
        else:
            pages.update(_parts(plan, uri, f"{name}, {year}", up + overview, whole_year, before))
    return '<ul class="tl-overview">' + "".join(links) + "</ul>\n", pages


def _list_page(plan: Plan, uri: str, title: str, top: str, events: list[Event],
               before: Callable[[list[Event]], str] | None) -> HtmlPage:
    return HtmlPage(title, f"<h1>{esc(title)}</h1>\n" + top + (before(events) + heading(2, "Events") if before else "")
                    + count_line(len(events)) + "\n" + event_list(plan, uri, events))


def _parts(plan: Plan, first: str, title: str, top: str, events: list[Event],
           before: Callable[[list[Event]], str] | None) -> dict[str, HtmlPage]:
    """Pages of at most page_size events: `first`, then first-2, first-3…, each linking to the others."""
    size = plan.settings.page_size
    chunks = chunked(events, size)
    uris = [part_uri(first, n) for n in range(1, len(chunks) + 1)]
    pages = {}
    for number, (uri, chunk) in enumerate(zip(uris, chunks, strict=True)):
        named = part_title(title, number + 1, len(chunks))
        steps = "" if len(chunks) == 1 else '<nav class="tl-prevnext" aria-label="Other parts">' + "".join(
            plan.link(uri, other, f"Part {n + 1}", "tl-prev" if n < number else "tl-next")
            for n, other in enumerate(uris) if n in (number - 1, number + 1)) + "</nav>\n"
        page = _list_page(plan, uri, named, top, chunk, before)
        pages[uri] = HtmlPage(page.title, page.html + steps)
    return pages
