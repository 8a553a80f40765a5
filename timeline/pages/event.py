"""One page per event: its date, places, periods and tags, the body, each source with its own
claim, related events and the events that refer to it, and the previous and next events."""
from __future__ import annotations

from ..claims import claimed
from ..markup import attr, esc, heading
from ..model import Event, human_range
from ..urls import event_anchor, event_uri, place_uri, source_uri, tag_uri
from .changes import history_facts, history_section
from .common import STATUS_WORDS, HtmlPage, Plan, item, period_link, status_badge, time_element


def event_page(plan: Plan, index: int) -> HtmlPage:
    ix = plan.ix
    event = ix.events[index]
    here = event_uri(event.id)
    out = [f'<h1 class="tl-event-title" dir="auto">{esc(event.title)}</h1>\n']
    for correction in event.corrections:  # at the top, as newsrooms print them
        out.append(f'<p class="tl-correction"><strong>Correction, {esc(correction.date.human())}:</strong> '
                   f'<span dir="auto">{esc(correction.note)}</span></p>\n')
    label, meaning = STATUS_WORDS[event.status]
    how = f' <span class="tl-verification">How: {esc(event.verification)}</span>' if event.verification else ""
    facts = [f"<dt>Status</dt><dd>{status_badge(event)} {esc(meaning[0].upper() + meaning[1:])}.{how}</dd>",
             f"<dt>Date</dt><dd>{time_element(event)}</dd>"]
    label = "Places" if len(event.places) > 1 else "Place"
    facts.append(f"<dt>{label}</dt><dd>" + ", ".join(plan.link(here, place_uri(p), ix.place_name(p), auto=True)
                                                    for p in event.places) + "</dd>")
    periods = ix.periods_of[event.id]
    if periods:
        facts.append(f"<dt>Period{'s' if len(periods) > 1 else ''}</dt><dd>" + ", ".join(
            f'<a href="{period_link(plan, here, p)}">{esc(p.title)}</a>' for p in periods) + "</dd>")
    if event.tags:
        facts.append("<dt>Tags</dt><dd>" + " ".join(plan.link(here, tag_uri(t), t, "tl-tag") for t in event.tags)
                     + "</dd>")
    facts.append(history_facts(plan.history, event.id))
    facts.append('<dt class="tl-screen-only">Timeline</dt><dd class="tl-screen-only">'
                 f'<a class="tl-on-timeline" href="{_on_timeline(plan, event)}">'
                 "See it on the timeline</a>, among the events around it</dd>")
    out.append('<dl class="tl-facts">' + "".join(facts) + "</dl>\n")
    if event.dispute:
        out.append('<div class="admonition warning tl-dispute"><p class="admonition-title">Sources differ</p>'
                   f"<p>{esc(event.dispute)} Each source's account is given with it below.</p></div>\n")
    out.append(_figures(event))
    if event.body.strip():
        out.append('<div class="tl-body" dir="auto">' + plan.renderer.body(event.body) + "</div>\n")
    out.append(heading(2, "Sources"))
    out.append('<ol class="tl-sources">\n' + "\n".join(_source(plan, here, s) for s in event.sources) + "\n</ol>\n")
    out.append(_related(plan, here, event))
    out.append(history_section(plan, plan.history, event.id))
    out.append(prev_next(plan, index))
    return HtmlPage(event.title, "".join(out), f"{human_range(event.start, event.end)}: {event.title}")


def _figures(event: Event) -> str:
    """Each kind of figure as the range across the sources, with who gives what: never one number
    picked silently."""
    rows = []
    for c in claimed(event):
        given = "; ".join(f'<span dir="auto">{esc(who)}</span> {f.text()}' + (f" ({esc(counted)})" if counted else "")
                          for who, f, counted in c.by)
        rows.append(f"<li><strong>{c.text()} {c.name}</strong>, by source: {given}</li>")
    return ('<div class="tl-figures"><p class="tl-figures-title">Figures, as each source gives them</p>'
            f'<ul>{"".join(rows)}</ul></div>\n') if rows else ""


def _on_timeline(plan: Plan, event: Event) -> str:
    return attr(plan.urls.href(event_uri(event.id), plan.ix.listing[event.id]) + f"#{event_anchor(event.id)}")


def _related(plan: Plan, here: str, event: Event) -> str:
    """The events this one names as related and those naming it, once each, saying which way."""
    ix = plan.ix
    named = {r for r in event.related if r in ix.by_id}
    naming = {e.id for e in ix.backlinks.get(event.id, [])}
    if not named | naming:
        return ""
    lines = []
    for other in sorted((ix.by_id[i] for i in named | naming), key=lambda e: e.sort_key):
        way = ("linked both ways" if other.id in named and other.id in naming
               else "this event refers to it" if other.id in named else "refers to this event")
        entry = item(plan, here, other)
        lines.append(entry[:-len("</li>")] + f'<span class="tl-way">{way}</span></li>')
    return heading(2, "Related events") + '<ol class="tl-list">\n' + "\n".join(lines) + "\n</ol>\n"


def _when(date) -> str:
    return f'<time datetime="{date.iso()}">{esc(date.human())}</time>'


def _copies(source) -> str:
    """The archived copy beside the original; when the original is known to be offline, the copy
    comes first and the original is marked as gone. Then the capture's hash, for checking a copy."""
    parts = []
    if source.archive:
        label = "Read the archived copy" if source.gone else "Archived copy"
        parts.append(f'<a class="tl-archive" href="{esc(source.archive)}" rel="noopener noreferrer">{label}</a>')
    if source.gone and source.url:
        parts.append(f'original <span class="tl-gone">offline since {_when(source.gone)}</span>: '
                     f'<a class="tl-original" href="{esc(source.url)}" rel="noopener noreferrer">{esc(source.url)}</a>')
    if source.accessed:
        parts.append(f"accessed {_when(source.accessed)}")
    if source.sha256:
        parts.append(f'capture SHA-256 <code class="tl-hash">{esc(source.sha256)}</code>')
    return f'<span class="tl-copies">{" · ".join(parts)}</span>' if parts else ""


def _source(plan: Plan, here: str, source) -> str:
    link = source.archive if source.gone and source.archive else source.url
    title = (f'<a href="{esc(link)}" rel="noopener noreferrer">{esc(source.title)}</a>'
             if link else esc(source.title))
    published = (f', <time datetime="{source.published.iso()}">{esc(source.published.human())}</time>'
                 if source.published else "")
    who = (f"{esc(source.by)}, according to {esc(source.publisher)}," if source.by else esc(source.publisher))
    claim = (f'<p class="tl-claim" dir="auto"><span class="tl-claim-label">{who} reports:</span> '
             f"{esc(source.claim)}</p>" if source.claim else "")
    publisher = plan.link(here, source_uri(plan.ix.publisher_slugs[source.publisher]), source.publisher,
                          auto=True)
    return f'<li><cite dir="auto">{title}</cite> — {publisher}{published}{_copies(source)}{claim}</li>'


def _step(plan: Plan, here: str, event: Event, css: str, rel: str, label: str) -> str:
    return (f'<a class="{css}" rel="{rel}" href="{attr(plan.urls.href(here, event_uri(event.id)))}">'
            f'<span class="tl-label">{label}</span> {esc(event.title)}</a>')


def prev_next(plan: Plan, index: int) -> str:
    events = plan.ix.events
    event = events[index]
    here = event_uri(event.id)
    links = []
    if index > 0:
        links.append(_step(plan, here, events[index - 1], "tl-prev", "prev", "Previous"))
    if index + 1 < len(events):
        links.append(_step(plan, here, events[index + 1], "tl-next", "next", "Next"))
    links.append(f'<a class="tl-up" href="{_on_timeline(plan, event)}">Back to the timeline</a>')
    return '<nav class="tl-prevnext" aria-label="Previous and next events">' + "".join(links) + "</nav>\n"
