"""Generated pages written without rendering the theme for each one.

Every event, place, tag and source page out of the navigation renders the same theme template
around its own title, description and content: the navigation, header and footer depend only on
how deep the page sits (its relative links). So MkDocs renders one stand-in page per shape, with
markers where the page's own parts go, and each page is that shell with its parts put in. This is
what the theme would have written, byte for byte (tests/test_shells.py compares whole sites).

A shape is (URL folder, has a description, content has an <h1>: the theme adds one otherwise).
A page whose address would be percent-encoded is left to MkDocs, as is one with other pages
under its address (the theme's links to them would be relative to it) and any shape whose shell
still holds a marker where it was not expected (a theme that prints the address somewhere new).
Pure: strings in, strings out.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .markup import esc
from .pages import DeferredPage, HtmlPage, PackedPage
from .urls import Urls

TITLE = "TLSHELLTITLE"
DESCRIPTION = "TLSHELLDESCRIPTION"
CONTENT = "TLSHELLCONTENT"
STEM = "tlshellpage"  # the stand-in's own file name, in its URL and its source path
H1 = "<h1></h1>"  # in the stand-in's content when the pages of its shape start with their own <h1>

Shape = tuple[str, bool, bool]


def shape(page: HtmlPage | PackedPage | DeferredPage, uri: str, urls: Urls) -> Shape | None:
    """The page's shape, or None if MkDocs must render it itself. The theme's links are relative,
    so its folder is part of the shape (../ from places/x/ to places/, ../../places/ from events/x/)."""
    if quote(uri) != uri or STEM in uri:
        return None
    url = urls.url(uri)
    folder = url.rstrip("/").rpartition("/")[0]
    return (folder + "/" if folder else "", bool(page.description), page.headed)


def stand_in_uri(key: Shape, urls: Urls) -> str:
    """A source uri beside the pages of its shape: events/tlshellpage11.md → events/tlshellpage11/."""
    folder, described, heading = key
    return f"{folder}{STEM}{described:d}{heading:d}.md"


def stand_in(key: Shape) -> HtmlPage:
    """The page MkDocs renders for a shape: markers for the parts each page fills in."""
    _, described, heading = key
    return HtmlPage(TITLE, CONTENT + (H1 if heading else ""), DESCRIPTION if described else "")


@dataclass(frozen=True)
class Shell:
    """A rendered stand-in, cut where a page's own parts go: pieces[0] parts[0] pieces[1] parts[1] …"""

    pieces: tuple[str, ...]
    parts: tuple[str, ...]  # "title", "description", "content", "url", "src": what goes between pieces
    digest: str  # of the pieces: a page's output is its parts and this

    def fill(self, page: HtmlPage | PackedPage, uri: str, urls: Urls, content: str) -> str:
        """The page, as the theme would have rendered it; `content`: the page's HTML as on_post_page leaves it."""
        values = {"title": esc(page.title), "description": esc(page.description), "content": content,
                  "url": urls.url(uri), "src": uri}
        out = [self.pieces[0]]
        for part, piece in zip(self.parts, self.pieces[1:], strict=True):
            out.append(values[part])
            out.append(piece)
        return "".join(out)


def cut(rendered: str, key: Shape, urls: Urls) -> Shell | None:
    """The shell of a shape from its stand-in as MkDocs rendered it, or None if a marker is where
    a page's part cannot safely go."""
    uri = stand_in_uri(key, urls)
    content = CONTENT + (H1 if key[2] else "")
    if rendered.count(content) != 1:
        return None
    markers = {content: "content", uri: "src", urls.url(uri): "url", TITLE: "title"}
    if key[1]:
        markers[DESCRIPTION] = "description"
    # One pass, each marker where it stands; the source path before the URL, which it starts with.
    chunks = re.split("(" + "|".join(re.escape(m) for m in markers) + ")", rendered)
    pieces, parts = tuple(chunks[0::2]), tuple(markers[m] for m in chunks[1::2])
    if any(STEM in piece or marker_left(piece) for piece in pieces):
        return None
    digest = hashlib.blake2b("\0".join([*pieces, *parts]).encode("utf-8"), digest_size=16).hexdigest()
    return Shell(tuple(pieces), tuple(parts), digest)


def marker_left(piece: str) -> bool:
    return any(m.lower() in piece.lower() for m in (TITLE, DESCRIPTION, CONTENT))


_SITEMAP_ENTRY = re.compile(rf"\s*<url>\s*<loc>[^<]*?/?{STEM}[01][01](?:/|\.html)</loc>.*?</url>", re.S)


def without_stand_ins(sitemap: str) -> str:
    """sitemap.xml without the stand-ins' entries."""
    return _SITEMAP_ENTRY.sub("", sitemap)


def remove_stand_ins(site: Path, uris: list[str], urls: Urls) -> None:
    """The stand-ins MkDocs wrote into the site."""
    for uri in uris:
        url = urls.url(uri)
        path = site / (url + "index.html" if url.endswith("/") else url)
        if path.is_file() and not path.is_symlink():
            path.unlink()
            if url.endswith("/"):
                path.parent.rmdir()
