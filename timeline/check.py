"""Turn the project's files into a Timeline and diagnostics, reporting every problem at once.

Pure: `check(inputs)` takes the files' bytes (load.load_project reads them) and returns plain
data. Each file is read through the field tables (fields.py); the checks across files (unique
ids, related events, publisher spellings) come after. An event with any error is left out of
the Timeline. Whoever checks repeatedly (serve, a warm validate) passes a CheckCache it keeps.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

import yaml

from . import load
from .body import check_body
from .claims import Registry, check_status
from .diagnostics import Diagnostic, error, sorted_unique, warning
from .fields import EVENTS, PERIODS, PLACES, PUBLISHERS
from .kinds import RESERVED_IDS, SLUG, STR, Reading, describe, long_slug
from .load import Entry, Inputs, SourceFile, describe_char, mapping_entries, tag_of
from .model import Event, PartialDate, Period, Place, Publisher, Timeline, slugify
from .names import Names, closest, fold
from .parallel import map_in_two, no_collection
from .project import load_project
from .urls import publisher_slug

# ---------------------------------------------------------------- places.yml


@dataclass(frozen=True)
class Registered:
    """One entry of a registry file (places.yml, publishers.yml) whose id and fields could be read."""

    id: str
    line: int
    fields: dict[str, Entry]
    values: dict


def read_registry(file: SourceFile, table, noun: str, example: str, shape_code: str
                  ) -> tuple[list[Registered], Reading]:
    """A file mapping ids to their fields: each id checked, each entry read with `table`, and every
    name and alias claimed by one entry only. `example`: the first lines of an entry, for messages."""
    path = file.path
    node, problems = load.parse_yaml(path, file.data)
    r = Reading(path, problems, base=1)
    if node is None or problems:
        return [], r
    if not isinstance(node, yaml.MappingNode):
        r.error(1 + node.start_mark.line, f"{path} must map {noun} ids to their fields ({example})", shape_code)
        return [], r
    names: dict[str, tuple[str, int]] = {}  # folded name or alias → (id, line)
    found = []
    for ident, entry in mapping_entries(path, node, 1, problems).items():
        if long_slug(r, entry.line, f"{noun} id", ident, "bad-id"):
            continue
        if not SLUG.fullmatch(ident) or ident in RESERVED_IDS:
            message = f"{noun} id {ident!r} " + ("is reserved" if ident in RESERVED_IDS
                                                 else "must be lowercase letters, digits and hyphens")
            better = slugify(f"{ident}-{noun}") if ident in RESERVED_IDS else slugify(ident) or "a-slug"
            r.error(entry.line, message, "bad-id", f"use {better!r}")
            continue
        if not isinstance(entry.node, yaml.MappingNode):
            r.error(entry.line, f"{noun} {ident!r} must have indented fields (at least 'name:'), "
                    f"not {describe(entry.node)}", "wrong-type")
            continue
        fields = mapping_entries(path, entry.node, 1, problems)
        values = table.read(r, fields, entry.line, ident=ident)
        if values.get("name") is None:
            continue
        for spelling in [ident, values["name"], *(a for a, _ in values.get("aliases") or [])]:
            owner = names.get(fold(spelling))
            if owner and owner[0] != ident:
                r.error(entry.line, f"{spelling!r} names both {owner[0]!r} (line {owner[1]}) and {ident!r}: "
                        f"a name or alias must point to one {noun}", "duplicate-alias")
            else:
                names.setdefault(fold(spelling), (ident, entry.line))
        found.append(Registered(ident, entry.line, fields, values))
    return found, r


def check_places(file: SourceFile | None) -> tuple[dict[str, Place], list[Diagnostic]]:
    if file is None:
        return {}, []
    entries, r = read_registry(file, PLACES, "place", "'saraqeb:' then indented 'name: Saraqeb'", "places-not-mapping")
    places: dict[str, Place] = {}
    parents: list[tuple[str, str, int]] = []
    for e in entries:
        if ("lat" in e.fields) != ("lon" in e.fields):
            r.error(e.line, f"place {e.id!r} needs both lat and lon, or neither", "bad-coordinate")
        if e.values.get("parent"):
            parents.append((e.id, e.values["parent"], e.fields["parent"].line))
        places[e.id] = Place(id=e.id, **PLACES.model_values(e.values))
    problems = r.problems
    for place_id, parent, line in parents:
        if parent not in places:
            r.error(line, f"parent {parent!r} of {place_id!r} is not a place id in places.yml", "unknown-place")
    return places, problems


def gazetteer(places: dict[str, Place]) -> Names:
    return Names.of((p.id, p.name, p.aliases) for p in places.values())


# ---------------------------------------------------------------- periods.yml

def check_periods(file: SourceFile | None) -> tuple[tuple[Period, ...], list[Diagnostic]]:
    """periods.yml: a list of periods each with an `id`, or a mapping from id to the other fields."""
    if file is None:
        return (), []
    path = file.path
    node, problems = load.parse_yaml(path, file.data)
    if node is None or problems:
        return (), problems
    items: list[tuple[str | None, int, yaml.Node]] = []  # (id from the mapping key, line, fields node)
    if isinstance(node, yaml.SequenceNode):
        items = [(None, 1 + item.start_mark.line, item) for item in node.value]
    elif isinstance(node, yaml.MappingNode):
        items = [(key, entry.line, entry.node) for key, entry in mapping_entries(path, node, 1, problems).items()]
    else:
        return (), [error(path, 1 + node.start_mark.line, "periods.yml must be a list of periods, each with "
                          "'- id:', 'title:', 'start:' and optionally 'end:'", "periods-bad-shape")]
    keyed = ("id",) if items and items[0][0] is not None else ()
    needed = " and ".join(f"'{f.key}:'" for f in PERIODS.fields if f.required and f.key != "id")
    r = Reading(path, problems, base=1)
    periods: list[Period] = []
    first_line: dict[str, int] = {}
    for key_id, line, item in items:
        if not isinstance(item, yaml.MappingNode):
            r.error(line, f"each period needs {needed} lines, not {describe(item)}", "wrong-type")
            continue
        before = len(problems)
        fields = mapping_entries(path, item, 1, problems)
        values = PERIODS.read(r, fields, line, without=keyed)
        period_id = key_id or values.get("id")
        if period_id and long_slug(r, line, "period id", period_id, "bad-id"):
            pass
        elif period_id and not SLUG.fullmatch(period_id):
            r.error(line, f"period id {period_id!r} must be lowercase letters, digits and hyphens", "bad-id",
                    f"use {slugify(period_id) or 'a-slug'!r}")
        elif period_id in first_line:
            r.error(line, f"duplicate period id {period_id!r} (first on line {first_line[period_id]})", "duplicate-id")
        elif period_id:
            first_line[period_id] = line
        start, end = values.get("start"), values.get("end")
        if start and end and end.last_day < start.first_day:
            r.error(fields["end"].line, f"end {end.iso()} is before start {start.iso()}", "end-before-start")
        if len(problems) == before and period_id:
            periods.append(Period(**{**PERIODS.model_values(values), "id": period_id}))
    periods.sort(key=lambda p: p.sort_key)
    return tuple(periods), problems


# ---------------------------------------------------------------- one event file

def ends_before(start: PartialDate, end: PartialDate) -> bool:
    """Whether `end` is before `start`. A coarser end may contain the start (2020-02-03 to 2020-02);
    two times of day are compared as instants when both give their UTC offset."""
    if end.last_day < start.first_day:
        return True
    if start.precision == end.precision == "minute":
        a, b = start.moment(), end.moment()
        if (a.tzinfo is None) != (b.tzinfo is None):
            a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        return b < a
    return False


def check_id(r: Reading, stem: str) -> bool:
    if SLUG.fullmatch(stem) and stem not in RESERVED_IDS:
        return not long_slug(r, 1, "event id", stem, "bad-id")
    if stem in RESERVED_IDS:
        message = f"event id {stem!r} is reserved"
    elif odd := [c for c in stem if ord(c) > 127]:
        message = f"event id {stem!r} contains the non-ASCII character {describe_char(odd[0])}"
    elif stem != stem.lower():
        message = f"event id {stem!r} has capital letters"
    else:
        message = f"event id {stem!r} must be lowercase letters, digits and single hyphens"
    better = slugify(stem)
    r.error(1, message + " (the id is the file name without .md)", "bad-id",
            f"rename the file to {better + '.md'!r}" if better and better not in RESERVED_IDS else "")
    return False


def event_id(path: str) -> str:
    """An event's id is its file name without .md, whatever its folder."""
    return path.rsplit("/", 1)[-1][:-3]


@dataclass(frozen=True)
class FileResult:
    """What one file's own checks found, kept (without its YAML nodes) for the checks across files."""

    path: str
    event: Event | None
    related: tuple[tuple[str, int], ...]  # well-formed related ids with their lines
    problems: tuple[Diagnostic, ...]
    read: bool = True  # False: the file could not be read, and is not an event at all


def check_event(file: SourceFile, names: Names, places_ok: bool = True, today: dt.date | None = None,
                archives: str = "", registry: Registry | None = None) -> FileResult:
    """Check one event file on its own; cross-file checks come later. `archives`: what the site asks of
    sources without an archived copy ("" nothing, "warn", "require")."""
    data = file.contents()
    if isinstance(data, Diagnostic):
        return FileResult(file.path, None, (), (data,), read=False)
    doc = load.parse_event(file.path, data)
    r = Reading(doc.path, doc.problems, base=2)
    stem = event_id(doc.path)
    id_ok = check_id(r, stem)
    if not doc.ok:
        return FileResult(doc.path, None, (), tuple(doc.problems))
    before = r.errors()
    values = EVENTS.read(r, doc.entries, 1)
    start, end = values.get("date"), values.get("end")
    if start and end and ends_before(start, end):
        r.error(doc.entries["end"].line, f"end {end.iso()} is before date {start.iso()}", "end-before-start")
    place_ids = _places(r, values.get("place") or [], names, places_ok)
    sources = values.get("sources")
    check_body(r, doc.body, doc.body_line)
    if start:
        _date_warnings(r, stem, start, doc.entries["date"].line, today)
    if sources and registry is not None:
        _publishers(r, sources, registry)
    if sources and start:
        _source_warnings(r, start, sources, today)
        _archive_checks(r, sources, archives)
    if sources:
        check_status(r, values, doc.entries, sources, registry)
    event = None
    if r.errors() == before and id_ok and values.get("title") and start and sources and place_ids:
        event = Event(id=stem, path=doc.path, body=doc.body.strip("\n"),
                      **{**EVENTS.model_values(values), "places": tuple(place_ids)})
    return FileResult(doc.path, event, tuple(_related_ids(doc.entries.get("related"))), tuple(doc.problems))


def _places(r: Reading, spellings: list[tuple[str, int]], names: Names, places_ok: bool) -> list[str]:
    place_ids: list[str] = []
    for spelling, line in spellings:
        place_id = names.find(spelling)
        if place_id is None and not places_ok:
            continue  # places.yml itself is broken: its own errors say so, no need to blame every event
        if place_id is None:
            near = names.suggest(spelling)
            suggestion = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else "; add it to places.yml"
            entry = f"add this line to places.yml, with its coordinates: {place_entry(spelling)}"
            hint = (f"write {near[0]!r} (or add {spelling!r} to that place's aliases); if it is another place, "
                    f"{entry}" if near else entry)
            r.error(line, f"unknown place {spelling!r}{suggestion}", "unknown-place", hint)
        elif place_id in place_ids:
            r.warning(line, f"place {spelling!r} is listed twice", "duplicate-place")
        else:
            place_ids.append(place_id)
    return place_ids


def _publishers(r: Reading, sources: list[tuple[dict, dict[str, Entry], int]], registry: Registry) -> None:
    """With publishers.yml, each source's publisher is one of it, by id, name or alias (any case),
    and is written as its name from then on, as places are."""
    for values, entries, _ in sources:
        spelling = values.get("publisher")
        if spelling is None:
            continue
        found = registry.names.find(spelling)
        if found is None:
            near = list({registry.names.find(n): n for n in reversed(registry.names.suggest(spelling))}.values())[::-1]
            suggestion = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
            hint = (f"write {near[0]!r}, or add {spelling!r} to that publisher's aliases in publishers.yml" if near
                    else f"add it to publishers.yml: {slugify(spelling) or 'a-publisher-id'}: {{name: {spelling}}}")
            r.error(entries["publisher"].line, f"unknown publisher {spelling!r}{suggestion}", "unknown-publisher", hint)
        else:
            values["publisher"] = registry.publishers[found].name


def check_publishers(file: SourceFile | None) -> tuple[dict[str, Publisher], list[Diagnostic]]:
    if file is None:
        return {}, []
    entries, r = read_registry(file, PUBLISHERS, "publisher", "'reuters:' then indented 'name: Reuters'",
                               "publishers-not-mapping")
    publishers = {e.id: Publisher(id=e.id, **PUBLISHERS.model_values(e.values)) for e in entries}
    for e in entries:
        origin = e.values.get("origin")
        if origin and origin not in publishers:
            r.error(e.fields["origin"].line, f"origin {origin!r} of {e.id!r} is not a publisher id in publishers.yml",
                    "unknown-publisher", "give the id of the publisher whose material it republishes")
    return publishers, r.problems


def place_entry(spelling: str) -> str:
    """The one-line places.yml entry for a place an event names and the gazetteer lacks:
    `kafr-nubl: {name: Kafr Nubl, lat: <latitude>, lon: <longitude>}`."""
    place_id = slugify(spelling) or "a-place-id"
    name = spelling.replace("-", " ").title() if spelling == place_id else spelling
    if not re.fullmatch(r"[^\W_][\w .'’-]*", name):  # anything a flow mapping could misread is quoted
        name = json.dumps(name, ensure_ascii=False)
    return f"{place_id}: {{name: {name}, lat: <latitude>, lon: <longitude>}}"


# The date an id starts with, as `new` writes it: 2020, 2020-02 or 2020-02-03, then a hyphen.
# Only what reads as a date: a year from 1000 to 2999, a month 01–12, a day 01–31 ("0042-…" is a name).
_NAME_DATE = re.compile(r"[12][0-9]{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?(?=-|$)")


def _date_warnings(r: Reading, stem: str, start: PartialDate, line: int, today: dt.date | None) -> None:
    named = _NAME_DATE.match(stem)
    written = start.iso()[:10]
    if named and named[0][:len(written)] != written[:len(named[0])]:  # compared at the coarser of the two
        r.warning(line, f"the file name says {named[0]} but date is {start.iso()}", "name-date-mismatch",
                  "correct whichever is wrong; renaming the file changes the event's web address")
    if today and start.first_day > today:
        r.warning(line, f"date {start.iso()} is in the future (today is {today.isoformat()})", "future-date",
                  "check the year; an event is recorded once it has happened")


def _source_warnings(r: Reading, start: PartialDate, sources: list[tuple[dict, dict[str, Entry], int]],
                     today: dt.date | None) -> None:
    seen_urls: dict[str, int] = {}
    for values, entries, _ in sources:
        published, url = values.get("published"), values.get("url")
        if published and today and published.first_day > today:
            r.warning(entries["published"].line, f"source published {published.iso()}, which is in the future "
                      f"(today is {today.isoformat()})", "future-date", "check the year")
        if published and published.last_day < start.first_day:
            r.warning(entries["published"].line, f"source published {published.iso()}, before the event's date "
                      f"{start.iso()}: a source cannot report what had not happened yet", "published-before-event")
        if url:
            if url in seen_urls:
                r.warning(entries["url"].line, f"url {url!r} is cited twice (also line {seen_urls[url]})",
                          "duplicate-url")
            else:
                seen_urls[url] = entries["url"].line


_WAYBACK = re.compile(r"https?://web\.archive\.org/web/[^/]+/(?P<url>.+)", re.I)


def _bare(url: str) -> str:
    """A url as the Wayback Machine may have it: without scheme, "www." or a final slash."""
    return re.sub(r"^(https?:)?//(www\.)?", "", url.strip(), flags=re.I).rstrip("/").casefold()


def wayback_url(url: str) -> str:
    """The Wayback Machine's address for its capture of `url` nearest to 2020 (it redirects to it)."""
    return f"https://web.archive.org/web/2020/{url}"


def _archive_checks(r: Reading, sources: list[tuple[dict, dict[str, Entry], int]], archives: str) -> None:
    for values, entries, _ in sources:
        url, archive = values.get("url"), values.get("archive")
        if archive and url and (match := _WAYBACK.match(archive)) and _bare(match["url"]) != _bare(url):
            r.warning(entries["archive"].line, f"archive {archive!r} is a Wayback Machine snapshot of another "
                      f"address than the source's url {url!r}", "archive-mismatch",
                      f"write 'archive: {wayback_url(url)}', or correct the url")
        if values.get("gone") and not archive:
            r.warning(entries["gone"].line, "the source is marked gone but has no archive: readers have nothing "
                      "to read", "gone-without-archive", f"add 'archive: {wayback_url(url)}' if the Wayback Machine "
                      "has a capture" if url else "add 'archive: <the address of a saved copy>'")
        if url and not archive and archives:
            report = r.error if archives == "require" else r.warning
            report(entries["url"].line, f"source {url!r} has no archived copy (mkdocs.yml asks for archives)",
                   "no-archive", f"add a line 'archive: {wayback_url(url)}' under the url, once you have checked "
                   "that the Wayback Machine has a capture")


def _related_ids(entry: Entry | None) -> list[tuple[str, int]]:
    """The well-formed ids a `related` entry names, with their lines (malformed ones are reported elsewhere)."""
    if entry is None:
        return []
    items = entry.node.value if isinstance(entry.node, yaml.SequenceNode) else [entry.node]
    return [(item.value.strip(), entry.line if item is entry.node else 2 + item.start_mark.line)
            for item in items
            if isinstance(item, yaml.ScalarNode) and tag_of(item) == STR and SLUG.fullmatch(item.value.strip())]


# ---------------------------------------------------------------- across files

def cross_checks(results: list[FileResult], events: list[Event], registry: bool = False) -> list[Diagnostic]:
    """Checks that need every file: unique ids, related ids that exist, publisher spellings."""
    problems: list[Diagnostic] = []
    first_by_id: dict[str, str] = {}
    first_by_folded: dict[str, str] = {}
    for result in results:
        stem = event_id(result.path)
        if stem in first_by_id:
            problems.append(error(result.path, 1, f"duplicate event id {stem!r}: {first_by_id[stem]} has the same "
                                  "file name", "duplicate-id", "give one of them a different file name"))
            continue
        folded = fold(stem)
        if folded in first_by_folded:
            problems.append(error(result.path, 1, f"event id {stem!r} differs only in letter case or accents from "
                                  f"{first_by_folded[folded]}", "duplicate-id"))
        first_by_id[stem] = result.path
        first_by_folded.setdefault(folded, result.path)
    all_ids = sorted(first_by_id)
    for result in results:
        stem = event_id(result.path)
        for related, line in result.related:
            if related == stem:
                problems.append(error(result.path, line, "an event cannot be related to itself", "bad-related"))
            elif related not in first_by_id:
                near = closest(related, all_ids, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(error(result.path, line, f"related event {related!r} does not exist{hint}",
                                      "unknown-related",
                                      f"write {near[0]!r}" if near else "an id is an event's file name without .md"))
    if registry:  # publishers.yml names each publisher once: no spellings to compare
        return problems
    spellings: dict[str, dict[str, str]] = {}  # publisher page → each spelling, with a file using it
    slugs: dict[str, str] = {}  # (a few publishers, cited thousands of times)
    for event in events:
        for source in event.sources:
            slug = slugs.get(source.publisher) or slugs.setdefault(source.publisher, publisher_slug(source.publisher))
            spellings.setdefault(slug, {}).setdefault(source.publisher, event.path)
    for variants in spellings.values():
        if len(variants) > 1:
            names = sorted(variants)
            for name in names[1:]:
                problems.append(warning(variants[name], 1, f"publisher {name!r} is also spelled {names[0]!r} "
                                        f"(in {variants[names[0]]}): use one spelling", "publisher-spelling"))
    return problems


# ---------------------------------------------------------------- the whole project

def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class CheckCache:
    """Results kept between checks by whoever checks again and again (serve keeps one across
    rebuilds): an event file is checked again only when its bytes or the gazetteer change, and an
    unchanged project returns the last result at once."""

    files: dict[str, tuple[tuple, FileResult]] = field(default_factory=dict)
    last: tuple[tuple, tuple[Timeline, list[Diagnostic]]] | None = None


def whole_key(inputs: Inputs) -> tuple:
    """Everything a check's outcome depends on: the same key, the same timeline and diagnostics."""
    keys = tuple((f.path, f.digest or _digest(f.data)) for f in inputs.events)
    return (keys, _digest(inputs.places.data) if inputs.places else b"",
            _digest(inputs.periods.data) if inputs.periods else b"", inputs.problems, inputs.today, inputs.archives,
            _digest(inputs.publishers.data) if inputs.publishers else b"")


def check(inputs: Inputs, cache: CheckCache | None = None) -> tuple[Timeline, list[Diagnostic]]:
    """The Timeline of every event without errors, and every diagnostic, sorted. The timeline is
    complete only when there is no error at all."""
    # Without a cache to look in or fill, no digests: a cold `validate` checks every file anyway.
    whole = whole_key(inputs) if cache is not None else None
    if cache is not None and cache.last is not None and cache.last[0] == whole:
        timeline, problems = cache.last[1]
        return timeline, list(problems)
    places, problems = check_places(inputs.places)
    periods, period_problems = check_periods(inputs.periods)
    publishers, publisher_problems = check_publishers(inputs.publishers)
    registry = Registry.of(publishers) if inputs.publishers is not None else None
    problems += period_problems + publisher_problems + list(inputs.problems)
    names = gazetteer(places)
    places_ok = not any(p.is_error and p.path == "places.yml" for p in problems) or bool(places)
    def check_one(file: SourceFile) -> FileResult:
        return check_event(file, names, places_ok, inputs.today, inputs.archives, registry)
    if cache is None or whole is None:
        results = map_in_two(check_one, inputs.events)
    else:
        keys = {file.path: (digest, whole[1], inputs.today, inputs.archives, whole[6])
                for file, (_, digest) in zip(inputs.events, whole[0], strict=True)}
        stale = [file for file in inputs.events if (cache.files.get(file.path) or (None,))[0] != keys[file.path]]
        for file, made in zip(stale, map_in_two(check_one, stale), strict=True):
            cache.files[file.path] = (keys[file.path], made)
        results = [cache.files[file.path][1] for file in inputs.events]
        for gone in cache.files.keys() - {f.path for f in inputs.events}:
            del cache.files[gone]
    events = [checked.event for checked in results if checked.event is not None]
    for checked in results:
        problems += checked.problems
    results = [checked for checked in results if checked.read]  # (a file not read is not an event file at all)
    problems += cross_checks(results, events, registry is not None)
    if results and inputs.places is None and not any(p.path == "places.yml" for p in inputs.problems):
        problems.append(error("places.yml", 1, "places.yml is missing: every event needs a place from it",
                              "missing-places"))
    bad = {p.path for p in problems if p.is_error}
    events = sorted((e for e in events if e.path not in bad), key=lambda e: e.sort_key)
    outcome = (Timeline(tuple(events), places, periods, publishers), sorted_unique(problems))
    if cache is not None and whole is not None:
        cache.last = (whole, outcome)
    return outcome[0], list(outcome[1])


def check_project(root, cache: CheckCache | None = None) -> tuple[Timeline, list[Diagnostic]]:
    """Read and check a project folder, with no cycle collection meanwhile, as `validate` checks
    (buildcache.check_project): every object made is kept or garbage without cycles, and the
    collector walking 10,000 events' objects again and again was an eighth of the time."""
    with no_collection():
        return check(load_project(root, defer=cache is None), cache)
