"""The JSON Schemas editors' tools use (VS Code's YAML extension), made from the field tables.

They describe what an editor types, as a YAML 1.2 tool reads it (an unquoted 2020-02-03 is text,
2017 a number). What a schema cannot say stays with `validate` (see fields.py): places, related
and unique ids (other files), the calendar, the body, warnings, and YAML 1.1-only readings.
"""
from __future__ import annotations

import json

from .fields import EVENTS, PERIODS, PLACES, PUBLISHERS
from .kinds import MAX_SLUG, RESERVED_IDS, SLUG_PATTERN

SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"
# Mapping keys are taken as written (not trimmed), unlike values. A place id names a page beside
# the list of places, so the list's own name is reserved.
PLACE_IDS = {"pattern": rf"^(?!(?:{'|'.join(sorted(RESERVED_IDS))})$){SLUG_PATTERN}$", "maxLength": MAX_SLUG}
PERIOD_IDS = {"pattern": f"^{SLUG_PATTERN}$", "maxLength": MAX_SLUG}


def event_json_schema() -> dict:
    """Front matter of an event file."""
    needs = {"disputed": "dispute", "retracted": "corrections", "verified": "verification"}  # (status rules a
    rules = [{"if": {"properties": {"status": {"const": status}}, "required": ["status"]},  # schema can state)
              "then": {"required": [key]}} for status, key in needs.items()]
    return {"$schema": SCHEMA_BASE, "$id": "event.schema.json", "title": "Timeline event front matter",
            **EVENTS.schema(), "allOf": rules}


def places_json_schema() -> dict:
    place = PLACES.schema()
    place["dependentRequired"] = {"lat": ["lon"], "lon": ["lat"]}
    return {"$schema": SCHEMA_BASE, "$id": "places.schema.json", "title": "Timeline gazetteer (places.yml)",
            "type": "object", "propertyNames": PLACE_IDS, "additionalProperties": place}


def publishers_json_schema() -> dict:
    return {"$schema": SCHEMA_BASE, "$id": "publishers.schema.json", "title": "Timeline publishers (publishers.yml)",
            "type": "object", "propertyNames": PLACE_IDS, "additionalProperties": PUBLISHERS.schema()}


def periods_json_schema() -> dict:
    return {"$schema": SCHEMA_BASE, "$id": "periods.schema.json", "title": "Timeline periods (periods.yml)",
            "anyOf": [{"type": "array", "items": PERIODS.schema()},
                      {"type": "object", "propertyNames": PERIOD_IDS, "additionalProperties": PERIODS.schema(("id",))}]}


def json_schema_files() -> dict[str, str]:
    """schemas/*.json: written by `python build_timeline.py schema` and published with the site."""
    schemas = {"event.schema.json": event_json_schema(), "places.schema.json": places_json_schema(),
               "periods.schema.json": periods_json_schema(), "publishers.schema.json": publishers_json_schema()}
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}
