"""Turn loaded documents into Events and Places, reporting every problem at once.

Each check appends a Diagnostic and carries on, so an editor sees all the problems
of a pull request in one run. An event with any error is left out of the Timeline.
"""
from __future__ import annotations

import datetime as dt
import difflib
import gc
import html
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import load
from .dates import parse_date
from .load import Document, Entry, error, tag_of, warning
from .model import Diagnostic, Event, PartialDate, Period, Place, Source, Timeline, slugify
from .schema import EVENT_FIELDS, PERIOD_FIELDS, PLACE_FIELDS, RESERVED_IDS, SLUG_PATTERN, SOURCE_FIELDS

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in
                                          ("str", "int", "float", "bool", "null", "timestamp"))
_SLUG = re.compile(SLUG_PATTERN)
EVENT_KEYS = {f.key: f for f in EVENT_FIELDS}  # in the documented order


# ---------------------------------------------------------------- value readers
# Each reader returns the value, or None after appending a diagnostic.

def describe(node: yaml.Node) -> str:
    """How a wrong value is named in a message: 'a number (2020)', 'a list'."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of 'key: value' lines"
    names = {INT: "a number", FLOAT: "a number", BOOL: "true/false", TIMESTAMP: "a date", STR: "text"}
    if tag_of(node) == NULL:
        return "empty"
    return f"{names.get(tag_of(node), 'a value')} ({node.value!r})" if tag_of(node) != STR else f"text ({node.value!r})"


# Control characters (typed as YAML escapes such as "\x01") have no place in a title or a name, and
# the Atom feed (XML) cannot carry them at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def read_text(path: str, line: int, what: str, node: yaml.Node, problems: list[Diagnostic]) -> str | None:
    if isinstance(node, yaml.ScalarNode) and tag_of(node) == STR:
        if found := _CONTROL.search(node.value):
            problems.append(error(path, line, f"{what} contains the control character {load.describe_char(found[0])}",
                                  "control-character", "remove it (it may come from a \\x or \\u escape)"))
            return None
        if node.value.strip():
            return node.value.strip()
        problems.append(error(path, line, f"{what} is empty", "empty-value"))
        return None
    if isinstance(node, yaml.ScalarNode) and tag_of(node) == NULL:
        problems.append(error(path, line, f"{what} is empty", "empty-value"))
        return None
    hint = ""
    if isinstance(node, yaml.ScalarNode):
        hint = f"put it in quotes: \"{node.value}\""
        if tag_of(node) == BOOL:
            hint += f" (YAML reads {node.value} as true/false)"
    problems.append(error(path, line, f"{what} must be text, not {describe(node)}", "wrong-type", hint))
    return None


def read_texts(path: str, line: int, what: str, node: yaml.Node, problems: list[Diagnostic],
               base: int = 2) -> list[tuple[str, int]] | None:
    """A single text or a list of texts, each with its file line (`base` is the file line of YAML line 0)."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if isinstance(node, yaml.SequenceNode) and not items:
        problems.append(error(path, line, f"{what} is an empty list", "empty-value"))
        return None
    values = []
    for item in items:
        item_line = line if item is node else base + item.start_mark.line
        value = read_text(path, item_line, f"each entry of {what}" if item is not node else what, item, problems)
        if value is None:
            return None
        values.append((value, item_line))
    return values


def read_date(path: str, line: int, what: str, node: yaml.Node, problems: list[Diagnostic]) -> PartialDate | None:
    if isinstance(node, yaml.ScalarNode) and tag_of(node) in (STR, INT, TIMESTAMP):
        result = parse_date(node.value)
        if isinstance(result, PartialDate):
            return result
        problems.append(error(path, line, f"{what}: {result}", "bad-date"))
        return None
    if isinstance(node, yaml.ScalarNode) and tag_of(node) == NULL:
        problems.append(error(path, line, f"{what} is empty", "empty-value"))
        return None
    problems.append(error(path, line, f"{what} must be a date such as 2020-02-03, not {describe(node)}", "wrong-type"))
    return None


_PLAIN_HTTP_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\s]*)?", re.I)


def check_url(path: str, line: int, url: str, problems: list[Diagnostic]) -> str | None:
    if _PLAIN_HTTP_URL.fullmatch(url):
        return url  # the usual case, decided without urlsplit's slower general parsing
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": an unclosed IPv6 address
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        problems.append(error(path, line, f"url {url!r} is not an absolute http(s) address",
                              "bad-url", "copy the full address from the browser, starting with https://"))
        return None
    return url


def unknown_key(path: str, entry: Entry, known: list[str], where: str, problems: list[Diagnostic]) -> None:
    close = difflib.get_close_matches(entry.key, known, n=1, cutoff=0.6)
    suggestion = f"; did you mean {close[0]!r}?" if close else f"; {where} keys are: {', '.join(known)}"
    hint = f"rename {entry.key!r} to {close[0]!r}" if close else "remove the line, or use one of the keys listed"
    problems.append(error(path, entry.line, f"unknown key {entry.key!r}{suggestion}", "unknown-key", hint))


def closest(word: str, candidates: list[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, candidates, n=n, cutoff=0.6)


# ---------------------------------------------------------------- places.yml

def fold(text: str) -> str:
    """The form in which place names, aliases and ids are compared: any case, any Unicode composition."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def validate_places(root: Path, file: Path) -> tuple[dict[str, Place], list[Diagnostic]]:
    path = load.relative(root, file)
    if not file.exists():
        return {}, []
    node, problems = load.load_yaml_file(root, file)
    if node is None:
        return {}, problems
    if problems:
        return {}, problems
    if not isinstance(node, yaml.MappingNode):
        return {}, [error(path, 1 + node.start_mark.line,
                          "places.yml must map place ids to their fields ('saraqeb:' then indented 'name: Saraqeb')",
                          "places-not-mapping")]
    places: dict[str, Place] = {}
    names: dict[str, tuple[str, int]] = {}  # folded name or alias → (place id, line)
    parents: list[tuple[str, str, int]] = []
    known = [f.key for f in PLACE_FIELDS]
    for place_id, entry in load.mapping_entries(path, node, 1, problems).items():
        if not _SLUG.fullmatch(place_id) or place_id in RESERVED_IDS:
            message = f"place id {place_id!r} " + ("is reserved" if place_id in RESERVED_IDS
                                                   else "must be lowercase letters, digits and hyphens")
            better = slugify(place_id + "-place") if place_id in RESERVED_IDS else slugify(place_id) or "a-slug"
            problems.append(error(path, entry.line, message, "bad-id", f"use {better!r}"))
            continue
        if not isinstance(entry.node, yaml.MappingNode):
            problems.append(error(path, entry.line, f"place {place_id!r} must have indented fields (at least 'name:'), "
                                  f"not {describe(entry.node)}", "wrong-type"))
            continue
        fields = load.mapping_entries(path, entry.node, 1, problems)
        for key, field_entry in fields.items():
            if key not in known:
                unknown_key(path, field_entry, known, "place", problems)
        if "name" not in fields:
            problems.append(error(path, entry.line, f"place {place_id!r} has no 'name'", "missing-key"))
            continue
        name = read_text(path, fields["name"].line, "name", fields["name"].node, problems)
        aliases = []
        if "aliases" in fields:
            given = read_texts(path, fields["aliases"].line, "aliases", fields["aliases"].node, problems, base=1)
            aliases = [a for a, _ in given or []]
        coords = {}
        for key, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            if key in fields:
                f = fields[key]
                if isinstance(f.node, yaml.ScalarNode) and tag_of(f.node) in (INT, FLOAT):
                    text = f.node.value.replace("_", "").lower()
                    try:
                        value = float(text.replace(".nan", "nan").replace(".inf", "inf"))
                    except ValueError:  # YAML 1.1 integers such as 0x10 or 0o17: not how anyone writes degrees
                        problems.append(error(path, f.line, f"{key} must be a number of degrees such as 35.86, "
                                              f"not {f.node.value!r}", "wrong-type"))
                        continue
                    if low <= value <= high:
                        coords[key] = value
                    else:
                        problems.append(error(path, f.line, f"{key} {f.node.value} is out of range ({low} to {high})",
                                              "bad-coordinate"))
                else:
                    problems.append(error(path, f.line, f"{key} must be a number of degrees, not {describe(f.node)}",
                                          "wrong-type"))
        if ("lat" in fields) != ("lon" in fields):
            problems.append(error(path, entry.line, f"place {place_id!r} needs both lat and lon, or neither",
                                  "bad-coordinate"))
        extra = {}
        for key in ("kind", "country", "description", "parent"):
            if key in fields:
                extra[key] = read_text(path, fields[key].line, key, fields[key].node, problems)
        if "parent" in fields and extra.get("parent"):
            parents.append((place_id, extra["parent"], fields["parent"].line))
        if name is None:
            continue
        for spelling in [place_id, name, *aliases]:
            key = fold(spelling)
            owner = names.get(key)
            if owner and owner[0] != place_id:
                problems.append(error(path, entry.line, f"{spelling!r} names both {owner[0]!r} (line {owner[1]}) and "
                                      f"{place_id!r}: a name or alias must point to one place", "duplicate-alias"))
            else:
                names.setdefault(key, (place_id, entry.line))
        places[place_id] = Place(place_id, name, tuple(aliases), coords.get("lat"), coords.get("lon"),
                                 extra.get("kind"), extra.get("country"), extra.get("parent"), extra.get("description"))
    for place_id, parent, line in parents:
        if parent not in places:
            problems.append(error(path, line, f"parent {parent!r} of {place_id!r} is not a place id in places.yml",
                                  "unknown-place"))
    return places, problems


def suggest_places(spelling: str, places: dict[str, Place]) -> list[str]:
    """Known names closest to a misspelt place, as readers know them (names before aliases before ids)."""
    display: dict[str, str] = {}
    for place in sorted(places.values(), key=lambda p: p.id):
        display.setdefault(fold(place.name), place.name)
    for place in sorted(places.values(), key=lambda p: p.id):
        for spelling_ in (*place.aliases, place.id):
            display.setdefault(fold(spelling_), spelling_)
    return [display[key] for key in closest(fold(spelling), sorted(display))]


def place_index(places: dict[str, Place]) -> dict[str, str]:
    """Every spelling (id, name, alias; folded) → place id."""
    index: dict[str, str] = {}
    for place in places.values():
        for spelling in (place.id, place.name, *place.aliases):
            index.setdefault(fold(spelling), place.id)
    return index


# ---------------------------------------------------------------- periods.yml

def validate_periods(root: Path, file: Path) -> tuple[tuple[Period, ...], list[Diagnostic]]:
    """periods.yml: a list of periods each with an `id`, or a mapping from id to the other fields."""
    path = load.relative(root, file)
    if not file.exists():
        return (), []
    node, problems = load.load_yaml_file(root, file)
    if node is None or problems:
        return (), problems
    items: list[tuple[str | None, int, yaml.Node]] = []  # (id from the mapping key, line, fields node)
    if isinstance(node, yaml.SequenceNode):
        items = [(None, 1 + item.start_mark.line, item) for item in node.value]
    elif isinstance(node, yaml.MappingNode):
        items = [(key, entry.line, entry.node) for key, entry in load.mapping_entries(path, node, 1, problems).items()]
    else:
        return (), [error(path, 1 + node.start_mark.line, "periods.yml must be a list of periods, each with "
                          "'- id:', 'title:', 'start:' and optionally 'end:'", "periods-bad-shape")]
    known = [f.key for f in PERIOD_FIELDS if not (items and items[0][0] is not None and f.key == "id")]
    periods: list[Period] = []
    first_line: dict[str, int] = {}
    for key_id, line, item in items:
        if not isinstance(item, yaml.MappingNode):
            problems.append(error(path, line, f"each period needs 'title:' and 'start:' lines, not {describe(item)}",
                                  "wrong-type"))
            continue
        before = len(problems)
        fields = load.mapping_entries(path, item, 1, problems)
        for name, entry in fields.items():
            if name not in known:
                unknown_key(path, entry, known, "period", problems)
        for spec in PERIOD_FIELDS:
            if spec.required and spec.key not in fields and not (spec.key == "id" and key_id):
                problems.append(error(path, line, f"period is missing its {spec.key!r}", "missing-key"))
        values: dict[str, object] = {}
        for spec in PERIOD_FIELDS:
            if spec.key in fields:
                f = fields[spec.key]
                reader = read_date if spec.kind == "date" else read_text
                values[spec.key] = reader(path, f.line, spec.key, f.node, problems)
        period_id = key_id or values.get("id")
        if period_id and not _SLUG.fullmatch(period_id):
            problems.append(error(path, line, f"period id {period_id!r} must be lowercase letters, digits and hyphens",
                                  "bad-id", f"use {slugify(period_id) or 'a-slug'!r}"))
        elif period_id in first_line:
            problems.append(error(path, line, f"duplicate period id {period_id!r} (first on line {first_line[period_id]})",
                                  "duplicate-id"))
        elif period_id:
            first_line[period_id] = line
        start, end = values.get("start"), values.get("end")
        if start and end and end.last_day < start.first_day:
            problems.append(error(path, fields["end"].line, f"end {end.iso()} is before start {start.iso()}",
                                  "end-before-start"))
        if len(problems) == before:
            periods.append(Period(period_id, values["title"], start, end, values.get("description")))
    periods.sort(key=lambda p: (p.start.sort_key, p.id))
    return tuple(periods), problems


# ---------------------------------------------------------------- events

UNSAFE_TAG = re.compile(r"<\s*(?:/\s*)?(script|iframe|frame|frameset|object|embed|applet|form|style|base|meta|link|svg|math)\b",
                        re.I)
UNSAFE_HANDLER = re.compile(r"<[a-z][^>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)
UNSAFE_SCHEME = re.compile(r"(javascript|vbscript|livescript):|data:text/html", re.I)
_TAG_START = re.compile(r"<[a-z]", re.I)


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


MAX_BODY_DEPTH = 40  # nested lists or quotes; Python-Markdown recurses once per level


def check_depth(path: str, body: str, first_line: int, problems: list[Diagnostic]) -> None:
    """Refuse Markdown nested so deeply that rendering it would exhaust the stack."""
    if "  " * MAX_BODY_DEPTH not in body and ">" * MAX_BODY_DEPTH not in body.replace(" ", ""):
        return
    for offset, line_text in enumerate(body.split("\n")):
        indent = len(line_text.expandtabs(4)) - len(line_text.expandtabs(4).lstrip())
        quotes = len(line_text) - len(line_text.lstrip("> "))
        if indent >= 2 * MAX_BODY_DEPTH or line_text.replace(" ", "")[:MAX_BODY_DEPTH] == ">" * MAX_BODY_DEPTH \
                or quotes >= 2 * MAX_BODY_DEPTH:
            problems.append(error(path, first_line + offset, f"the text is nested more than {MAX_BODY_DEPTH} levels "
                                  "deep (lists or quotes)", "body-too-deep", "flatten the list or quote"))
            return


def check_body(path: str, body: str, first_line: int, problems: list[Diagnostic]) -> None:
    """Reject raw HTML that could run script, however it is cased or entity-encoded."""
    check_depth(path, body, first_line, problems)
    if "<" not in body and "&" not in body:
        low = body.lower()
        if "script" not in low and "data" not in low:
            return  # no tag, no entity, no scheme: nothing to hide script in (most bodies)
    for offset, line_text in enumerate(body.split("\n")):
        decoded = html.unescape(html.unescape(line_text))
        squeezed = re.sub(r"[\x00-\x20]+", "", decoded)
        found = UNSAFE_TAG.search(decoded) or next(_handlers(decoded), None) or UNSAFE_SCHEME.search(squeezed)
        if found:
            problems.append(error(path, first_line + offset,
                                  f"raw HTML that can run script is not allowed: {found.group(0).strip()!r}",
                                  "unsafe-html", "write plain Markdown; links must start with https://"))
    # An on...= handler on a tag spread over several lines.
    reported = {p.line for p in problems if p.path == path and p.code == "unsafe-html"}
    line, counted = first_line, 0
    for found in _handlers(body):
        line, counted = line + body.count("\n", counted, found.end()), found.end()
        if line not in reported:
            reported.add(line)
            problems.append(error(path, line, f"raw HTML that can run script is not allowed: {found.group(0).split()[-1]!r}",
                                  "unsafe-html", "write plain Markdown"))


def ends_before(start: PartialDate, end: PartialDate) -> bool:
    """Whether `end` is before `start`. A coarser end may contain the start (2020-02-03 to 2020-02);
    two times of day are compared as instants when both give their UTC offset."""
    if end.last_day < start.first_day:
        return True
    if start.precision == end.precision == "minute":
        a, b = _moment(start), _moment(end)
        if (a.tzinfo is None) != (b.tzinfo is None):
            a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        return b < a
    return False


def _moment(value: PartialDate) -> dt.datetime:
    zone = None if value.offset_minutes is None else dt.timezone(dt.timedelta(minutes=value.offset_minutes))
    return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second or 0, tzinfo=zone)


def check_id(path: str, stem: str, problems: list[Diagnostic]) -> bool:
    if _SLUG.fullmatch(stem) and stem not in RESERVED_IDS:
        return True
    if stem in RESERVED_IDS:
        message = f"event id {stem!r} is reserved"
    elif odd := [c for c in stem if ord(c) > 127]:
        message = f"event id {stem!r} contains the non-ASCII character {load.describe_char(odd[0])}"
    elif stem != stem.lower():
        message = f"event id {stem!r} has capital letters"
    else:
        message = f"event id {stem!r} must be lowercase letters, digits and single hyphens"
    better = slugify(stem)
    problems.append(error(path, 1, message + " (the id is the file name without .md)", "bad-id",
                          f"rename the file to {better + '.md'!r}" if better and better not in RESERVED_IDS else ""))
    return False


def read_sources(path: str, entry: Entry, problems: list[Diagnostic]) -> list[tuple[Source, dict[str, Entry], int]] | None:
    node = entry.node
    if not isinstance(node, yaml.SequenceNode):
        hint = "start each source with '- ' on its own line" if isinstance(node, yaml.MappingNode) else \
            "list the sources, each with '- title:' and 'publisher:' lines"
        problems.append(error(path, entry.line, f"sources must be a list of sources, not {describe(node)}",
                              "wrong-type", hint))
        return None
    if not node.value:
        problems.append(error(path, entry.line, "sources is an empty list: cite at least one source", "empty-value"))
        return None
    known = [f.key for f in SOURCE_FIELDS]
    result = []
    ok = True
    for item in node.value:
        line = 2 + item.start_mark.line
        if not isinstance(item, yaml.MappingNode):
            problems.append(error(path, line, f"each source must have 'title:' and 'publisher:' lines, not {describe(item)}",
                                  "wrong-type"))
            ok = False
            continue
        fields = load.mapping_entries(path, item, 2, problems)
        values: dict[str, object] = {}
        for key, field_entry in fields.items():
            if key not in known:
                unknown_key(path, field_entry, known, "source", problems)
                ok = False
        for spec in SOURCE_FIELDS:
            if spec.key not in fields:
                if spec.required:
                    problems.append(error(path, line, f"source is missing its {spec.key!r}", "missing-key"))
                    ok = False
                continue
            f = fields[spec.key]
            if spec.kind == "date":
                value = read_date(path, f.line, f"source {spec.key}", f.node, problems)
            else:
                value = read_text(path, f.line, f"source {spec.key}", f.node, problems)
                if value is not None and spec.kind == "url":
                    value = check_url(path, f.line, value, problems)
            if value is None:
                ok = False
            values[spec.key] = value
        if ok:
            result.append((Source(**values), fields, line))
    return result if ok else None


def read_event(doc: Document, index: dict[str, str], places: dict[str, Place], places_ok: bool = True) -> Event | None:
    """Check one document on its own (cross-file checks come later). None if it has errors."""
    path, problems = doc.path, doc.problems
    stem = path.rsplit("/", 1)[-1][:-3]
    id_ok = check_id(path, stem, problems)
    if not doc.ok:
        return None
    before = sum(p.is_error for p in problems)
    for key, entry in doc.entries.items():
        if key not in EVENT_KEYS:
            unknown_key(path, entry, list(EVENT_KEYS), "event", problems)
    for spec in EVENT_FIELDS:
        if spec.required and spec.key not in doc.entries:
            problems.append(error(path, 1, f"missing required key {spec.key!r}", "missing-key",
                                  f"add a line '{spec.key}: {spec.example}'" if spec.example else ""))
    get = doc.entries.get
    title = dispute = start = end = None
    if e := get("title"):
        title = read_text(path, e.line, "title", e.node, problems)
    if e := get("dispute"):
        dispute = read_text(path, e.line, "dispute", e.node, problems)
    if e := get("date"):
        start = read_date(path, e.line, "date", e.node, problems)
    if e := get("end"):
        end = read_date(path, e.line, "end", e.node, problems)
        if start and end and ends_before(start, end):
            problems.append(error(path, e.line, f"end {end.iso()} is before date {start.iso()}", "end-before-start"))
    place_ids: list[str] = []
    if e := get("place"):
        for spelling, line in read_texts(path, e.line, "place", e.node, problems) or []:
            place_id = index.get(fold(spelling))
            if place_id is None and not places_ok:
                continue  # places.yml itself is broken: its own errors say so, no need to blame every event
            if place_id is None:
                near = suggest_places(spelling, places)
                suggestion = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else \
                    "; add it to places.yml"
                hint = (f"write {near[0]!r}, or add {spelling!r} to places.yml (as a place or an alias)" if near
                        else f"add {spelling!r} to places.yml with its coordinates")
                problems.append(error(path, line, f"unknown place {spelling!r}{suggestion}", "unknown-place", hint))
            elif place_id in place_ids:
                problems.append(warning(path, line, f"place {spelling!r} is listed twice", "duplicate-place"))
            else:
                place_ids.append(place_id)
    sources = read_sources(path, e, problems) if (e := get("sources")) else None
    tags = _read_slugs(path, get("tags"), "tag", problems)
    related = _read_slugs(path, get("related"), "related id", problems)
    check_body(path, doc.body, doc.body_line, problems)
    if sources and start:
        _source_warnings(path, start, end, sources, problems)
    if sum(p.is_error for p in problems) > before or not id_ok or None in (title, start, sources) or not place_ids:
        return None
    return Event(stem, path, title, start, end, tuple(place_ids), tuple(s for s, _, _ in sources),
                 tuple(t for t, _ in tags), tuple(r for r, _ in related), dispute, doc.body.strip("\n"))


def _read_slugs(path: str, entry: Entry | None, what: str, problems: list[Diagnostic]) -> list[tuple[str, int]]:
    if entry is None:
        return []
    if isinstance(entry.node, yaml.ScalarNode) and tag_of(entry.node) == NULL:
        return []
    values = read_texts(path, entry.line, entry.key, entry.node, problems) or []
    good, seen = [], set()
    for value, line in values:
        if value in RESERVED_IDS:
            problems.append(error(path, line, f"{what} {value!r} is reserved (it names the list of all of them)",
                                  "bad-slug", f"use another word than {value!r}"))
        elif not _SLUG.fullmatch(value):
            better = slugify(value)
            problems.append(error(path, line, f"{what} {value!r} must be lowercase letters, digits and hyphens",
                                  "bad-slug", f"write {better!r}" if better else ""))
        elif value in seen:
            problems.append(warning(path, line, f"{what} {value!r} is listed twice", "duplicate-entry"))
        else:
            seen.add(value)
            good.append((value, line))
    return good


def _source_warnings(path: str, start: PartialDate, end: PartialDate | None,
                     sources: list[tuple[Source, dict[str, Entry], int]], problems: list[Diagnostic]) -> None:
    seen_urls: dict[str, int] = {}
    for source, fields, _ in sources:
        if source.published and source.published.last_day < start.first_day:
            problems.append(warning(path, fields["published"].line,
                                    f"source published {source.published.iso()}, before the event's date {start.iso()}: "
                                    "a source cannot report what had not happened yet", "published-before-event"))
        if source.url:
            if source.url in seen_urls:
                problems.append(warning(path, fields["url"].line,
                                        f"url {source.url!r} is cited twice (also line {seen_urls[source.url]})",
                                        "duplicate-url"))
            else:
                seen_urls[source.url] = fields["url"].line


@dataclass(frozen=True)
class Checked:
    """What one file's own checks found, kept (without its YAML nodes) for the checks across files
    and, in a long-running `serve`, reused while the file does not change."""

    path: str
    event: Event | None
    related: tuple[tuple[str, int], ...]  # well-formed related ids with their lines
    problems: tuple[Diagnostic, ...]


def check_file(found: load.Found, index: dict[str, str], places: dict[str, Place], places_ok: bool = True) -> Checked:
    try:
        data = found.path.read_bytes()
    except OSError as exc:
        return Checked(found.rel, None, (), (error(found.rel, 1, f"cannot read file: {exc.strerror}", "unreadable"),))
    doc = load.parse_event(found.rel, data)
    event = read_event(doc, index, places, places_ok)
    return Checked(found.rel, event, tuple(_related_ids(doc.entries.get("related"))), tuple(doc.problems))


def cross_checks(docs: list[Checked], events: list[Event]) -> list[Diagnostic]:
    """Checks that need every file: unique ids, related ids that exist, publisher spellings."""
    problems: list[Diagnostic] = []
    first_by_id: dict[str, str] = {}
    first_by_folded: dict[str, str] = {}
    for doc in docs:
        stem = doc.path.rsplit("/", 1)[-1][:-3]
        if stem in first_by_id:
            problems.append(error(doc.path, 1, f"duplicate event id {stem!r}: {first_by_id[stem]} has the same file name",
                                  "duplicate-id", "give one of them a different file name"))
            continue
        folded = fold(stem)
        if folded in first_by_folded:
            problems.append(error(doc.path, 1, f"event id {stem!r} differs only in letter case or accents from "
                                  f"{first_by_folded[folded]}", "duplicate-id"))
        first_by_id[stem] = doc.path
        first_by_folded.setdefault(folded, doc.path)
    all_ids = sorted(first_by_id)
    for doc in docs:
        stem = doc.path.rsplit("/", 1)[-1][:-3]
        for related, line in doc.related:
            if related == stem:
                problems.append(error(doc.path, line, "an event cannot be related to itself", "bad-related"))
            elif related not in first_by_id:
                near = closest(related, all_ids, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(error(doc.path, line, f"related event {related!r} does not exist{hint}", "unknown-related",
                                      f"write {near[0]!r}" if near else "an id is an event's file name without .md"))
    spellings: dict[str, dict[str, str]] = {}
    for event in events:
        for source in event.sources:
            spellings.setdefault(slugify(source.publisher) or fold(source.publisher), {}).setdefault(source.publisher, event.path)
    for variants in spellings.values():
        if len(variants) > 1:
            names = sorted(variants)
            for name in names[1:]:
                problems.append(warning(variants[name], 1, f"publisher {name!r} is also spelled {names[0]!r} "
                                        f"(in {variants[names[0]]}): use one spelling", "publisher-spelling"))
    return problems


def _related_ids(entry: Entry | None) -> list[tuple[str, int]]:
    """The well-formed ids a `related` entry names, with their lines (malformed ones are reported elsewhere)."""
    if entry is None:
        return []
    items = entry.node.value if isinstance(entry.node, yaml.SequenceNode) else [entry.node]
    return [(item.value.strip(), entry.line if item is entry.node else 2 + item.start_mark.line)
            for item in items
            if isinstance(item, yaml.ScalarNode) and tag_of(item) == STR and _SLUG.fullmatch(item.value.strip())]


# Results of check_file by (path, mtime, size, gazetteer): a build asks three times (before MkDocs
# cleans site/, when adding pages, when shrinking the search index) and `serve` after every save;
# only changed files are read again. Entries of files that are gone are dropped on each call.
_CHECKED: dict[str, tuple[tuple, Checked]] = {}


def validate_project(root: Path, only: set[str] | None = None) -> tuple[Timeline, list[Diagnostic]]:
    """Load and check everything under `root`. Diagnostics come back sorted; the Timeline
    holds only the events without errors, and only if there are no errors at all is it complete."""
    found, file_problems = load.scan_event_files(root, root / "events")
    gazetteer = _stamp(root / "places.yml")
    fingerprint = (str(root), gazetteer, _stamp(root / "periods.yml"),
                   tuple((f.rel, f.mtime_ns, f.ctime_ns, f.inode, f.size) for f in found), tuple(file_problems))
    if _LAST and _LAST[0] == fingerprint:  # nothing changed since the last call (a build asks three times)
        timeline, problems = _LAST[1]
    else:
        timeline, problems = _validate(root, found, file_problems, gazetteer)
        _LAST[:] = [fingerprint, (timeline, problems)]
    if only is not None:
        problems = [p for p in problems if p.path in only]
    return timeline, list(problems)


_LAST: list = []  # [fingerprint, result] of the last call


def clear_caches() -> None:
    """Forget every earlier result (for benchmarks that time a first, cold validation)."""
    _CHECKED.clear()
    _LAST.clear()


def _validate(root: Path, found: list[load.Found], file_problems: list[Diagnostic],
              gazetteer: tuple) -> tuple[Timeline, list[Diagnostic]]:
    places, problems = validate_places(root, root / "places.yml")
    periods, period_problems = validate_periods(root, root / "periods.yml")
    problems += period_problems + file_problems
    index = place_index(places)
    places_ok = not any(p.is_error and p.path == "places.yml" for p in problems) or bool(places)
    checked: list[Checked] = []
    collecting = gc.isenabled()
    gc.disable()  # thousands of short-lived YAML nodes: the cyclic collector would rescan them over and over
    try:
        for file in found:
            key = (str(root), file.mtime_ns, file.ctime_ns, file.inode, file.size, gazetteer)
            cached = _CHECKED.get(str(file.path))
            if cached is None or cached[0] != key:
                cached = (key, check_file(file, index, places, places_ok))
                _CHECKED[str(file.path)] = cached
            checked.append(cached[1])
    finally:
        if collecting:
            gc.enable()
    current = {str(f.path) for f in found}
    for stale in [path for path in _CHECKED if path.startswith(str(root) + os.sep) and path not in current]:
        del _CHECKED[stale]
    events = [c.event for c in checked if c.event is not None]
    for c in checked:
        problems += c.problems
    problems += cross_checks(checked, events)
    if found and not (root / "places.yml").exists():
        problems.append(error("places.yml", 1, "places.yml is missing: every event needs a place from it",
                              "missing-places"))
    bad = {p.path for p in problems if p.is_error}
    events = sorted((e for e in events if e.path not in bad), key=lambda e: e.sort_key)
    return Timeline(tuple(events), places, periods), sorted(set(problems), key=_order)


def _stamp(file: Path) -> tuple[int, int, int, int]:
    try:
        info = file.stat()
    except OSError:
        return (0, 0, 0, -1)
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size)


def _order(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.severity != "error", d.message)
