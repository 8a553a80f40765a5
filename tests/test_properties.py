"""Properties that hold for every input, checked on inputs hypothesis makes up:

- whatever the front matter (YAML-ish text, or any bytes), the validator never raises and every
  diagnostic keeps the `PATH:LINE: error: MESSAGE [code]` contract;
- whatever the file name, the validator never raises, and a name that is not a slug is a bad-id error;
- whatever text an accepted event carries, the pages made of it contain no element or attribute of the
  editor's, and a rendered body never carries script.

Each test is bounded (max_examples) so that the file runs in well under 20 seconds.
"""
from __future__ import annotations

import html.parser
import json
import os
import re
import tempfile
from pathlib import Path

import markdown
from conftest import PLACES, event_text
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from timeline import check as core
from timeline import load, markup, pages
from timeline.diagnostics import CODES
from timeline.fields import EVENTS, SOURCES
from timeline.kinds import MAX_SLUG, RESERVED_IDS, SLUG_PATTERN
from timeline.load import SourceFile
from timeline.model import Timeline

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GAZETTEER, _ = core.check_places(SourceFile("places.yml", PLACES.encode()))
NAMES = core.gazetteer(GAZETTEER)


def assert_contract(diagnostics, path: str | None = None) -> None:
    for d in diagnostics:
        assert isinstance(d.line, int) and d.line >= 1, d
        assert d.code in CODES, d
        assert d.severity in ("error", "warning"), d
        assert "\n" not in d.message and "\r" not in d.message, d
        if path is not None:
            assert d.path == path, d


# ------------------------------------------------------------------ arbitrary front matter

KEYS = sorted({*EVENTS.keys(), *SOURCES.keys(), "name", "aliases", "lat", "lon"})
ODD = ["yes", "no", "~", "null", "true", "0x1F", "0o17", ".nan", "-.inf", "1e3", "1_000", "12:30:00", "'", '"', ":",
       ": ", "- ", "-", "#", "# comment", "&a", "*a", "&a x", "!foo", "!!python/name:os.system", "!!binary",
       "!!set", "!!str", "!!int", "!<tag:x>", "|", ">", "|-", "{", "}", "[", "]", ",", "?", "? x", "\t", "%", "@",
       "`", "---", "...", "\\", "\ufeff", "\u2028", "\x85", "\x00", "\x07", "\x1b[31m", "é", "\u0301", "سراقب",
       "🔥", "<script>", "https://[::1", "javascript:x", "\r", "  "]


def _date(year: int, month: int, day: int, hour: int, minute: int, offset: int, shape: int) -> str:
    text = f"{year:04d}"
    if shape >= 1:
        text += f"-{month:02d}"
    if shape >= 2:
        text += f"-{day:02d}"
    if shape >= 3:
        text += f"T{hour:02d}:{minute:02d}"
    if shape >= 4:
        text += f"{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    return text


dates = st.builds(_date, st.integers(0, 10_000), st.integers(0, 14), st.integers(0, 32), st.integers(0, 25),
                  st.integers(0, 61), st.integers(-16 * 60, 16 * 60), st.integers(0, 4))
words = st.text(max_size=12)
scalars = st.one_of(
    words,
    st.sampled_from(ODD),
    dates,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    words.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    words.map(lambda t: "'" + t.replace("'", "''") + "'"),
    st.lists(st.one_of(words, st.sampled_from(ODD)), max_size=4).map(" ".join),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(KEYS), inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: "".join(f"\n  - {x}" for x in xs)),
        st.lists(st.tuples(st.sampled_from(KEYS), inner), min_size=1, max_size=3).map(
            lambda kvs: "".join(f"\n    {k}: {v}" for k, v in kvs)),
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS).map(str.upper), words, st.sampled_from(ODD))
separators = st.sampled_from([": ", ":", " : ", ":\t", ": \t", "  "])
indents = st.sampled_from(["", "", "", " ", "  ", "\t", "- "])
lines = st.builds(lambda i, k, s, v: f"{i}{k}{s}{v}", indents, keys, separators, values)
front_matters = st.lists(lines, max_size=10).map("\n".join)
bodies = st.one_of(st.just("Body.\n"), st.text(max_size=40),
                   st.lists(st.sampled_from(["<a", " onclick=", ">", "\n", "<script>", "[x](", "javascript:",
                                             "&#106;", "**b**", "x"]), max_size=8).map("".join))
endings = st.sampled_from(["\n", "\r\n", "\r"])


def check_event_bytes(data: bytes) -> None:
    result = core.check_event(SourceFile("events/e.md", data), NAMES)
    assert_contract(result.problems, "events/e.md")
    if result.event is None:
        assert any(p.is_error for p in result.problems), "no event and no error: the file would vanish silently"


@FAST
@given(front_matters, bodies, endings, st.booleans())
def test_any_front_matter_gives_diagnostics_never_an_exception(front, body, ending, bom):
    text = f"---\n{front}\n---\n{body}".replace("\n", ending)
    check_event_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_after_the_fence_give_diagnostics_never_an_exception(data):
    check_event_bytes(b"---\n" + data)
    check_event_bytes(b"---\n" + data + b"\n---\nBody\n")


@SLOWER
@given(front_matters)
def test_any_places_yml_gives_diagnostics_never_an_exception(text):
    places, problems = core.check_places(SourceFile("places.yml", text.encode("utf-8", "surrogatepass")))
    assert_contract(problems, "places.yml")
    for place in places.values():
        assert place.name.strip()
        if place.has_coordinates:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


# ------------------------------------------------------------------ arbitrary file names

SLUG = re.compile(SLUG_PATTERN)


def _allowed_name(stem: str) -> bool:
    if not stem or "/" in stem or "\x00" in stem or stem.startswith(".") or os.sep in stem:
        return False  # a name starting with "." is a hidden file: skipped on purpose, never an event
    try:
        return len(os.fsencode(stem + ".md")) <= 255
    except UnicodeError:
        return False


@SLOWER
@given(st.one_of(st.text(min_size=1, max_size=40), st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True),
                 st.sampled_from(["index", "Event", "a..b", "a b", "s\u0430raqeb", "-a", "a-", "a--b", "x\ny",
                                  "caf\u00e9", "cafe\u0301", "\u202eevil", "CON", "nul", "a\\b", ":", "*", "?"]))
       .filter(_allowed_name))
def test_any_file_name_is_validated_and_a_non_slug_is_a_bad_id(stem):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "events").mkdir()
        (root / "places.yml").write_text(PLACES, encoding="utf-8")
        try:
            (root / "events" / f"{stem}.md").write_text(event_text(), encoding="utf-8")
        except OSError:
            assume(False)  # this file system does not allow that name
        timeline, problems = core.check_project(root)
    assert_contract(problems)
    bad_ids = [p for p in problems if p.code == "bad-id"]
    if SLUG.fullmatch(stem) and stem not in RESERVED_IDS and len(stem) <= MAX_SLUG:
        # A name that starts with another date than the event's (2021-…) is warned of, and that is all.
        assert [p for p in problems if p.code != "name-date-mismatch"] == []
        assert [e.id for e in timeline.events] == [stem]
    else:
        assert len(bad_ids) == 1 and bad_ids[0].is_error, problems
        assert timeline.events == ()
        assert bad_ids[0].path == load.printable(f"events/{stem}.md")


# ------------------------------------------------------------------ accepted events render safely

MARKERS = ["<x-evil>", "</x-evil>", '<x-evil x-evil-attr="1">', '" x-evil-attr="1', "' x-evil-attr='1",
           "</script><x-evil>", "</li></ol><x-evil>", "<!--", "-->", "]]>", "<![CDATA[", "&", "&amp;", "&lt;x-evil&gt;",
           '"', "'", "<", ">", "{: x-evil-attr=1 }", "[x](javascript:alert(1))", "*", "_", "`", "#", "\\", "|",
           "\u202e", "\u200f", "\t", "  ", "x"]
# What YAML can carry at all: no control characters, surrogates, unassigned code points or line separators
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=6)
texts = st.lists(st.one_of(st.sampled_from(MARKERS), printable), min_size=1, max_size=6).map("".join) \
    .filter(lambda t: t.strip())
# a body the validator accepts (it refuses script and handlers; the renderer is tested on those below)
body_texts = texts.map(lambda t: t.replace("javascript:", "js:").replace("</script>", "</scr>"))
slugs = st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)


REFUSED: list = []


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parsed(page_html: str) -> list[tuple[str, dict]]:
    collector = Collector()
    collector.feed(page_html)
    collector.close()
    return collector.tags


def url_scheme(url: str) -> str:
    """The scheme a browser reads in an attribute's URL (WHATWG: strip C0 controls and spaces at both ends,
    drop tabs and newlines anywhere); "" for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    found = re.match(r"([a-z][a-z0-9+.-]*):", url)
    return found.group(1) if found else ""


def assert_no_user_markup(page_html: str, where: str) -> None:
    assert "<x-evil" not in page_html, where
    for tag, attrs in parsed(page_html):
        assert tag != "x-evil", where
        assert "x-evil-attr" not in attrs, (where, tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
        if tag == "script":
            assert attrs.get("type") == "application/json" or attrs.get("src", "").endswith(".js"), (where, attrs)
        for name in ("href", "src", "action", "formaction", "data"):
            assert url_scheme(attrs.get(name) or "") in ("", "http", "https", "mailto"), (where, tag, attrs)


@SLOWER
@given(title=texts, place_name=texts, alias=texts, source_title=texts, publisher=texts, claim=texts, dispute=texts,
       body=body_texts, tag=slugs)
def test_every_accepted_event_renders_without_user_markup(title, place_name, alias, source_title, publisher, claim,
                                                          dispute, body, tag):
    places_yml = f"evil:\n  name: {q(place_name)}\n  aliases: [{q(alias)}]\n  lat: 1\n  lon: 2\n" \
                 f"  description: {q(claim)}\n  kind: {q(dispute)}\n"
    event = (f"---\ntitle: {q(title)}\ndate: 2020-02-03\nplace: evil\nsources:\n  - title: {q(source_title)}\n"
             f"    publisher: {q(publisher)}\n    url: https://example.org/{tag}?a=1&b=2\n    claim: {q(claim)}\n"
             f"tags: [{tag}]\ndispute: {q(dispute)}\n---\n{body}\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "events").mkdir()
        (root / "places.yml").write_text(places_yml, encoding="utf-8")
        (root / "events" / "e.md").write_text(event, encoding="utf-8")
        timeline, problems = core.check_project(root)
    assert_contract(problems)
    if not timeline.events or any(p.is_error for p in problems):
        REFUSED.append(problems)
        assume(False)
    planned = pages.plan_pages(pages.make_plan(Timeline(timeline.events, timeline.places, timeline.periods)))
    assert planned
    for uri, page in planned.items():
        if isinstance(page, pages.MarkdownPage):  # Markdown: front matter, fixed headings, HTML fragments
            text = page.markdown
            meta, _, content = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
            # as the reader gets it: through Markdown with the site's extensions, then the fragments
            rendered = page.fill(markdown.markdown(content, extensions=["admonition", "attr_list", "tables", "toc"]))
            assert_no_user_markup(rendered, uri + " (rendered)")
            content = page.fill(content)
        else:  # an HTML page: the MkDocs page is only its meta
            meta, content = " ".join(str(v) for v in page.meta().values()), page.html
        assert "<" not in meta, (uri, meta)  # the theme prints page.meta unescaped
        assert_no_user_markup(content, uri)


markdownish = st.lists(st.one_of(
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
                     "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:x)",
                     "[x]( javascript:x)", "[x](java\tscript:x)", "<svg onload=alert(1)>", "<iframe src=x>",
                     "<style>*{}</style>", "<div onclick=x>", "<p style='x'>", "![i](https://x/i.png)",
                     "<a href=data:text/html,x>d</a>", "[r]: vbscript:x\n[y][r]", "<math>", "<form>",
                     "```\n<script>\n```", "`<script>`", "| a |\n|---|\n| <b onclick=x> |", "\n", "\n\n", " ", "x",
                     "**", "_", "<", ">", "&", "\"", "'", "{: onclick=x }", "<!-- x -->", "<x-evil>"]),
    st.text(max_size=8)), max_size=12).map("".join)


@FAST
@given(markdownish)
def test_render_body_never_yields_script_handlers_or_script_links(body):
    rendered = markup.Renderer().body(body)  # safe even where validation was skipped
    assert "<script" not in rendered.lower()
    for tag, attrs in parsed(rendered):
        assert tag in markup.BODY_TAGS, tag
        assert not any(name.lower().startswith("on") for name in attrs), (tag, attrs)
        assert url_scheme(attrs.get("href") or "") in ("", "http", "https", "mailto"), (tag, attrs)


@FAST
@given(st.sampled_from(["http://127.0.0.1:8000/", "https://example.org/timeline/", "https://example.org/timeline",
                        "https://example.org/a/b/", "http://x/?q=1/", "http://x/#a/", "https://x.org/a/./b/",
                        "https://x.org/a//b/", "https://x.org/a/../b/", "x/", "//h/", "", None]),
       st.text(alphabet="ab/.?# %ü-", max_size=20))
def test_a_sitemap_address_is_what_urljoin_makes(base, path):
    """reuse.absolute skips urljoin where it would only append: the same address either way."""
    from urllib.parse import quote, urljoin

    from timeline.reuse import absolute
    assert absolute(base, quote(path)) == urljoin(base or "", quote(path))


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)


@FAST
@given(st.dictionaries(st.sampled_from(["config", "docs", "x", "é\"", ""]),
                       _JSON | st.lists(st.dictionaries(st.text(max_size=6), _JSON, max_size=3), max_size=4),
                       max_size=4))
def test_the_search_index_written_in_pieces_is_what_json_dumps_writes(index):
    """The hook writes the merged search index an entry at a time: the theme's own bytes all the same."""
    from timeline.mkdocs_hook import index_pieces
    assert "".join(index_pieces(index)) == json.dumps(index, ensure_ascii=False, separators=(",", ":"))
