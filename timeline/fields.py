"""One table per front-matter key: the only place a field's rules are written.

Each Field names its key, whether it is required, its Kind and its documentation. A Kind reads a
YAML node (checking type and range, reporting at the node's line) and describes the same rule as
a JSON Schema fragment, so `validate`, the JSON Schemas editors' tools use, the editing guide and
`new` all come from these tables (like Pelican's METADATA_PROCESSORS: one processor per key).

What a schema cannot say stays with `validate` alone, and the editing guide lists it: whether a
date exists in the calendar (30 February), `end` before `date`, places, related ids and unique ids
(other files), the body's HTML, warnings, and YAML 1.1 readings that a YAML 1.2 tool sees
differently (`yes`/`no` as booleans, 0x10 or 1:30 as numbers, .nan).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import dates
from .diagnostics import Diagnostic, error, warning
from .load import Entry, describe_char, mapping_entries, tag_of
from .model import Event, Period, Place, Source, slugify

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in
                                          ("str", "int", "float", "bool", "null", "timestamp"))
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG = re.compile(SLUG_PATTERN)
RESERVED_IDS = {"index"}  # events/index would collide with the folder's own page

# Control characters (typed as YAML escapes such as "\x01") have no place in a title or a name, and
# the Atom feed (XML) cannot carry them at all. Written as regex escapes, so the JSON Schema can say it too.
CONTROL_CLASS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
_CONTROL = re.compile(CONTROL_CLASS)

# An absolute http(s) address: a scheme, a host (an IPv6 address in brackets), then anything but
# whitespace. The same pattern is the JSON Schema's.
URL_PATTERN = (r"[Hh][Tt][Tt][Pp][Ss]?://(?:[^\s/?#\[\]]+|[^\s/?#\[\]]*\[[0-9A-Fa-f:.]+\][^\s/?#\[\]]*)"
               r"(?:[/?#]\S*)?")
_URL = re.compile(URL_PATTERN)


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


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and tag_of(node) == NULL


@dataclass
class Reading:
    """Where the diagnostics of one file go while it is read, and where its YAML starts."""

    path: str
    problems: list[Diagnostic]
    base: int  # the file line of the YAML text's first line: 2 in front matter, 1 in places.yml

    def line(self, node: yaml.Node) -> int:
        return self.base + node.start_mark.line

    def error(self, line: int, message: str, code: str, hint: str = "") -> None:
        self.problems.append(error(self.path, line, message, code, hint))

    def warning(self, line: int, message: str, code: str, hint: str = "") -> None:
        self.problems.append(warning(self.path, line, message, code, hint))

    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)


# ---------------------------------------------------------------- kinds of value
# `read` returns the value, or None after reporting why; `schema` is the same rule for a JSON Schema.

def _text_schema(pattern: str = r"\S") -> dict:
    return {"type": "string", "allOf": [{"pattern": pattern}, {"pattern": f"^{CONTROL_CLASS.replace('[', '[^', 1)}*$"}]}


class Kind:
    words = "a value"  # how the editing guide names it

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> Any:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def model(self, value: Any) -> Any:
        """The value read, as the model's dataclass holds it."""
        return value


class Text(Kind):
    words = "text"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and tag_of(node) == STR:
            if found := _CONTROL.search(node.value):
                r.error(line, f"{what} contains the control character {describe_char(found[0])}",
                        "control-character", "remove it (it may come from a \\x or \\u escape)")
                return None
            if node.value.strip():
                return node.value.strip()
            r.error(line, f"{what} is empty", "empty-value")
            return None
        if is_null(node):
            r.error(line, f"{what} is empty", "empty-value")
            return None
        hint = ""
        if isinstance(node, yaml.ScalarNode):
            hint = f"put it in quotes: \"{node.value}\""
            if tag_of(node) == BOOL:
                hint += f" (YAML reads {node.value} as true/false)"
        r.error(line, f"{what} must be text, not {describe(node)}", "wrong-type", hint)
        return None

    def schema(self) -> dict:
        return _text_schema()


@dataclass(frozen=True)
class Slug(Text):
    """An id, read as text: each table says what an id that is not a slug means (bad-id, unknown-place).
    `reserved`: whether the reserved words are refused too (they would name a list page)."""

    reserved: bool = False
    words = "an id (lowercase letters, digits and hyphens)"

    def schema(self) -> dict:
        return _text_schema(slug_schema_pattern(self.reserved))


class Url(Text):
    words = "an http(s) address"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        url = super().read(r, what, line, node)
        if url is not None and not _URL.fullmatch(url):
            r.error(line, f"url {url!r} is not an absolute http(s) address", "bad-url",
                    "copy the full address from the browser, starting with https://")
            return None
        return url

    def schema(self) -> dict:
        return _text_schema(rf"^\s*{URL_PATTERN}\s*$")


class Date(Kind):
    words = f"a date ({dates.DATE_FORMS})"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> dates.PartialDate | None:
        if isinstance(node, yaml.ScalarNode) and tag_of(node) in (STR, INT, TIMESTAMP):
            result = dates.parse_date(node.value)
            if isinstance(result, dates.PartialDate):
                return result
            r.error(line, f"{what}: {result}", "bad-date")
            return None
        if is_null(node):
            r.error(line, f"{what} is empty", "empty-value")
            return None
        r.error(line, f"{what} must be a date such as 2020-02-03, not {describe(node)}", "wrong-type")
        return None

    def schema(self) -> dict:
        # A YAML 1.2 tool reads `2017` as a number and `0999` as the number 999, which `validate`
        # reads as the text 0999 (a year): so as a number, a year starts at 1000 (quote earlier years).
        return {"anyOf": [{"type": "string", "pattern": dates.SCHEMA_PATTERN},
                          {"type": "integer", "minimum": 1000, "maximum": dates.YEARS[1]}]}


@dataclass(frozen=True)
class Degrees(Kind):
    low: int
    high: int
    words = "degrees"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> float | None:
        if not (isinstance(node, yaml.ScalarNode) and tag_of(node) in (INT, FLOAT)):
            r.error(line, f"{what} must be a number of degrees, not {describe(node)}", "wrong-type")
            return None
        text = node.value.replace("_", "").lower()
        try:
            value = float(text.replace(".nan", "nan").replace(".inf", "inf"))
        except ValueError:  # YAML 1.1 integers such as 0x10 or 0o17: not how anyone writes degrees
            r.error(line, f"{what} must be a number of degrees such as 35.86, not {node.value!r}", "wrong-type")
            return None
        if not self.low <= value <= self.high:
            r.error(line, f"{what} {node.value} is out of range ({self.low} to {self.high})", "bad-coordinate")
            return None
        return value

    def schema(self) -> dict:
        return {"type": "number", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class OneOrMore(Kind):
    """A single value or a list of them; read as [(value, line)], stopping at the first bad entry."""

    item: Kind

    @property
    def words(self) -> str:  # type: ignore[override]
        return f"{self.item.words}, or a list"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[Any, int]] | None:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.SequenceNode) and not items:
            r.error(line, f"{what} is an empty list", "empty-value")
            return None
        values = []
        for item in items:
            item_line = line if item is node else r.line(item)
            value = self.item.read(r, what if item is node else f"each entry of {what}", item_line, item)
            if value is None:
                return None
            values.append((value, item_line))
        return values

    def schema(self) -> dict:
        item = self.item.schema()
        return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}

    def model(self, value: list[tuple[Any, int]]) -> tuple:
        return tuple(item for item, _ in value)


@dataclass(frozen=True)
class Slugs(Kind):
    """Tags and related ids: slugs, one or a list, or nothing at all. `noun` names one in messages."""

    noun: str
    words = "lowercase words joined by hyphens, one or a list"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[str, int]]:
        if is_null(node):
            return []
        good, seen = [], set()
        for value, item_line in OneOrMore(Text()).read(r, what, line, node) or []:
            if value in RESERVED_IDS:
                r.error(item_line, f"{self.noun} {value!r} is reserved (it names the list of all of them)",
                        "bad-slug", f"use another word than {value!r}")
            elif not SLUG.fullmatch(value):
                better = slugify(value)
                r.error(item_line, f"{self.noun} {value!r} must be lowercase letters, digits and hyphens",
                        "bad-slug", f"write {better!r}" if better else "")
            elif value in seen:
                r.warning(item_line, f"{self.noun} {value!r} is listed twice", "duplicate-entry")
            else:
                seen.add(value)
                good.append((value, item_line))
        return good

    def schema(self) -> dict:
        slug = Slug(reserved=True).schema()
        return {"anyOf": [slug, {"type": "array", "items": slug, "minItems": 1}, {"type": "null"}]}

    def model(self, value: list[tuple[str, int]]) -> tuple[str, ...]:
        return tuple(item for item, _ in value)


def slug_schema_pattern(reserved: bool) -> str:
    if not reserved:
        return rf"^\s*{SLUG_PATTERN}\s*$"
    words = "|".join(sorted(RESERVED_IDS))
    return rf"^\s*(?!(?:{words})\s*$){SLUG_PATTERN}\s*$"


@dataclass(frozen=True)
class Records(Kind):
    """A list of mappings, each read with its own table (the sources of an event)."""

    table: Table
    empty: str  # what to do about an empty list

    words = "a list of entries"

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[dict, dict[str, Entry], int]] | None:
        noun = self.table.name
        keys = [f.key for f in self.table.fields if f.required]
        required = " and ".join(f"'{key}:'" for key in keys)
        if not isinstance(node, yaml.SequenceNode):
            first = " and ".join([f"'- {keys[0]}:'"] + [f"'{key}:'" for key in keys[1:]])
            hint = f"start each {noun} with '- ' on its own line" if isinstance(node, yaml.MappingNode) else \
                f"list the {what}, each with {first} lines"
            r.error(line, f"{what} must be a list of {what}, not {describe(node)}", "wrong-type", hint)
            return None
        if not node.value:
            r.error(line, f"{what} is an empty list: {self.empty}", "empty-value")
            return None
        records, ok = [], True
        for item in node.value:
            item_line = r.line(item)
            if not isinstance(item, yaml.MappingNode):
                r.error(item_line, f"each {noun} must have {required} lines, not {describe(item)}", "wrong-type")
                ok = False
                continue
            entries = mapping_entries(r.path, item, r.base, r.problems)
            before = r.errors()
            values = read_table(self.table, r, entries, item_line)
            if r.errors() > before or None in values.values():
                ok = False
            if ok:
                records.append((values, entries, item_line))
        return records if ok else None

    def schema(self) -> dict:
        return {"type": "array", "minItems": 1, "items": self.table.schema()}

    def model(self, value: list[tuple[dict, dict[str, Entry], int]]) -> tuple:
        return tuple(self.table.model(**model_values(self.table, values)) for values, _, _ in value)


# ---------------------------------------------------------------- fields and tables

@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    required: bool
    doc: str
    example: str = ""
    prompt: str = ""  # the question `new` asks for it; empty: `new` does not ask
    attr: str = ""  # the model's attribute for it, when that is not the key itself (date → start)

    def read_answer(self, text: str) -> tuple[Any, str]:
        """An answer typed at a prompt, read by the field's own kind: (value, "") or (None, the problem).
        What is typed is text (no YAML reading of `yes` or `2020`); a list is typed with commas."""
        r = Reading("", [], 1)
        node: yaml.Node = yaml.ScalarNode(STR, text.strip())
        if isinstance(self.kind, (OneOrMore, Slugs)) and "," in text:
            node = yaml.SequenceNode("tag:yaml.org,2002:seq", [yaml.ScalarNode(STR, part.strip())
                                                               for part in text.split(",") if part.strip()])
        value = self.kind.read(r, self.key, 1, node)
        errors = [p.message for p in r.problems if p.is_error]
        return (None, errors[0]) if errors else (value, "")


@dataclass(frozen=True)
class Table:
    """The keys of one kind of mapping: an event's front matter, a source, a place, a period."""

    name: str  # "event", "source", …: in messages ("unknown key …; source keys are: …")
    model: type  # the dataclass it becomes (model.py)
    fields: tuple[Field, ...]
    missing: str  # the message for a missing required key: str.format(key=…, id=…)
    label: str = ""  # how a value is named in messages: "source title" rather than "title"

    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def schema(self, without: tuple[str, ...] = ()) -> dict:
        fields = [f for f in self.fields if f.key not in without]
        properties = {}
        for f in fields:
            schema = {**f.kind.schema(), "description": f.doc}
            if f.example and isinstance(f.kind, (Text, Date)):
                schema["examples"] = [f.example]
            properties[f.key] = schema
        return {"type": "object", "additionalProperties": False, "required": [f.key for f in fields if f.required],
                "properties": properties}


def model_values(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The values `read_table` returned, as keyword arguments of the table's dataclass."""
    return {f.attr or f.key: f.kind.model(values[f.key]) for f in table.fields if values.get(f.key) is not None}


def unknown_key(r: Reading, entry: Entry, known: list[str], where: str) -> None:
    close = difflib.get_close_matches(entry.key, known, n=1, cutoff=0.6)
    suggestion = f"; did you mean {close[0]!r}?" if close else f"; {where} keys are: {', '.join(known)}"
    hint = f"rename {entry.key!r} to {close[0]!r}" if close else "remove the line, or use one of the keys listed"
    r.error(entry.line, f"unknown key {entry.key!r}{suggestion}", "unknown-key", hint)


def read_table(table: Table, r: Reading, entries: dict[str, Entry], line: int, ident: str = "",
               without: tuple[str, ...] = (), hint_missing: bool = False) -> dict[str, Any]:
    """Every key of `table` that `entries` has, read by its kind (None where it was reported);
    unknown keys and missing required ones reported. `without`: keys given elsewhere (an id as
    the mapping's key)."""
    known = [key for key in table.keys() if key not in without]
    for key, given in entries.items():
        if key not in known:
            unknown_key(r, given, known, table.name)
    values: dict[str, Any] = {}
    for f in table.fields:
        entry = entries.get(f.key)
        if entry is not None:
            values[f.key] = f.kind.read(r, table.label + f.key, entry.line, entry.node)
        elif f.required and f.key not in without:
            hint = f"add a line '{f.key}: {f.example}'" if hint_missing and f.example else ""
            r.error(line, table.missing.format(key=f.key, id=ident), "missing-key", hint)
    return values


# ---------------------------------------------------------------- the tables

LATITUDE, LONGITUDE = Degrees(-90, 90), Degrees(-180, 180)

SOURCES = Table("source", Source, (
    Field("title", Text(), True, "The article's headline.",
          "Renewed fighting in Idlib, Syria puts strain on Moscow-Ankara axis", "Source: the article's headline"),
    Field("publisher", Text(), True, "Who published it. Spell it the same way every time: it names the source page.",
          "Le Monde", "Source: its publisher"),
    Field("url", Url(), False, "Where to read it: an absolute http(s) address. Leave it out if there is none.",
          "https://www.dw.com/en/…", "Source: its address (https://…)"),
    Field("published", Date(), False, "When it was published, in the same forms as `date`.", "2020-02-20"),
    Field("claim", Text(), False, "What this source in particular reports, shown beside it. Use it for "
          "attributed figures and whenever sources disagree.", 'The SOHR counted 13 dead.'),
), missing="source is missing its {key!r}", label="source ")

EVENTS = Table("event", Event, (
    Field("title", Text(), True, "What happened, in one neutral line.",
          "Turkish and Syrian government forces clash around Saraqeb", "Title (what happened, neutrally)"),
    Field("date", Date(), True, "When it happened or began: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]. "
          "Write only as much as the sources say.", "2020-02-03", f"Date ({dates.DATE_FORMS})", attr="start"),
    Field("end", Date(), False, "For a span: when it ended, in the same forms; not before `date`.", "2020-03-05"),
    Field("place", OneOrMore(Text()), True, "Where: a place id, name or alias from places.yml (any letter case), "
          "or a list of them.", "Saraqeb", "Place (from places.yml; several separated by commas)", attr="places"),
    Field("sources", Records(SOURCES, empty="cite at least one source"), True,
          "The articles the event comes from; at least one. See the source keys below.", ""),
    Field("tags", Slugs("tag"), False, "Topics, as lowercase words joined by hyphens.", "[turkey, syrian-government]",
          "Tags, separated by commas"),
    Field("related", Slugs("related id"), False, "Ids of other events this one belongs with; each gets a backlink.",
          "[2020-01-29-maaret-al-numan-captured]"),
    Field("dispute", Text(), False, "When sources disagree: what they disagree on, shown as a notice. "
          "Give each source's version in its `claim`.", "Sources give different death tolls."),
), missing="missing required key {key!r}")

PLACES = Table("place", Place, (
    Field("name", Text(), True, "The name readers see.", "Saraqeb"),
    Field("aliases", OneOrMore(Text()), False, "Other spellings used by sources; events may use any of them.",
          "[Saraqib]"),
    Field("lat", LATITUDE, False, "Latitude in degrees, -90 to 90 (WGS84). Give `lat` and `lon` together.", "35.8627"),
    Field("lon", LONGITUDE, False, "Longitude in degrees, -180 to 180 (WGS84).", "36.8006"),
    Field("kind", Text(), False, "What sort of place: town, city, province, country…", "town"),
    Field("country", Text(), False, "The country it is in.", "Syria"),
    Field("parent", Slug(), False, "The id of the place that contains it.", "idlib-province"),
    Field("description", Text(), False, "A sentence shown on the place page.", ""),
), missing="place {id!r} has no {key!r}")

PERIODS = Table("period", Period, (
    Field("id", Slug(), True, "A lowercase slug naming the period (in a list; or use it as the mapping key).",
          "government-offensive"),
    Field("title", Text(), True, "The period's name as readers see it.", "Government offensive on Idlib"),
    Field("start", Date(), True, "When it began, in the same forms as an event's `date`.", "2019-11"),
    Field("end", Date(), False, "When it ended; leave it out while it goes on.", "2020-03-05"),
    Field("description", Text(), False, "A sentence or two, attributed like any event text.", ""),
), missing="period is missing its {key!r}")

TABLES = (EVENTS, SOURCES, PLACES, PERIODS)
