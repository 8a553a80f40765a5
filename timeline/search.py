"""A compact search index. The theme would index every section of every page as HTML; for a
timeline that repeats each event's title on its place, tag, source and timeline pages and carries
long source lists, most of that is noise. Generated pages are kept out of the theme's indexer and
indexed here from the data, once: an event by its title, date, places, tags and the words of its
body (each once, without the stop words the search engine ignores anyway, and without a word that
begins another of the entry's terms: the theme searches every term as a prefix, so "report" finds
"reported"); a place by its name and other spellings; other generated pages by their titles.
Hand-written pages keep what the theme wrote. Pure: data in, index entries out."""
from __future__ import annotations

import bisect
import html
import re

from .markup import Renderer
from .model import Event, Timeline
from .pages import MarkdownPage
from .urls import Urls, event_uri, place_uri

# lunr's English stop-word list: Material's search pipeline drops these words, so they can go.
STOP_WORDS = set("""a able about across after all almost also am among an and any are as at be because been but by
can cannot could dear did do does either else ever every for from get got had has have he her hers him his how
however i if in into is it its just least let like likely may me might most must my neither no nor not of off often
on only or other our own rather said say says she should since so some than that the their them then there these
they this tis to too twas us wants was we were what when where which while who whom why will with would yet you
your""".split())

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[\w'’]+(?:\.[\w'’]+)*", re.UNICODE)  # split at hyphens, as the search engine does
_TERMS = re.compile(r"[\s\-]+")  # the theme's separator for English, as the index's config says


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


def terms(indexed: str) -> list[str]:
    """The terms the theme's search makes of a field as the index holds it: split at its separator
    and lowercased, nothing trimmed (its English pipeline has no trimmer: `&quot;prelude` is a term)."""
    return [t for t in _TERMS.split(indexed.lower()) if t]


def event_text(event: Event, timeline: Timeline) -> str:
    """Places and tags, then the body's words, leaving out what the search finds without them. The
    theme appends a wildcard to every term it searches (query/transform: `${term}*`), so a word that
    begins a term the entry holds finds nothing more: one in the title (indexed in its own field), in
    a place or tag before it, or a longer word of the body ("report" beside "reported"). A stop word
    is no such term: the index drops it. What this gives up: a term the reader marks exact (`+report`,
    or inside quotes) gets no wildcard, and misses a word left out so. The date is on the result's
    page, not needed to find it."""
    held = {t for t in terms(html.escape(event.title)) if t not in STOP_WORDS}  # the title as indexed
    parts = []
    for part in [timeline.places[p].name for p in event.places] + list(event.tags):
        its = [t for t in terms(html.escape(part, quote=False)) if t not in STOP_WORDS]
        if not all(any(term.startswith(t) for term in held) for t in its):
            parts.append(part)
            held.update(its)
    words = plain_words(event.body)
    ordered = sorted(held.union(words))
    kept = [w for w in words if w not in held and not _begins_a_longer(w, ordered)]
    return html.escape(" ".join(parts + kept), quote=False)


def _begins_a_longer(word: str, ordered: list[str]) -> bool:
    """Whether a longer term in `ordered` (sorted, holding `word`) starts with `word`: the next one would."""
    after = bisect.bisect_right(ordered, word)
    return after < len(ordered) and ordered[after].startswith(word)


def generated_docs(timeline: Timeline, urls: Urls, pages: dict, renderer: Renderer | None = None) -> list[dict]:
    """Index entries for the generated HTML pages, in page order. Titles are HTML, as the theme's are.
    `renderer` keeps each event's entry for the next build (serve)."""
    events = {event_uri(e.id): e for e in timeline.events}
    places = {place_uri(p.id): p for p in timeline.places.values()}
    docs = []
    for uri, page in pages.items():
        if isinstance(page, MarkdownPage):
            continue
        if uri in events:
            event = events[uri]
            names = tuple(timeline.places[p].name for p in event.places)
            text = renderer.fragment(("search", event, names), event_text, event, timeline) if renderer \
                else event_text(event, timeline)
        elif uri in places:
            place = places[uri]
            text = html.escape(" ".join(w for w in (*place.aliases, place.kind or "", place.country or "") if w),
                               quote=False)
        else:
            text = ""
        docs.append({"location": urls.url(uri), "title": html.escape(page.title), "text": text})
    return docs


def merge_index(index: dict, docs: list[dict], markdown_pages: set[str],
                previous: dict[str, list[dict]] | None = None,
                reused: dict[str, dict] | None = None, order: list[str] | None = None
                ) -> tuple[dict, dict[str, list[dict]]]:
    """The theme's index (hand-written pages; the generated Markdown pages, whose sections are lists
    of events, keep only their title) plus our entries. `previous`: the hand-written pages' entries
    from the last build, for a `serve` rebuild in which the theme re-indexed only what it rebuilt.
    `reused`: the entries of generated Markdown pages this build took from the last (by URL), put
    among the others in `order` (the URLs of the generated Markdown pages, in the site's order).
    Returns the index and the hand-written pages' entries to keep for next time."""
    written: dict[str, list[dict]] = {}
    listings: dict[str, dict] = {}
    for doc in index.get("docs", []):
        page, _, anchor = doc.get("location", "").partition("#")
        if page in markdown_pages:
            if not anchor:
                listings[page] = {**doc, "text": ""}
        else:
            written.setdefault(page, []).append(doc)
    if previous:
        written = {**previous, **written}
    if reused:
        both = {**reused, **listings}
        listings = {url: both[url] for url in order or both if url in both}
    kept = [doc for entries in written.values() for doc in entries]
    return {**index, "docs": kept + list(listings.values()) + docs}, written
