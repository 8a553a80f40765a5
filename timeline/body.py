"""What `validate` refuses in an event's body (the Markdown under the front matter): raw HTML that
could run script, however it is cased or entity-encoded, and nesting too deep to render. The
sanitiser (markup.render_body) would neutralise such HTML anyway; refusing it with its line tells
the editor, instead of silently dropping part of the text."""
from __future__ import annotations

import html
import re

from .kinds import Reading

UNSAFE_TAG = re.compile(r"<\s*(?:/\s*)?(script|iframe|frame|frameset|object|embed|applet|form|style|base|meta|link|svg|math)\b",
                        re.I)
UNSAFE_HANDLER = re.compile(r"<[a-z][^>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)
UNSAFE_SCHEME = re.compile(r"(javascript|vbscript|livescript):|data:text/html", re.I)
_TAG_START = re.compile(r"<[a-z]", re.I)
MAX_BODY_DEPTH = 40  # nested lists or quotes; Python-Markdown recurses once per level


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
    if "  " * MAX_BODY_DEPTH not in body and ">" * MAX_BODY_DEPTH not in body.replace(" ", ""):
        return
    for offset, line_text in enumerate(body.split("\n")):
        indent = len(line_text.expandtabs(4)) - len(line_text.expandtabs(4).lstrip())
        quotes = len(line_text) - len(line_text.lstrip("> "))
        if indent >= 2 * MAX_BODY_DEPTH or line_text.replace(" ", "")[:MAX_BODY_DEPTH] == ">" * MAX_BODY_DEPTH \
                or quotes >= 2 * MAX_BODY_DEPTH:
            r.error(first_line + offset, f"the text is nested more than {MAX_BODY_DEPTH} levels deep (lists or quotes)",
                    "body-too-deep", "flatten the list or quote")
            return


def check_body(r: Reading, body: str, first_line: int) -> None:
    """Reject raw HTML that could run script, however it is cased or entity-encoded."""
    check_depth(r, body, first_line)
    if "<" not in body and "&" not in body:
        low = body.lower()
        if "script" not in low and "data" not in low:
            return  # no tag, no entity, no scheme: nothing to hide script in (most bodies)
    reported = set()
    for offset, line_text in enumerate(body.split("\n")):
        decoded = html.unescape(html.unescape(line_text))
        squeezed = re.sub(r"[\x00-\x20]+", "", decoded)
        found = UNSAFE_TAG.search(decoded) or next(_handlers(decoded), None) or UNSAFE_SCHEME.search(squeezed)
        if found:
            reported.add(first_line + offset)
            r.error(first_line + offset, f"raw HTML that can run script is not allowed: {found.group(0).strip()!r}",
                    "unsafe-html", "write plain Markdown; links must start with https://")
    # An on...= handler on a tag spread over several lines.
    line, counted = first_line, 0
    for found in _handlers(body):
        line, counted = line + body.count("\n", counted, found.end()), found.end()
        if line not in reported:
            reported.add(line)
            r.error(line, f"raw HTML that can run script is not allowed: {found.group(0).split()[-1]!r}",
                    "unsafe-html", "write plain Markdown")
