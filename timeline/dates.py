"""The date grammar editors write, once: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z].

`parse_date` reads a YAML scalar's *text*, not what YAML made of it: YAML 1.1 reads `2020` as an
int, `2020-02` as a string and `2020-02-03` as a date, and rejects `2020-02-30` with an exception.
Reading the text gives one rule for every form. `SCHEMA_PATTERN` is the same grammar as one regular
expression for the JSON Schema (editors' tools): its number ranges are generated from the ranges
below, so the two cannot drift apart. Only the calendar (30 February) is beyond a pattern.
"""
from __future__ import annotations

import calendar
import re

from .model import MONTHS, PartialDate

DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]"

# Each part's digits and range. Years stop at 9998: a calendar export ends a span on the day after.
YEARS = (1, 9998)
MONTH_RANGE = (1, 12)
DAY_RANGE = (1, 31)  # and then the month's own length, which only parse_date knows
HOURS = (0, 23)
MINUTES = (0, 59)
MAX_OFFSET_MINUTES = 14 * 60  # UTC-14:00 to UTC+14:00
CLOCK = f"{HOURS[0]:02d}:{MINUTES[0]:02d} to {HOURS[1]:02d}:{MINUTES[1]:02d}"
_OH, _OM = divmod(MAX_OFFSET_MINUTES, 60)
OFFSETS = f"-{_OH:02d}:{_OM:02d} to +{_OH:02d}:{_OM:02d}"

# [0-9], not \d: \d would also take Arabic-Indic and other digits.
_LOOSE = {"year": "[0-9]{4}", "month": "[0-9]{1,2}", "day": "[0-9]{1,2}", "hour": "[0-9]{1,2}",
          "minute": "[0-9]{2}", "second": "[0-9]{2}"}
_SHAPE = r"{year}(?:-{month}(?:-{day}(?:{sep}{hour}:{minute}(?::{second})?(?:{space}{zulu}|{space}{offset})?)?)?)?"
_DATE = re.compile(_SHAPE.format(**{k: f"(?P<{k}>{v})" for k, v in _LOOSE.items()}, sep="[Tt ]", space=r"\s*",
                                 zulu="(?P<zulu>Z)", offset=r"(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2})"))


_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # the form most dates are written in
_MONTH_LENGTHS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_date(text: str) -> PartialDate | str:
    """Return a PartialDate, or a message saying what is wrong with `text`."""
    text = text.strip()
    if day_form := _DAY.fullmatch(text):  # YYYY-MM-DD, plainly in range: no need for the whole grammar
        y, m, d = int(day_form[1]), int(day_form[2]), int(day_form[3])
        if YEARS[0] <= y <= YEARS[1] and MONTH_RANGE[0] <= m <= MONTH_RANGE[1] and 1 <= d <= \
                (29 if m == 2 and calendar.isleap(y) else _MONTH_LENGTHS[m]):
            return PartialDate(y, m, d)
    match = _DATE.fullmatch(text)
    if not match:
        return f"{text!r} is not a date; use {DATE_FORMS}"
    year = int(match["year"])
    if year < YEARS[0]:
        return f"{text!r}: there is no year 0"
    if year > YEARS[1]:
        return f"{text!r}: years go up to {YEARS[1]}"
    month = _int(match["month"])
    if month is not None and not MONTH_RANGE[0] <= month <= MONTH_RANGE[1]:
        return f"{text!r}: month {month} does not exist ({MONTH_RANGE[0]} to {MONTH_RANGE[1]})"
    day = _int(match["day"])
    if month is not None and day is not None:  # (the grammar gives a day only with a month)
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{text!r}: {MONTHS[month]} {year} has {last} days"
    hour, minute, second = _int(match["hour"]), _int(match["minute"]), _int(match["second"])
    if hour is not None and not (HOURS[0] <= hour <= HOURS[1] and MINUTES[0] <= (minute or 0) <= MINUTES[1]
                                 and MINUTES[0] <= (second or 0) <= MINUTES[1]):
        clock = f"{match['hour']}:{match['minute']}" + (f":{match['second']}" if match["second"] else "")
        return f"{text!r}: {clock} is not a time of day ({CLOCK})"
    offset = None
    if match["zulu"]:
        offset = 0
    elif match["sign"]:
        oh, om = int(match["oh"]), int(match["om"])
        if om > MINUTES[1] or oh * 60 + om > MAX_OFFSET_MINUTES:
            return f"{text!r}: UTC offset {match['sign']}{match['oh']}:{match['om']} is out of range ({OFFSETS})"
        offset = (oh * 60 + om) * (-1 if match["sign"] == "-" else 1)
    return PartialDate(year, month, day, hour, minute, second, offset)


# "8 Feb 2020", "February 8, 2020", "Feb. 2020": dates as articles write them, in English.
_MONTH_NAMES = {name.lower()[:3]: number for number, name in enumerate(MONTHS) if name}
_WRITTEN = [re.compile(r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>[0-9]{4})"),
            re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>[0-9]{4})"),
            re.compile(r"(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>[0-9]{4})")]


def as_written(text: str) -> str | None:
    """The form to write a date typed as an article writes it ("8 Feb 2020" → "2020-02-08"), if it
    is one and exists; None otherwise."""
    for pattern in _WRITTEN:
        match = pattern.fullmatch(text.strip())
        month = _MONTH_NAMES.get(match["month"].lower()[:3]) if match else None
        if match and month and (len(match["month"]) == 3 or MONTHS[month].lower().startswith(match["month"].lower())):
            day = match.groupdict().get("day")
            better = f"{match['year']}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            return better if isinstance(parse_date(better), PartialDate) else None
    return None


def padded(text: str) -> str | None:
    """`2020-2-3` → `2020-02-03`: the text with each one-digit month, day and hour given its zero,
    and nothing else changed; None when there is no such part (or the text is not a date)."""
    match = _DATE.fullmatch(text.strip())
    short = [match.span(part) for part in ("month", "day", "hour") if match and len(match[part] or "") == 1] \
        if match else []
    if not short:
        return None
    out, last, stripped = [], 0, text.strip()
    for start, _ in short:
        out.append(stripped[last:start] + "0")
        last = start
    return "".join(out) + stripped[last:]


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


# ---------------------------------------------------------------- the same grammar as one pattern

def number_pattern(low: int, high: int, widths: tuple[int, ...]) -> str:
    """A regex matching exactly the numbers low..high written with any of `widths` digits,
    zero-padded: number_pattern(1, 12, (1, 2)) matches 1, 01, 9, 12 but not 0, 00, 13."""
    options = []
    for width in widths:
        top = min(high, 10 ** width - 1)
        if low <= top:
            options.append(_padded(f"{low:0{width}d}", f"{top:0{width}d}"))
    return "(?:" + "|".join(options) + ")"


def _padded(low: str, high: str) -> str:
    """Strings of len(low) digits from low to high (both of that length)."""
    if not low:
        return ""
    rest = len(low) - 1
    if low[0] == high[0]:
        return low[0] + _padded(low[1:], high[1:])
    if low[1:] == "0" * rest and high[1:] == "9" * rest:
        return _digit(int(low[0]), int(high[0])) + "[0-9]" * rest
    parts = [low[0] + _padded(low[1:], "9" * rest)]
    if int(low[0]) + 1 <= int(high[0]) - 1:
        parts.append(_digit(int(low[0]) + 1, int(high[0]) - 1) + "[0-9]" * rest)
    parts.append(high[0] + _padded("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


def _digit(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def _offset_pattern() -> str:
    hours, minutes = divmod(MAX_OFFSET_MINUTES, 60)
    below = number_pattern(0, hours - 1, (2,)) + ":?" + number_pattern(*MINUTES, (2,))
    return f"[+-](?:{below}|{hours:02d}:?{number_pattern(0, minutes, (2,))})"


def _offset_canonical() -> str:
    hours, minutes = divmod(MAX_OFFSET_MINUTES, 60)
    below = number_pattern(0, hours - 1, (2,)) + ":" + number_pattern(*MINUTES, (2,))
    return f"[+-](?:{below}|{hours:02d}:{number_pattern(0, minutes, (2,))})"


# A date as PartialDate.iso() writes it (the exports): two digits each, a colon in the offset, no Z.
CANONICAL_PATTERN = "^" + _SHAPE.format(
    year=number_pattern(*YEARS, (4,)), month=number_pattern(*MONTH_RANGE, (2,)),
    day=number_pattern(*DAY_RANGE, (2,)), hour=number_pattern(*HOURS, (2,)),
    minute=number_pattern(*MINUTES, (2,)), second=number_pattern(*MINUTES, (2,)),
    sep="T", space="", zulu="(?!)", offset=_offset_canonical()) + "$"

# The pattern of a date written as text, for the JSON Schema. A YAML 1.2 tool reads `date: 2020`
# as a number: fields.Date's schema gives the integer form the same year range.
SCHEMA_PATTERN = r"^\s*" + _SHAPE.format(
    year=number_pattern(*YEARS, (4,)), month=number_pattern(*MONTH_RANGE, (1, 2)),
    day=number_pattern(*DAY_RANGE, (1, 2)), hour=number_pattern(*HOURS, (1, 2)),
    minute=number_pattern(*MINUTES, (2,)), second=number_pattern(*MINUTES, (2,)),
    sep="[Tt ]", space=r"\s*", zulu="Z", offset=_offset_pattern()) + r"\s*$"
