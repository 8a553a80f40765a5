"""Escaping and sanitising, in one place: what editor text may become in a page.

User text never reaches Markdown as Markdown. Titles, names, tags, claims and so on are
HTML-escaped into raw HTML, which Markdown passes through untouched. The event body is the one
piece of editor Markdown: it is rendered here and run through an HTML sanitiser (nh3).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

import nh3
from markdown_it import MarkdownIt

from .model import Event, slugify
from .shelves import Shelves

T = TypeVar("T")
_NONE = object()  # (a fragment may be "" or None)

# What an event body may contain once rendered: text formatting, links, lists, tables. No images:
# an image from another host would tell that host who reads the page.
BODY_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
             "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
             "tr", "ul", "dl", "dt", "dd", "div", "span"}
BODY_ATTRIBUTES = {"a": {"href", "title"},
                   "td": {"align"}, "th": {"align"}, "ol": {"start"}, "abbr": {"title"}, "*": {"lang", "dir"}}
# Bodies are CommonMark with tables, as on GitHub. markdown-it's parser is linear in its input, where
# Python-Markdown took minutes on a few kilobytes of '[' (body.py bounds the size as well).
MAX_NESTING = 100  # lists and quotes; validate refuses deeper bodies (body.MAX_BODY_DEPTH) before this


def body_markdown(parser: type[MarkdownIt] = MarkdownIt) -> MarkdownIt:
    """The Markdown parser for event bodies: CommonMark, raw HTML kept (the sanitiser decides), tables."""
    return parser("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def esc(text: str) -> str:
    """Escape editor text for HTML, on one line (a blank line would end the raw HTML block)."""
    return html.escape(" ".join(_UNPRINTABLE.sub("", text).split()), quote=True)


def attr(text: str) -> str:
    """A value for an HTML attribute that we generated (a URL, a class): quotes and & escaped."""
    return html.escape(text)


# Fragments kept between runs (the build cache): the exports' pieces of each event.
LASTING = frozenset({"ics", "json", "timelinejs", "search", "csv", "geojson", "filters"})


class Renderer:
    """Editor Markdown → sanitised HTML, keeping each result: the event pages, the feed and the
    TimelineJS export all show the same bodies. Made once per build (serve keeps one, so that a
    rebuild renders only what an edit changed: bodies, and the other pieces kept as fragments)."""

    def __init__(self, keep: bool = False) -> None:
        self._markdown = body_markdown()
        # Markdown body → its sanitised HTML, zlib-packed: every body is rendered before the exports
        # that show it again are made (10 MB of HTML at 10,000 events, 5 packed).
        self._done: dict[str, bytes] = {}
        self.keep = keep  # keep fragments for the next build (serve); a single build would only fill memory
        self._fragments: dict[tuple, Any] = {}  # made or asked for by this build
        self._last: dict[tuple, Any] = {}  # by the build before
        # Kept between runs: each event's token (its file's digest with what else its check read), and
        # the pieces the last run made and those this run asked for (timeline/shelves.py).
        self.tokens: dict[str, bytes] | None = None
        self.shelves = Shelves()
        self._reprs: dict[tuple[type, Any], str] = {}  # a key's part (with its type) → its repr, made once

    def fragment(self, key: tuple, make: Callable[..., T], *args: Any) -> T:
        """`make(*args)`, a piece of output that is a pure function of `key` (which holds everything
        it is made from, such as an event and the names of its places): made once and kept until a
        build no longer asks for it. The exports' pieces of each event are also kept between runs
        (the build cache), by a key in which the event is its token."""
        if self.tokens is not None and key[0] in LASTING:
            lasting = self._lasting_key(key)
            if lasting is not None:
                return self.shelves.get(key[0], lasting, make, *args)
        if not self.keep:
            return make(*args)
        value = self._fragments.get(key, _NONE)
        if value is _NONE:
            value = self._last.get(key, _NONE)
            self._fragments[key] = value = make(*args) if value is _NONE else value
        return value

    def body(self, text: str) -> str:
        packed = self._done.get(text)
        if packed is not None:
            try:
                return zlib.decompress(packed).decode("utf-8", "surrogatepass")
            except (zlib.error, UnicodeDecodeError, TypeError):  # a damaged cache: render it again
                pass
        html_text = self._render(text)
        self._done[text] = zlib.compress(html_text.encode("utf-8", "surrogatepass"), 1)
        return html_text

    def _render(self, text: str) -> str:
        try:
            rendered = self._markdown.render(text).rstrip("\n")
        except RecursionError:  # validation refuses such nesting; if it was skipped, show the text as text
            rendered = "".join(f"<p>{esc(part)}</p>" for part in text.split("\n\n") if part.strip())
        return nh3.clean(rendered, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                         link_rel="noopener noreferrer")

    def _lasting_key(self, key: tuple) -> bytes | None:
        """A digest of `key` in which an event is its id and token, and every other part its repr, made
        once per build: the same places, names and settings recur in thousands of keys, and a place's
        repr (a dataclass's) is slow. Parts are joined by control characters no repr holds."""
        reprs = self._reprs
        parts = []
        for part in key:
            kind = type(part)
            if kind is Event:
                token = self.tokens.get(part.path) if self.tokens is not None else None
                if token is None:  # an event from memory (new, import): nothing to know it by
                    return None
                parts.append(f"\x01{part.id}\x00{token.hex()}")
            elif kind is tuple:  # an event's places or their names: each one's repr is made once
                items = []
                for item in part:
                    text = reprs.get((type(item), item))
                    if text is None:
                        text = reprs[(type(item), item)] = repr(item)
                    items.append(text)
                parts.append("\x02" + "\x03".join(items))
            else:
                text = reprs.get((kind, part))  # by type too: 1 == 1.0 == True, their reprs differ
                if text is None:
                    text = reprs[(kind, part)] = repr(part)
                parts.append(text)
        return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def remember(self, bodies: dict[str, bytes], fragments: dict[str, bytes] | None = None) -> None:
        """Bodies rendered and export pieces made by an earlier run (the build cache), on their shelves."""
        self._done.update(bodies)
        self.shelves.stored.update(fragments or {})

    def pack(self) -> None:
        """The export pieces asked for so far are written out: pack them (timeline/shelves.py)."""
        self.shelves.pack()

    def lasting_made(self) -> dict[str, bytes]:
        """The export pieces this build asked for, packed, to keep for the next; they become what it reuses."""
        self._reprs = {}
        return self.shelves.finish()

    def bodies(self) -> dict[str, bytes]:
        """The bodies rendered, packed as they are held (the build cache keeps them so)."""
        return dict(self._done)

    def forget(self, keep: set[str]) -> None:
        """Drop the bodies no event has any more and the fragments this build did not use (serve,
        after an edit)."""
        self._done = {text: done for text, done in self._done.items() if text in keep}
        self._last, self._fragments = self._fragments, {}



def heading(level: int, text: str) -> str:
    """A fixed heading with the id Markdown's table of contents would give it."""
    return f'<h{level} id="{slugify(text)}">{esc(text)}</h{level}>\n'


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def front_matter(title: str, **extra: object) -> str:
    """Generated Markdown pages carry their meta escaped: MkDocs treats page titles as HTML, and the
    theme prints `page.meta.title` and `page.meta.description` into the page without escaping them."""
    data = {"title": esc(title), **{k: esc(v) if isinstance(v, str) else v for k, v in extra.items() if v != ""}}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in data.items()) + "---\n\n"


def json_in_html(data: object) -> str:
    """JSON for a <script type="application/json"> block: '<' escaped, so no '</script>' can end it."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
