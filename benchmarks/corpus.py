"""A second generator of benchmark projects, written apart from synth.py so that neither the tool
nor the benchmark is tuned to one corpus: different words, dates, ids and layout, and a `shape`
that sets how many publishers, places and tags the events share. Few publishers is what makes
a source page long; many tags and places make many small pages and long indexes.

    corpus.write(root, events=10_000, shape="few", seed=7, repo=REPO)  → a project the tool builds
    corpus.write_floor(root, made, repo=REPO)  → the same bodies as plain MkDocs pages

Deterministic for a seed.
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

SHAPES = {  # publishers, places, tags
    "few": (3, 6, 4),
    "mixed": (60, 400, 80),
    "many": (2_000, 3_000, 1_500),
}

ONSETS = ["kr", "v", "sh", "gl", "t", "m", "br", "z", "d", "p", "l", "n", "h", "st", "qu"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
CODAS = ["n", "r", "sk", "l", "m", "t", "x", "", "", "nd"]
LEXICON = ("council convoy ministry harbour bridge patrol ceasefire protest shelter clinic mayor envoy "
           "village district corridor airstrike drone statement talks summit refugees winter fuel water "
           "rations checkpoint border crossing monitors delegation report casualties wounded evacuation "
           "market school road highway station negotiators observers militia army police residents").split()


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))


@dataclass(frozen=True)
class Made:
    """One generated event, as the benchmark needs it (the fields bench.py and synth's floor read)."""

    id: str
    title: str
    body: str
    relpath: str


def _names(rng: random.Random, count: int, syllables: int, taken: set[str]) -> list[str]:
    out = []
    while len(out) < count:
        name = word(rng, syllables).capitalize() + (f" {word(rng, 1).capitalize()}" if rng.random() < 0.3 else "")
        slug = name.lower().replace(" ", "-")
        if slug not in taken:
            taken.add(slug)
            out.append(name)
    return out


def write(root: Path, events: int, shape: str = "mixed", seed: int = 7, repo: Path | None = None) -> list[Made]:
    """A project of `events` events in `root`: events/<year>/<month>/<id>.md, places.yml, periods.yml,
    and the repository's mkdocs.yml, docs/ and overrides/ (the hook named by its absolute path)."""
    rng = random.Random(f"{seed}-{shape}-{events}")
    n_publishers, n_places, n_tags = SHAPES[shape]
    taken: set[str] = set()
    publishers = _names(rng, n_publishers, 2, taken)
    places = _names(rng, n_places, 3, taken)
    tags = sorted({word(rng, 2) for _ in range(n_tags * 2)})[:n_tags]
    place_ids = [p.lower().replace(" ", "-") for p in places]
    gazetteer = {pid: {"name": name, "lat": round(rng.uniform(30.0, 40.0), 4), "lon": round(rng.uniform(33.0, 44.0), 4)}
                 for pid, name in zip(place_ids, places, strict=True)}
    root.mkdir(parents=True, exist_ok=True)
    (root / "places.yml").write_text(yaml.safe_dump(gazetteer, allow_unicode=True, sort_keys=True), encoding="utf-8")
    (root / "periods.yml").write_text(yaml.safe_dump({
        "first-phase": {"title": "First phase", "start": "2011-03-01", "end": "2014-12-31"},
        "second-phase": {"title": "Second phase", "start": "2015-01-01"}}, sort_keys=False), encoding="utf-8")
    made: list[Made] = []
    start = dt.date(2011, 3, 1)
    used: set[str] = set()
    for number in range(events):
        day = start + dt.timedelta(days=int(rng.triangular(0, 5000, 4200)))
        precision = rng.choices(["day", "month", "year"], weights=[85, 12, 3])[0]
        date = day.isoformat() if precision == "day" else day.isoformat()[:7] if precision == "month" else str(day.year)
        headline = " ".join(rng.choice(LEXICON) for _ in range(rng.randint(3, 8)))
        title = f"{headline.capitalize()} near {rng.choice(places)}"
        stem = f"{date}-{'-'.join(headline.split()[:4])}"
        event_id = stem if stem not in used else f"{stem}-{number}"
        used.add(event_id)
        where = rng.sample(place_ids, k=min(len(place_ids), rng.choice([1, 1, 1, 2])))
        chosen_tags = rng.sample(tags, k=min(len(tags), rng.randint(0, 3)))
        sources = []
        for count in range(rng.choice([1, 1, 2, 3])):
            published = min(day + dt.timedelta(days=rng.randint(0, 20)), dt.date(2024, 12, 31))
            sources.append({"title": f"{headline.capitalize()}, report {count + 1}",
                            "publisher": rng.choice(publishers),
                            "url": f"https://news{rng.randint(1, 99)}.example.org/{event_id}/{count}",
                            "published": published.isoformat() if precision == "day" else None})
        paragraphs = [" ".join(rng.choice(LEXICON) for _ in range(rng.randint(20, 70))).capitalize() + "."
                      for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.3:
            paragraphs.append(f"See [the report]({sources[0]['url']}) for *details*.")
        body = "\n\n".join(paragraphs)
        lines = ["---", f"title: {yaml.safe_dump(title, width=10**6).strip().removesuffix('...').strip()}",
                 f"date: {date}", "place: " + (where[0] if len(where) == 1 else "[" + ", ".join(where) + "]")]
        if chosen_tags:
            lines.append("tags: [" + ", ".join(chosen_tags) + "]")
        lines.append("sources:")
        for source in sources:
            lines.append(f"  - title: {source['title']}")
            lines.append(f"    publisher: {source['publisher']}")
            lines.append(f"    url: {source['url']}")
            if source["published"] and source["published"] >= day.isoformat():
                lines.append(f"    published: {source['published']}")
        lines += ["---", body, ""]
        relpath = f"events/{day.year}/{day.month:02d}/{event_id}.md"
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
        made.append(Made(event_id, title, body, relpath))
    if repo is not None:
        config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(config.replace("  - build_timeline.py", f"  - {repo / 'build_timeline.py'}"),
                                         encoding="utf-8")
        for name in ("docs", "overrides"):
            if (repo / name).is_dir():
                shutil.copytree(repo / name, root / name, dirs_exist_ok=True)
    return made
