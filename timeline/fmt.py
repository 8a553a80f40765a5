"""`fmt`: put an event file's front matter into the canonical key order (the field table's), and
write dates with their zeros (2020-2-3 → 2020-02-03).

It reorders the front matter as text, key block by key block: a comment line travels with the key
below it, an end-of-line comment with its own line, and quoting and flow lists stay exactly as
typed, so a diff shows only moved lines. That is why it does not rewrite the file through
python-frontmatter as `new` and `import` do (writer.py): a YAML dump would drop the editor's
comments (where the quotes resolving a relative date live) and requote every value. The data is
parsed before and after; if it would differ, the file is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import dates
from .diagnostics import Diagnostic
from .fields import EVENTS, SOURCES
from .load import Loader, compose, decode
from .project import read_file

EVENT_ORDER = EVENTS.keys()
SOURCE_ORDER = SOURCES.keys()
_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:(\s|$)")
_ITEM = re.compile(r"(\s*)-(\s+)(?=\S)")


def _blocks(lines: list[str], indent: int) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    """Split lines into (head, [(key, lines)], tail) at keys starting exactly at column `indent`.
    Comment and blank lines belong to the key after them."""
    head: list[str] = []
    blocks: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        column = len(line) - len(line.lstrip(" "))
        match = _KEY.match(line, indent) if column == indent and not stripped.startswith("#") else None
        if match:
            blocks.append((match.group(1), pending + [line]))
            pending = []
        elif not stripped or stripped.startswith("#"):
            pending.append(line)
        elif blocks:
            blocks[-1][1].extend(pending + [line])
            pending = []
        else:
            head.extend(pending + [line])
            pending = []
    return head, blocks, pending


def _ordered(blocks: list[tuple[str, list[str]]], order: list[str]) -> list[str]:
    rank = {key: i for i, key in enumerate(order)}
    ranked = sorted(enumerate(blocks), key=lambda ib: (rank.get(ib[1][0], len(order)), ib[0]))
    return [line for _, (_, lines) in ranked for line in lines]


def _reorder_sources(lines: list[str]) -> list[str]:
    """Within `sources:`, put each item's keys in the documented order."""
    out: list[str] = []
    items: list[list[str]] = []
    before: list[str] = []
    for line in lines:
        if _ITEM.match(line):
            items.append([line])
        elif items:
            items[-1].append(line)
        else:
            before.append(line)
    out.extend(before)
    for item in items:
        match = _ITEM.match(item[0])
        if match is None:  # (items start with one)
            out.extend(item)
            continue
        prefix = match.group(0)
        column = len(prefix)
        first = " " * column + item[0][column:]
        head, blocks, tail = _blocks([first] + item[1:], column)
        if head or not blocks or "{" in item[0]:
            out.extend(item)  # an unusual layout (flow mapping, text before the first key): keep it
            continue
        body = _ordered(blocks, SOURCE_ORDER) + tail
        index = next(i for i, line in enumerate(body) if line.strip() and not line.strip().startswith("#"))
        body[index] = prefix + body[index][column:]
        out.extend(body)
    return out


def _plain(text: str) -> object:
    return yaml.load(text, Loader=Loader)


# A `date`, `end` or `published` line, its value quoted or not, with any end-of-line comment.
_DATE_LINE = re.compile(r"""(?P<lead>\s*(?:-\s+)?(?:date|end|published)\s*:\s+)(?P<q>['"]?)"""
                        r"""(?P<value>[0-9][0-9:+\-Tt ]*?)(?P=q)(?P<rest>\s+#.*|\s*)""")


def _pad_dates(lines: list[str]) -> list[str]:
    """2020-2-3 → 2020-02-03, in place on its line (quotes and comment kept)."""
    out = []
    for line in lines:
        match = _DATE_LINE.fullmatch(line)
        better = dates.padded(match["value"]) if match else None
        out.append(f"{match['lead']}{match['q']}{better}{match['q']}{match['rest']}" if match and better else line)
    return out


def _dates_read(data: object) -> list:
    """What every date key of the front matter means (YAML makes a date of 2020-02-03 but text of
    2020-2-3: the text is what validate reads)."""
    if not isinstance(data, dict):
        return []
    sources = data.get("sources")
    values = [data.get("date"), data.get("end")] + [s.get("published") for s in
                                                     (sources if isinstance(sources, list) else []) if isinstance(s, dict)]
    read = [dates.parse_date(str(value)) for value in values]
    return [value.iso() if isinstance(value, dates.PartialDate) else value for value in read]


def _same_apart_from_dates(a: object, b: object) -> bool:
    def without(data: object) -> object:
        if not isinstance(data, dict):
            return data
        sources = data.get("sources")
        return {**{k: v for k, v in data.items() if k not in ("date", "end")},
                "sources": [{k: v for k, v in s.items() if k != "published"} if isinstance(s, dict) else s
                            for s in sources] if isinstance(sources, list) else sources}
    return without(a) == without(b) and _dates_read(a) == _dates_read(b)


@dataclass(frozen=True)
class Formatted:
    text: str | None  # None: the file could not be formatted (see reason)
    reason: str = ""


def format_event(raw: bytes) -> Formatted:
    """Canonical form of an event file: UTF-8 without BOM, LF line ends, no trailing spaces, keys in
    the documented order (title, date, end, place, sources, tags, related, dispute, then any others;
    each source's title, publisher, url, published, claim), one newline at the end."""
    text, problems = decode("", raw)
    if text is None:
        return Formatted(None, problems[0].message)
    lines = [line.rstrip() for line in text.split("\n")]
    if not lines or lines[0] != "---":
        return Formatted(None, "no front matter")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i] in ("---", "..."))
    except StopIteration:
        return Formatted(None, "front matter is never closed")
    front = lines[1:close]
    _, problems = compose("", "\n".join(front), 2)  # the loader's own guards: depth, aliases, tags
    if problems:
        return Formatted(None, problems[0].message)
    try:
        before = _plain("\n".join(front))
    except Exception as exc:  # noqa: BLE001 — an impossible date raises ValueError: leave the file to validate
        return Formatted(None, f"YAML cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    if not isinstance(before, dict):
        return Formatted(None, "front matter is not 'key: value' lines")
    padded = _pad_dates(front)
    if padded != front:
        try:
            after = _plain("\n".join(padded))
        except Exception:  # noqa: BLE001 — a padded date YAML cannot make (such as 2020-2-30): leave it to validate
            after = None
        if after is not None and _same_apart_from_dates(before, after):
            front, before = padded, after
    head, blocks, tail = _blocks(front, 0)
    blocks = [(key, _reorder_sources(block) if key == "sources" else block) for key, block in blocks]
    result = head + _ordered(blocks, EVENT_ORDER) + tail
    if _plain("\n".join(result)) != before:
        result = front  # never change what the file says; leave the order as it was
    body = "\n".join(text.split("\n")[close + 1:]).rstrip()
    return Formatted("---\n" + "".join(line + "\n" for line in result) + "---\n" + (body + "\n" if body else ""))


def format_files(root: Path, files: list[Path], check: bool) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Format (or, with check, only inspect) a project's files, read as project.read_file reads them
    (regular files inside the project only). Returns (changed or would change, skipped with reason)."""
    changed, skipped = [], []
    for file in files:
        raw = read_file(root, file, file.name)
        if isinstance(raw, Diagnostic):
            skipped.append((file, raw.message))
            continue
        result = format_event(raw)
        if result.text is None:
            skipped.append((file, result.reason))
            continue
        new = result.text.encode("utf-8")
        if new != raw:
            changed.append(file)
            if not check:
                temp = file.with_name(f".{file.name}.fmt-tmp")
                temp.write_bytes(new)
                temp.replace(file)  # atomic: an interrupted fmt never leaves half a file
    return changed, skipped
