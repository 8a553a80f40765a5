"""Writing event files: the one writer `new` and `import` use, and the one maker of event ids.

A new file is written with python-frontmatter (a Post dumped through its YAML handler), in the
field table's key order and in the editing guide's style: dates and words unquoted, tags on one
line, each source indented under `sources:`, other text double-quoted only where YAML needs it.
`fmt` cannot use this writer: it must keep an existing file's comments and quoting exactly, so it
moves lines of text instead (fmt.py).
"""
from __future__ import annotations

import frontmatter
import yaml

from .fields import EVENTS, SOURCES
from .model import slugify
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
        return "\n" not in value and yaml.load(f"k: {value}", Loader=yaml.CSafeLoader) == {"k": value}
    except yaml.YAMLError:
        return False


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if _reads_back(value) else '"')


_Dumper.add_representer(str, _text)
_Dumper.add_representer(DateText, lambda d, v: d.represent_scalar(d.resolve(yaml.ScalarNode, str(v), (True, False)),
                                                                   str(v)))
_Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _ordered(values: dict, keys: list[str]) -> dict:
    rank = {key: i for i, key in enumerate(keys)}
    return dict(sorted(values.items(), key=lambda kv: rank.get(kv[0], len(keys))))


def event_file(fields: dict, body: str = "") -> str:
    """The text of an event file: front matter in the field table's order, then the body."""
    metadata = _ordered(fields, EVENTS.keys())
    if isinstance(metadata.get("sources"), list):
        metadata["sources"] = [_ordered(source, SOURCES.keys()) for source in metadata["sources"]]
    post = frontmatter.Post(body.strip("\n"))
    post.metadata.update(metadata)
    return frontmatter.dumps(post, Dumper=_Dumper, sort_keys=False, width=2**31, allow_unicode=True) + "\n"


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
