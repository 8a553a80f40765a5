"""Read a built site back: every page's ids, links and text, and the links that lead nowhere."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    path: str  # relative to the site root, e.g. "events/x/index.html"
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    title: str = ""
    h1: str = ""
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.page.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.page.links.append(attrs[key])
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "title" in self.stack:
            self.page.title += data
        if "h1" in self.stack:
            self.page.h1 += data
        if not {"script", "style"} & set(self.stack):
            self.page.text.append(data)


def read_site(site: Path) -> dict[str, Page]:
    pages = {}
    for file in sorted(site.rglob("*.html")):
        page = Page(file.relative_to(site).as_posix())
        _Reader(page).feed(file.read_text(encoding="utf-8"))
        pages[page.path] = page
    return pages


def dead_links(site: Path, pages: dict[str, Page]) -> list[str]:
    """Every internal link or #anchor that does not resolve, as 'page -> link'."""
    problems = []
    for page in pages.values():
        folder = posixpath.dirname(page.path)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            # MkDocs writes 404.html with root-relative links, for a site served at a domain's root.
            base = "" if parts.path.startswith("/") else folder
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/"))) if parts.path else page.path
            if target.startswith(".."):
                problems.append(f"{page.path} -> {link} (outside the site)")
                continue
            file = site / target
            if file.is_dir():
                target = posixpath.join(target, "index.html")
                file = site / target
            if not file.is_file():
                problems.append(f"{page.path} -> {link}")
            elif parts.fragment and target.endswith(".html"):
                if parts.fragment not in pages[target.lstrip("./")].ids:
                    problems.append(f"{page.path} -> {link} (no such anchor)")
    return problems
