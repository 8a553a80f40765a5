"""A compact search index. The theme indexes every section of every page as HTML; for a timeline
that repeats each event's title on its place, tag, source and timeline pages and carries long
source lists. We keep what finds an event, said once: its page's title; its date, places and
tags; and the words of its body, each once, without the stop words the search engine ignores
anyway. Other generated pages keep their title (and a place its other spellings); hand-written
pages keep what the theme wrote. Pure: index dict in, index dict out."""
from __future__ import annotations

import html
import re

from .model import Timeline, human_range
from .pages import Site, event_uri, place_uri

# lunr's English stop-word list: Material's search pipeline drops these words, so they can go.
STOP_WORDS = set("""a able about across after all almost also am among an and any are as at be because been but by
can cannot could dear did do does either else ever every for from get got had has have he her hers him his how
however i if in into is it its just least let like likely may me might most must my neither no nor not of off often
on only or other our own rather said say says she should since so some than that the their them then there these
they this tis to too twas us wants was we were what when where which while who whom why will with would yet you
your""".split())

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[\w'’]+(?:[-.][\w'’]+)*", re.UNICODE)


def plain_words(markdown_text: str) -> list[str]:
    """The words of a body, lowercased, each once, in order, without stop words and Markdown syntax."""
    text = re.sub(r"\]\([^)]*\)", "] ", markdown_text)  # link targets are not words of the body
    text = html.unescape(_TAG.sub(" ", text))
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        word = word.strip("'’")
        if word and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def event_text(event, timeline: Timeline) -> str:
    places = ", ".join(timeline.places[p].name for p in event.places)
    facts = " · ".join(x for x in (human_range(event.start, event.end), places, " ".join(event.tags)) if x)
    return html.escape(facts + " — " + " ".join(plain_words(event.body)), quote=False)


def compact_index(index: dict, timeline: Timeline, site: Site, generated: set[str]) -> dict:
    """`generated`: the site URLs of every generated page (events, lists, places, tags, sources)."""
    events = {site.url(event_uri(e.id)): e for e in timeline.events}
    places = {site.url(place_uri(p.id)): p for p in timeline.places.values()}
    docs = []
    for doc in index.get("docs", []):
        page, _, anchor = doc.get("location", "").partition("#")
        if page not in generated:
            docs.append(doc)  # a hand-written page: as the theme indexed it
        elif anchor:
            continue  # sections of generated pages repeat what the events say
        elif page in events:
            docs.append({**doc, "text": event_text(events[page], timeline)})
        elif page in places:
            place = places[page]
            words = [*place.aliases, place.kind or "", place.country or ""]
            docs.append({**doc, "text": html.escape(" ".join(w for w in words if w), quote=False)})
        else:
            docs.append({**doc, "text": ""})
    return {**index, "docs": docs}
