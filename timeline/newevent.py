"""`new`: start a correctly named, valid event file, from options or by asking in a terminal.

Every answer is checked as it is given (a date that exists, a place in the gazetteer, a tag that
is a slug), close spellings are suggested, and the finished file is run through the validator
before it is written. An existing file is never overwritten.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .check import check, check_event, gazetteer
from .dates import DATE_FORMS, parse_date
from .load import SourceFile, find_event_files, load_project, relative
from .model import PartialDate, slugify
from .names import closest, fold
from .writer import DateText, FlowList, event_file, make_id

REQUIRED = ("title", "date", "place", "source_title", "source_publisher")
NEW_BODY = ("<!-- Write what happened: neutral wording, every figure and claim attributed\n"
            "     (\"according to …\"). This comment is not shown on the site. -->")


def checked_date(text: str) -> PartialDate:
    """A date the answers' checks have already accepted."""
    result = parse_date(text)
    if isinstance(result, str):
        raise ValueError(result)
    return result


def new_fields(given: dict, start: PartialDate) -> dict:
    """The front matter of the new event, from the answers."""
    places = given["place"]
    source = {"title": given["source_title"], "publisher": given["source_publisher"]}
    if given.get("source_url"):
        source["url"] = given["source_url"]
    fields: dict = {"title": given["title"], "date": DateText(start.iso()),
                    "place": places[0] if len(places) == 1 else FlowList(places), "sources": [source]}
    if given.get("end"):
        fields["end"] = DateText(checked_date(given["end"]).iso())
    if given.get("tag"):
        fields["tags"] = FlowList(given["tag"])
    return fields


class Answers:
    """What the editor has said so far, and the project's known places, tags and publishers."""

    def __init__(self, root: Path):
        self.root = root
        timeline, _ = check(load_project(root))  # what the editor may reuse: the valid events' tags, publishers
        self.places = timeline.places
        self.names = gazetteer(self.places)
        self.taken = {f.name[:-3] for f in find_event_files(root, root / "events")[0]}  # invalid files too
        self.tags = {tag for event in timeline.events for tag in event.tags}
        self.publishers = {source.publisher for event in timeline.events for source in event.sources}

    # Each check returns an error message, or "" when the answer is fine.
    def check_date(self, text: str) -> str:
        result = parse_date(text)
        return "" if isinstance(result, PartialDate) else result

    def check_place(self, text: str) -> str:
        if self.names.find(text) is not None:
            return ""
        near = self.names.suggest(text)
        return f"unknown place {text!r}" + (f"; did you mean {' or '.join(map(repr, near))}?" if near else
                                            "; add it to places.yml first")

    def check_tag(self, text: str) -> str:
        if slugify(text) != text:
            return f"tag {text!r} must be lowercase letters, digits and hyphens, e.g. {slugify(text)!r}"
        return ""

    def tag_note(self, tag: str) -> str:
        if tag in self.tags or not self.tags:
            return ""
        near = closest(tag, sorted(self.tags), n=1)
        return f"{tag!r} is a new tag" + (f"; the existing tag {near[0]!r} is close" if near else "")


def ask(prompt: str, check=None, optional: bool = False, words: list[str] | None = None) -> str:
    """Ask until the answer passes `check`. Tab completes from `words` where readline exists."""
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
            return ""
        if not answer:
            print("  (required)")
            continue
        problem = check(answer) if check else ""
        if not problem:
            return answer
        print(f"  {problem}")


def interview(answers: Answers, given: dict) -> dict:
    """Ask for whatever the options did not give."""
    print("New event. Press Tab to complete places and tags; Ctrl-C to stop without writing anything.")
    values = dict(given)
    if not values.get("title"):
        values["title"] = ask("Title (what happened, neutrally): ")
    if not values.get("date"):
        values["date"] = ask(f"Date ({DATE_FORMS}): ", answers.check_date)
    if not values.get("place"):
        names = sorted({p.name for p in answers.places.values()} | {a for p in answers.places.values() for a in p.aliases})
        values["place"] = [ask("Place (from places.yml): ", answers.check_place, words=names)]
    if not values.get("source_title"):
        values["source_title"] = ask("Source: the article's headline: ")
    if not values.get("source_publisher"):
        values["source_publisher"] = ask("Source: its publisher: ", words=sorted(answers.publishers))
    if not values.get("source_url"):
        values["source_url"] = ask("Source: its address (https://…, Enter for none): ", optional=True)
    if not values.get("tag"):
        text = ask("Tags, separated by commas (Enter for none): ", optional=True, words=sorted(answers.tags))
        values["tag"] = [t.strip() for t in text.split(",") if t.strip()]
    return values


def create_event(root: Path, args) -> int:
    answers = Answers(root)
    given = {"title": args.title, "date": args.date, "end": args.end, "place": args.place,
             "source_title": args.source_title, "source_publisher": args.source_publisher,
             "source_url": args.source_url, "tag": args.tag}
    missing = [k for k in REQUIRED if not given.get(k)]
    if missing:
        if not sys.stdin.isatty():
            options = ", ".join("--" + k.replace("_", "-") for k in missing)
            print(f"error: missing {options} (or run `new` in a terminal to be asked)", file=sys.stderr)
            return 2
        try:
            given = interview(answers, given)
        except (KeyboardInterrupt, EOFError):
            print("\nstopped: nothing was written", file=sys.stderr)
            return 130
    problems = [p for p in (answers.check_date(given["date"]),
                            answers.check_date(given["end"]) if given.get("end") else "",
                            *(answers.check_place(p) for p in given["place"]),
                            *(answers.check_tag(t) for t in given.get("tag") or [])) if p]
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    for tag in given.get("tag") or []:
        if note := answers.tag_note(tag):
            print(f"note: {note}", file=sys.stderr)
    start = checked_date(given["date"])
    new_id = args.id or make_id(start.iso(), given["title"], {fold(t) for t in answers.taken})
    if new_id in answers.taken:
        print(f"error: an event with the id {new_id!r} already exists; choose another --id", file=sys.stderr)
        return 1
    folder = root / "events" / (args.folder or str(start.year))
    target = folder / f"{new_id}.md"
    text = event_file(new_fields(given, start), NEW_BODY)
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
