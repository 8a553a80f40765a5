"""The JSON Schemas editors' tools use agree with `validate`, on every example and every bad case
the schema can express. Rules that need the whole project stay with `validate` only; the list of
them is checked too, so it cannot hide a disagreement."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO
from test_validate import BASE, CASES, E, fm

from timeline.schema import event_json_schema, periods_json_schema, places_json_schema, publishers_json_schema


class Yaml12Loader(yaml.SafeLoader):
    """What an editor's YAML 1.2 tool sees: 2020-02-03 is text, only true/false are booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

# Problems only `validate` can see: they need the calendar, the gazetteer, other files, the body,
# the file itself, or are warnings (which a schema cannot express).
VALIDATE_ONLY = {"file-too-large", "not-utf8", "not-utf8-16", "binary-file", "empty-file", "only-bom",
                 "no-front-matter", "unclosed-front-matter", "yaml-syntax", "yaml-alias", "bad-key",
                 "yaml-tag", "bad-date", "end-before-start", "bad-id", "bad-id-cyrillic", "unknown-place",
                 "unknown-related", "bad-related", "duplicate-id", "unsafe-html", "unsafe-html-entity",
                 "unsafe-html-script", "duplicate-place", "duplicate-entry", "published-before-event",
                 "duplicate-url", "publisher-spelling", "not-markdown", "missing-places", "duplicate-key",
                 "places-duplicate-key", "duplicate-alias", "periods-duplicate-id", "periods-end-before-start",
                 "empty-front-matter", "body-too-deep", "body-too-deep-tabs", "body-too-large", "body-control-character",
                 "unsafe-html-quoted-gt", "unsafe-html-split-scheme", "bad-id-long",
                 "end-before-start-offsets",
                 "no-archive-required",
                 # a range's order, sources counted as independent, publishers.yml's names: beyond a schema
                 "bad-figure-backwards", "status-unsupported", "status-corroborated-by-a-republisher",
                 "unknown-publisher", "unknown-publisher-origin"}  # mkdocs.yml's `archives: require`: a setting of the site, not of the file


def front_matter(text: str) -> object:
    return yaml.load(text.split("---\n")[1], Loader=Yaml12Loader)


def schema_errors(schema: dict, data: object) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_schemas_are_valid_json_schema():
    for schema in (event_json_schema(), places_json_schema(), periods_json_schema()):
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", sorted((REPO / "events").rglob("*.md")), ids=lambda p: p.name)
def test_every_example_event_matches(path: Path):
    assert schema_errors(event_json_schema(), front_matter(path.read_text(encoding="utf-8"))) == []


def test_example_places_and_periods_match():
    assert schema_errors(places_json_schema(), yaml.load((REPO / "places.yml").read_text(), Loader=Yaml12Loader)) == []
    assert schema_errors(periods_json_schema(), yaml.load((REPO / "periods.yml").read_text(), Loader=Yaml12Loader)) == []


def _errors(lines: list[str]) -> bool:
    return any(": error: " in line for line in lines)


# The cases validate rejects (warnings are beyond a schema), and those it accepts, with or without warnings.
SCHEMA_CASES = [c for c in CASES if c[0] not in VALIDATE_ONLY and _errors(c[2])]
ACCEPTED_CASES = [c for c in CASES if not _errors(c[2])]


def _schema_and_data(path: str, content: str) -> tuple[dict, object]:
    if path == "publishers.yml":
        return publishers_json_schema(), yaml.load(content, Loader=Yaml12Loader)
    if path == "places.yml":
        return places_json_schema(), yaml.load(content, Loader=Yaml12Loader)
    if path == "periods.yml":
        return periods_json_schema(), yaml.load(content, Loader=Yaml12Loader)
    return event_json_schema(), front_matter(content)


@pytest.mark.parametrize("code,files,expected", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_rejects_what_validate_rejects(code, files, expected):
    (path, content), = [(p, c) for p, c in files.items() if c is not None and p != "events/x-clash.md"]
    assert schema_errors(*_schema_and_data(path, content)), f"{code}: validate says {expected}, the schema accepts it"


@pytest.mark.parametrize("code,files,expected", ACCEPTED_CASES, ids=[c[0] for c in ACCEPTED_CASES])
def test_schema_accepts_what_validate_accepts(code, files, expected):
    for path, content in files.items():
        if isinstance(content, str) and (path.endswith(".yml") or path.endswith(".md")) and path != "mkdocs.yml":
            assert schema_errors(*_schema_and_data(path, content)) == [], f"{code}: {path}"


def schema_view(path: str, content: str | bytes) -> tuple[dict, object] | None:
    """(schema, data) as an editor's tool sees the file; None when no YAML tool could read it at all."""
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        if not path.endswith(".yml"):
            if text.count("---\n") < 2:
                return None  # no front matter to check
            text = text.split("---\n")[1]
        data = yaml.load(text, Loader=Yaml12Loader)
    except (UnicodeDecodeError, yaml.YAMLError, ValueError, TypeError):
        return None
    schema = places_json_schema() if path == "places.yml" else periods_json_schema() \
        if path == "periods.yml" else publishers_json_schema() if path == "publishers.yml" else event_json_schema()
    return schema, data


@pytest.mark.parametrize("code", sorted(VALIDATE_ONLY & {c[0] for c in CASES}))
def test_validate_only_cases_really_need_validate(code):
    """Each case left to `validate` is one the schema accepts (else it belongs in the cases the schema
    must reject), or one no schema tool can even read (not YAML, not text, no front matter)."""
    files = next(c[1] for c in CASES if c[0] == code)
    verdicts = []
    for path, content in files.items():
        if content is None or path in ("events/x-clash.md", "mkdocs.yml"):
            continue  # the case's helper files, not the one under test
        if not path.endswith((".md", ".yml")):
            verdicts.append("not read by any schema")
            continue
        view = schema_view(path, content)
        if view is None:
            verdicts.append("unreadable")
        elif not isinstance(view[1], (dict, list)):
            verdicts.append("not a mapping")
        else:
            verdicts.append("accepted" if schema_errors(*view) == [] else "rejected")
    assert verdicts, f"{code}: no file of the case was looked at"
    assert "rejected" not in verdicts or code in {"duplicate-key", "places-duplicate-key"}, (code, verdicts)


def test_good_variants_accepted_by_both(project):
    variants = ["title: T\ndate: 2017\nplace: [Saraqeb, Idlib]\nsources:\n  - {title: A, publisher: P}\n",
                BASE + "end: 2020-03\ntags: turkey\nrelated: [e2]\ndispute: Figures differ.\n",
                BASE.replace("2020-02-03", "2020-02-03T10:00+03:00")]
    project.write("events/e2.md", fm(BASE))
    for text in variants:
        project.write(E, fm(text))
        assert project.run("validate")[0] == 0, text
        assert schema_errors(event_json_schema(), front_matter(fm(text))) == [], text
    published = json.loads((REPO / "schemas" / "event.schema.json").read_text())
    assert published == event_json_schema()
