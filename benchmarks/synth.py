"""Synthetic timeline projects for the benchmark: realistic in shape, deterministic for a seed.

`write_project` writes a project the real tool builds (events/<year>/<id>.md, places.yml,
periods.yml, and the repository's own mkdocs.yml, docs/ and overrides/ with the hook pointing
at the repository's build_timeline.py). `write_floor_project` and `write_hugo_project` write
the same event pages as plain Markdown, for the floors the benchmark compares against.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from timeline.writer import make_id  # the caller (bench.py) puts the repository on sys.path

YEARS = (2015, 2024)
N_PLACES = 300

PUBLISHERS = [
    "Le Monde", "The New Arab", "Deutsche Welle", "Reuters", "Associated Press", "Agence France-Presse",
    "Al Jazeera", "BBC News", "The Guardian", "The New York Times", "The Washington Post", "Financial Times",
    "Anadolu Agency", "TASS", "Hurriyet Daily News", "Middle East Eye", "Al-Monitor", "Enab Baladi",
    "Syria Direct", "The Economist", "Le Figaro", "Der Spiegel", "El Pais", "Corriere della Sera",
    "NPR", "CNN", "France 24", "Euronews", "Radio Free Europe", "Asharq Al-Awsat", "The National",
    "Daily Sabah", "Kommersant", "Al Arabiya", "Haaretz", "The Times", "The Independent", "Politico",
    "Foreign Policy", "UN News",
]

TAGS = [
    "airstrike", "shelling", "ground-offensive", "ceasefire", "negotiations", "displacement", "humanitarian",
    "refugees", "aid-convoy", "border", "turkey", "russia", "syrian-government", "opposition", "hts",
    "united-nations", "united-states", "european-union", "nato", "iran", "hezbollah", "kurdish-forces",
    "casualties", "civilians", "hospitals", "schools", "infrastructure", "checkpoint", "patrol", "drone",
    "artillery", "observation-post", "highway", "m4", "m5", "sanctions", "diplomacy", "summit",
    "statement", "protest", "detention", "journalists", "health", "covid-19", "winter", "camps",
    "water", "electricity", "economy", "currency", "fuel", "food-prices", "reconstruction", "mines",
    "chemical-weapons", "investigation", "report", "election", "amnesty", "prisoner-exchange",
]

SYLLABLES = ["al", "bar", "ka", "ra", "mun", "sa", "qeb", "tal", "dar", "kha", "fir", "jis", "zan", "hur",
             "ma", "lat", "ha", "bi", "shu", "ri", "ya", "dun", "kef", "ar", "nab", "mis", "tar", "qa",
             "sur", "hal", "ban", "jar", "mar", "zeb", "kur", "rum", "sel", "dab", "nu", "ef"]
PLACE_KINDS = ["town", "town", "town", "village", "village", "city", "district", "province"]

ACTORS = ["Government forces", "Turkish troops", "Russian aircraft", "Opposition fighters", "Rebel groups",
          "UN agencies", "Aid workers", "Local officials", "Residents", "Turkish and Russian officials",
          "The Syrian army", "Militants", "Civil defence teams", "Monitors", "Displaced families"]
VERBS = ["shell positions near", "advance on", "withdraw from", "clash around", "evacuate civilians from",
         "deliver aid to", "set up a checkpoint at", "report strikes on", "hold talks about", "patrol the road to",
         "capture villages near", "flee fighting in", "reopen the crossing at", "bomb a market in",
         "agree a local truce in"]
WORDS = ("the of and to in a that for on was with as by at from his their said were had have which after "
         "forces government troops fighting town village province road highway border crossing civilians "
         "residents families aid convoy hospital school market strike strikes shelling artillery aircraft "
         "ministry officials statement spokesman according report reported monitors observers agency "
         "ceasefire talks agreement negotiations delegation meeting summit week month morning evening night "
         "several dozens hundreds thousands people killed wounded displaced fled returned camps tents winter "
         "water food fuel prices shortage supplies trucks vehicles positions front line advance withdrawal "
         "control area region north south east west northern southern eastern western local international "
         "humanitarian organisations groups fighters militants opposition rebels army air defence patrol "
         "joint observation post posts drone drones attack attacks response warned called urged denied "
         "confirmed claimed estimated counted figures toll sources witnesses footage images satellite "
         "analysts said could would might since during before while despite amid following earlier later").split()


@dataclass
class Place:
    id: str
    name: str
    aliases: list[str]
    lat: float
    lon: float
    kind: str


@dataclass
class SynthEvent:
    id: str
    year: int
    title: str
    body: str
    text: str  # the whole file: front matter and body

    @property
    def relpath(self) -> str:
        return f"events/{self.year}/{self.id}.md"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------- places and periods

def make_places(rng: random.Random, count: int = N_PLACES) -> list[Place]:
    """`count` places with unique ids, names and aliases (compared in any case), 0–2 aliases each."""
    taken: set[str] = set()

    def fresh_word() -> str:
        while True:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            if rng.random() < 0.15:
                word = f"{word} al-{rng.choice(SYLLABLES).capitalize()}{rng.choice(SYLLABLES)}"
            if slug(word) not in taken:
                return word

    places = []
    for _ in range(count):
        name = fresh_word()
        place_id = slug(name)
        taken.update({place_id, slug(name)})
        aliases = []
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
            alias = variant(rng, name)
            if slug(alias) not in taken and alias.casefold() not in {place_id, name.casefold()}:
                aliases.append(alias)
                taken.add(slug(alias))
        places.append(Place(place_id, name, aliases, round(rng.uniform(34.5, 37.0), 4),
                            round(rng.uniform(35.8, 38.5), 4), rng.choice(PLACE_KINDS)))
    return places


def variant(rng: random.Random, name: str) -> str:
    """Another spelling a source might use: Saraqeb → Saraqib, Tell Saraqeb…"""
    swaps = [("e", "i"), ("q", "k"), ("a", "e"), ("u", "ou"), ("kh", "h"), ("i", "y")]
    rng.shuffle(swaps)
    for old, new in swaps:
        if old in name[1:]:
            return name[0] + name[1:].replace(old, new, 1)
    return f"Tell {name}"


def places_yaml(places: list[Place]) -> str:
    lines = ["# Synthetic gazetteer written by benchmarks/synth.py"]
    for p in places:
        lines += [f"{p.id}:", f"  name: {p.name}"]
        if p.aliases:
            lines.append(f"  aliases: [{', '.join(p.aliases)}]")
        lines += [f"  kind: {p.kind}", "  country: Syria", f"  lat: {p.lat}", f"  lon: {p.lon}"]
    return "\n".join(lines) + "\n"


PERIODS_YAML = """\
# Synthetic periods written by benchmarks/synth.py
- id: first-offensive
  title: First offensive
  start: 2015-09
  end: 2016-12-22
  description: A long campaign, as described by several of the sources.
- id: de-escalation
  title: De-escalation zones
  start: 2017-05-04
  end: 2019-04
- id: second-offensive
  title: Second offensive
  start: 2019-11
  end: 2020-03-05
  description: The period that ended with a ceasefire agreement.
"""


# ---------------------------------------------------------------- dates

@dataclass
class Dates:
    date: str           # as written in the file
    end: str | None
    first_day: dt.date  # the first day the date covers
    last_day: dt.date   # the last day the date or the end covers


def random_day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def make_dates(rng: random.Random) -> Dates:
    """~72% day, ~15% month, ~8% year, ~5% minute precision; ~10% with an `end`."""
    year = rng.randint(*YEARS)
    day = random_day(rng, year)
    roll = rng.random()
    if roll < 0.72:
        text, first, last = day.isoformat(), day, day
    elif roll < 0.87:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        text = f"{year}-{day.month:02d}"
    elif roll < 0.95:
        text, first, last = str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        offset = rng.choice(["+03:00", "+02:00", "+00:00", ""])
        text, first, last = f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}{offset}", day, day
    end = None
    if rng.random() < 0.10:
        end_day = last + dt.timedelta(days=rng.randint(1, 90))
        end, last = end_day.isoformat(), end_day
    return Dates(text, end, first, last)


# ---------------------------------------------------------------- text

def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_body(rng: random.Random, event_id: str) -> str:
    """100–300 words in 2–5 paragraphs, with some **bold** and links to https://example.org/…"""
    total = rng.randint(100, 300)
    paragraphs = rng.randint(2, 5)
    sizes = [total // paragraphs] * paragraphs
    sizes[-1] += total - sum(sizes)
    out = []
    for index, size in enumerate(sizes):
        sentences, left = [], size
        while left > 0:
            n = rng.randint(8, 22)
            if left - n < 6:  # no stub sentence at the end of a paragraph
                n = left
            sentences.append(sentence(rng, n))
            left -= n
        if rng.random() < 0.4:
            k = rng.randrange(len(sentences))
            sentences[k] = f"**{sentences[k][:-1]}**."
        if rng.random() < 0.3:
            k = rng.randrange(len(sentences))
            words = sentences[k][:-1].split(" ")
            cut = rng.randint(1, min(4, len(words)))
            link = " ".join(words[-cut:])
            sentences[k] = " ".join(words[:-cut] + [f"[{link}](https://example.org/reports/{event_id}-{index})"]) + "."
        out.append(" ".join(sentences))
    return "\n\n".join(out)


def spell_place(rng: random.Random, place: Place) -> str:
    """A place as an editor might write it: its id, name or an alias, in any letter case."""
    spelling = rng.choice([place.id, place.name, place.name, *place.aliases])
    return rng.choice([spelling, spelling, spelling.lower(), spelling.upper(), spelling.title()])


def source_lines(rng: random.Random, event_id: str, dates: Dates, dispute: bool) -> list[str]:
    lines = ["sources:"]
    publishers = rng.sample(PUBLISHERS, rng.randint(1, 3))
    for k, publisher in enumerate(publishers):
        published = dates.first_day + dt.timedelta(days=rng.randint(0, 40))
        headline = sentence(rng, rng.randint(6, 12))[:-1].replace(":", "")
        domain = slug(publisher).replace("-", "") + ".example.com"
        lines += [f"  - title: {headline}", f"    publisher: {publisher}",
                  f"    url: https://{domain}/news/{event_id}-{k}",
                  f"    published: {published.isoformat() if rng.random() < 0.9 else published.strftime('%Y-%m')}"]
        if dispute:
            lines.append(f"    claim: {sentence(rng, rng.randint(8, 16))}")
    return lines


# ---------------------------------------------------------------- events

def make_ids(rng: random.Random, count: int, places: list[Place]) -> list[tuple[str, Dates, str, list[Place]]]:
    """Id, dates, title and places of every event, before the texts (so `related` can name any id)."""
    taken: set[str] = set()
    plans = []
    for _ in range(count):
        dates = make_dates(rng)
        where = rng.sample(places, 2 if rng.random() < 0.10 else 1)
        title = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {where[0].name}"
        event_id = make_id(dates.date, title, taken)  # the tool's own id maker, as `new` and `import` use
        taken.add(event_id)
        plans.append((event_id, dates, title, where))
    return plans


def event_text(rng: random.Random, event_id: str, dates: Dates, title: str, where: list[Place],
               all_ids: list[str]) -> tuple[str, str]:
    lines = ["---", f"title: {title}", f"date: {dates.date}"]
    if dates.end:
        lines.append(f"end: {dates.end}")
    spellings = [spell_place(rng, p) for p in where]
    lines.append(f"place: [{', '.join(spellings)}]" if len(spellings) > 1 else f"place: {spellings[0]}")
    dispute = rng.random() < 0.03
    lines += source_lines(rng, event_id, dates, dispute)
    tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 2, 3, 4]))
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    if rng.random() < 0.20 and len(all_ids) > 2:
        related = [i for i in rng.sample(all_ids, 3) if i != event_id][:rng.randint(1, 2)]
        lines.append(f"related: [{', '.join(related)}]")
    if dispute:
        lines.append("dispute: Sources give different figures.")
    body = make_body(rng, event_id)
    return "\n".join(lines + ["---", body]) + "\n", body


def make_events(rng: random.Random, count: int, places: list[Place]) -> list[SynthEvent]:
    plans = make_ids(rng, count, places)
    all_ids = [p[0] for p in plans]
    events = []
    for event_id, dates, title, where in plans:
        text, body = event_text(rng, event_id, dates, title, where, all_ids)
        events.append(SynthEvent(event_id, int(dates.date[:4]), title, body, text))
    return events


# ---------------------------------------------------------------- projects

def project_mkdocs_yml(repo: Path) -> str:
    """The repository's mkdocs.yml with the hook given by absolute path."""
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (repo / "build_timeline.py").resolve()
    text, count = re.subn(r"(?m)^([ \t]*-[ \t]*)\S*build_timeline\.py[ \t]*$", lambda m: f"{m.group(1)}{hook}", text)
    if count != 1:
        raise RuntimeError("mkdocs.yml: expected one 'hooks:' entry naming build_timeline.py")
    return text


def copy_site_sources(repo: Path, root: Path) -> None:
    for folder in ("docs", "overrides"):
        if (repo / folder).is_dir():
            shutil.copytree(repo / folder, root / folder)


def write_events(root: Path, events: list[SynthEvent]) -> None:
    for event in events:
        path = root / event.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(event.text, encoding="utf-8")


def write_project(root: Path, count: int, seed: int, repo: Path) -> list[SynthEvent]:
    """A complete timeline project with `count` events; returns the events."""
    rng = random.Random(f"{seed}:{count}")
    places = make_places(rng)
    events = make_events(rng, count, places)
    root.mkdir(parents=True)
    (root / "places.yml").write_text(places_yaml(places), encoding="utf-8")
    (root / "periods.yml").write_text(PERIODS_YAML, encoding="utf-8")
    (root / "mkdocs.yml").write_text(project_mkdocs_yml(repo), encoding="utf-8")
    copy_site_sources(repo, root)
    write_events(root, events)
    return events


def plain_page(event: SynthEvent) -> str:
    return f"# {event.title}\n\n{event.body}\n"


def write_floor_project(root: Path, events: list[SynthEvent], repo: Path) -> None:
    """Plain MkDocs: the same pages as docs/events/<id>.md, the same theme, plugins and Markdown
    extensions as the real mkdocs.yml, the pages kept out of the nav, no hook."""
    from mkdocs.utils.yaml import get_yaml_loader  # it reads mkdocs.yml's !ENV tags
    real = yaml.load((repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=get_yaml_loader())  # noqa: S506
    config = {
        "site_name": f"Floor: {len(events)} plain pages",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": real["theme"],
        "plugins": real.get("plugins", ["search"]),
        "markdown_extensions": real.get("markdown_extensions", []),
        "not_in_nav": "/events/",
        "nav": [{"Home": "index.md"}],
    }
    (root / "docs" / "events").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if (repo / "overrides").is_dir() and "custom_dir" in real["theme"]:
        shutil.copytree(repo / "overrides", root / real["theme"]["custom_dir"])
    (root / "docs" / "index.md").write_text(f"# Floor\n\n{len(events)} plain pages.\n", encoding="utf-8")
    for event in events:
        (root / "docs" / "events" / f"{event.id}.md").write_text(plain_page(event), encoding="utf-8")


HUGO_LAYOUTS = {
    "baseof.html": ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                    '<body>{{ block "main" . }}{{ end }}</body></html>\n'),
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
    "list.html": ('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                  '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'),
}


def write_hugo_project(root: Path, events: list[SynthEvent]) -> None:
    """The same pages for Hugo, with a minimal layout."""
    (root / "content" / "events").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "config.toml").write_text('baseURL = "http://127.0.0.1/"\ntitle = "Floor"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (root / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    (root / "content" / "_index.md").write_text("---\ntitle: Floor\n---\n", encoding="utf-8")
    for event in events:
        (root / "content" / "events" / f"{event.id}.md").write_text(
            f"---\ntitle: {json.dumps(event.title)}\n---\n{event.body}\n", encoding="utf-8")
