"""`new`: start a correctly named, valid event file, from options or by asking in a terminal.

Its options and questions are the field table's (every event and source key has an option, the
keys with a prompt are asked for), and every answer is read by its field's own kind, so it is
checked as `validate` would check it (a date that exists, a URL, tags that are slugs), plus the
gazetteer for places; close spellings are suggested. The finished file is checked with the rest of
the project before it is written. An existing file is never overwritten.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .check import CheckCache, check, event_id, gazetteer, place_entry
from .fields import EVENTS, SOURCES, Field
from .kinds import Records, Slugs
from .load import SourceFile, relative
from .model import PartialDate
from .names import closest, fold
from .project import load_project
from .urls import publisher_slug
from .writer import event_file, make_id

NEW_BODY = ("<!-- Write what happened: neutral wording, every figure and claim attributed\n"
            "     (\"according to …\"). This comment is not shown on the site. -->")


def questions() -> list[tuple[str, Field]]:
    """Every key `new` can be given, as (table name, field), sources' keys where `sources` is."""
    out: list[tuple[str, Field]] = []
    for f in EVENTS.fields:
        if f.key == "sources":
            out += [("source", s) for s in SOURCES.fields]
        elif isinstance(f.kind, Records):
            continue  # corrections are made to an existing event, not written by `new`
        else:
            out.append(("event", f))
    return out


def option(table: str, f: Field) -> str:
    name = f.option or f.key
    return name if table == "event" else f"source-{name}"


def add_options(parser: argparse.ArgumentParser) -> None:
    """`new`'s options, one per key of the tables (a list's option is repeated)."""
    for table, f in questions():
        if f.many:
            parser.add_argument(f"--{option(table, f)}", action="append", help=f"{f.doc} (repeatable)")
        else:
            parser.add_argument(f"--{option(table, f)}", help=f.doc)
    parser.add_argument("--id", help="the file name without .md (default: date and title)")
    parser.add_argument("--folder", help="where to put it under events/ (default: the year)")


class Answers:
    """What the project already holds that an editor may reuse or must match: places, tags, publishers."""

    def __init__(self, root: Path, interactive: bool = False):
        self.interactive = interactive  # answers typed at a prompt: a near miss can be asked again
        self.offered: set[str] = set()  # publishers whose near miss was pointed out once
        self.inputs = load_project(root)
        self.cache = CheckCache()
        timeline, _ = check(self.inputs, self.cache)  # the valid events' tags and publishers
        self.places = timeline.places
        self.names = gazetteer(self.places)
        self.taken = {fold(event_id(f.path)) for f in self.inputs.events}  # invalid files too
        self.tags = {tag for event in timeline.events for tag in event.tags}
        self.publishers = {source.publisher for event in timeline.events for source in event.sources}

    def read(self, f: Field, answer: str | list[str]) -> tuple[Any, str]:
        """The answer's value, or the problem with it (the field's rules, then the gazetteer for places)."""
        value, problem = f.read_answer(answer)
        if not problem and f is SOURCES.field("publisher"):
            return value, self.publisher_problem(value)
        if problem or f is not EVENTS.field("place"):
            return value, problem
        for spelling, _ in value:
            if self.names.find(spelling) is None:
                near = self.names.suggest(spelling)
                return None, f"unknown place {spelling!r}" + (f"; did you mean {' or '.join(map(repr, near))}?"
                                                              if near else "") + \
                    f"; to add it, put this line in places.yml: {place_entry(spelling)}"
        return value, ""

    def publisher_problem(self, name: str) -> str:
        """A publisher spelled differently from the same publisher elsewhere is refused (it would split
        its page); one close to a known name is pointed out once, in a terminal."""
        if name in self.publishers:
            return ""
        same = [p for p in sorted(self.publishers) if publisher_slug(p) == publisher_slug(name)]
        if same:
            return f"publisher {name!r} is spelled {same[0]!r} in the other events: write {same[0]!r}"
        near = closest(name, sorted(self.publishers), n=1)
        if near and self.interactive and name not in self.offered:
            self.offered.add(name)
            return f"did you mean {near[0]!r}? (type {name!r} again to keep it as a new publisher)"
        return ""

    def words(self, f: Field) -> list[str]:
        """What Tab completes for a question."""
        if f is EVENTS.field("place"):
            return sorted({p.name for p in self.places.values()} | {a for p in self.places.values() for a in p.aliases})
        if f is EVENTS.field("tags"):
            return sorted(self.tags)
        if f is SOURCES.field("publisher"):
            return sorted(self.publishers)
        return []

    def tag_note(self, tag: str) -> str:
        if tag in self.tags or not self.tags:
            return ""
        near = closest(tag, sorted(self.tags), n=1)
        return f"{tag!r} is a new tag" + (f"; the existing tag {near[0]!r} is close" if near else "")


def ask(prompt: str, read, optional: bool = False, words: list[str] | None = None) -> Any:
    """Ask until `read` accepts the answer. Tab completes from `words` where readline exists."""
    try:
        import readline
        readline.set_completer(lambda text, state: ([w for w in (words or []) if w.lower().startswith(text.lower())]
                                                    + [None])[state])
        readline.set_completer_delims("")
        readline.parse_and_bind("tab: complete")
    except ImportError:
        pass
    while True:
        answer = input(prompt).strip()
        if not answer and optional:
            return None
        if not answer:
            print("  (required)")
            continue
        value, problem = read(answer)
        if not problem:
            return value
        print(f"  {problem}")


def _typed(f: Field, text: str) -> str | list[str]:
    """A typed answer as the field takes it: tags are typed on one line, separated by commas (a place's
    name may hold a comma, so a place is one answer)."""
    return [part.strip() for part in text.split(",") if part.strip()] if isinstance(f.kind, Slugs) else text


def _given(answers: Answers, args, table: str, f: Field, values: dict, problems: list[str]) -> bool:
    """The option's value for a key, read into `values`; whether there was one."""
    given = getattr(args, option(table, f).replace("-", "_"), None)
    if not given:
        return False
    value, problem = answers.read(f, given)
    if problem:
        problems.append(problem)
    values[f.key] = value
    return True


def _ask_field(answers: Answers, f: Field, values: dict, prompt: str = "", optional: bool | None = None) -> None:
    optional = not f.required if optional is None else optional
    hint = ", Enter for none" if optional else ""
    value = ask(f"{prompt or f.prompt}{hint}: ", lambda text: answers.read(f, _typed(f, text)), optional=optional,
                words=answers.words(f))
    if value is not None:
        values[f.key] = value


def _sources(answers: Answers, args, interactive: bool, problems: list[str], missing: list[str]) -> list[dict]:
    """The event's sources: one from the options (--source-title …), or as many as the editor gives."""
    source: dict[str, Any] = {}
    for f in SOURCES.fields:
        if not _given(answers, args, "source", f, source, problems) and f.required and not interactive:
            missing.append("--" + option("source", f))
    if not interactive or (source and not any(f.required and f.key not in source for f in SOURCES.fields)):
        return [source]
    sources: list[dict] = []
    while True:
        for f in SOURCES.fields:
            if f.key == "archive" and "url" not in source:
                continue  # an archived copy is asked for only where there is an address to archive
            if f.key not in source and f.prompt:
                first = f is SOURCES.fields[0] and bool(sources)
                _ask_field(answers, f, source, "Another source: the article's headline" if first else "",
                           optional=True if first else None)
                if first and f.key not in source:
                    return sources  # no other source
        sources.append(source)
        source = {}


def collect(answers: Answers, args, interactive: bool) -> tuple[dict[tuple[str, str], Any], list[str]]:
    """The value of every key, from its option or (in a terminal, for the keys with a prompt) by
    asking; and the problems with what the options said. Sources come as ("source", n) → their values."""
    event: dict[str, Any] = {}
    problems: list[str] = []
    missing: list[str] = []
    if interactive:
        print("New event. Press Tab to complete places, tags and publishers; Ctrl-C to stop without writing anything.")
    sources: list[dict] = []
    for f in EVENTS.fields:
        if f.key == "sources":
            sources = _sources(answers, args, interactive, problems, missing)
        elif isinstance(f.kind, Records):
            continue  # (corrections: see questions())
        elif _given(answers, args, "event", f, event, problems):
            continue
        elif interactive and f.prompt:
            _ask_field(answers, f, event)
        elif f.required:
            missing.append("--" + option("event", f))
    if missing:
        problems.append(f"missing {', '.join(missing)} (or run `new` in a terminal to be asked)")
    values: dict[tuple[str, str], Any] = {("event", key): value for key, value in event.items()}
    values.update((("source", str(n)), source) for n, source in enumerate(sources))
    return values, problems


def new_fields(values: dict[tuple[str, str], Any]) -> dict:
    """The front matter of the new event, from the answers (the writer writes each as its kind)."""
    def plain(f: Field, value: Any) -> Any:
        return [item for item, _ in value] if f.many else value

    fields = {f.key: plain(f, values[("event", f.key)]) for f in EVENTS.fields if values.get(("event", f.key))}
    fields["sources"] = [source for (table, _), source in sorted(values.items()) if table == "source"]
    return fields


def event_folder(root: Path, folder: str | None, year: int) -> Path:
    """Where the new file goes: events/<year>/, or the folder given, which must be inside events/."""
    events = (root / "events").resolve()
    target = (events / (folder if folder is not None else str(year))).resolve()
    if target != events and events not in target.parents:
        raise ValueError(f"--folder {folder!r} is outside events/: give a folder inside it, such as {year}")
    return target


def create_event(root: Path, args) -> int:
    interactive = sys.stdin.isatty()
    answers = Answers(root, interactive)
    try:
        values, problems = collect(answers, args, interactive)
    except (KeyboardInterrupt, EOFError):
        print("\nstopped: nothing was written", file=sys.stderr)
        return 130
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2 if any(p.startswith("missing --") for p in problems) else 1
    fields = new_fields(values)
    for tag in fields.get("tags") or []:
        if note := answers.tag_note(tag):
            print(f"note: {note}", file=sys.stderr)
    start: PartialDate = values[("event", "date")]
    new_id = args.id or make_id(start.iso(), fields["title"], answers.taken)
    if fold(new_id) in answers.taken:
        print(f"error: an event with the id {new_id!r} already exists; choose another --id", file=sys.stderr)
        return 1
    try:
        folder = event_folder(root, args.folder, start.year)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = folder / f"{new_id}.md"
    text = event_file(fields, NEW_BODY)
    path = relative(root, target)
    _, diagnostics = check(answers.inputs.with_events([SourceFile(path, text.encode("utf-8"))]), answers.cache)
    mine = [d for d in diagnostics if d.path == path]
    if any(d.is_error for d in mine):
        for diagnostic in mine:
            print(diagnostic.format(), file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        print(f"error: {path} already exists", file=sys.stderr)
        return 1
    for diagnostic in mine:  # warnings: written, but worth a look
        print(diagnostic.format(), file=sys.stderr)
    print(f"created {path}")
    print("next: write the text under the front matter, then run: python build_timeline.py validate",
          file=sys.stderr)
    return 0
