"""Writing event files: the one writer `new` and `import` use, and the one maker of event ids.

A new file is written with python-frontmatter (a Post, dumped through a YAMLHandler of ours for
the project's layout), in the field table's key order and in the editing guide's style: each
value as its field's kind is written (dates and words unquoted, lists of tags on one line, each
source indented under `sources:`), other text double-quoted only where YAML needs it.
`fmt` cannot use this writer: it must keep an existing file's comments and quoting exactly, so it
moves lines of text instead (fmt.py).
"""
from __future__ import annotations

from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from .fields import EVENTS, Table
from .kinds import Date, OneOrMore, Records, Slugs
from .load import Loader
from .model import PartialDate, slugify
from .names import fold

ID_WORDS = 50  # characters of the title kept in an id, cut at a word


class DateText(str):
    """A date as editors type it: written without quotes (2017, 2019-12, 2020-02-03)."""


class FlowList(list):
    """A list written on one line: [turkey, syrian-government]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # "sources:\n  - title: …", as in the editing guide


def _reads_back(value: str) -> bool:
    try:
        return "\n" not in value and yaml.load(f"k: {value}", Loader=Loader) == {"k": value}
    except yaml.YAMLError:
        return False


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if _reads_back(value) else '"')


_Dumper.add_representer(str, _text)
_Dumper.add_representer(DateText, lambda d, v: d.represent_scalar(d.resolve(yaml.ScalarNode, str(v), (True, False)),
                                                                   str(v)))
_Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


class _EventHandler(YAMLHandler):
    """The project's layout: the body right under the closing fence, one newline at the end (the
    library's default puts a blank line between them and none at the end)."""

    def format(self, post: frontmatter.Post, **kwargs: object) -> str:
        metadata = self.export(post.metadata, **kwargs)
        return f"---\n{metadata}\n---\n" + (f"{post.content}\n" if post.content else "")


def as_written(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Values (text, lists, dates) as the front matter writes them: in the table's key order, each
    by its field's kind."""
    out: dict[str, Any] = {}
    for f in table.fields:
        value = values.get(f.key)
        if value is None or value == [] or value == ():
            continue  # an empty list is no list: the key is left out
        if isinstance(f.kind, Date):
            value = DateText(value.iso() if isinstance(value, PartialDate) else value)
        elif isinstance(f.kind, (OneOrMore, Slugs)) and isinstance(value, (list, tuple)):
            value = value[0] if len(value) == 1 and isinstance(f.kind, OneOrMore) else FlowList(value)
        elif isinstance(f.kind, Records):
            value = [as_written(f.kind.table, item) for item in value]
        out[f.key] = value
    known = set(table.keys())
    out.update((key, value) for key, value in values.items() if key not in known and value is not None)
    return out


def event_file(fields: dict[str, Any], body: str = "") -> str:
    """The text of an event file: its front matter (as_written), then the body."""
    post = frontmatter.Post(body.strip("\n"))
    post.metadata.update(as_written(EVENTS, fields))
    return frontmatter.dumps(post, handler=_EventHandler(), Dumper=_Dumper, sort_keys=False, width=2**31,
                             allow_unicode=True)


def make_id(date_iso: str, title: str, taken: set[str]) -> str:
    """`2020-02-03-clashes-around-saraqeb`: the date at its precision, then the title's first words;
    `-2`, `-3`… when that is taken. `taken` holds folded ids (names.fold), as duplicate ids are
    compared."""
    words = slugify(title)
    if len(words) > ID_WORDS:
        cut = words[:ID_WORDS + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else words[:ID_WORDS]
    return unique(f"{date_iso[:10]}-{words or 'event'}", taken)


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… if it is taken (`taken` holds folded ids)."""
    candidate, number = base, 2
    while fold(candidate) in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
