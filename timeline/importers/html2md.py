"""HTML → plain text and simple Markdown, for what other tools export (TimelineJS slides).

A forgiving tree of the HTML (unclosed tags close with their parent, stray end tags are ignored),
then text: paragraphs, list items, http(s) links, bold and italics; the rest as text. Whatever
cannot be carried over (images, other links) is returned, so the importer can report it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_DROP = {"script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg", "math"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "address", "blockquote",
          "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
          "tfoot", "tr", "td", "th", "pre", "figure", "figcaption", "hr", "body", "html"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # _Node or str


class _TreeBuilder(HTMLParser):
    """A forgiving tree: unclosed tags close with their parent, stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _tree(text: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def html_to_text(text: str) -> str:
    """Plain text of an HTML snippet: tags stripped, entities decoded, whitespace collapsed to single spaces."""
    def walk(node: _Node) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in _DROP:
                parts.append(" " if child.tag == "br" else walk(child))
                if child.tag in _BLOCK:
                    parts.append(" ")
        return "".join(parts)

    return " ".join(walk(_tree(text)).split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text)).replace("<", "&lt;")


def _md_line_start(line: str) -> str:
    """Keep a line of text from turning into a heading, quote, list item or setext underline."""
    if match := re.match(r"(\d+)([.)])(\s|$)", line):
        return f"{match[1]}\\{line[len(match[1]):]}"
    if re.match(r"(#|>|[-+*](\s|$)|=+\s*$|-+\s*$)", line):
        return "\\" + line
    return line


def _wrap(inner: str, before: str, after: str) -> str:
    """Markup around the text, outside its leading and trailing spaces (`** x **` is not bold)."""
    match = re.fullmatch(r"(\s*)(.*?)(\s*)", inner, re.S)
    if match is None or not match[2]:  # (it always matches)
        return inner
    return f"{match[1]}{before}{match[2]}{after}{match[3]}"


def _link_target(href: str) -> str:
    return "".join({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}.get(c, c) for c in href)


class _Markdown:
    """Simple Markdown from HTML: paragraphs, list items, links, bold and italics; the rest as text."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []  # (kind, text): kind "p" or "li"
        self.buffer: list[str] = []
        self.dropped: list[str] = []  # what was left out, for the report

    def render(self, text: str) -> str:
        self.block(_tree(text))
        self.flush()
        out = ""
        for index, (kind, block) in enumerate(self.blocks):
            if index:
                out += "\n" if kind == "li" and self.blocks[index - 1][0] == "li" else "\n\n"
            out += block
        return out

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        group: list[str] = []
        for line in text.split("\n") + [""]:
            line = " ".join(line.split())
            if line:
                group.append(_md_line_start(line))
            elif group:
                self.blocks.append(("p", "\n".join(group)))
                group = []

    def block(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(_md_escape(child))
            elif child.tag in _DROP:
                continue
            elif child.tag == "li":
                self.flush()
                item = _Markdown()
                item.block(child)
                item.flush()
                self.dropped += item.dropped
                text = " ".join(" ".join(block.split()) for _, block in item.blocks)
                if text:
                    self.blocks.append(("li", "- " + text))
            elif child.tag in _BLOCK:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.buffer.append(self.inline(child))

    def inline(self, node: _Node) -> str:
        if node.tag in _DROP:
            return ""
        if node.tag == "br":
            return "\n"
        if node.tag == "img":
            if node.attrs.get("src"):
                self.dropped.append(f"image {node.attrs['src']}")
            return ""
        inner = "".join(_md_escape(child) if isinstance(child, str) else self.inline(child) for child in node.children)
        if node.tag == "a":
            href = node.attrs.get("href", "").strip()
            parts = urlsplit(href)
            if parts.scheme.lower() in ("http", "https") and parts.netloc:
                if not inner.strip():
                    inner = _md_escape(href)
                return _wrap(inner.replace("\n", " "), "[", f"]({_link_target(href)})")
            if href and not href.startswith("#"):
                self.dropped.append(f"link {href}")
            return inner
        if node.tag in ("b", "strong"):
            return _wrap(inner, "**", "**")
        if node.tag in ("i", "em"):
            return _wrap(inner, "*", "*")
        if node.tag in _BLOCK:
            return f" {inner} "
        return inner


def html_to_markdown(text: str) -> tuple[str, list[str]]:
    """The Markdown, and what was left out ("link javascript:…", "image https://…")."""
    converter = _Markdown()
    return converter.render(text), converter.dropped
