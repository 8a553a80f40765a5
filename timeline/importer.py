"""Bring a TimelineJS3 timeline into event files: its JSON, or its Google Sheets template as CSV.

Nothing is written that the validator would refuse: every planned file is first written into a
temporary copy of the project and checked by `validate_project`, the same code CI runs. Files are
created, never replaced. What cannot be carried over (media, backgrounds, eras, display dates)
is listed in the report, one line per item, so that an editor can finish the job by hand.

Slides exported by `exports.timelinejs()` carry a `timeline_event` key with the event as written;
when it is there it wins, so that export → import gives back the same events.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .check import CheckCache, check, check_places, gazetteer
from .dates import parse_date
from .fields import RESERVED_IDS, SLUG_PATTERN, URL_PATTERN
from .load import SourceFile, load_project
from .model import MONTHS, PartialDate, Place, human_range, slugify
from .names import fold

DEFAULT_PUBLISHER = "TimelineJS import"
EXTENSION_KEY = "timeline_event"
ID_SLUG_LENGTH = 50
_SLUG = re.compile(SLUG_PATTERN)

# The TimelineJS Google Sheets template, column by column (headers matched trimmed, in any case).
SHEET_COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                 "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
                 "Background")
SHEET_REQUIRED = ("Year", "Headline")


@dataclass(frozen=True)
class ImportResult:
    written: list[str]  # project-relative paths of the files created (or, in a dry run, that would be), sorted
    report: list[str]   # what could not be mapped and why, one line per item
    skipped: list[str]  # items not written, with the reason


# ------------------------------------------------------------------ HTML → text and Markdown

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
    if not match[2]:
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


# ------------------------------------------------------------------ reading the input

@dataclass
class _Slide:
    """One item of the input, in TimelineJS JSON's shape whatever the input format."""

    label: str  # "slide 3 'Headline'", "row 5 'Headline'"
    data: dict
    kind: str = "event"  # event | title | era


def _label(prefix: str, data: dict) -> str:
    text = data.get("text") if isinstance(data.get("text"), dict) else {}
    headline = html_to_text(_as_text(text.get("headline")))
    if not headline and isinstance(data.get(EXTENSION_KEY), dict):
        headline = " ".join(_as_text(data[EXTENSION_KEY].get("title")).split())
    if len(headline) > 60:
        headline = headline[:57].rstrip() + "…"
    return f"{prefix} {headline!r}" if headline else prefix


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _read_json(name: str, text: str) -> tuple[list[_Slide], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValueError(f"{name}: not a TimelineJS timeline: expected a JSON object with an \"events\" list "
                         "(https://timeline.knightlab.com/docs/json-format.html)")
    eras = data.get("eras") or []
    if not isinstance(eras, list):
        raise ValueError(f"{name}: not a TimelineJS timeline: \"eras\" must be a list")
    slides: list[_Slide] = []
    title = data.get("title")
    if isinstance(title, dict):
        slides.append(_Slide(_label("title slide", title), title, "title"))
    for number, item in enumerate(data["events"], 1):
        slides.append(_Slide(_label(f"slide {number}", item) if isinstance(item, dict) else f"slide {number}",
                             item if isinstance(item, dict) else {"_bad": item}))
    for number, item in enumerate(eras, 1):
        if isinstance(item, dict):
            slides.append(_Slide(_label(f"era {number}", item), item, "era"))
    title_text = html_to_text(_as_text((title or {}).get("text", {}).get("headline"))) \
        if isinstance(title, dict) and isinstance(title.get("text"), dict) else ""
    return slides, title_text


def _header_key(header: str) -> str:
    return " ".join(header.split()).casefold()


def _read_csv(name: str, text: str) -> tuple[list[_Slide], str]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ValueError(f"{name}: not a readable CSV file: {exc}") from None
    numbered = [(number, row) for number, row in enumerate(rows, 1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise ValueError(f"{name}: the file is empty")
    header_line, header = numbered[0]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        columns.setdefault(_header_key(cell), index)
    missing = [c for c in SHEET_REQUIRED if _header_key(c) not in columns]
    if missing:
        raise ValueError(f"{name}: neither TimelineJS JSON nor a TimelineJS Google Sheets CSV: no "
                         f"{' or '.join(repr(c) for c in missing)} column in the header (line {header_line}); "
                         f"the template's columns are {', '.join(SHEET_COLUMNS)}")

    def cell(row: list[str], column: str) -> str:
        index = columns.get(_header_key(column))
        return row[index].strip() if index is not None and index < len(row) else ""

    slides: list[_Slide] = []
    title_text = ""
    for number, row in numbered[1:]:
        slide: dict = {}
        for key, prefix in (("start_date", ""), ("end_date", "End ")):
            parts = {"year": cell(row, prefix + "Year"), "month": cell(row, prefix + "Month"),
                     "day": cell(row, prefix + "Day"), "time": cell(row, prefix + "Time")}
            if any(parts.values()):
                slide[key] = parts
        slide["text"] = {"headline": cell(row, "Headline"), "text": cell(row, "Text")}
        media = {k: cell(row, c) for k, c in (("url", "Media"), ("credit", "Media Credit"),
                                             ("caption", "Media Caption"), ("thumbnail", "Media Thumbnail"))}
        if any(media.values()):
            slide["media"] = media
        for key, column in (("group", "Group"), ("display_date", "Display Date")):
            if cell(row, column):
                slide[key] = cell(row, column)
        if background := cell(row, "Background"):
            slide["background"] = {"color": background} if background.startswith("#") else {"url": background}
        kind = cell(row, "Type").casefold()
        kind = kind if kind in ("title", "era") else "event"
        slides.append(_Slide(_label(f"row {number}", slide), slide, kind))
        if kind == "title" and not title_text:
            title_text = html_to_text(cell(row, "Headline"))
    return slides, title_text


def _read_input(source: Path) -> tuple[list[_Slide], str]:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{source.name}: not UTF-8 text; save it as UTF-8 (JSON or CSV)") from None
    if not text.strip():
        raise ValueError(f"{source.name}: the file is empty")
    if text.lstrip()[0] in "{[":
        return _read_json(source.name, text)
    return _read_csv(source.name, text.replace("\r\n", "\n").replace("\r", "\n"))


# ------------------------------------------------------------------ dates

_TIME = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?\s*(?P<ampm>[ap]\.?\s*m\.?)?", re.I)


def _number(value: object, what: str) -> int | None:
    """A date part as TimelineJS allows it: a number or a numeric string; None if blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            return int(float(text))
        if what.endswith("month"):
            for number in range(1, 13):
                if text.casefold() in (MONTHS[number].casefold(), MONTHS[number][:3].casefold()):
                    return number
    raise ValueError(f"{what} {value!r} is not a number")


def _parse_time(text: str) -> tuple[int, int, int]:
    match = _TIME.fullmatch(text.strip())
    if not match or (match["m"] is None and not match["ampm"]):
        raise ValueError(f"time {text!r} is not a time of day such as 14:30 or 2:30 PM")
    hour, minute, second = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"time {text!r}: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"time {text!r} is not a time of day (00:00 to 23:59)")
    return hour, minute, second


def _tjs_to_date(value: object, what: str) -> PartialDate:
    """A TimelineJS date object (or a sheet's Year/Month/Day/Time) at its precision; ValueError saying why not."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not a date object")
    year = _number(value.get("year"), f"{what} year")
    month = _number(value.get("month"), f"{what} month")
    day = _number(value.get("day"), f"{what} day")
    hour = _number(value.get("hour"), f"{what} hour")
    minute = _number(value.get("minute"), f"{what} minute")
    second = _number(value.get("second"), f"{what} second")
    if _as_text(value.get("time")).strip():
        try:
            hour, minute, second = _parse_time(_as_text(value["time"]))
        except ValueError as exc:
            raise ValueError(f"{what}: {exc}") from None
    if year is None:
        raise ValueError(f"{what} has no year")
    if not 1 <= year <= 9999:
        raise ValueError(f"{what} year {year} cannot be written in an event file (years 1 to 9999 only)")
    for part, name, coarser, coarser_name in ((day, "day", month, "month"), (hour, "time", day, "day"),
                                              (minute, "minute", hour, "hour")):
        if part is not None and coarser is None:
            raise ValueError(f"{what} has a {name} but no {coarser_name}")
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}" if 0 <= month < 100 else f"-{month}"
    if day is not None:
        text += f"-{day:02d}" if 0 <= day < 100 else f"-{day}"
    if hour is not None:
        text += f"T{hour:02d}:{(minute or 0):02d}" if 0 <= hour < 100 and 0 <= (minute or 0) < 100 else f"T{hour}:{minute}"
        if second:
            text += f":{second:02d}" if 0 <= second < 100 else f":{second}"
    result = parse_date(text)
    if isinstance(result, str):
        raise ValueError(f"{what}: {result}")
    return result


def _iso_to_date(value: object, what: str) -> PartialDate:
    result = parse_date(value) if isinstance(value, str) else f"{value!r} is not a date"
    if isinstance(result, str):
        raise ValueError(f"{what}: {result}")
    return result


# ------------------------------------------------------------------ writing front matter

class _DateText(str):
    """A date as editors type it: written without quotes (2017, 2019-12, 2020-02-03)."""


class _FlowList(list):
    """A list written on one line: [turkey, syrian-government]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # "sources:\n  - title: …", as in the editing guide


_Dumper.add_representer(_DateText, lambda d, v: d.represent_scalar(d.resolve(yaml.ScalarNode, str(v), (True, False)),
                                                                    str(v)))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def event_file_text(fields: dict, body: str) -> str:
    """The event file: front matter in the editing guide's key order, then the body."""
    front = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31,
                      default_flow_style=False)
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


# ------------------------------------------------------------------ planning one item

@dataclass
class _Plan:
    label: str
    event_id: str
    fields: dict
    body: str
    year: int
    notes: list[str]  # report lines kept only if the file is written
    placeholder_source: bool
    path: str = ""


def _display_differs(given: object, ours: str) -> str | None:
    text = html_to_text(_as_text(given))
    return text if text and text != ours else None


def _ext_texts(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{EXTENSION_KEY} {what} must be a list of texts")
    return list(value)


def _ext_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{EXTENSION_KEY} {what} must be text")
    return value


class _Importer:
    def __init__(self, root: Path, source: Path, place: str | None, source_title: str | None,
                 source_publisher: str | None, source_url: str | None, folder: str):
        self.root = root
        self.source = source
        self.folder = folder
        self.inputs = load_project(root)
        self.places, _ = check_places(self.inputs.places)
        self.names = gazetteer(self.places)
        self.cache = CheckCache()
        self.place = place
        self.source_options = (source_title, source_publisher, source_url)
        self.report: list[str] = []
        self.skipped: list[str] = []
        self.existing = self._existing_ids()
        self.taken: set[str] = set()  # folded ids planned in this import

    def _existing_ids(self) -> dict[str, str]:
        events = self.root / "events"
        found: dict[str, str] = {}
        if events.is_dir():
            for file in sorted(events.rglob("*.md")):
                found.setdefault(fold(file.stem), file.relative_to(self.root).as_posix())
        return found

    # -- pieces of an event

    def _place_value(self, spellings: list[str], label: str) -> str | list[str] | None:
        """Front matter for the places, written as their names; None (and skipped) if one is unknown."""
        written: list[str] = []
        for spelling in spellings:
            place_id = self.names.find(spelling)
            if place_id is None:
                near = self.names.suggest(spelling)
                hint = f"did you mean {' or '.join(repr(n) for n in near)}?" if near else \
                    "add it to places.yml or give another --place"
                self.skipped.append(f"{label}: unknown place {spelling!r}: {hint}")
                return None
            place: Place = self.places[place_id]
            written.append(place.name if self.names.find(place.name) == place_id else place_id)
        return written[0] if len(written) == 1 else _FlowList(written)

    def _default_source(self, title_text: str) -> tuple[dict, bool]:
        title, publisher, url = self.source_options
        source = {"title": title or title_text or self.source.name, "publisher": publisher or DEFAULT_PUBLISHER}
        if url:
            source["url"] = url
        return source, not (title and publisher)

    def _id(self, wanted: str | None, start: PartialDate, title: str, label: str, notes: list[str]) -> str:
        if wanted is not None and _SLUG.fullmatch(wanted) and wanted not in RESERVED_IDS:
            base = wanted
        else:
            date = start.iso()[:10]
            slug = slugify(title)
            if len(slug) > ID_SLUG_LENGTH:
                cut = slug[:ID_SLUG_LENGTH + 1]
                slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:ID_SLUG_LENGTH]
            base = f"{date}-{slug or 'event'}"
            if wanted:
                notes.append(f"{label}: unique_id {wanted!r} is not a lowercase slug: written as {base!r}")
        event_id, number = base, 1
        while fold(event_id) in self.taken:
            number += 1
            event_id = f"{base}-{number}"
        if event_id != base and wanted == base:
            notes.append(f"{label}: unique_id {base!r} is used by an earlier slide too: written as {event_id!r}")
        return event_id

    def _media_notes(self, slide: _Slide) -> list[str]:
        notes = []
        media = slide.data.get("media")
        if isinstance(media, dict) and any(_as_text(v).strip() for v in media.values()):
            url = _as_text(media.get("url")).strip() or _as_text(media.get("thumbnail")).strip()
            notes.append(f"{slide.label}: media {url or '(caption only)'} not imported (event files have no media)")
        background = slide.data.get("background")
        if isinstance(background, dict) and any(_as_text(v).strip() for v in background.values()):
            what = _as_text(background.get("url")).strip() or _as_text(background.get("color")).strip()
            notes.append(f"{slide.label}: background {what} not imported (event files have no background)")
        return notes

    # -- one slide

    def plan(self, slide: _Slide, title_text: str) -> _Plan | None:
        data, label = slide.data, slide.label
        if "_bad" in data:
            self.skipped.append(f"{label}: not a slide (a JSON object with start_date and text)")
            return None
        ext = data.get(EXTENSION_KEY) if isinstance(data.get(EXTENSION_KEY), dict) else None
        text = data.get("text") if isinstance(data.get("text"), dict) else {}
        notes = self._media_notes(slide)
        try:
            # dates
            if ext and ext.get("date") is not None:
                start = _iso_to_date(ext["date"], "date")
                end = _iso_to_date(ext["end"], "end") if ext.get("end") is not None else None
            else:
                if "start_date" not in data:
                    raise ValueError("no start date")
                start = _tjs_to_date(data["start_date"], "start date")
                end = _tjs_to_date(data["end_date"], "end date") if data.get("end_date") else None
            # title and body
            title = _ext_text(ext.get("title"), "title") if ext else None
            if title is None:
                title = html_to_text(_as_text(text.get("headline")))
            if ext and ext.get("body") is not None:
                body = _ext_text(ext["body"], "body").strip("\n")
            else:
                body, dropped = html_to_markdown(_as_text(text.get("text")))
                notes += [f"{label}: {what} not kept (only http(s) links are)" if what.startswith("link ") else
                          f"{label}: {what} in the text not imported (event files have no media)" for what in dropped]
            tags = _ext_texts(ext.get("tags"), "tags") if ext else []
            related = _ext_texts(ext.get("related"), "related") if ext else []
            dispute = _ext_text(ext.get("dispute"), "dispute") if ext else None
            ext_places = _ext_texts(ext.get("places"), "places") if ext else []
            ext_sources = ext.get("sources") if ext else None
            if ext_sources is not None and not (isinstance(ext_sources, list) and ext_sources and all(
                    isinstance(s, dict) and all(isinstance(v, str) for v in s.values()) for s in ext_sources)):
                raise ValueError(f"{EXTENSION_KEY} sources must be a list of sources with text values")
        except ValueError as exc:
            self.skipped.append(f"{label}: {exc}")
            return None
        if not title:
            self.skipped.append(f"{label}: no headline: an event needs a title")
            return None
        if not ext:
            group = html_to_text(_as_text(data.get("group")))
            if group:
                if slugify(group):
                    tags = [slugify(group)]
                else:
                    notes.append(f"{label}: group {group!r} not imported (no letters or digits for a tag)")
            for given, ours, what in ((data.get("display_date"), human_range(start, end), "display date"),
                                      ((data.get("start_date") or {}).get("display_date"), start.human(),
                                       "start display date"),
                                      ((data.get("end_date") or {}).get("display_date") if isinstance(
                                          data.get("end_date"), dict) and end else None,
                                       end.human() if end else "", "end display date")):
                if differs := _display_differs(given, ours):
                    notes.append(f"{label}: {what} {differs!r} not imported (shown as {ours!r})")
        # place
        spellings = ext_places or ([self.place] if self.place else [])
        if not spellings:
            self.skipped.append(f"{label}: no place: give --place with a place from places.yml")
            return None
        place = self._place_value(spellings, label)
        if place is None:
            return None
        # sources
        placeholder = False
        if ext_sources:
            sources = ext_sources
        else:
            default, placeholder = self._default_source(title_text)
            sources = [default]
        source_fields = []
        for item in sources:
            entry = {key: item[key] for key in ("title", "publisher", "url") if item.get(key) is not None}
            if item.get("published") is not None:
                entry["published"] = _DateText(item["published"])
            if item.get("claim") is not None:
                entry["claim"] = item["claim"]
            source_fields.append(entry)
        # id
        wanted = _ext_text(ext.get("id"), "id") if ext and isinstance(ext.get("id"), str) else None
        if wanted is None:
            wanted = _as_text(data.get("unique_id")).strip() or None
        event_id = self._id(wanted, start, title, label, notes)
        if fold(event_id) in self.existing:
            self.skipped.append(f"{label}: id {event_id!r} is already used by {self.existing[fold(event_id)]}: "
                                "not overwritten")
            return None
        self.taken.add(fold(event_id))
        fields: dict = {"title": title, "date": _DateText(start.iso())}
        if end is not None:
            fields["end"] = _DateText(end.iso())
        fields["place"] = place
        fields["sources"] = source_fields
        if tags:
            fields["tags"] = _FlowList(tags)
        if related:
            fields["related"] = _FlowList(related)
        if dispute is not None:
            fields["dispute"] = dispute
        return _Plan(label, event_id, fields, body, start.year, notes, placeholder)

    def path_for(self, plan: _Plan) -> str:
        if self.folder.strip("/") == "events":
            return f"events/{plan.year:04d}/{plan.event_id}.md"
        return f"{self.folder.strip('/')}/{plan.event_id}.md"

    # -- checking with the real validator

    def check(self, plans: list[_Plan]) -> list[_Plan]:
        """Check the planned files with the project's own, as `validate` would; drop the files with errors
        (and again, since an event may name a dropped one as related) until every remaining file passes."""
        remaining = list(plans)
        while True:
            planned = [SourceFile(p.path, event_file_text(p.fields, p.body).encode("utf-8")) for p in remaining]
            _, problems = check(self.inputs.with_events(planned), self.cache)
            by_path: dict[str, list] = {}
            for problem in problems:
                by_path.setdefault(problem.path, []).append(problem)
            bad = [p for p in remaining if any(d.is_error for d in by_path.get(p.path, []))]
            if not bad:
                break
            for plan in bad:
                errors = "; ".join(d.format() for d in by_path[plan.path] if d.is_error)
                self.skipped.append(f"{plan.label}: would not pass validation: {errors}")
                remaining.remove(plan)
        for plan in remaining:
            plan.notes += [f"{plan.label}: {d.format()}" for d in by_path.get(plan.path, []) if not d.is_error]
        return remaining


def _check_folder(root: Path, folder: str) -> str:
    clean = folder.replace("\\", "/").strip().strip("/")
    parts = clean.split("/")
    if not clean or parts[0] != "events" or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise ValueError(f"folder {folder!r} must be events/ or a folder inside it (only events/ is read)")
    return clean


def import_timelinejs(root: Path, source: Path, *, place: str | None = None, source_title: str | None = None,
                      source_publisher: str | None = None, source_url: str | None = None,
                      folder: str = "events", dry_run: bool = False) -> ImportResult:
    """Turn a TimelineJS3 JSON file or Google Sheets CSV into event files under `folder`
    (events/<year>/<id>.md by default; <folder>/<id>.md for any other folder).

    Raises ValueError, with a message for the editor, when the input cannot be read as either."""
    root = Path(root)
    folder = _check_folder(root, folder)
    if source_url is not None and not re.fullmatch(URL_PATTERN, source_url):
        raise ValueError(f"url {source_url!r} is not an absolute http(s) address")
    for name, value in (("source title", source_title), ("source publisher", source_publisher)):
        if value is not None and not value.strip():
            raise ValueError(f"the {name} is empty")
    slides, title_text = _read_input(Path(source))
    importer = _Importer(root, Path(source), place, source_title and source_title.strip(),
                         source_publisher and source_publisher.strip(), source_url, folder)
    plans: list[_Plan] = []
    for slide in slides:
        if slide.kind == "title":
            importer.report.append(f"{slide.label}: title slide not imported (event files have no title slide)")
            importer.report += importer._media_notes(slide)
        elif slide.kind == "era":
            importer.report.append(f"{slide.label}: era not imported (eras are periods: add it to periods.yml by hand)")
            importer.report += importer._media_notes(slide)
        elif plan := importer.plan(slide, title_text):
            plan.path = importer.path_for(plan)
            plans.append(plan)
    plans = importer.check(plans) if plans else []
    written: list[str] = []
    for plan in plans:
        if not dry_run:
            target = root / plan.path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never replace a file
                    out.write(event_file_text(plan.fields, plan.body))
            except FileExistsError:
                importer.skipped.append(f"{plan.label}: {plan.path} already exists: not overwritten")
                continue
        written.append(plan.path)
        importer.report += plan.notes
    placeholders = sum(p.placeholder_source for p in plans if p.path in written)
    if placeholders:
        default, _ = importer._default_source(title_text)
        importer.report.append(
            f"sources: {placeholders} event{'s' if placeholders != 1 else ''} cite{'s' if placeholders == 1 else ''} "
            f"the placeholder source {default['title']!r} (publisher {default['publisher']!r}): check each one and "
            "replace it with the article its facts come from")
    return ImportResult(sorted(written), importer.report, importer.skipped)
