"""The timeline itself: the home page (every event, or for a long timeline the years), the year
and month pages of a long timeline, the periods' legend and the reader's filters."""
from __future__ import annotations

from collections import defaultdict

from ..claims import totals
from ..indexes import by_year
from ..markup import attr, esc, front_matter
from ..model import MONTHS, STATUSES, human_range
from ..urls import FILTER_INDEX, HOME, month_uri, year_uri
from .common import (
    COUNTING_RULE,
    STATUS_WORDS,
    Fragments,
    MarkdownPage,
    Plan,
    count_line,
    event_list,
    figures_line,
    grouped,
    period_dates,
    period_link,
    period_marks,
)
from .overview import overview
from .places import map_block, mapped_places

TIMELINE_MARKER = "<!-- timeline -->"


def periods_legend(plan: Plan, here: str) -> str:
    periods = plan.ix.timeline.periods
    if not periods:
        return ""
    items = []
    for period in periods:
        description = f'<span class="tl-period-description">{esc(period.description)}</span>' \
            if period.description else ""
        target = period_link(plan, here, period)
        name = f'<a href="{target}">{esc(period.title)}</a>' if target else esc(period.title)
        inside = [e for e in plan.ix.events if period.contains(e)]
        items.append(f'<li class="{plan.ix.band(period)}">{name} '
                     f'<span class="tl-period-dates">({esc(period_dates(period))})</span>{description}'
                     + figures_line(totals(inside), COUNTING_RULE) + "</li>")
    return '<ul class="tl-periods" aria-label="Periods">\n' + "\n".join(items) + "\n</ul>\n"


def year_counts(plan: Plan) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for event in plan.ix.events:
        counts[event.year] += 1
    return counts


# A list longer than this shows its busiest values and a box that finds any other: a timeline with
# thousands of places would otherwise put a megabyte of checkboxes on its home page.
LIST_AT_MOST = 200
FIND_WORDS = {"tag": ("tag", "tags"), "place": ("place", "places"), "publisher": ("source", "sources")}


def _shortlist(options: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The LIST_AT_MOST options with the most events, in their list's order."""
    if len(options) <= LIST_AT_MOST:
        return options
    keep = {value for value, _, _ in sorted(options, key=lambda o: (-o[2], o[1].casefold(), o[0]))[:LIST_AT_MOST]}
    return [o for o in options if o[0] in keep]


def filters(plan: Plan) -> str:
    """The reader's filters, behind one "Filter" control (a phone has room for little else above the
    list). Hidden until timeline.js runs: without script the page is the full list. Options cover
    the whole timeline, whatever part of it this page shows; the chips show what is chosen. A long
    list carries its busiest options and a find box that searches them all in timeline-index.json."""
    ix = plan.ix
    groups = [
        ("tag", "Tags", [(t, t, len(ix.by_tag[t])) for t in sorted(ix.by_tag)]),
        ("place", "Places", sorted(((p, ix.place_name(p), len(es)) for p, es in ix.by_place.items()),
                                   key=lambda o: o[1].casefold())),
        ("publisher", "Sources", sorted(((slug, ix.publisher_names[slug], len(es))
                                        for slug, es in ix.by_publisher.items()), key=lambda o: o[1].casefold())),
        ("year", "Years", [(str(y), str(y), n) for y, n in sorted(year_counts(plan).items())]),
        ("status", "Status", [(s, STATUS_WORDS[s][0], n) for s in STATUSES
                              if (n := sum(e.status == s for e in ix.events))]),
    ]
    href = attr(plan.urls.href(HOME, FILTER_INDEX))
    index = f' data-index="{href}"' if ix.listing_pages else ""
    if not index and any(len(options) > LIST_AT_MOST for _, _, options in groups):
        index = f' data-options="{href}"'
    first, last = (ix.events[0].start.iso()[:7], (ix.events[-1].end or ix.events[-1].start).iso()[:7]) \
        if ix.events else ("", "")
    out = [f'<form class="tl-filters" id="tl-filters" hidden aria-label="Filter the timeline" '
           f'data-count="{len(ix.events)}"{index}>'
           '<details class="tl-filter-panel"><summary class="tl-filter-button">Filter '
           '<span class="tl-caret" aria-hidden="true">▾</span></summary><div class="tl-filter-body">'
           '<fieldset class="tl-range"><legend>Dates</legend>'
           f'<label>From <input type="text" name="from" inputmode="numeric" autocomplete="off" size="10" '
           f'placeholder="{esc(first)}" pattern="\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?" aria-describedby="tl-range-hint"></label> '
           f'<label>To <input type="text" name="to" inputmode="numeric" autocomplete="off" size="10" '
           f'placeholder="{esc(last)}" pattern="\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?" aria-describedby="tl-range-hint"></label>'
           '<span class="tl-hint" id="tl-range-hint">A year, month or day: 2020, 2020-02 or 2020-02-05. '
           "Or drag across the overview, or move its handles with the arrow keys.</span></fieldset>"]
    for name, label, options in groups:
        shown = _shortlist(options)
        boxes = "".join(f'<label><input type="checkbox" name="{name}" value="{esc(value)}"> '
                        f'<span dir="auto">{esc(text)}</span> '
                        f'<span class="tl-count-n">({count})</span></label>' for value, text, count in shown)
        find = ""
        if len(shown) < len(options):
            one, many = FIND_WORDS[name]
            find = (f'<p class="tl-hint" id="tl-find-{name}-hint">The {len(shown)} {many} with the most events; '
                    f"type to find any of the {len(options):,}.</p>"
                    f'<input type="search" class="tl-find" data-for="{name}" autocomplete="off" '
                    f'aria-label="Find a {one}" aria-describedby="tl-find-{name}-hint" placeholder="Find a {one}…">'
                    f'<p class="tl-hint tl-find-status" role="status" aria-live="polite" data-for="{name}"></p>')
        caret = '<span class="tl-caret" aria-hidden="true">▾</span>'
        out.append(f'<details class="tl-filter" data-filter="{name}"><summary>{label} {caret} '
                   f'<span class="tl-chosen" data-for="{name}"></span></summary>{find}'
                   f'<fieldset><legend class="tl-sr-only">{label}</legend>{boxes}</fieldset></details>')
    out.append('</div></details><div class="tl-chips" role="group" aria-label="Active filters"></div>'
               f'<p class="tl-status" role="status" aria-live="polite">Showing all {len(ix.events)} events</p>'
               '<button type="reset" class="md-button tl-reset" hidden>Reset filters</button></form>\n')
    return "".join(out)


def years_overview(plan: Plan, here: str) -> str:
    """The home page of a long timeline: each year, with its months, linking to their pages."""
    rows = []
    for year, events in by_year(plan.ix.events).items():
        months = plan.ix.listing_pages[year_uri(year)].months
        counts: dict[int | None, int] = defaultdict(int)
        for event in events:
            counts[event.start.month] += 1
        parts = "".join(f'<li>{plan.link(here, month_uri(year, m), MONTHS[m])} '
                        f'<span class="tl-count-n">({counts[m]})</span></li>' for m in months)
        rows.append(f'<li>{plan.link(here, year_uri(year), str(year), "tl-year-link")} '
                    f'<span class="tl-count-n">{len(events)} event{"s" if len(events) != 1 else ""}</span>'
                    + (f'<ul class="tl-months">{parts}</ul>' if parts else "") + "</li>")
    return '<ul class="tl-overview">\n' + "\n".join(rows) + "\n</ul>\n"


def home_page(plan: Plan, intro: str | None) -> MarkdownPage:
    """The home page: the hand-written docs/index.md (if any), with the timeline where it says
    <!-- timeline --> (or after it)."""
    ix, frag = plan.ix, Fragments()
    events = ix.events
    count = len(events)
    summary = (f'<p class="tl-summary">{count} event{"s" if count != 1 else ""}'
               + (f", {esc(human_range(events[0].start, None))} to "
                  f"{esc((events[-1].end or events[-1].start).human())}" if count else "")
               + ".</p>\n")
    if ix.listing_pages:
        listing = frag.add(years_overview(plan, HOME) + '\n<ol class="tl-list tl-results" hidden></ol>')
    else:
        listing = grouped(plan, frag, HOME, list(events), marks=period_marks(plan))
    located = mapped_places(plan)
    top = ((overview(plan) or summary) + filters(plan)
           + map_block(plan, HOME, located, "Map of the places with events, following the filters", every=True)
           + periods_legend(plan, HOME))
    body = frag.add(top) + "\n" + listing
    if intro is None:
        return frag.page(front_matter("Timeline") + "# Timeline\n\n" + body)
    if TIMELINE_MARKER in intro:
        return frag.page(intro.replace(TIMELINE_MARKER, "\n" + body + "\n", 1))
    return frag.page(intro.rstrip("\n") + "\n\n" + body)


def listing_page(plan: Plan, uri: str) -> MarkdownPage:
    """A year, or a month, of a long timeline."""
    ix, frag = plan.ix, Fragments()
    page = ix.listing_pages[uri]
    marks = period_marks(plan)
    pages = list(ix.listing_pages)
    index = pages.index(uri)
    step = []
    if index > 0:
        step.append(f'<a class="tl-prev" rel="prev" href="{attr(plan.urls.href(uri, pages[index - 1]))}">'
                    f'<span class="tl-label">Previous</span> {esc(ix.listing_pages[pages[index - 1]].title)}</a>')
    if index + 1 < len(pages):
        step.append(f'<a class="tl-next" rel="next" href="{attr(plan.urls.href(uri, pages[index + 1]))}">'
                    f'<span class="tl-label">Next</span> {esc(ix.listing_pages[pages[index + 1]].title)}</a>')
    step.append(f'<a class="tl-up" href="{attr(plan.urls.href(uri, HOME))}">'
                '<span class="tl-label">The whole timeline</span></a>')
    out = [front_matter(page.title), f"# {page.title}\n"]
    year = page.year
    if page.months:  # a year split into months: list them, then the events known only to the year
        counts: dict[int | None, int] = defaultdict(int)
        for listing in ix.listing_pages.values():
            if listing.year == year:
                counts[listing.month] += len(listing.events)
        parts = "".join(f'<li>{plan.link(uri, month_uri(year, m), f"{MONTHS[m]} {year}")} '
                        f'<span class="tl-count-n">({counts[m]})</span></li>' for m in page.months)
        out.append(frag.add(f'<ul class="tl-overview">{parts}</ul>'))
        if page.events:
            out.append(f"## {year}\n")
            out.append(frag.add(event_list(plan, uri, page.events, marks)))
    elif page.month is not None:  # a month page
        out.append(count_line(len(page.events)) + "\n")
        out.append(frag.add(event_list(plan, uri, page.events, marks)))
    else:  # a year page
        out.append(count_line(len(page.events)) + "\n")
        out.append(grouped(plan, frag, uri, page.events, level=2, marks=marks, with_year=False))
    out.append(frag.add('<nav class="tl-prevnext" aria-label="Other parts of the timeline">' + "".join(step) + "</nav>"))
    return frag.page("\n".join(out))
