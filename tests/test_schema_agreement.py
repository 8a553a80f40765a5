"""The published JSON Schemas and `validate` agree wherever a schema can express the rule: on a
table of probes (types, ranges, patterns, keys) and on values hypothesis makes up.

Left to `validate` alone, as fields.py documents: the calendar (30 February), other files
(unknown places and related ids), `end` before `date`, warnings, and YAML 1.1 readings that a
YAML 1.2 tool sees differently. The probes avoid those; the property test assumes them away.
"""
from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from conftest import PLACES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_schema import Yaml12Loader

from timeline import check as core
from timeline import dates
from timeline.fields import EVENTS, PERIODS, SOURCES
from timeline.fields import PLACES as PLACE_KEYS
from timeline.kinds import SLUG
from timeline.load import Inputs, SourceFile
from timeline.schema import event_json_schema, periods_json_schema, places_json_schema

# Errors a schema cannot see: other files, or the calendar.
OTHER_FILES = {"unknown-place", "unknown-related", "bad-related"}

EVENT = {"title": "T", "date": "2020-02-03", "place": "Saraqeb",
         "sources": [{"title": "A", "publisher": "P", "url": "https://example.org/a"}]}
PLACE = {"name": "Town", "lat": 35.5, "lon": 36.5}
PERIOD = {"id": "p", "title": "T", "start": "2020-01"}


def as_yaml(data: object) -> str:
    """JSON is YAML that reads the same in YAML 1.1 and 1.2 (no bare dates, yes/no or hex numbers)."""
    text = json.dumps(data, ensure_ascii=False)
    # As \u escapes, characters YAML would take as a line break or refuse raw (they can only be inside strings)
    return re.sub("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", lambda m: f"\\u{ord(m[0]):04x}", text)


def validate_errors(kind: str, data: object) -> set[str]:
    text = as_yaml(data)
    gazetteer = SourceFile("places.yml", PLACES.encode())
    if kind == "event":
        inputs = Inputs((SourceFile("events/e.md", f"---\n{text}\n---\nBody.\n".encode()),), gazetteer)
    elif kind == "place":
        inputs = Inputs((), SourceFile("places.yml", text.encode()))
    else:
        inputs = Inputs((), gazetteer, SourceFile("periods.yml", text.encode()))
    _, problems = core.check(inputs)
    return {p.code for p in problems if p.is_error} - (OTHER_FILES if kind == "event" else set())


def schema_accepts(kind: str, data: object) -> bool:
    schema = {"event": event_json_schema, "place": places_json_schema, "period": periods_json_schema}[kind]()
    reread = yaml.load(as_yaml(data), Loader=Yaml12Loader)
    return not list(jsonschema.Draft202012Validator(schema).iter_errors(reread))


def document(kind: str, key: str, value: object) -> object:
    """The base document of `kind` with `key` set to `value` (None: the key removed). A source key is
    written 'sources.url', a place's 'x.lat'."""
    if kind == "event":
        data = json.loads(json.dumps(EVENT))
        target = data["sources"][0] if key.startswith("sources.") else data
        key = key.removeprefix("sources.")
    elif kind == "place":
        target = json.loads(json.dumps(PLACE))
        data = {"town": target}
    else:
        target = json.loads(json.dumps(PERIOD))
        data = [target]
    if value is DROP:
        target.pop(key, None)
    else:
        target[key] = value
    return data


DROP = object()

# (kind, key, value, validate accepts it) — each also checked against the schema.
PROBES = [
    ("event", "date", 2020, True), ("event", "date", 9998, True), ("event", "date", 9999, False),
    ("event", "date", 10000, False), ("event", "date", 999, False), ("event", "date", "0999", True),
    ("event", "date", "2020-13", False), ("event", "date", "2020-00", False), ("event", "date", "2020-1", True),
    ("event", "date", "2020-02-32", False), ("event", "date", "2020-02-00", False),
    ("event", "date", "2020-02-03T24:00", False), ("event", "date", "2020-02-03T23:61", False),
    ("event", "date", "2020-02-03T23:59:60", False), ("event", "date", "2020-02-03T10:00+14:00", True),
    ("event", "date", "2020-02-03T10:00+14:30", False), ("event", "date", "2020-02-03T10:00-0930", True),
    ("event", "date", "2020-02-03T10:00Z", True), ("event", "date", "0000", False), ("event", "date", "20-02", False),
    ("event", "date", "3 Feb 2020", False), ("event", "date", 2020.5, False), ("event", "date", True, False),
    ("event", "date", None, False), ("event", "date", [2020], False), ("event", "date", DROP, False),
    ("event", "end", "2020-13", False), ("event", "end", "2021", True),
    ("event", "sources.published", "2020-13", False), ("event", "sources.published", "2020-02-20", True),
    ("event", "title", "", False), ("event", "title", "   ", False), ("event", "title", 5, False),
    ("event", "title", "A\u0007B", False), ("event", "title", "A\u0085B", False), ("event", "title", "سراقب", True),
    ("event", "title", None, False), ("event", "title", ["a"], False), ("event", "title", DROP, False),
    ("event", "place", [], False), ("event", "place", ["Saraqeb", "Idlib"], True), ("event", "place", 3, False),
    ("event", "sources", [], False), ("event", "sources", "Le Monde", False), ("event", "sources", [{"title": "A"}], False),
    ("event", "sources", [{"title": "A", "publisher": "P", "pages": 3}], False),
    ("event", "sources.url", "ftp://example.org/a", False), ("event", "sources.url", "www.example.org", False),
    ("event", "sources.url", "https://", False), ("event", "sources.url", "https://[::1", False),
    ("event", "sources.url", "https://[::1]:8000/x", True), ("event", "sources.url", "https://exa mple.org", False),
    ("event", "sources.url", "HTTPS://EXAMPLE.ORG", True), ("event", "sources.url", " https://example.org ", True),
    ("event", "sources.url", "https://example.org/\u0001", False),
    ("event", "tags", ["Turkey"], False), ("event", "tags", ["index"], False), ("event", "tags", "turkey", True),
    ("event", "tags", None, True), ("event", "tags", [], False), ("event", "tags", ["a--b"], False),
    ("event", "tags", ["-a"], False), ("event", "tags", [" a "], True), ("event", "dispute", "", False),
    ("event", "palce", "Idlib", False), ("event", "Title", "T", False),
    ("place", "lat", 91, False), ("place", "lat", -90, True), ("place", "lon", 180.0, True), ("place", "lon", -181, False),
    ("place", "lat", "35", False), ("place", "lat", DROP, False), ("place", "name", "", False),
    ("place", "aliases", "Saraqib", True), ("place", "aliases", [], False), ("place", "aliases", [1], False),
    ("place", "parent", "Idlib Province", False), ("place", "kind", 4, False), ("place", "colour", "red", False),
    ("period", "start", "2020-13", False), ("period", "end", "2020-02-30", None), ("period", "id", "Bad Id", False),
    ("period", "title", DROP, False), ("period", "description", "", False), ("period", "start", 1999, True),
]


@pytest.mark.parametrize("kind,key,value,accepted", PROBES, ids=[f"{k}-{f}-{v!r}" for k, f, v, _ in PROBES])
def test_schema_and_validate_agree_on_each_probe(kind, key, value, accepted):
    data = document(kind, key, value)
    errors = validate_errors(kind, data)
    if accepted is None:  # a rule only the calendar knows: validate refuses, the schema cannot
        assert errors and schema_accepts(kind, data)
        return
    assert (not errors) == accepted, f"validate: {sorted(errors)}"
    assert schema_accepts(kind, data) == accepted


# ---------------------------------------------------------------- made-up values

def _date_text(year, month, day, hour, minute, zone, shape) -> str:
    text = f"{year:04d}" if year >= 0 else str(year)
    parts = [f"-{month:0{2 if month < 10 and shape % 2 else 1}d}", f"-{day:02d}", f"T{hour:02d}:{minute:02d}", zone]
    return text + "".join(parts[:shape])


date_texts = st.builds(_date_text, st.integers(-1, 10_001), st.integers(0, 14), st.integers(0, 33),
                       st.integers(0, 25), st.integers(0, 61),
                       st.sampled_from(["", "Z", "+03:00", "-14:00", "+14:01", "+1530", "-00:61"]), st.integers(0, 4))
texts = st.one_of(st.text(max_size=12), st.sampled_from(["", " ", "\u0007", "a\u0085b", "\ufffe", "x\u2028y"]))
values = st.one_of(texts, date_texts, st.integers(-200, 20_000), st.floats(-200, 200, allow_nan=False),
                   st.booleans(), st.none(), st.lists(st.one_of(texts, date_texts, st.integers(0, 3)), max_size=3),
                   st.sampled_from(["https://example.org/a", "http://x", "https://[::1]", "turkey", "a-b", "Saraqeb",
                                    "index", "Turkey"]))
# Every key of every table, from the tables themselves: a new key is probed without being listed here.
FIELDS = [("event", k) for k in EVENTS.keys() if k != "sources"] + [("event", f"sources.{k}") for k in SOURCES.keys()] + \
         [("place", k) for k in PLACE_KEYS.keys()] + [("period", k) for k in PERIODS.keys()]


def calendar_only(value: object) -> bool:
    """A date the pattern allows that the calendar does not have (30 February)."""
    if isinstance(value, str) and "-" in value:
        result = dates.parse_date(value)
        return isinstance(result, str) and "days" in result
    return False


@settings(max_examples=int(__import__("os").environ.get("AGREE_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), values)
def test_schema_and_validate_agree_on_made_up_values(field, value):
    kind, key = field
    assume(not calendar_only(value) and not (isinstance(value, list) and any(calendar_only(v) for v in value)))
    if key in ("place", "parent") and isinstance(value, str):
        assume(not value.strip() or key == "parent" and not SLUG.fullmatch(value.strip()))  # other entries' business
    data = document(kind, key, value)
    errors = validate_errors(kind, data)
    if key in ("end",) and errors == {"end-before-start"}:
        return  # the two dates compared: validate's alone
    if key == "parent" and errors == {"unknown-place"}:
        return  # a well-formed id (a number such as 1e-09 is written as one) of no place: validate's alone
    assert (not errors) == schema_accepts(kind, data), f"validate: {sorted(errors)}"
