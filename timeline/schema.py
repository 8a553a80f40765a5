"""One table per front-matter key: the single source of truth for the validator,
the editing guide's field reference and (later) the JSON Schema."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # text | date | places | sources | slugs | ids | number | texts
    required: bool
    doc: str
    example: str = ""


EVENT_FIELDS = (
    Field("title", "text", True, "What happened, in one neutral line.",
          "Turkish and Syrian government forces clash around Saraqeb"),
    Field("date", "date", True, "When it happened or began: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM]. "
          "Write only as much as the sources say.", "2020-02-03"),
    Field("end", "date", False, "For a span: when it ended, in the same forms; not before `date`.", "2020-03-05"),
    Field("place", "places", True, "Where: a place id, name or alias from places.yml (any letter case), "
          "or a list of them.", "Saraqeb"),
    Field("sources", "sources", True, "The articles the event comes from; at least one. See the source keys below.", ""),
    Field("tags", "slugs", False, "Topics, as lowercase words joined by hyphens.", "[turkey, syrian-government]"),
    Field("related", "ids", False, "Ids of other events this one belongs with; each gets a backlink.",
          "[2020-01-29-maaret-al-numan-captured]"),
    Field("dispute", "text", False, "When sources disagree: what they disagree on, shown as a notice. "
          "Give each source's version in its `claim`.", "Sources give different death tolls."),
)

SOURCE_FIELDS = (
    Field("title", "text", True, "The article's headline.", "Renewed fighting in Idlib, Syria puts strain on Moscow-Ankara axis"),
    Field("publisher", "text", True, "Who published it. Spell it the same way every time: it names the source page.",
          "Le Monde"),
    Field("url", "url", False, "Where to read it: an absolute http(s) address. Leave it out if there is none.",
          "https://www.dw.com/en/…"),
    Field("published", "date", False, "When it was published, in the same forms as `date`.", "2020-02-20"),
    Field("claim", "text", False, "What this source in particular reports, shown beside it. Use it for "
          "attributed figures and whenever sources disagree.", 'The SOHR counted 13 dead.'),
)

PLACE_FIELDS = (
    Field("name", "text", True, "The name readers see.", "Saraqeb"),
    Field("aliases", "texts", False, "Other spellings used by sources; events may use any of them.", "[Saraqib]"),
    Field("lat", "number", False, "Latitude in degrees, -90 to 90 (WGS84). Give `lat` and `lon` together.", "35.8627"),
    Field("lon", "number", False, "Longitude in degrees, -180 to 180 (WGS84).", "36.8006"),
    Field("kind", "text", False, "What sort of place: town, city, province, country…", "town"),
    Field("country", "text", False, "The country it is in.", "Syria"),
    Field("parent", "id", False, "The id of the place that contains it.", "idlib-province"),
    Field("description", "text", False, "A sentence shown on the place page.", ""),
)

PERIOD_FIELDS = (
    Field("id", "id", True, "A lowercase slug naming the period (in a list; or use it as the mapping key).",
          "government-offensive"),
    Field("title", "text", True, "The period's name as readers see it.", "Government offensive on Idlib"),
    Field("start", "date", True, "When it began, in the same forms as an event's `date`.", "2019-11"),
    Field("end", "date", False, "When it ended; leave it out while it goes on.", "2020-03-05"),
    Field("description", "text", False, "A sentence or two, attributed like any event text.", ""),
)

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
RESERVED_IDS = {"index"}  # events/index would collide with the folder's own page

# Every diagnostic code, with one sentence each: printed in the editing guide.
CODES = {
    # the file itself
    "unreadable": ("error", "The file could not be read (permissions, or it vanished)."),
    "file-too-large": ("error", "The file is over 1 MB; an event is a page of text."),
    "not-utf8": ("error", "The file is not saved as UTF-8 (for example UTF-16 or Windows-1252)."),
    "binary-file": ("error", "The file contains NUL bytes: it is not a text file."),
    "empty-file": ("error", "The file is empty."),
    "symlink": ("error", "Event files and folders must be real files, not symbolic links."),
    "not-markdown": ("warning", "A file in events/ that does not end in .md is ignored."),
    "no-front-matter": ("error", "The file does not start with a '---' line."),
    "unclosed-front-matter": ("error", "The front matter has no closing '---' line."),
    "empty-front-matter": ("error", "There is nothing between the two '---' lines."),
    "front-matter-not-mapping": ("error", "The front matter is a list or a single value instead of 'key: value' lines."),
    # YAML
    "yaml-syntax": ("error", "The front matter is not valid YAML; the message says where the parser gave up."),
    "yaml-too-deep": ("error", "Lists or mappings are nested too deeply."),
    "yaml-alias": ("error", "YAML anchors and aliases (&name, *name) are not allowed."),
    "yaml-tag": ("error", "YAML tags such as !!python/object are not allowed: only plain data."),
    "bad-key": ("error", "A key is not a plain word (for example a list or a number)."),
    "duplicate-key": ("error", "The same key appears twice; only the first would count."),
    "unknown-key": ("error", "A key the format does not know, usually a typo; the message suggests the closest."),
    "missing-key": ("error", "A required key is missing."),
    # values
    "wrong-type": ("error", "A value has the wrong type: a number where text is expected, a single value where a list is."),
    "empty-value": ("error", "A required value is empty."),
    "control-character": ("error", "A text contains an invisible control character (often from a \\x or \\u escape)."),
    "body-too-deep": ("error", "The text below the front matter nests lists or quotes too deeply to be shown."),
    "bad-date": ("error", "A date that does not exist or is not in one of the accepted forms."),
    "end-before-start": ("error", "`end` is before `date`."),
    "bad-url": ("error", "A source url that is not an absolute http or https address."),
    "bad-id": ("error", "An event file name or place id that is not a lowercase slug."),
    "bad-slug": ("error", "A tag or related id that is not a lowercase slug."),
    "unknown-place": ("error", "A place that is not an id, name or alias in places.yml; the message suggests the closest."),
    "unknown-related": ("error", "A related event id that no event file has."),
    "bad-related": ("error", "An event lists itself as related."),
    "duplicate-id": ("error", "Two event files have the same name, or names differing only in case or accents."),
    "unsafe-html": ("error", "The body contains HTML or a link that could run script in a reader's browser."),
    "duplicate-place": ("warning", "The same place is listed twice for one event."),
    "duplicate-entry": ("warning", "The same tag or related id is listed twice."),
    "published-before-event": ("warning", "A source is dated before the event it reports: one of the dates is wrong."),
    "duplicate-url": ("warning", "The same URL is cited twice in one event."),
    "publisher-spelling": ("warning", "One publisher is spelled in two ways; its events would be split."),
    # places.yml
    "missing-places": ("error", "There are events but no places.yml."),
    "places-not-mapping": ("error", "places.yml is not a mapping from place ids to their fields."),
    "bad-coordinate": ("error", "A latitude or longitude is out of range, or only one of the two is given."),
    "duplicate-alias": ("error", "Two places share a name or alias, so events could not say which one they mean."),
    # periods.yml
    "periods-bad-shape": ("error", "periods.yml is not a list of periods (or a mapping from period ids to their fields)."),
}


def fields_markdown() -> str:
    """The field reference of the editing guide, generated from the tables above."""
    def table(fields: tuple[Field, ...]) -> str:
        rows = ["| key | required | what to write | example |", "|---|---|---|---|"]
        for f in fields:
            example = f"`{f.example}`" if f.example else ""
            rows.append(f"| `{f.key}` | {'yes' if f.required else 'no'} | {f.doc} | {example} |")
        return "\n".join(rows)

    return (f"### Event keys\n\n{table(EVENT_FIELDS)}\n\n### Source keys (each item of `sources`)\n\n"
            f"{table(SOURCE_FIELDS)}\n\n### Place keys (in places.yml)\n\n{table(PLACE_FIELDS)}\n\n"
            f"### Period keys (in periods.yml)\n\n{table(PERIOD_FIELDS)}\n")


def codes_markdown() -> str:
    rows = ["| code | level | meaning |", "|---|---|---|"]
    rows += [f"| `{code}` | {level} | {text} |" for code, (level, text) in CODES.items()]
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- JSON Schema for editors' tools
# Generated from the tables above. It describes what an editor types, as a YAML 1.2 tool reads
# it (an unquoted 2020-02-03 is a string, 2017 an integer). Some rules need the whole project
# and stay with `validate`: whether a place exists, whether a date exists in the calendar,
# related ids, unique ids, safe HTML in the body.

DATE_PATTERN = (r"^[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"
                r"(\s*(Z|[+-][0-9]{2}:?[0-9]{2}))?)?)?)?$")
SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"


def _kind_schema(field: Field, examples: dict[str, list[str]]) -> dict:
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    slug = {"type": "string", "pattern": f"^{SLUG_PATTERN}$"}
    one_or_many = lambda item: {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}  # noqa: E731
    kinds = {
        "text": text,
        "url": {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/]+\S*$"},
        "date": {"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer", "minimum": 1, "maximum": 9999}]},
        "places": one_or_many(text),
        "slugs": one_or_many(slug),
        "ids": one_or_many(slug),
        "id": slug,
        "texts": {"type": "array", "items": text},
        "number": {"type": "number"},
    }
    if field.kind == "sources":
        schema = {"type": "array", "minItems": 1, "items": _object_schema(SOURCE_FIELDS, examples)}
    else:
        schema = dict(kinds[field.kind])
    schema["description"] = field.doc
    if field.key in examples:
        schema["examples"] = examples[field.key]
    elif field.example and field.kind in ("text", "date", "url", "id"):
        schema["examples"] = [field.example]
    if field.key == "lat":
        schema.update(minimum=-90, maximum=90)
    if field.key == "lon":
        schema.update(minimum=-180, maximum=180)
    return schema


def _object_schema(fields: tuple[Field, ...], examples: dict[str, list[str]]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": [f.key for f in fields if f.required],
            "properties": {f.key: _kind_schema(f, examples) for f in fields}}


def event_json_schema(examples: dict[str, list[str]] | None = None) -> dict:
    """Front matter of an event file. `examples` (known places, tags, publishers) feed completion."""
    return {"$schema": SCHEMA_BASE, "$id": "event.schema.json", "title": "Timeline event front matter",
            **_object_schema(EVENT_FIELDS, examples or {})}


def places_json_schema() -> dict:
    place = _object_schema(PLACE_FIELDS, {})
    place["dependentRequired"] = {"lat": ["lon"], "lon": ["lat"]}
    return {"$schema": SCHEMA_BASE, "$id": "places.schema.json", "title": "Timeline gazetteer (places.yml)",
            "type": "object", "propertyNames": {"pattern": f"^{SLUG_PATTERN}$"}, "additionalProperties": place}


def periods_json_schema() -> dict:
    period = _object_schema(PERIOD_FIELDS, {})
    keyed = _object_schema(tuple(f for f in PERIOD_FIELDS if f.key != "id"), {})
    return {"$schema": SCHEMA_BASE, "$id": "periods.schema.json", "title": "Timeline periods (periods.yml)",
            "anyOf": [{"type": "array", "items": period},
                      {"type": "object", "propertyNames": {"pattern": f"^{SLUG_PATTERN}$"},
                       "additionalProperties": keyed}]}


def json_schema_files() -> dict[str, str]:
    """schemas/*.json: written by `python build_timeline.py schema` and published with the site."""
    import json
    schemas = {"event.schema.json": event_json_schema(), "places.schema.json": places_json_schema(),
               "periods.schema.json": periods_json_schema()}
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}
