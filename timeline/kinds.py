"""Kinds of front-matter value: each reads a YAML node (checking its type and range, reporting at
the node's line), describes the same rule as a JSON Schema fragment, and turns what it read into
what the model holds. The field tables (fields.py) give each key its kind.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import dates
from .diagnostics import Diagnostic, error, warning
from .load import PLAIN, Entry, describe_char, mapping_entries, tag_of
from .model import slugify

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in
                                          ("str", "int", "float", "bool", "null", "timestamp"))
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG = re.compile(SLUG_PATTERN)
RESERVED_IDS = {"index"}  # events/index would collide with the folder's own page
MAX_SLUG = 100  # characters of an id, tag or place id: it names a page (a folder), and file names have limits

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
        return sum(p.is_error for p in self.problems) if self.problems else 0


# ---------------------------------------------------------------- kinds of value
# `read` returns the value, or None after reporting why; `schema` is the same rule for a JSON Schema.

def _text_schema(pattern: str = r"\S") -> dict:
    return {"type": "string", "allOf": [{"pattern": pattern}, {"pattern": f"^{CONTROL_CLASS.replace('[', '[^', 1)}*$"}]}


class Kind:

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> Any:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def model(self, value: Any) -> Any:
        """The value read, as the model's dataclass holds it."""
        return value


class Text(Kind):

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and (node.tag == STR or tag_of(node) == STR):
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

    def schema(self) -> dict:
        return _text_schema(slug_schema_pattern(self.reserved))


class Url(Text):

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        url = super().read(r, what, line, node)
        if url is not None and not _URL.fullmatch(url):
            key = what.split()[-1]  # "url" or "archive" (what is "source url", "source archive")
            r.error(line, f"{key} {url!r} is not an absolute http(s) address", "bad-url",
                    "copy the full address from the browser, starting with https://")
            return None
        return url

    def schema(self) -> dict:
        return _text_schema(rf"^\s*{URL_PATTERN}\s*$")


SHA256_PATTERN = r"[0-9a-fA-F]{64}"
_SHA256 = re.compile(SHA256_PATTERN)


class Sha256(Text):
    """The SHA-256 of a saved file, as `sha256sum` prints it: 64 hexadecimal digits."""

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and tag_of(node) in (INT, FLOAT):  # all digits: YAML read a number
            r.error(line, f"{what} must be text, not {describe(node)}", "wrong-type", f'put it in quotes: "{node.value}"')
            return None
        value = super().read(r, what, line, node)
        if value is not None and not _SHA256.fullmatch(value):
            r.error(line, f"{what} {value!r} is not a SHA-256: 64 hexadecimal digits ({len(value)} characters given)",
                    "bad-sha256", "copy it whole from `sha256sum FILE` (Linux) or `shasum -a 256 FILE` (macOS)")
            return None
        return value.lower() if value is not None else None

    def schema(self) -> dict:
        return _text_schema(rf"^\s*{SHA256_PATTERN}\s*$")


@dataclass(frozen=True)
class Choice(Text):
    """One word of a fixed vocabulary (a status, a kind of publisher), any letter case."""

    choices: tuple[str, ...] = ()

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> str | None:
        value = super().read(r, what, line, node)
        if value is None:
            return None
        if value.casefold() in self.choices:
            return value.casefold()
        close = difflib.get_close_matches(value.casefold(), self.choices, n=1, cutoff=0.6)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        r.error(line, f"{what} {value!r} is not one of {', '.join(self.choices)}{suggestion}", "bad-choice",
                f"write {close[0]!r}" if close else f"write one of: {', '.join(self.choices)}")
        return None

    def schema(self) -> dict:
        """The words in any letter case, as `read` takes them (JSON Schema's patterns have no (?i))."""
        def any_case(word: str) -> str:
            return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return {"type": "string", "pattern": rf"^\s*({'|'.join(any_case(c) for c in self.choices)})\s*$",
                "examples": list(self.choices)}


MAX_COUNT = 100_000_000


def _whole(node: yaml.Node) -> int | None:
    """A YAML number that is a whole one: 13, 1_000, 0x10 and 13.0 too (JSON, as schemas see it, has
    no difference between 13 and 13.0)."""
    if not isinstance(node, yaml.ScalarNode) or tag_of(node) not in (INT, FLOAT):
        return None
    try:
        value = int(node.value.replace("_", ""), 0) if tag_of(node) == INT else float(node.value.replace("_", ""))
    except ValueError:
        return None
    return int(value) if isinstance(value, int) or value.is_integer() else None


class Count(Kind):
    """A number of people, as a source gives it: a whole number, or a range [low, high]."""

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> tuple[int, int] | None:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        numbers = []
        for item in items:
            number = _whole(item)
            if number is None:
                r.error(line, f"{what} must be a whole number or a range [low, high], not {describe(node)}",
                        "bad-figure", "write the number as the source gives it (13), or its range ([12, 13])")
                return None
            numbers.append(number)
        if len(numbers) not in (1, 2) or any(n < 0 or n > MAX_COUNT for n in numbers):
            r.error(line, f"{what} must be one number or two (a range), each from 0 to {MAX_COUNT:,}", "bad-figure",
                    "write [low, high] for a range, or the single number")
            return None
        low, high = numbers[0], numbers[-1]
        if low > high:
            r.error(line, f"{what} range [{low}, {high}] is backwards", "bad-figure", f"write [{high}, {low}]")
            return None
        return low, high

    def schema(self) -> dict:
        number = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
        return {"oneOf": [number, {"type": "array", "items": number, "minItems": 1, "maxItems": 2}]}

    def model(self, value: tuple[int, int]) -> Any:
        from .model import Figure
        return Figure(*value)


# A plain 2020, 2020-02 or 2020-02-05 is an int, text or a timestamp to YAML: a date, without asking
# YAML's resolver (its patterns are a tenth of a validation).
PLAIN_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}")
_WRITTEN_LENGTH = {"year": 4, "month": 7, "day": 10}  # of YYYY, YYYY-MM, YYYY-MM-DD


class Date(Kind):

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> dates.PartialDate | None:
        if isinstance(node, yaml.ScalarNode) and (node.tag == PLAIN and PLAIN_DATE.fullmatch(node.value)
                                                  or tag_of(node) in (STR, INT, TIMESTAMP)):
            result = dates.parse_date(node.value)
            if isinstance(result, dates.PartialDate):
                # Read as meant, but the guide's form has two digits? (Not if as long as that form.)
                if (result.hour is not None or len(node.value.strip()) != _WRITTEN_LENGTH[result.precision]) \
                        and (better := dates.padded(node.value)):
                    r.warning(line, f"{what} {node.value.strip()!r} is read as {result.human()}; write it {better!r}",
                              "date-form", "python build_timeline.py fmt writes it so")
                return result
            better = dates.as_written(node.value)
            r.error(line, f"{what}: {result}", "bad-date", f"write {better!r}" if better else "")
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
    limit: int | None = None  # entries at most

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[Any, int]] | None:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.SequenceNode) and not items:
            r.error(line, f"{what} is an empty list", "empty-value")
            return None
        if too_many(r, what, line, len(items), self.limit):
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
        return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1, **_max_items(self.limit)}]}

    def model(self, value: list[tuple[Any, int]]) -> tuple:
        return tuple(item for item, _ in value)


@dataclass(frozen=True)
class Slugs(Kind):
    """Tags and related ids: slugs, one or a list, or nothing at all. `noun` names one in messages."""

    noun: str
    limit: int | None = None

    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[str, int]]:
        if is_null(node):
            return []
        good, seen = [], set()
        for value, item_line in OneOrMore(Text(), self.limit).read(r, what, line, node) or []:
            if long_slug(r, item_line, self.noun, value):
                continue
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
        return {"anyOf": [slug, {"type": "array", "items": slug, "minItems": 1, **_max_items(self.limit)},
                          {"type": "null"}]}

    def model(self, value: list[tuple[str, int]]) -> tuple[str, ...]:
        return tuple(item for item, _ in value)


def slug_schema_pattern(reserved: bool) -> str:
    length = rf"(?=[a-z0-9-]{{1,{MAX_SLUG}}}\s*$)"
    if not reserved:
        return rf"^\s*{length}{SLUG_PATTERN}\s*$"
    words = "|".join(sorted(RESERVED_IDS))
    return rf"^\s*{length}(?!(?:{words})\s*$){SLUG_PATTERN}\s*$"


def _max_items(limit: int | None) -> dict:
    return {} if limit is None else {"maxItems": limit}


def too_many(r: Reading, what: str, line: int, count: int, limit: int | None) -> bool:
    """Whether a list is longer than its field allows (each entry can multiply pages: a tag with a page
    that lists every event with all its tags); reported when it is."""
    if limit is None or count <= limit:
        return False
    r.error(line, f"{what} lists {count:,} entries; the limit is {limit}", "too-many",
            "keep the ones that matter most for this event")
    return True


def long_slug(r: Reading, line: int, noun: str, value: str, code: str = "bad-slug") -> bool:
    """Whether an id is too long to name a page (a file name has at most 255 bytes); reported when it is."""
    if len(value) <= MAX_SLUG:
        return False
    r.error(line, f"{noun} {value[:40]!r}… is {len(value)} characters long; the limit is {MAX_SLUG}", code,
            "shorten it")
    return True


@dataclass(frozen=True)
class Records(Kind):
    """A list of mappings, each read with its own table (the sources of an event)."""

    table: Any  # a fields.Table
    empty: str  # what to do about an empty list
    limit: int | None = None


    def read(self, r: Reading, what: str, line: int, node: yaml.Node) -> list[tuple[dict, dict[str, Entry], int]] | None:
        noun = self.table.name
        keys = [f.key for f in self.table.required]
        if not isinstance(node, yaml.SequenceNode):
            first = " and ".join([f"'- {keys[0]}:'"] + [f"'{key}:'" for key in keys[1:]])
            hint = f"start each {noun} with '- ' on its own line" if isinstance(node, yaml.MappingNode) else \
                f"list the {what}, each with {first} lines"
            r.error(line, f"{what} must be a list of {what}, not {describe(node)}", "wrong-type", hint)
            return None
        if not node.value:
            r.error(line, f"{what} is an empty list: {self.empty}", "empty-value")
            return None
        if too_many(r, what, line, len(node.value), self.limit):
            return None
        records, ok = [], True
        for item in node.value:
            item_line = r.line(item)
            if not isinstance(item, yaml.MappingNode):
                required = " and ".join(f"'{key}:'" for key in keys)
                r.error(item_line, f"each {noun} must have {required} lines, not {describe(item)}", "wrong-type")
                ok = False
                continue
            entries = mapping_entries(r.path, item, r.base, r.problems)
            before = r.errors()
            values = self.table.read(r, entries, item_line)
            if r.errors() > before or None in values.values():
                ok = False
            if ok:
                records.append((values, entries, item_line))
        return records if ok else None

    def schema(self) -> dict:
        return {"type": "array", "minItems": 1, **_max_items(self.limit), "items": self.table.schema()}

    def model(self, value: list[tuple[dict, dict[str, Entry], int]]) -> tuple:
        return tuple(self.table.model(**self.table.model_values(values)) for values, _, _ in value)
