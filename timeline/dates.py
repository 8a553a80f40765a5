"""Parse the date forms editors write: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z].

We parse the YAML scalar's *text*, not what YAML made of it: YAML 1.1 reads `2020`
as an int, `2020-02` as a string and `2020-02-03` as a date, and rejects
`2020-02-30` with an exception. Reading the text gives one rule for every form.
"""
from __future__ import annotations

import calendar
import re

from .model import MONTHS, PartialDate

DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]"

_DATE = re.compile(  # [0-9], not \d: \d would also take Arabic-Indic and other digits
    r"(?P<year>[0-9]{4})"
    r"(?:-(?P<month>[0-9]{1,2})"
    r"(?:-(?P<day>[0-9]{1,2})"
    r"(?:[Tt ](?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?:\s*(?P<zulu>Z)|\s*(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2}))?"
    r")?)?)?"
)


def parse_date(text: str) -> PartialDate | str:
    """Return a PartialDate, or a message saying what is wrong with `text`."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    if not match:
        return f"{text!r} is not a date; use {DATE_FORMS}"
    year = int(match["year"])
    if year == 0:
        return f"{text!r}: there is no year 0"
    if year > 9998:  # the day after its end must still be a date (calendars end spans the day after)
        return f"{text!r}: years go up to 9998"
    month = _int(match["month"])
    if month is not None and not 1 <= month <= 12:
        return f"{text!r}: month {month} does not exist (1 to 12)"
    day = _int(match["day"])
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{text!r}: {MONTHS[month]} {year} has {last} days"
    hour, minute, second = _int(match["hour"]), _int(match["minute"]), _int(match["second"])
    if hour is not None and not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= (second or 0) <= 59):
        clock = f"{match['hour']}:{match['minute']}" + (f":{match['second']}" if match["second"] else "")
        return f"{text!r}: {clock} is not a time of day (00:00 to 23:59)"
    offset = None
    if match["zulu"]:
        offset = 0
    elif match["sign"]:
        oh, om = int(match["oh"]), int(match["om"])
        if om > 59 or oh * 60 + om > 14 * 60:
            return f"{text!r}: UTC offset {match['sign']}{match['oh']}:{match['om']} is out of range (-14:00 to +14:00)"
        offset = (oh * 60 + om) * (-1 if match["sign"] == "-" else 1)
    return PartialDate(year, month, day, hour, minute, second, offset)


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)
