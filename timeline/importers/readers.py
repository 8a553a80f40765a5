"""Reading what TimelineJS users have: its JSON, or its Google Sheets template saved as CSV, into
slides of one shape, each with the line it starts on (for the import's diagnostics); and the
dates those formats write, into PartialDates."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..dates import CLOCK, HOURS, MINUTES, YEARS, parse_date
from ..exports.timelinejs import EXTENSION_KEY
from ..model import MONTHS, PartialDate
from .html2md import html_to_text

# The TimelineJS Google Sheets template, column by column (headers matched trimmed, in any case).
SHEET_COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                 "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
                 "Background")
SHEET_REQUIRED = ("Year", "Headline")


@dataclass
class Slide:
    """One item of the input, in TimelineJS JSON's shape whatever the input format."""

    label: str  # "slide 3 'Headline'", "row 5 'Headline'"
    data: dict
    kind: str = "event"  # event | title | era
    line: int = 1  # where it starts in the input file


class Unreadable(ValueError):
    """The input is neither TimelineJS JSON nor its sheet as CSV. str(): 'file: reason'."""

    def __init__(self, name: str, reason: str, line: int = 1):
        super().__init__(f"{name}: {reason}")
        self.reason, self.line = reason, line


def label_of(prefix: str, data: dict) -> str:
    text = data.get("text")
    headline = html_to_text(as_text(text.get("headline"))) if isinstance(text, dict) else ""
    if not headline and isinstance(data.get(EXTENSION_KEY), dict):
        headline = " ".join(as_text(data[EXTENSION_KEY].get("title")).split())
    if len(headline) > 60:
        headline = headline[:57].rstrip() + "…"
    return f"{prefix} {headline!r}" if headline else prefix


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _read_json(name: str, text: str) -> tuple[list[Slide], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise Unreadable(name, "not a TimelineJS timeline: expected a JSON object with an \"events\" list "
                         "(https://timeline.knightlab.com/docs/json-format.html)")
    eras = data.get("eras") or []
    if not isinstance(eras, list):
        raise Unreadable(name, "not a TimelineJS timeline: \"eras\" must be a list")
    lines = json_lines(text)
    slides: list[Slide] = []
    title = data.get("title")
    if isinstance(title, dict):
        slides.append(Slide(label_of("title slide", title), title, "title", lines.get("title", [1])[0]))
    for number, item in enumerate(data["events"], 1):
        slides.append(Slide(label_of(f"slide {number}", item) if isinstance(item, dict) else f"slide {number}",
                            item if isinstance(item, dict) else {"_bad": item}, "event",
                            _nth(lines.get("events"), number)))
    for number, item in enumerate(eras, 1):
        if isinstance(item, dict):
            slides.append(Slide(label_of(f"era {number}", item), item, "era", _nth(lines.get("eras"), number)))
    title_text = html_to_text(as_text((title or {}).get("text", {}).get("headline"))) \
        if isinstance(title, dict) and isinstance(title.get("text"), dict) else ""
    return slides, title_text


def _header_key(header: str) -> str:
    return " ".join(header.split()).casefold()


def _csv_rows(name: str, text: str) -> list[tuple[int, int, list[str]]]:
    """(row number, line it starts on, cells) of every row with text; tabs or commas, as the first line has."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, int, list[str]]] = []
    start = 1
    try:
        for number, row in enumerate(reader, 1):
            if any(cell.strip() for cell in row):
                rows.append((number, start, row))
            start = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as exc:
        raise Unreadable(name, f"not a readable CSV file: {exc}", reader.line_num) from None
    if not rows:
        raise Unreadable(name, "the file is empty")
    return rows


def _sheet_slide(cell: Callable[[str], str]) -> dict:
    """One row of the Google Sheets template as a TimelineJS slide; `cell(column)` reads the row."""
    slide: dict = {}
    for key, prefix in (("start_date", ""), ("end_date", "End ")):
        parts = {"year": cell(prefix + "Year"), "month": cell(prefix + "Month"), "day": cell(prefix + "Day"),
                 "time": cell(prefix + "Time")}
        if any(parts.values()):
            slide[key] = parts
    slide["text"] = {"headline": cell("Headline"), "text": cell("Text")}
    media = {k: cell(c) for k, c in (("url", "Media"), ("credit", "Media Credit"), ("caption", "Media Caption"),
                                     ("thumbnail", "Media Thumbnail"))}
    if any(media.values()):
        slide["media"] = media
    for key, column in (("group", "Group"), ("display_date", "Display Date")):
        if cell(column):
            slide[key] = cell(column)
    if background := cell("Background"):
        slide["background"] = {"color": background} if background.startswith("#") else {"url": background}
    return slide


def _read_csv(name: str, text: str) -> tuple[list[Slide], str]:
    numbered = _csv_rows(name, text)
    _, header_line, header = numbered[0]
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        columns.setdefault(_header_key(heading), index)
    missing = [c for c in SHEET_REQUIRED if _header_key(c) not in columns]
    if missing:
        raise Unreadable(name, "neither TimelineJS JSON nor a TimelineJS Google Sheets CSV: no "
                         f"{' or '.join(repr(c) for c in missing)} column in the header (line {header_line}); "
                         f"the template's columns are {', '.join(SHEET_COLUMNS)}", header_line)
    slides: list[Slide] = []
    title_text = ""
    for number, line, row in numbered[1:]:
        def cell(column: str, row: list[str] = row) -> str:
            index = columns.get(_header_key(column))
            return row[index].strip() if index is not None and index < len(row) else ""

        slide = _sheet_slide(cell)
        kind = cell("Type").casefold()
        kind = kind if kind in ("title", "era") else "event"
        slides.append(Slide(label_of(f"row {number}", slide), slide, kind, line))
        if kind == "title" and not title_text:
            title_text = html_to_text(cell("Headline"))
    return slides, title_text


def read_input(source: Path) -> tuple[list[Slide], str]:
    """The slides of a TimelineJS JSON file or Google Sheets CSV, and its title; Unreadable if neither."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable(source.name, "not UTF-8 text; save it as UTF-8 (JSON or CSV)", line) from None
    if not text.strip():
        raise Unreadable(source.name, "the file is empty")
    if text.lstrip()[0] in "{[":
        return _read_json(source.name, text)
    return _read_csv(source.name, text.replace("\r\n", "\n").replace("\r", "\n"))


def _nth(lines: list[int] | None, number: int) -> int:
    return lines[number - 1] if lines and number <= len(lines) else 1


def json_lines(text: str) -> dict[str, list[int]]:
    """The line where `title`, and each item of `events` and `eras`, start in a TimelineJS JSON text
    (the json module gives no positions). Walks the top level only, with the decoder's raw_decode;
    called on text json.loads has read, and {} if the walk is surprised all the same."""
    decoder, blank = json.JSONDecoder(), re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:  # past any whitespace
        match = blank.match(text, pos)
        return match.end() if match else pos

    found: dict[str, list[int]] = {}
    line, counted = 1, 0

    def line_at(pos: int) -> int:
        nonlocal line, counted
        line, counted = line + text.count("\n", counted, pos), pos
        return line

    try:
        pos = skip(0) + 1  # after "{"
        while True:
            pos = skip(pos)
            if text[pos] == "}":
                return found
            key, pos = decoder.raw_decode(text, pos)
            pos = skip(skip(pos) + 1)  # past ":"
            if key in ("events", "eras") and text[pos] == "[":
                found[key] = []
                pos = skip(pos + 1)
                while text[pos] != "]":
                    found[key].append(line_at(pos))
                    _, pos = decoder.raw_decode(text, pos)
                    pos = skip(pos)
                    pos = skip(pos + 1) if text[pos] == "," else pos
                pos += 1
            else:
                if key == "title":
                    found["title"] = [line_at(pos)]
                _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            pos = pos + 1 if text[pos] == "," else pos
    except (IndexError, ValueError):
        return {}


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
    if hour > HOURS[1] or minute > MINUTES[1] or second > MINUTES[1]:
        raise ValueError(f"time {text!r} is not a time of day ({CLOCK})")
    return hour, minute, second


def tjs_to_date(value: object, what: str) -> PartialDate:
    """A TimelineJS date object (or a sheet's Year/Month/Day/Time) at its precision; ValueError saying why not."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not a date object")
    year = _number(value.get("year"), f"{what} year")
    month = _number(value.get("month"), f"{what} month")
    day = _number(value.get("day"), f"{what} day")
    hour = _number(value.get("hour"), f"{what} hour")
    minute = _number(value.get("minute"), f"{what} minute")
    second = _number(value.get("second"), f"{what} second")
    if as_text(value.get("time")).strip():
        try:
            hour, minute, second = _parse_time(as_text(value["time"]))
        except ValueError as exc:
            raise ValueError(f"{what}: {exc}") from None
    if year is None:
        raise ValueError(f"{what} has no year")
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"{what} year {year} cannot be written in an event file (years {YEARS[0]} to {YEARS[1]} only)")
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


def iso_to_date(value: object, what: str) -> PartialDate:
    result = parse_date(value) if isinstance(value, str) else f"{value!r} is not a date"
    if isinstance(result, str):
        raise ValueError(f"{what}: {result}")
    return result
