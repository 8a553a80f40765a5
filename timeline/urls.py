"""Every address in the site: where each generated page and file lives, and how pages link.

Pages are named by their source uri, as if they were Markdown files in docs/ ('events/x.md');
`Urls` turns one into the site-relative URL MkDocs will give it and writes relative links, so the
site works on any host and in any subfolder.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .kinds import RESERVED_IDS
from .model import slugify

HOME = "index.md"
MAP = "map.md"
CHANGES = "changes.md"  # what changed, from git (pages/changes.py)
PLACES_INDEX, TAGS_INDEX, SOURCES_INDEX = "places/index.md", "tags/index.md", "sources/index.md"
FILTER_INDEX = "timeline-index.json"  # what the filters of a split timeline search
MAP_PLACES = "map-places.json"  # every place on the map, for the maps with too many to carry inline
SCHEMAS = "schemas"  # the JSON Schemas for editors' tools, published with the site
ASSETS = "assets/timeline"  # the timeline's own CSS, script and bundled libraries
WORLD = "vendor/world-atlas/countries-110m.json"  # the map's country outlines, under ASSETS


def event_uri(event_id: str) -> str:
    return f"events/{event_id}.md"


def event_anchor(event_id: str) -> str:
    """An event's element id on the timeline page that lists it. Namespaced: an event id can be any
    slug, so bare it could equal a year or month heading's id (2020, february-2020) or a period's."""
    return f"event-{event_id}"


def place_uri(place_id: str) -> str:
    return f"places/{place_id}.md"


def tag_uri(tag: str) -> str:
    return f"tags/{tag}.md"


MAX_PUBLISHER_SLUG = 80


def publisher_slug(publisher: str) -> str:
    """The URL name of a publisher's page, and so what makes two spellings one publisher.

    A Latin-script name is slugified as ids are ("Le Monde" → le-monde); any other keeps its letters
    (الجزيرة نت → الجزيرة-نت: a readable address, where a code would tell a reader nothing). Too long a
    name is cut and keeps a code of the whole; a name with no letters at all gets only the code. A
    code follows a double hyphen, which no slug holds, so it never meets another publisher's name."""
    latin = all(unicodedata.name(c, "").startswith("LATIN") for c in publisher if c.isalpha())
    slug = slugify(publisher) if latin else re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", publisher).casefold())
    slug = slug.strip("-")
    code = hashlib.sha1(publisher.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug or slug in RESERVED_IDS:
        return f"publisher--{code}"
    if len(slug) > MAX_PUBLISHER_SLUG:
        return f"{slug[:MAX_PUBLISHER_SLUG].rstrip('-')}--{code}"
    return slug


def source_uri(slug: str) -> str:
    """A publisher's page, by its slug (publisher_slug)."""
    return f"sources/{slug}.md"


def year_uri(year: int) -> str:
    """A year of a timeline too long for one page."""
    return f"timeline/{year}.md"


def month_uri(year: int, month: int) -> str:
    return f"timeline/{year}/{month:02d}.md"


def part_uri(first: str, number: int) -> str:
    """Part `number` of a list cut into pages: the first keeps its uri, the others add -2, -3…
    (timeline/2020/02.md → timeline/2020/02-2.md)."""
    return first if number == 1 else f"{first[:-3]}-{number}.md"


def split_uri(base: str, year: int) -> str:
    """A year of a place, tag or source page too long for one page: places/x.md → places/x/2020.md."""
    return f"{base[:-3]}/{year}.md"


def asset(path: str) -> str:
    return f"{ASSETS}/{path}"


@dataclass(frozen=True)
class Urls:
    directory_urls: bool = True

    def url(self, uri: str) -> str:
        """Site-relative URL of a source uri: 'events/x.md' → 'events/x/'."""
        stem = uri[:-3]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return (stem[:-len("index")] if stem.endswith("/index") else stem + "/")

    def href(self, from_uri: str, to_uri: str) -> str:
        """A relative link from one page to a page (a .md uri) or a file (a site path)."""
        here = self.url(from_uri)
        folder = here if here.endswith("/") else here.rpartition("/")[0] + "/" if "/" in here else ""
        return _relative(folder, self.url(to_uri) if to_uri.endswith(".md") else to_uri)


def _relative(folder: str, target: str) -> str:
    """'events/x/' to 'tags/t/' → '../../tags/t/'. Both are site-relative; `folder` ends with '/' or is ''."""
    here = folder.split("/")[:-1] if folder else []
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:]) or "./"
