"""The editing guide's reference tables, generated from the field tables and the diagnostic
codes, so that the guide never drifts from what `validate` does."""
from __future__ import annotations

import re

from .diagnostics import CODES
from .fields import CORRECTIONS, EVENTS, PERIODS, PLACES, PUBLISHERS, SOURCES, Table

# Each generated part sits between its two markers in docs/editing.md, committed (so the guide reads
# whole on GitHub, where editors are sent) and rewritten by `python build_timeline.py schema`.
PARTS = {"fields": lambda: fields_markdown(), "codes": lambda: codes_markdown()}
_PART = re.compile(r"<!-- timeline:(?P<name>fields|codes) -->(?:\n.*?<!-- /timeline:(?P=name) -->)?", re.S)


def _table(table: Table) -> str:
    rows = ["| key | required | what to write | example |", "|---|---|---|---|"]
    for f in table.fields:
        example = f"`{f.example}`" if f.example else ""
        limit = getattr(f.kind, "limit", None)
        doc = f"{f.doc} At most {limit}." if limit else f.doc
        rows.append(f"| `{f.key}` | {'yes' if f.required else 'no'} | {doc} | {example} |")
    return "\n".join(rows)


def fields_markdown() -> str:
    """The field reference of the editing guide."""
    return (f"### Event keys\n\n{_table(EVENTS)}\n\n### Source keys (each item of `sources`)\n\n"
            f"{_table(SOURCES)}\n\n### Place keys (in places.yml)\n\n{_table(PLACES)}\n\n"
            f"### Period keys (in periods.yml)\n\n{_table(PERIODS)}\n\n"
            f"### Correction keys (each item of `corrections`)\n\n{_table(CORRECTIONS)}\n\n"
            f"### Publisher keys (in publishers.yml)\n\n{_table(PUBLISHERS)}\n")


def codes_markdown() -> str:
    rows = ["| code | level | meaning |", "|---|---|---|"]
    rows += [f"| `{code}` | {level} | {text} |" for code, (level, text) in CODES.items()]
    return "\n".join(rows) + "\n"


def fill(markdown: str, markers: bool = True) -> str:
    """The page with each generated part rewritten between its markers (a lone opening marker gets
    its part and the closing marker); without the markers for the site, where they would only be
    noise in the HTML."""
    def part(match: re.Match) -> str:
        name, text = match["name"], PARTS[match["name"]]().strip()
        return f"<!-- timeline:{name} -->\n\n{text}\n\n<!-- /timeline:{name} -->" if markers else text
    return _PART.sub(part, markdown)
