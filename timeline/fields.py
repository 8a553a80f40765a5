"""One table per front-matter key: the only place a field's rules are written.

Each Field names its key, whether it is required, its Kind (kinds.py) and its documentation, so
`validate`, the JSON Schemas editors' tools use, the editing guide and `new` all come from these
tables (like Pelican's METADATA_PROCESSORS: one processor per key), and so does the model: a Table
names the dataclass it becomes.

What a schema cannot say stays with `validate` alone, and the editing guide lists it: whether a
date exists in the calendar (30 February), `end` before `date`, places, related ids and unique ids
(other files), the body's HTML, warnings, and YAML 1.1 readings that a YAML 1.2 tool sees
differently (`yes`/`no` as booleans, 0x10 or 1:30 as numbers, .nan).
"""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from . import dates
from .kinds import STR, Choice, Count, Date, Degrees, Kind, OneOrMore, Reading, Records, Sha256, Slug, Slugs, Text, Url
from .load import Entry
from .model import FIGURES, STATUSES, Correction, Event, Period, Place, Publisher, Source

# ---------------------------------------------------------------- fields and tables

@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    required: bool
    doc: str
    example: str = ""
    prompt: str = ""  # the question `new` asks for it; empty: `new` does not ask
    attr: str = ""  # the model's attribute for it, when that is not the key itself (date → start)
    option: str = ""  # `new`'s command-line option for it, when not the key itself (tags → --tag)
    # The fix shown when a required key is missing: the form to write, never an example to paste
    # (a pasted example town or headline would pass validation and be wrong).
    if_missing: str = ""

    def read_answer(self, answer: str | list[str]) -> tuple[Any, str]:
        """An answer given to `new` (an option, or typed at a prompt), read by the field's own kind:
        (value, "") or (None, the problem). What is given is text (no YAML reading of `yes` or `2020`);
        several values come as a list."""
        r = Reading("", [], 1)
        mark = yaml.Mark("answer", 0, 0, 0, "", 0)
        texts = answer if isinstance(answer, list) else [answer]
        nodes = [yaml.ScalarNode(STR, text.strip(), mark, mark) for text in texts]
        node = nodes[0] if len(nodes) == 1 else yaml.SequenceNode("tag:yaml.org,2002:seq", nodes, mark, mark)
        value = self.kind.read(r, self.key, 1, node)
        errors = [p.message for p in r.problems if p.is_error]
        return (None, errors[0]) if errors else (value, "")

    @property
    def many(self) -> bool:
        """Whether the field takes a list (an option to repeat)."""
        return isinstance(self.kind, (OneOrMore, Slugs))


@dataclass(frozen=True)
class Table:
    """The keys of one kind of mapping: an event's front matter, a source, a place, a period."""

    name: str  # "event", "source", …: in messages ("unknown key …; source keys are: …")
    model: type  # the dataclass it becomes (model.py)
    fields: tuple[Field, ...]
    missing: str  # the message for a missing required key: str.format(key=…, id=…)
    label: str = ""  # how a value is named in messages: "source title" rather than "title"
    # Worked out once from `fields` (every source of 10,000 files is read by this table): each key's
    # Field and how a value of it is named; the required fields; each key's model attribute and
    # conversion (None: the value read is the model's).
    by_key: dict[str, tuple[Field, str]] = dataclasses.field(init=False, repr=False, compare=False)
    required: tuple[Field, ...] = dataclasses.field(init=False, repr=False, compare=False)
    to_model: dict[str, tuple[str, Any]] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: (f, self.label + f.key) for f in self.fields})
        object.__setattr__(self, "required", tuple(f for f in self.fields if f.required))
        object.__setattr__(self, "to_model", {f.key: (f.attr or f.key, None if type(f.kind).model is Kind.model
                                                      else f.kind.model) for f in self.fields})

    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def field(self, key: str) -> Field:
        return self.by_key[key][0]

    def read(self, r: Reading, entries: dict[str, Entry], line: int, ident: str = "",
             without: tuple[str, ...] = ()) -> dict[str, Any]:
        return read_table(self, r, entries, line, ident, without)

    def model_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values `read` returned, as keyword arguments of the table's dataclass."""
        to_model, made = self.to_model, {}
        for key, value in values.items():
            if value is not None:
                attr, model = to_model[key]
                made[attr] = value if model is None else model(value)
        return made

    def schema(self, without: tuple[str, ...] = ()) -> dict:
        fields = [f for f in self.fields if f.key not in without]
        properties = {}
        for f in fields:
            schema = {**f.kind.schema(), "description": f.doc}
            if f.example and isinstance(f.kind, (Text, Date)):
                schema["examples"] = [f.example]
            properties[f.key] = schema
        return {"type": "object", "additionalProperties": False, "required": [f.key for f in fields if f.required],
                "properties": properties}


def unknown_key(r: Reading, entry: Entry, known: list[str], where: str) -> None:
    close = difflib.get_close_matches(entry.key, known, n=1, cutoff=0.6)
    suggestion = f"; did you mean {close[0]!r}?" if close else f"; {where} keys are: {', '.join(known)}"
    hint = f"rename {entry.key!r} to {close[0]!r}" if close else "remove the line, or use one of the keys listed"
    r.error(entry.line, f"unknown key {entry.key!r}{suggestion}", "unknown-key", hint)


def read_table(table: Table, r: Reading, entries: dict[str, Entry], line: int, ident: str = "",
               without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every key of `table` that `entries` has, read by its kind (None where it was reported);
    unknown keys and missing required ones reported. `without`: keys given elsewhere (an id as
    the mapping's key)."""
    by_key, values = table.by_key, {}
    for key, given in entries.items():
        known = by_key.get(key)
        if known is None or key in without:
            unknown_key(r, given, [k for k in table.keys() if k not in without], table.name)
        if known is not None:
            values[key] = known[0].kind.read(r, known[1], given.line, given.node)
    for f in table.required:
        if f.key not in entries and f.key not in without:
            r.error(line, table.missing.format(key=f.key, id=ident), "missing-key", f.if_missing)
    return values


# ---------------------------------------------------------------- the tables

# Bounds on lists: each entry can multiply pages and their sizes (an event is listed, with all its
# tags, on the page of each of its tags), so that no single file can make the build quadratic.
MAX_PLACES, MAX_SOURCES, MAX_TAGS, MAX_RELATED, MAX_ALIASES = 20, 50, 30, 50, 50

LATITUDE, LONGITUDE = Degrees(-90, 90), Degrees(-180, 180)

SOURCES = Table("source", Source, (
    Field("title", Text(), True, "The article's headline; for a source without one (a post, a video, a "
          "statement), what it is: `Statement by the Turkish Ministry of Defence`.",
          "Renewed fighting in Idlib, Syria puts strain on Moscow-Ankara axis", "Source: the article's headline",
          if_missing="add a line 'title: <the headline>' to the source (with no headline, say what it is: "
          "'Statement by the Turkish defence ministry')"),
    Field("publisher", Text(), True, "Who published it. Spell it the same way every time: it names the source page.",
          "Le Monde", "Source: its publisher",
          if_missing="add a line 'publisher: <who published it>' to the source, lined up with its 'title'"),
    Field("url", Url(), False, "Where to read it: an absolute http(s) address. Leave it out if there is none.",
          "https://www.dw.com/en/…", "Source: its address (https://…)"),
    Field("published", Date(), False, "When it was published, in the same forms as `date`.", "2020-02-20",
          "Source: when it was published"),
    Field("claim", Text(), False, "What this source in particular reports, shown beside it. Use it for "
          "attributed figures and whenever sources disagree.", 'The SOHR counted 13 dead.',
          "Source: what it reports, if sources differ"),
    Field("archive", Url(), False, "An archived copy, so the source outlives its link: a Wayback Machine snapshot "
          "(`https://web.archive.org/web/2020/` followed by the url), an archive.today copy or any http(s) address.",
          "https://web.archive.org/web/2020/https://www.dw.com/en/…", "Source: an archived copy (https://…)"),
    Field("accessed", Date(), False, "When you read it, in the same forms as `date`.", "2020-02-21"),
    Field("sha256", Sha256(), False, "The SHA-256 of a copy you saved (a PDF, a WARC, a screenshot): 64 hexadecimal "
          "digits, from `sha256sum FILE`.", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    Field("by", Text(), False, "Who makes the claim, when it is not the publisher: `Turkish Defence Minister Hulusi "
          "Akar`, `Syrian Observatory for Human Rights`. A claimant is not a publisher.",
          "Syrian Observatory for Human Rights"),
    *(Field(name, Count(), False, f"How many people the claim says were {name}: a whole number, or a range "
            "`[low, high]` as the source gives it.", "13" if name == "killed" else "[12, 13]") for name in FIGURES),
    Field("counted", Text(), False, "Whom the figures count, in a few words: `Syrian soldiers`, `civilians`.",
          "Syrian soldiers"),
    Field("gone", Date(), False, "When the original was found offline (404 or 410). Readers then get the archived "
          "copy first; `check-links --fix` writes it.", "2026-11-30"),
), missing="source is missing its {key!r}", label="source ")

CORRECTIONS = Table("correction", Correction, (
    Field("date", Date(), True, "When the correction was made.", "2020-02-12",
          if_missing="add a line 'date: YYYY-MM-DD' to the correction"),
    Field("note", Text(), True, "What was wrong, in a sentence: `An earlier version said …`.",
          "An earlier version gave the date as 4 February.",
          if_missing="add a line 'note: <what an earlier version said>' to the correction"),
), missing="correction is missing its {key!r}", label="correction ")

EVENTS = Table("event", Event, (
    Field("title", Text(), True, "What happened, in one neutral line.",
          "Turkish and Syrian government forces clash around Saraqeb", "Title (what happened, neutrally)",
          if_missing="add a line 'title: <what happened, in one neutral line>'"),
    Field("date", Date(), True, "When it happened or began: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]. "
          "Write only as much as the sources say.", "2020-02-03", f"Date ({dates.DATE_FORMS})", attr="start",
          if_missing="add a line 'date: YYYY-MM-DD' (or YYYY-MM, or YYYY: only as much as the sources say)"),
    Field("end", Date(), False, "For a span: when it ended, in the same forms; not before `date`.", "2020-03-05"),
    Field("place", OneOrMore(Text(), MAX_PLACES), True, "Where: a place id, name or alias from places.yml (any letter case), "
          "or a list of them.", "Saraqeb", "Place (from places.yml)", attr="places",
          if_missing="add a line 'place: <a place id, name or alias from places.yml>'; for several, "
          "'place: [<first>, <second>]'"),
    Field("sources", Records(SOURCES, empty="cite at least one source", limit=MAX_SOURCES), True,
          "The articles the event comes from; at least one. See the source keys below.", "",
          if_missing="add the lines 'sources:', '  - title: <the headline>' and '    publisher: <who published it>'"),
    Field("tags", Slugs("tag", MAX_TAGS), False, "Topics, as lowercase words joined by hyphens.", "[turkey, syrian-government]",
          "Tags, separated by commas", option="tag"),
    Field("related", Slugs("related id", MAX_RELATED), False, "Ids of other events this one belongs with; each gets a backlink.",
          "[2020-01-29-maaret-al-numan-captured]"),
    Field("dispute", Text(), False, "When sources disagree: what they disagree on, shown as a notice. "
          "Give each source's version in its `claim`.", "Sources give different death tolls."),
    Field("status", Choice(choices=STATUSES), False, "How sure the timeline is: `reported` (the default: one "
          "source, or sources that are not independent), `corroborated` (two independent sources or more), "
          "`verified` (and a `verification` note, and an archived copy of every source with a url), `disputed` "
          "(sources disagree: needs `dispute`), `retracted` (withdrawn: needs a `corrections` entry).", "corroborated"),
    Field("verification", Text(), False, "How the event was verified: geolocation of footage, official "
          "confirmation, a visit.", "Geolocated from two videos by the editors."),
    Field("corrections", Records(CORRECTIONS, empty="give each correction a date and a note", limit=MAX_SOURCES),
          False, "Corrections made to the event, each with `date` and `note`, shown at the top of the page.", ""),
), missing="missing required key {key!r}")

PLACES = Table("place", Place, (
    Field("name", Text(), True, "The name readers see.", "Saraqeb",
          if_missing="add a line 'name: <the name readers see>' under the place, indented like its other keys"),
    Field("aliases", OneOrMore(Text(), MAX_ALIASES), False, "Other spellings used by sources; events may use any of them.",
          "[Saraqib]"),
    Field("lat", LATITUDE, False, "Latitude in degrees, -90 to 90 (WGS84). Give `lat` and `lon` together.", "35.8627"),
    Field("lon", LONGITUDE, False, "Longitude in degrees, -180 to 180 (WGS84).", "36.8006"),
    Field("kind", Text(), False, "What sort of place: town, city, province, country…", "town"),
    Field("country", Text(), False, "The country it is in.", "Syria"),
    Field("parent", Slug(), False, "The id of the place that contains it.", "idlib-province"),
    Field("description", Text(), False, "A sentence shown on the place page.", ""),
), missing="place {id!r} has no {key!r}")

PUBLISHER_KINDS = ("news-agency", "newspaper", "broadcaster", "news-website", "monitor", "ngo", "government",
                   "party-to-the-conflict", "social-media-account")
GRADES = ("a", "b", "c", "d", "e", "f")

PUBLISHERS = Table("publisher", Publisher, (
    Field("name", Text(), True, "The name readers see.", "Ahram Online",
          if_missing="add a line 'name: <the name readers see>' under the publisher"),
    Field("aliases", OneOrMore(Text(), MAX_ALIASES), False, "Other spellings sources use; events may use any.",
          "[Al-Ahram Online]"),
    Field("kind", Choice(choices=PUBLISHER_KINDS), False, "What it is: " + ", ".join(PUBLISHER_KINDS) + ".",
          "newspaper"),
    Field("country", Text(), False, "Where it is based.", "Egypt"),
    Field("language", Text(), False, "The language of what the timeline cites.", "English"),
    Field("origin", Slug(), False, "The id of the publisher whose material it republishes (a wire story): its "
          "sources then count as that publisher's when sources are counted as independent.", "reuters"),
    Field("grade", Choice(choices=GRADES), False, "Reliability on the Admiralty scale: A completely reliable, "
          "B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.", "b"),
    Field("grade_basis", Text(), False, "Why that grade, in a sentence.", ""),
), missing="publisher {id!r} has no {key!r}")

PERIODS = Table("period", Period, (
    Field("id", Slug(), True, "A lowercase slug naming the period (in a list; or use it as the mapping key).",
          "government-offensive", if_missing="add a line 'id: <a-lowercase-slug>' to the period"),
    Field("title", Text(), True, "The period's name as readers see it.", "Government offensive on Idlib",
          if_missing="add a line 'title: <its name as readers see it>' to the period"),
    Field("start", Date(), True, "When it began, in the same forms as an event's `date`.", "2019-11",
          if_missing="add a line 'start: YYYY-MM-DD' (or YYYY-MM, or YYYY) to the period"),
    Field("end", Date(), False, "When it ended; leave it out while it goes on.", "2020-03-05"),
    Field("description", Text(), False, "A sentence or two, attributed like any event text.", ""),
), missing="period is missing its {key!r}")
