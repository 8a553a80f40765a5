"""`new`: start a correctly named, valid event file, from options or by asking in a terminal.

The questions are the field table's (fields.Field.prompt), and every answer is read by its
field's own kind, so it is checked as `validate` would check it (a date that exists, a URL, tags
that are slugs), plus the gazetteer for places; close spellings are suggested. The finished file
is checked again before it is written. An existing file is never overwritten.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .check import check, check_event, gazetteer
from .fields import EVENTS, SOURCES, Field
from .load import SourceFile, find_event_files, load_project, relative
from .model import PartialDate
from .names import closest, fold
from .writer import DateText, FlowList, event_file, make_id

NEW_BODY = ("<!-- Write what happened: neutral wording, every figure and claim attributed\n"
            "     (\"according to …\"). This comment is not shown on the site. -->")
# Where each question's answer comes from on the command line.
OPTIONS = {("event", "title"): "title", ("event", "date"): "date", ("event", "end"): "end", ("event", "place"): "place",
           ("event", "tags"): "tag", ("source", "title"): "source_title", ("source", "publisher"): "source_publisher",
           ("source", "url"): "source_url"}


class Answers:
    """What the project already holds that an editor may reuse or must match: places, tags, publishers."""

    def __init__(self, root: Path):
        timeline, _ = check(load_project(root))  # the valid events' tags and publishers
        self.places = timeline.places
        self.names = gazetteer(self.places)
        self.taken = {f.name[:-3] for f in find_event_files(root, root / "events")[0]}  # invalid files too
        self.tags = {tag for event in timeline.events for tag in event.tags}
        self.publishers = {source.publisher for event in timeline.events for source in event.sources}

    def read(self, field: Field, text: str) -> tuple[Any, str]:
        """The answer's value, or the problem with it (the field's rules, then the gazetteer for places)."""
        value, problem = field.read_answer(text)
        if problem or field is not EVENTS.field("place"):
            return value, problem
        for spelling, _ in value:
            if self.names.find(spelling) is None:
                near = self.names.suggest(spelling)
                return None, f"unknown place {spelling!r}" + (f"; did you mean {' or '.join(map(repr, near))}?"
                                                              if near else "; add it to places.yml first")
        return value, ""

    def words(self, field: Field) -> list[str]:
        """What Tab completes for a question."""
        if field is EVENTS.field("place"):
            return sorted({p.name for p in self.places.values()} | {a for p in self.places.values() for a in p.aliases})
        if field is EVENTS.field("tags"):
            return sorted(self.tags)
        if field is SOURCES.field("publisher"):
            return sorted(self.publishers)
        return []

    def tag_note(self, tag: str) -> str:
        if tag in self.tags or not self.tags:
            return ""
        near = closest(tag, sorted(self.tags), n=1)
        return f"{tag!r} is a new tag" + (f"; the existing tag {near[0]!r} is close" if near else "")


def ask(prompt: str, read, optional: bool = False, words: list[str] | None = None) -> object:
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


def questions() -> list[tuple[str, Field]]:
    """The fields `new` asks about, in the table's order, sources' fields where `sources` is."""
    out: list[tuple[str, Field]] = []
    for f in EVENTS.fields:
        if f.key == "sources":
            out += [("source", s) for s in SOURCES.fields if s.prompt]
        elif f.prompt:
            out.append(("event", f))
    return out


def collect(answers: Answers, args, interactive: bool) -> tuple[dict[tuple[str, str], Any], list[str]]:
    """The value of every question, from its option or (in a terminal) by asking; and the problems."""
    values: dict[tuple[str, str], Any] = {}
    problems: list[str] = []
    missing: list[str] = []
    if interactive:
        print("New event. Press Tab to complete places and tags; Ctrl-C to stop without writing anything.")
    for table, f in questions() + [("event", EVENTS.field("end"))]:
        option = OPTIONS[(table, f.key)]
        given = getattr(args, option, None)
        if given:
            value, problem = answers.read(f, ", ".join(given) if isinstance(given, list) else given)
            if problem:
                problems.append(problem)
            values[(table, f.key)] = value
        elif interactive and f.prompt:
            hint = "" if f.required else ", Enter for none"
            values[(table, f.key)] = ask(f"{f.prompt}{hint}: ", lambda text, f=f: answers.read(f, text),
                                         optional=not f.required, words=answers.words(f))
        elif f.required:
            missing.append("--" + option.replace("_", "-"))
    if missing:
        problems.append(f"missing {', '.join(missing)} (or run `new` in a terminal to be asked)")
    return values, problems


def new_fields(values: dict[tuple[str, str], Any]) -> dict:
    """The front matter of the new event, from the answers."""
    def texts(key: str) -> list[str]:
        return [text for text, _ in values.get(("event", key)) or []]

    start: PartialDate = values[("event", "date")]
    places = texts("place")
    source = {key: values[("source", key)] for key in SOURCES.keys() if values.get(("source", key)) is not None}
    fields: dict = {"title": values[("event", "title")], "date": DateText(start.iso()),
                    "place": places[0] if len(places) == 1 else FlowList(places), "sources": [source]}
    if values.get(("event", "end")):
        fields["end"] = DateText(values[("event", "end")].iso())
    if texts("tags"):
        fields["tags"] = FlowList(texts("tags"))
    return fields


def create_event(root: Path, args) -> int:
    answers = Answers(root)
    interactive = sys.stdin.isatty()
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
    new_id = args.id or make_id(start.iso(), fields["title"], {fold(t) for t in answers.taken})
    if new_id in answers.taken:
        print(f"error: an event with the id {new_id!r} already exists; choose another --id", file=sys.stderr)
        return 1
    folder = root / "events" / (args.folder or str(start.year))
    target = folder / f"{new_id}.md"
    text = event_file(fields, NEW_BODY)
    checked = check_event(SourceFile(relative(root, target), text.encode("utf-8")), answers.names)
    if checked.event is None:
        for diagnostic in sorted(checked.problems):
            print(diagnostic.format(), file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        print(f"error: {relative(root, target)} already exists", file=sys.stderr)
        return 1
    print(f"created {relative(root, target)}")
    print("next: write the text under the front matter, then run: python build_timeline.py validate",
          file=sys.stderr)
    return 0
