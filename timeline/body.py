"""What `validate` refuses in an event's body (the Markdown under the front matter): a body too
large or nested too deeply to render quickly, control characters, and raw HTML or links that
could run script. The sanitiser (markup.Renderer) would neutralise such HTML anyway; refusing it
with its line tells the editor instead of silently dropping part of the text.

Script is looked for twice. First line by line, with patterns that also catch what is not quite
HTML ('< svg', an entity-encoded 'javascript:'); then in what the Markdown parser really finds
(raw HTML blocks and inline tags, read by an HTML parser, and every link and image destination),
which catches what patterns miss: a handler after a quoted '>' (<img alt=">" onerror=…>), a
scheme split across lines inside an attribute. One problem is reported per line.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .kinds import Reading
from .load import describe_char
from .markup import body_markdown

MAX_BODY_BYTES = 20_000  # about 3,000 words: a long event; the Markdown parser takes at most ~1 s on it
MAX_BODY_DEPTH = 40  # nested lists or quotes

UNSAFE_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "style", "base", "meta",
               "link", "svg", "math")
UNSAFE_TAG = re.compile(rf"<\s*(?:/\s*)?({'|'.join(UNSAFE_TAGS)})\b", re.I)
UNSAFE_HANDLER = re.compile(r"<[a-z][^>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)
UNSAFE_SCHEME = re.compile(r"(javascript|vbscript|livescript):|data:text/html", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcdoc"}
_TAG_START = re.compile(r"<[a-z]", re.I)
# Characters no text needs: C0 and C1 controls but tab and line ends, and the noncharacters U+FFFE and
# U+FFFF. They come from text pasted out of PDFs, and XML (the Atom feed) cannot carry them.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_HINT = "write plain Markdown; links must start with https://"
_ASCII_TEXT = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])  # the ASCII characters _CONTROL lets through


def _handlers(text: str):
    """UNSAFE_HANDLER.finditer(text) in linear time. The regex alone retries from every '<' up to the
    next '>', which is quadratic (minutes for a body of 30,000 '<a'). After a '>', only the first tag
    start can match: any later one before the next '>' would match from that first one too."""
    pos = 0
    while start := _TAG_START.search(text, pos):
        found = UNSAFE_HANDLER.match(text, start.start())
        if found:
            yield found
            pos = found.end()
        else:
            close = text.find(">", start.start())
            if close < 0:
                return
            pos = close + 1


def check_depth(r: Reading, body: str, first_line: int) -> None:
    """Refuse Markdown nested so deeply that rendering it would exhaust the stack."""
    spaced = body.expandtabs(4) if "\t" in body else body
    if "  " * MAX_BODY_DEPTH not in spaced and (body.count(">") < MAX_BODY_DEPTH
                                                 or ">" * MAX_BODY_DEPTH not in body.replace(" ", "")):
        return
    for offset, line_text in enumerate(spaced.split("\n")):
        indent = len(line_text) - len(line_text.lstrip())
        quotes = len(line_text) - len(line_text.lstrip("> "))
        if indent >= 2 * MAX_BODY_DEPTH or line_text.replace(" ", "")[:MAX_BODY_DEPTH] == ">" * MAX_BODY_DEPTH \
                or quotes >= 2 * MAX_BODY_DEPTH:
            r.error(first_line + offset, f"the text is nested more than {MAX_BODY_DEPTH} levels deep (lists or quotes)",
                    "body-too-deep", "flatten the list or quote")
            return


def check_body(r: Reading, body: str, first_line: int) -> None:
    plain = body.isascii()  # (most bodies: then the same checks are done faster on bytes)
    size = len(body) if plain else len(body.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        r.error(first_line, f"the text is {size:,} bytes; the limit is {MAX_BODY_BYTES:,}", "body-too-large",
                "split it into several events, or link to the long material from a source")
        return
    if (not plain or body.encode("ascii").translate(None, _ASCII_TEXT)) and (found := _CONTROL.search(body)):
        r.error(first_line + body.count("\n", 0, found.start()),
                f"the text contains the control character {describe_char(found[0])}", "control-character",
                "delete it (it often comes with text pasted from a PDF)")
    check_depth(r, body, first_line)
    reported: set[int] = set()
    _patterns(r, body, first_line, reported)
    if "<" in body or ("](" in body or "]:" in body) and _may_link_to_script(body):
        for line, quoted in _parsed(body):
            if first_line + line not in reported:
                reported.add(first_line + line)
                r.error(first_line + line, f"raw HTML that can run script is not allowed: {quoted!r}", "unsafe-html",
                        _HINT)


def _patterns(r: Reading, body: str, first_line: int, reported: set[int]) -> None:
    """The line-by-line look, however a line is cased or entity-encoded."""
    if "<" not in body and "&" not in body:
        low = body.lower()
        if "script" not in low and "data" not in low:
            return  # no tag, no entity, no scheme: nothing to hide script in (most bodies)
    for offset, line_text in enumerate(body.split("\n")):
        decoded = html.unescape(html.unescape(line_text))
        squeezed = re.sub(r"[\x00-\x20]+", "", decoded)
        found = UNSAFE_TAG.search(decoded) or next(_handlers(decoded), None) or UNSAFE_SCHEME.search(squeezed)
        if found:
            reported.add(first_line + offset)
            r.error(first_line + offset, f"raw HTML that can run script is not allowed: {found.group(0).strip()!r}",
                    "unsafe-html", _HINT)
    # An on...= handler on a tag spread over several lines.
    line, counted = first_line, 0
    for found in _handlers(body):
        line, counted = line + body.count("\n", counted, found.end()), found.end()
        if line not in reported:
            reported.add(line)
            r.error(line, f"raw HTML that can run script is not allowed: {found.group(0).split()[-1]!r}",
                    "unsafe-html", "write plain Markdown")


def _may_link_to_script(body: str) -> bool:
    """Whether a link in a body without tags could be unsafe (_dangerous_url): only through an entity,
    or a scheme written out, perhaps split by spaces, controls or backslash escapes. Most bodies have
    none, and need no Markdown parse."""
    if "&" in body:
        return True
    if body.isascii():  # the same, on bytes: several times faster than str.translate
        squeezed_bytes = body.encode("ascii").translate(None, _SQUEEZE_BYTES).lower()
        return b"script:" in squeezed_bytes or b"data:" in squeezed_bytes
    squeezed = body.translate(_SQUEEZE).lower()
    return "script:" in squeezed or "data:" in squeezed


_SQUEEZE = dict.fromkeys([*range(0x21), ord("\\")])  # what a browser or Markdown drops from a scheme
_SQUEEZE_BYTES = bytes([*range(0x21), ord("\\")])


def _dangerous_url(url: str) -> bool:
    """A URL a browser would run or render as a page of its own, once it drops whitespace and controls."""
    squeezed = re.sub(r"[\x00-\x20]+", "", html.unescape(url)).lower()
    return bool(UNSAFE_SCHEME.match(squeezed)) or squeezed.startswith("data:") and not squeezed.startswith("data:image/")


class _Tags(HTMLParser):
    """Every start tag of an HTML fragment, as a browser's tokenizer reads it: (line, what to quote)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0] - 1
        raw = self.get_starttag_text() or ""
        if tag in UNSAFE_TAGS:
            self.found.append((line, raw.split(None, 1)[0].rstrip(">/")))
        for name, value in attrs:
            if name.startswith("on") or name in URL_ATTRIBUTES and value is not None and _dangerous_url(value):
                at = re.search(rf"(?i)[\s\"'/]{re.escape(name)}\s*=?", raw)
                offset = raw.count("\n", 0, at.start() + 1) if at else 0
                self.found.append((line + offset, f"{name}="))

    handle_startendtag = handle_starttag


def _html(fragment: str, line: int) -> list[tuple[int, str]]:
    scanner = _Tags()
    scanner.feed(fragment)
    scanner.close()
    return [(line + offset, quoted) for offset, quoted in scanner.found]


class _EveryLink(MarkdownIt):
    """Sees every link: the renderer drops the unsafe ones, the check reports them."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


# A parser is configuration, like a compiled pattern: parse() keeps no state in it.
_PARSER = body_markdown(_EveryLink)


def _parsed(body: str) -> list[tuple[int, str]]:
    """What the Markdown parser finds that could run script, with its line in the body (from 0)."""
    found: list[tuple[int, str]] = []
    for token in _PARSER.parse(body):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            found += _html(token.content, line)
        elif token.type == "inline":
            cursor = 0
            for child in token.children or []:
                if child.type == "html_inline":
                    at = token.content.find(child.content, cursor)
                    cursor = max(cursor, at)
                    found += _html(child.content, line + token.content.count("\n", 0, max(at, 0)))
                elif child.type in ("link_open", "image"):
                    url = str(child.attrGet("href") or child.attrGet("src") or "")
                    if _dangerous_url(url):
                        found.append((line, url.split(":", 1)[0].strip() + ":"))
    return found
