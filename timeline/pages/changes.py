"""What changed: an event's history on its page, /changes/ for the whole timeline, changes.xml,
and the pages that keep old addresses alive (a redirect for a renamed event, a withdrawal notice
for a deleted one). All from timeline/history.py; commit messages are escaped like any text."""
from __future__ import annotations

import datetime as dt
from itertools import groupby

from feedgen.feed import FeedGenerator

from ..history import History, Revision, Withdrawn
from ..markup import attr, esc, heading, plural
from ..model import MONTHS
from ..urls import CHANGES, HOME, event_uri
from .common import HtmlPage, Plan

KIND_WORDS = {"added": "New", "updated": "Updated", "renamed": "Moved", "withdrawn": "Withdrawn"}
FEED_SIZE = 100


def _day(text: str) -> str:
    day = dt.date.fromisoformat(text[:10])
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _commit(plan: Plan, revision: Revision) -> str:
    base = plan.history.repo_url.rstrip("/")
    if not base:
        return ""
    return f' <a class="tl-commit" href="{attr(base)}/commit/{revision.commit}">{revision.commit[:7]}</a>'


def _revision(plan: Plan, revision: Revision) -> str:
    summary = f' <span class="tl-summary-line" dir="auto">“{esc(revision.summary)}”</span>' if revision.summary else ""
    return (f'<li><time datetime="{revision.day}">{_day(revision.date)}</time>: '
            f"{esc('; '.join(revision.changes))}.{summary}{_commit(plan, revision)}</li>")


def history_facts(history: History, event_id: str) -> str:
    """First published, last updated and revisions, for the event page's facts."""
    revisions = history.events.get(event_id)
    if not history.available or not revisions:
        return ""
    first, last = revisions[0], revisions[-1]
    return (f'<dt>Published</dt><dd><time datetime="{first.day}">{_day(first.date)}</time>; last updated '
            f'<time datetime="{last.day}">{_day(last.date)}</time> '
            f'(<a href="#history">{plural(len(revisions), "revision")}</a>)</dd>')


def history_section(plan: Plan, history: History, event_id: str) -> str:
    revisions = history.events.get(event_id)
    if not history.available or not revisions:
        return ""
    rows = "\n".join(_revision(plan, r) for r in reversed(revisions))
    return heading(2, "History") + f'<ol class="tl-history" reversed>\n{rows}\n</ol>\n'


def redirect_page(plan: Plan, old_id: str, new_id: str) -> HtmlPage:
    """A renamed event's old address: a static redirect to where it is now."""
    here, target = event_uri(old_id), plan.urls.href(event_uri(old_id), event_uri(new_id))
    title = plan.ix.by_id[new_id].title if new_id in plan.ix.by_id else new_id
    return HtmlPage(f"Moved: {title}",
                    f'<meta http-equiv="refresh" content="0; url={attr(target)}">'
                    f'<link rel="canonical" href="{attr(target)}">'
                    f"<h1>This event has moved</h1>\n<p>It is now at {plan.link(here, event_uri(new_id), title, auto=True)}."
                    "</p>\n")


def withdrawn_page(plan: Plan, withdrawn: Withdrawn) -> HtmlPage:
    here = event_uri(withdrawn.id)
    r = withdrawn.revision
    why = f' The reason given: <q dir="auto">{esc(r.summary)}</q>.' if r.summary else ""
    return HtmlPage(f"Withdrawn: {withdrawn.title}",
                    f'<h1 dir="auto">{esc(withdrawn.title)}</h1>\n<div class="admonition warning tl-withdrawn">'
                    f'<p class="admonition-title">Withdrawn</p><p>This event was withdrawn from the timeline on '
                    f'<time datetime="{r.day}">{_day(r.date)}</time>.{why}{_commit(plan, r)}</p></div>\n'
                    f'<p>See {plan.link(here, CHANGES, "what changed")} and '
                    f'{plan.link(here, HOME, "the timeline")}.</p>\n')


def _entry(plan: Plan, history: History, here: str, event_id: str, revision: Revision) -> str:
    title = history.titles.get(event_id, event_id)
    link = plan.link(here, event_uri(event_id), title, "tl-title", auto=True)
    kind = KIND_WORDS[revision.kind]
    corrected = " tl-corrected" if "correction added" in revision.changes else ""
    return (f'<li class="tl-change tl-change-{revision.kind}{corrected}"><span class="tl-change-kind">{kind}</span> '
            f"{link}: {esc('; '.join(revision.changes))}."
            + (f' <span class="tl-summary-line" dir="auto">“{esc(revision.summary)}”</span>' if revision.summary else "")
            + _commit(plan, revision) + "</li>")


def changes_uri(number: int) -> str:
    return CHANGES if number == 1 else f"changes/{number}.md"


def changes_pages(plan: Plan, history: History) -> dict[str, HtmlPage]:
    """/changes/: newest first, by day, in pages of `page_size` changes (changes/2/ the older ones,
    and so on). The days are headings, so the table of contents is the way to "what changed since";
    changes.xml carries the newest to feed readers."""
    if not history.available:
        reason = "this copy of the timeline was cloned without its full git history (a shallow clone)" \
            if history.shallow else "this copy of the timeline has no git history (it was not built from a git clone)"
        return {CHANGES: HtmlPage("Changes", f'<h1>Changes</h1>\n<p class="tl-note">The history of the events is '
                                             f"unavailable: {reason}.</p>\n")}
    changes = history.changes
    size = plan.settings.page_size
    chunks = [changes[i:i + size] for i in range(0, len(changes), size)] or [[]]
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = changes_uri(number)
        title = "Changes" if number == 1 else f"Changes, page {number}"
        out = [f"<h1>{title}</h1>\n", f'<p class="tl-summary">{plural(len(changes), "change")} to the events, newest '
               f'first; follow them in a feed reader with <a href="{attr(plan.urls.href(here, "changes.xml"))}">'
               "changes.xml</a>.</p>\n"]
        for day, group in groupby(chunk, key=lambda pair: pair[1].day):
            out.append(f'<h2 id="{day}">{_day(day)}</h2>\n<ul class="tl-changes">\n'
                       + "\n".join(_entry(plan, history, here, event_id, r) for event_id, r in group) + "\n</ul>\n")
        steps = []
        if number > 1:
            steps.append(plan.link(here, changes_uri(number - 1), "Newer changes", "tl-prev"))
        if number < len(chunks):
            steps.append(plan.link(here, changes_uri(number + 1), "Older changes", "tl-next"))
        if steps:
            out.append('<nav class="tl-prevnext" aria-label="Other pages of changes">' + "".join(steps) + "</nav>\n")
        pages[here] = HtmlPage(title, "".join(out))
    return pages


def changes_feed(plan: Plan, history: History, title: str, site_url: str | None) -> str:
    """changes.xml: Atom, the newest changes first; dates from the commits, so the same history
    gives the same bytes."""
    def link(path: str) -> str:
        return (site_url.rstrip("/") + "/" + path) if site_url else path
    feed = FeedGenerator()
    feed.id(link("changes.xml") if site_url else "urn:timeline:changes")
    feed.title(f"{title}: changes")
    feed.author({"name": title})
    feed.link(href=link(plan.urls.url(CHANGES)), rel="alternate")
    feed.link(href=link("changes.xml"), rel="self")
    changes = history.changes[:FEED_SIZE] if history.available else []
    feed.updated(changes[0][1].date if changes else "1970-01-01T00:00:00+00:00")
    for event_id, revision in changes:
        entry = feed.add_entry(order="append")
        entry.id(f"urn:timeline:change:{revision.commit}:{event_id}")
        entry.title(f"{KIND_WORDS[revision.kind]}: {history.titles.get(event_id, event_id)}")
        entry.updated(revision.date)
        entry.link(href=link(plan.urls.url(event_uri(event_id))), rel="alternate")
        entry.summary("; ".join(revision.changes) + (f" ({revision.summary})" if revision.summary else ""))
    return feed.atom_str(pretty=True).decode("utf-8")
