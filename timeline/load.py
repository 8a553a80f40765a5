"""Read event files and places.yml into YAML nodes that remember their line numbers.

Nothing here judges the *content*; it only turns bytes into a mapping of
key → (line, node), reporting every problem with the file itself (encoding,
front-matter fences, YAML syntax, aliases, tags, duplicate keys) as diagnostics.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from .diagnostics import Diagnostic, error

MAX_FILE_BYTES = 1_000_000  # an event is a page of text; anything larger is a mistake or an attack
MAX_NESTING = 32  # event front matter is at most three levels deep; libyaml crashes on ~100,000
# Block nesting needs no bracket ("- - - - x" nests one level per 2 characters, and libyaml's composer
# overflows the C stack at ~30,000 levels): any text longer than this gets the flat depth scan first.
MAX_UNSCANNED_CHARS = 4000
# Characters YAML reads as line breaks but editors, git and our line numbers do not.
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")

# Tags that plain YAML data may carry. Anything else (!!python/object, !!binary, custom tags)
# is refused rather than constructed.
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}

# A plain (unquoted) scalar that does not start with a letter gets its YAML type only when a check asks
# for it (tag_of): PyYAML's resolver on every scalar while composing, keys included, costs a third of
# libyaml's whole compose time.
PLAIN = "tag:timeline,2025:plain"
try:
    from yaml import CSafeLoader as Loader  # libyaml: keeps the marks, about 12 times faster
except ImportError:  # a PyYAML built without libyaml: slower, same results
    from yaml import SafeLoader as Loader  # type: ignore[assignment]
_RESOLVER = yaml.resolver.Resolver()
_NOT_TEXT_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
PLAIN_TAGS.add(PLAIN)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Loader(Loader):
    def resolve(self, kind, value, implicit):
        """The tag of a node written without one (libyaml asks for each). YAML 1.1 reads a plain
        scalar that starts with a letter as text unless it is one of a few words (yes, off, null…):
        no resolver of another type starts with a letter. So most keys and values are text here;
        other plain scalars wait for tag_of. There are no path resolvers: everything else gets
        YAML's default tag."""
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted
            if value[:1].isalpha() and (len(value) > 5 or value.lower() not in _NOT_TEXT_WORDS):
                return _STR  # a key, a title, a name
            return PLAIN
        return _SEQ if kind is yaml.SequenceNode else _MAP


def tag_of(node: yaml.Node) -> str:
    """The node's YAML tag, resolving a plain scalar the way YAML 1.1 would (once, then kept); the
    text that starts with a letter was typed while composing (_Loader.resolve)."""
    if node.tag == PLAIN:
        node.tag = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False))
    return node.tag


class Entry(NamedTuple):
    """One `key: value` of a mapping, with the file line of the key. (A tuple: every key of every
    file makes one, and a frozen dataclass is several times slower to make.)"""

    key: str
    line: int
    node: yaml.Node


@dataclass
class Document:
    """An event file split into front matter entries and body."""

    path: str  # relative to the project root, with forward slashes
    entries: dict[str, Entry] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[Diagnostic] = field(default_factory=list)
    ok: bool = False  # the front matter was read as a mapping


def too_large(path: str, size: int) -> Diagnostic:
    return error(path, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", "file-too-large",
                 "split it, or move long material out of the timeline")


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode a file as UTF-8 (a BOM is fine), with CRLF and CR turned into LF."""
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(path, len(data))]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(path, 1, "file is UTF-16; save it as UTF-8", "not-utf8",
                            "in your editor choose 'Save with encoding: UTF-8'")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [error(path, line, f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                            "not-utf8", "save the file as UTF-8")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(path, line, "file contains a NUL byte: it looks like a binary file, not Markdown", "binary-file")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(doc: Document, text: str) -> str | None:
    """Return the front matter's YAML text and fill in the body; None if there is none."""
    if not text.strip():
        doc.problems.append(error(doc.path, 1, "file is empty", "empty-file",
                                  "start it with '---', the front matter, '---', then the text"))
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        doc.problems.append(error(doc.path, 1, "file does not start with '---': the front matter is missing",
                                  "no-front-matter", "the first line must be exactly '---'"))
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            doc.body = "\n".join(lines[index + 1:])
            doc.body_line = index + 2
            return "\n".join(lines[1:index])
    doc.problems.append(error(doc.path, 1, "front matter is never closed: no second '---' line", "unclosed-front-matter",
                              "add a line '---' after the last key"))
    return None


def compose(path: str, text: str, first_line: int) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """Compose YAML text into a node tree without constructing any object.

    `first_line` is the file line of the text's first line. Refuses what plain data
    never needs: aliases (the "billion laughs"), deep nesting, and non-standard tags.
    """
    problems: list[Diagnostic] = []
    breaks = [text.index(char) for char in _YAML_ONLY_BREAKS if char in text]
    if breaks:  # YAML would count it as a new line and every later line number would be off
        at = min(breaks)
        return None, [error(path, first_line + text.count("\n", 0, at),
                            f"YAML syntax: {describe_char(text[at])} is a line break to YAML but not to editors",
                            "yaml-syntax", "delete it, or replace it with a space")]
    try:
        # A second, flat pass over the parser's events only when the text could hold a problem
        # that composing would hide (an alias) or crash on (deep nesting).
        if "&" in text or text.count("[") + text.count("{") > MAX_NESTING or len(text) > MAX_UNSCANNED_CHARS:
            problem = _scan_events(path, text, first_line)
            if problem:
                return None, [problem]
        node = _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(path, text, first_line, exc)]
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; its position is in UTF-8 bytes for libyaml
        before = text[:exc.position] if Loader is yaml.SafeLoader else \
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return None, [error(path, first_line + before.count("\n"), f"YAML syntax: {exc.reason}: {describe_char(char)}",
                            "yaml-syntax", "delete the invisible character")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [error(path, first_line, f"YAML could not be read: {exc}", "yaml-syntax")]
    if node is not None and ("!" in text or "&" in text):  # only an explicit tag or an anchor can break the rules
        _check_plain(path, node, first_line, problems)
    return node, problems


def _scan_events(path: str, text: str, first_line: int) -> Diagnostic | None:
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent):
            return error(path, first_line + _line(event.start_mark),
                         "YAML aliases (*name) are not allowed: write the value out", "yaml-alias")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                return error(path, first_line + _line(event.start_mark),
                             f"YAML is nested more than {MAX_NESTING} levels deep", "yaml-too-deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _line(mark) -> int:
    return mark.line if mark is not None else 0


def _check_plain(path: str, root: yaml.Node, first_line: int, problems: list[Diagnostic]) -> None:
    """Flag aliases and exotic tags. Each node is visited once, so an alias bomb costs nothing."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        line = first_line + node.start_mark.line
        if id(node) in seen:
            problems.append(error(path, line, "YAML aliases (*name) are not allowed: write the value out",
                                  "yaml-alias"))
            continue
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            problems.append(error(path, line, f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed: "
                                  "only plain text, numbers, dates, lists and mappings", "yaml-tag",
                                  "remove the tag (the word starting with '!')"))
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _syntax_error(path: str, text: str, first_line: int, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """YAML's own message, unless the cause is one an editor makes and YAML words badly: a tab in an
    indent (libyaml does not name the character) or an unclosed quote (YAML reads on and gives up
    lines later, far from the quote)."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    lines = text.split("\n")[:at + 1]
    for number, line in enumerate(lines):
        if "\t" in line[:len(line) - len(line.lstrip(" \t"))]:
            return error(path, first_line + number, "YAML syntax: this line is indented with a tab, and YAML "
                         "accepts only spaces", "yaml-syntax", "replace the tab at the start of the line with spaces "
                         "(two for each level)")
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        opened: int | None = exc.context_mark.line
    else:
        opened = _unclosed_quote(lines)
    if opened is not None and opened < len(lines):
        quote = _QUOTED_VALUE.match(lines[opened])
        q = quote["quote"] if quote else '"'
        inside = '\\"' if q == '"' else "''"
        return error(path, first_line + opened, f"YAML syntax: the quote ({q}) that opens this value is not closed "
                     "on its line, so YAML read on into the lines below", "yaml-syntax",
                     f"end the value with {q} on the same line; a {q} inside the value is written {inside}")
    message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    return error(path, first_line + at, f"YAML syntax: {message}", "yaml-syntax", _yaml_hint(message))


# A value (after `key: ` or `- `) that starts with a quote.
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s'"#-][^:#]*:\s+)?(?P<quote>["'])(?P<rest>.*)$""")


def _unclosed_quote(lines: list[str]) -> int | None:
    """The last line whose value opens a quote it does not close on the same line."""
    for number in range(len(lines) - 1, -1, -1):
        match = _QUOTED_VALUE.match(lines[number])
        if match:
            rest = match["rest"].replace("\\\\", "").replace('\\"', "") if match["quote"] == '"' \
                else match["rest"].replace("''", "")
            if match["quote"] not in rest:
                return number
    return None


def _yaml_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be put in quotes"
    if "found character '\\t'" in message:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in message:
        return "each line must be 'key: value'; a line may be missing its ':'"
    return ""


def mapping_entries(path: str, node: yaml.MappingNode, first_line: int,
                    problems: list[Diagnostic]) -> dict[str, Entry]:
    """The mapping's entries by key; duplicate and non-text keys are reported, the first one wins."""
    entries: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode) or tag_of(key_node) != "tag:yaml.org,2002:str":
            problems.append(error(path, line, "keys must be plain words such as 'title'", "bad-key"))
            continue
        key = key_node.value
        if key in entries:
            problems.append(error(path, line, f"duplicate key {key!r} (first given on line {entries[key].line})",
                                  "duplicate-key", "delete one of the two"))
            continue
        entries[key] = Entry(key, line, value_node)
    return entries


def parse_event(path: str, data: bytes) -> Document:
    """An event file's bytes → Document; `path` only names it in messages."""
    doc = Document(path)
    text, problems = decode(doc.path, data)
    doc.problems.extend(problems)
    if text is None:
        return doc
    yaml_text = split_front_matter(doc, text)
    if yaml_text is None:
        return doc
    node, problems = compose(doc.path, yaml_text, 2)
    doc.problems.extend(problems)
    if problems:
        return doc
    if node is None:
        doc.problems.append(error(doc.path, 1, "front matter is empty", "empty-front-matter",
                                  "add at least title, date, place and sources"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        doc.problems.append(error(doc.path, 2 + node.start_mark.line,
                                  f"front matter must be 'key: value' lines, not {kind}", "front-matter-not-mapping"))
        return doc
    doc.entries = mapping_entries(doc.path, node, 2, doc.problems)
    doc.ok = True
    return doc


def parse_yaml(path: str, data: bytes) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """A whole YAML file (places.yml, periods.yml) → its node tree."""
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    return compose(path, text, 1)


def relative(root: Path, file: Path) -> str:
    try:
        return printable(file.relative_to(root).as_posix())
    except ValueError:
        return printable(file.as_posix())


def printable(path: str) -> str:
    """A path as diagnostics name it. A file name that is not UTF-8 (lone surrogates here) or holds a
    control character (a newline, an escape) gets U+FFFD instead: printing it must not crash the report
    (UnicodeEncodeError), split its line in two, or send escape sequences to the terminal."""
    return path if path.isascii() and path.isprintable() else _UNPRINTABLE.sub("\ufffd", path)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class SourceFile:
    """A file the timeline is made of: its name in messages and its bytes. A file the build cache
    knows unchanged (same size, times and inode) comes with its digest and is read only if asked."""

    path: str  # relative to the project root, with forward slashes
    data: bytes
    digest: bytes = b""  # of `data`, when already known
    # How to read it when `data` was not read beforehand; a Diagnostic: why it cannot be read.
    reread: Callable[[], bytes | Diagnostic] | None = field(default=None, compare=False, repr=False)

    def contents(self) -> bytes | Diagnostic:
        return self.reread() if self.reread is not None and not self.data else self.data


@dataclass(frozen=True)
class Inputs:
    """Everything a timeline is made of, read from a project folder by load_project, or put
    together in memory (`new` and `import` check planned files this way before writing them)."""

    events: tuple[SourceFile, ...]
    places: SourceFile | None = None
    periods: SourceFile | None = None
    problems: tuple[Diagnostic, ...] = ()  # what reading the folder found (links, unreadable files)
    today: dt.date | None = None  # what "in the future" is measured from; None: not checked
    archives: str = ""  # mkdocs.yml's `archives:` ("", "warn" or "require"): sources without an archived copy
    publishers: SourceFile | None = None  # publishers.yml, when the project has one

    def with_events(self, extra: list[SourceFile]) -> Inputs:
        return Inputs(tuple(sorted((*self.events, *extra), key=lambda f: f.path)), self.places, self.periods,
                      self.problems, self.today, self.archives, self.publishers)


def describe_char(char: str) -> str:
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"
