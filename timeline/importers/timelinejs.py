"""Bring a TimelineJS3 timeline into event files: its JSON, or its Google Sheets template as CSV.

Nothing is written that the validator would refuse: the planned files are checked in memory,
together with the project's own, by the same `check` CI runs. Files are created, never replaced.
What cannot be carried over (media, backgrounds, eras, display dates) is reported as a
diagnostic at the slide's (or row's) line of the input, so an editor can finish the job by hand.

Slides exported by `exports.timelinejs()` carry a `timeline_event` key with the event as written;
when it is there it wins, so that export → import gives back the same events.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check import CheckCache, check, check_places, event_id, gazetteer
from ..diagnostics import Diagnostic, error, warning
from ..exports.timelinejs import EXTENSION_KEY
from ..fields import EVENTS
from ..kinds import RESERVED_IDS, SLUG, URL_PATTERN
from ..load import SourceFile, printable
from ..model import PartialDate, human_range, slugify
from ..names import fold
from ..project import load_project
from ..writer import event_file, make_id, unique
from .html2md import html_to_markdown, html_to_text
from .readers import Slide, as_text, iso_to_date, read_input, tjs_to_date

DEFAULT_PUBLISHER = "TimelineJS import"


@dataclass(frozen=True)
class ImportResult:
    written: list[str]  # project-relative paths of the files created (or, in a dry run, that would be), sorted
    diagnostics: list[Diagnostic]  # at lines of the input: errors for items not written, warnings for the rest

    @property
    def report(self) -> list[str]:
        """What could not be mapped and why, one line per item."""
        return [d.message for d in self.diagnostics if not d.is_error]

    @property
    def skipped(self) -> list[str]:
        """Items not written, with the reason."""
        return [d.message for d in self.diagnostics if d.is_error]


@dataclass
class _Plan:
    slide: Slide
    event_id: str
    fields: dict
    body: str
    year: int
    notes: list[tuple[int, str]]  # report lines kept only if the file is written
    placeholder_source: bool
    path: str = ""


@dataclass
class _Content:
    """What a slide says, before places and sources are worked out."""

    start: PartialDate
    end: PartialDate | None
    title: str
    body: str
    fields: dict[str, Any] = field(default_factory=dict)  # the other front-matter keys, as given


# Keys of `timeline_event` in files exported before it named every key as the field table does.
_FORMER_KEYS = {"places": "place"}


def _ext_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{EXTENSION_KEY} {what} must be text")
    return value


def _display_differs(given: object, ours: str) -> str | None:
    text = html_to_text(as_text(given))
    return text if text and text != ours else None


def _media_notes(slide: Slide) -> list[str]:
    notes = []
    media = slide.data.get("media")
    if isinstance(media, dict) and any(as_text(v).strip() for v in media.values()):
        url = as_text(media.get("url")).strip() or as_text(media.get("thumbnail")).strip()
        notes.append(f"{slide.label}: media {url or '(caption only)'} not imported (event files have no media)")
    background = slide.data.get("background")
    if isinstance(background, dict) and any(as_text(v).strip() for v in background.values()):
        what = as_text(background.get("url")).strip() or as_text(background.get("color")).strip()
        notes.append(f"{slide.label}: background {what} not imported (event files have no background)")
    return notes


def _read_content(slide: Slide, ext: dict | None, notes: list[str]) -> _Content:
    """Dates, title, body and, from an export of ours, the rest as written. ValueError saying why not."""
    data, label = slide.data, slide.label
    text: dict = data["text"] if isinstance(data.get("text"), dict) else {}
    if ext and ext.get("date") is not None:
        start = iso_to_date(ext["date"], "date")
        end = iso_to_date(ext["end"], "end") if ext.get("end") is not None else None
    else:
        if "start_date" not in data:
            raise ValueError("no start date")
        start = tjs_to_date(data["start_date"], "start date")
        end = tjs_to_date(data["end_date"], "end date") if data.get("end_date") else None
    title = _ext_text(ext.get("title"), "title") if ext else None
    if title is None:
        title = html_to_text(as_text(text.get("headline")))
    if ext and ext.get("body") is not None:
        body = (_ext_text(ext["body"], "body") or "").strip("\n")
    else:
        body, dropped = html_to_markdown(as_text(text.get("text")))
        notes += [f"{label}: {what} not kept (only http(s) links are)" if what.startswith("link ") else
                  f"{label}: {what} in the text not imported (event files have no media)" for what in dropped]
    content = _Content(start, end, title, body)
    if ext:  # every other key as written: the planned file is checked by `check` like any other
        for key, value in ext.items():
            key = _FORMER_KEYS.get(key, key)
            if key in EVENTS.keys() and key not in ("title", "date", "end") and value is not None:
                content.fields[key] = value
        places = content.fields.get("place")
        if places is not None and not (isinstance(places, list) and all(isinstance(p, str) for p in places)):
            raise ValueError(f"{EXTENSION_KEY} place must be a list of texts")
    return content


def _sheet_extras(slide: Slide, content: _Content, notes: list[str]) -> None:
    """A plain TimelineJS slide: its group becomes a tag; display dates that differ from ours are reported."""
    data, label, start, end = slide.data, slide.label, content.start, content.end
    group = html_to_text(as_text(data.get("group")))
    if group:
        if slugify(group):
            content.fields["tags"] = [slugify(group)]
        else:
            notes.append(f"{label}: group {group!r} not imported (no letters or digits for a tag)")
    end_date = data.get("end_date")
    for given, ours, what in ((data.get("display_date"), human_range(start, end), "display date"),
                              ((data.get("start_date") or {}).get("display_date"), start.human(), "start display date"),
                              (end_date.get("display_date") if isinstance(end_date, dict) and end else None,
                               end.human() if end else "", "end display date")):
        if differs := _display_differs(given, ours):
            notes.append(f"{label}: {what} {differs!r} not imported (shown as {ours!r})")


class _Importer:
    def __init__(self, root: Path, source: Path, place: str | None, source_title: str | None,
                 source_publisher: str | None, source_url: str | None, folder: str):
        self.root = root
        self.source = source
        self.folder = folder
        self.inputs = load_project(root)
        self.places = check_places(self.inputs.places)[0]
        self.names = gazetteer(self.places)
        self.cache = CheckCache()
        self.place = place
        self.source_options = (source_title, source_publisher, source_url)
        self.report: list[tuple[int, str]] = []
        self.skipped: list[tuple[int, str]] = []
        self.existing = {fold(event_id(f.path)): f.path for f in reversed(self.inputs.events)}
        self.taken: set[str] = set()  # folded ids planned in this import

    def _place_value(self, spellings: list[str], slide: Slide) -> str | list[str] | None:
        """Front matter for the places, written as their names; None (and skipped) if one is unknown."""
        written: list[str] = []
        for spelling in spellings:
            place_id = self.names.find(spelling)
            if place_id is None:
                near = self.names.suggest(spelling)
                hint = f"did you mean {' or '.join(repr(n) for n in near)}?" if near else \
                    "add it to places.yml or give another --place"
                self.skipped.append((slide.line, f"{slide.label}: unknown place {spelling!r}: {hint}"))
                return None
            name = self.places[place_id].name
            written.append(name if self.names.find(name) == place_id else place_id)
        return written[0] if len(written) == 1 else written

    def default_source(self, title_text: str) -> tuple[dict, bool]:
        title, publisher, url = self.source_options
        source = {"title": title or title_text or self.source.name, "publisher": publisher or DEFAULT_PUBLISHER}
        if url:
            source["url"] = url
        return source, not (title and publisher)

    def _id(self, wanted: str | None, content: _Content, label: str, notes: list[str]) -> str:
        if wanted is not None and SLUG.fullmatch(wanted) and wanted not in RESERVED_IDS:
            event_id = unique(wanted, self.taken)
            if event_id != wanted:
                notes.append(f"{label}: unique_id {wanted!r} is used by an earlier slide too: written as {event_id!r}")
            return event_id
        event_id = make_id(content.start.iso(), content.title, self.taken)
        if wanted:
            base = make_id(content.start.iso(), content.title, set())
            notes.append(f"{label}: unique_id {wanted!r} is not a lowercase slug: written as {base!r}")
        return event_id

    def plan(self, slide: Slide, title_text: str) -> _Plan | None:
        data, label = slide.data, slide.label
        if "_bad" in data:
            self.skipped.append((slide.line, f"{label}: not a slide (a JSON object with start_date and text)"))
            return None
        ext = data.get(EXTENSION_KEY) if isinstance(data.get(EXTENSION_KEY), dict) else None
        notes = _media_notes(slide)
        try:
            content = _read_content(slide, ext, notes)
        except ValueError as exc:
            self.skipped.append((slide.line, f"{label}: {exc}"))
            return None
        if not content.title:
            self.skipped.append((slide.line, f"{label}: no headline: an event needs a title"))
            return None
        if not ext:
            _sheet_extras(slide, content, notes)
        spellings = content.fields.pop("place", None) or ([self.place] if self.place else [])
        if not spellings:
            self.skipped.append((slide.line, f"{label}: no place: give --place with a place from places.yml"))
            return None
        place = self._place_value(spellings, slide)
        if place is None:
            return None
        placeholder = False
        sources = content.fields.pop("sources", None)
        if not sources:
            default, placeholder = self.default_source(title_text)
            sources = [default]
        wanted = _ext_text(ext.get("id"), "id") if ext and isinstance(ext.get("id"), str) else None
        if wanted is None:
            wanted = as_text(data.get("unique_id")).strip() or None
        new_id = self._id(wanted, content, label, notes)
        if fold(new_id) in self.existing:
            self.skipped.append((slide.line, f"{label}: id {new_id!r} is already used by "
                                 f"{self.existing[fold(new_id)]}: not overwritten"))
            return None
        self.taken.add(fold(new_id))
        fields = {"title": content.title, "date": content.start, "end": content.end, "place": place,
                  "sources": sources, **content.fields}
        return _Plan(slide, new_id, fields, content.body, content.start.year, [(slide.line, n) for n in notes],
                     placeholder)

    def path_for(self, plan: _Plan) -> str:
        if self.folder.strip("/") == "events":
            return f"events/{plan.year:04d}/{plan.event_id}.md"
        return f"{self.folder.strip('/')}/{plan.event_id}.md"

    def check(self, plans: list[_Plan]) -> list[_Plan]:
        """Check the planned files with the project's own, as `validate` would; drop the files with errors
        (and again, since an event may name a dropped one as related) until every remaining file passes."""
        remaining = list(plans)
        while True:
            planned = [SourceFile(p.path, event_file(p.fields, p.body).encode("utf-8")) for p in remaining]
            _, problems = check(self.inputs.with_events(planned), self.cache)
            by_path: dict[str, list[Diagnostic]] = {}
            for problem in problems:
                by_path.setdefault(problem.path, []).append(problem)
            bad = [p for p in remaining if any(d.is_error for d in by_path.get(p.path, []))]
            if not bad:
                break
            for plan in bad:
                errors = "; ".join(d.format() for d in by_path[plan.path] if d.is_error)
                self.skipped.append((plan.slide.line, f"{plan.slide.label}: would not pass validation: {errors}"))
                remaining.remove(plan)
        for plan in remaining:
            plan.notes += [(plan.slide.line, f"{plan.slide.label}: {d.format()}")
                           for d in by_path.get(plan.path, []) if not d.is_error]
        return remaining


def _check_folder(folder: str) -> str:
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

    Raises ValueError, with a message for the editor, for bad options; readers.Unreadable (a
    ValueError with the line) when the input cannot be read as either format."""
    root = Path(root)
    folder = _check_folder(folder)
    if source_url is not None and not re.fullmatch(URL_PATTERN, source_url):
        raise ValueError(f"url {source_url!r} is not an absolute http(s) address")
    for name, value in (("source title", source_title), ("source publisher", source_publisher)):
        if value is not None and not value.strip():
            raise ValueError(f"the {name} is empty")
    slides, title_text = read_input(Path(source))
    importer = _Importer(root, Path(source), place, source_title and source_title.strip(),
                         source_publisher and source_publisher.strip(), source_url, folder)
    plans: list[_Plan] = []
    for slide in slides:
        if slide.kind in ("title", "era"):
            what = ("title slide not imported (event files have no title slide)" if slide.kind == "title" else
                    "era not imported (eras are periods: add it to periods.yml by hand)")
            importer.report.append((slide.line, f"{slide.label}: {what}"))
            importer.report += [(slide.line, note) for note in _media_notes(slide)]
        elif plan := importer.plan(slide, title_text):
            plan.path = importer.path_for(plan)
            plans.append(plan)
    plans = importer.check(plans) if plans else []
    written = _write(root, plans, importer, dry_run)
    placeholders = sum(p.placeholder_source for p in plans if p.path in written)
    if placeholders:
        default, _ = importer.default_source(title_text)
        importer.report.append((1, f"sources: {placeholders} event{'s' if placeholders != 1 else ''} "
                                f"cite{'s' if placeholders == 1 else ''} the placeholder source {default['title']!r} "
                                f"(publisher {default['publisher']!r}): check each one and replace it with the "
                                "article its facts come from"))
    path = printable(str(source))
    diagnostics = [warning(path, line, message, "import-note") for line, message in importer.report]
    diagnostics += [error(path, line, message, "import-skipped") for line, message in importer.skipped]
    return ImportResult(sorted(written), diagnostics)


def _write(root: Path, plans: list[_Plan], importer: _Importer, dry_run: bool) -> list[str]:
    written: list[str] = []
    for plan in plans:
        if not dry_run:
            target = root / plan.path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never replace a file
                    out.write(event_file(plan.fields, plan.body))
            except FileExistsError:
                importer.skipped.append((plan.slide.line, f"{plan.slide.label}: {plan.path} already exists: "
                                         "not overwritten"))
                continue
        written.append(plan.path)
        importer.report += plan.notes
    return written
