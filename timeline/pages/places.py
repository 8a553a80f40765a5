"""Where things happened: a page per place (with a small map) and the map of every place.

The maps are Leaflet, bundled with the site. Their data sits in a JSON block (inert under any
Content-Security-Policy), or for a map of more than MAP_INLINE_AT_MOST places in map-places.json;
without script, tiles or network, the lists beside them carry the links.
"""
from __future__ import annotations

import json
import math

from ..claims import totals
from ..markup import attr, esc, heading, json_in_html, plural
from ..model import Place
from ..urls import HOME, MAP, MAP_PLACES, PLACES_INDEX, WORLD, asset, place_uri
from .common import COUNTING_RULE, HtmlPage, Plan, count_line, figures_line, split_listing

MAP_DATA_ID = "tl-map-data"


NEIGHBOURS, NEIGHBOUR_KM = 30, 200  # what a place page's map shows around the place: each page stays small
CORE_SHARE = 0.8  # the first view fits the places nearest the busiest ones holding this share of events
MAP_INLINE_AT_MOST = 400  # a map of more places loads them from MAP_PLACES: each costs its page ~150 bytes


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def core_places(places: list[Place], counts: dict[str, int]) -> set[str]:
    """The places the map's first view fits: around the busiest place, the nearest ones that
    together hold most events, and any as near as those. Far ones (a capital where a statement was
    made) stay one "Show all places" away, so the places where most happened are told apart."""
    if len(places) <= 2:
        return {p.id for p in places}
    busiest = max(places, key=lambda p: (counts.get(p.id, 0), p.name, p.id))
    near = sorted(places, key=lambda p: (_km(busiest, p), p.id))
    total, held, reach = sum(counts.get(p.id, 0) for p in places), 0, 0.0
    for place in near:
        held += counts.get(place.id, 0)
        reach = _km(busiest, place)
        if held >= CORE_SHARE * total:
            break
    reach = max(reach * 1.25, 25.0)
    return {p.id for p in places if _km(busiest, p) <= reach}


def size_key(counts: list[int]) -> str:
    """What a marker's size means, drawn as the map draws it (map.js: diameter 19 + 5 √count px)."""
    if not counts:
        return ""
    top = max(counts)
    steps = sorted({1, max(1, round(top / 2)), top})
    circles, x = [], 0.0
    tall = 19 + 5 * math.sqrt(top)
    for n in steps:
        d = 19 + 5 * math.sqrt(n)
        circles.append(f'<circle class="tl-key-marker" cx="{x + d / 2:.1f}" cy="{tall - d / 2 + 1:.1f}" r="{d / 2 - 0.5:.1f}"/>'
                       f'<text x="{x + d / 2:.1f}" y="{tall + 13:.1f}" text-anchor="middle">{n}</text>')
        x += d + 14
    return (f'<p class="tl-map-key"><svg viewBox="0 0 {x:.0f} {tall + 16:.0f}" width="{x:.0f}" height="{tall + 16:.0f}" '
            'aria-hidden="true">'
            + "".join(circles) + f'</svg> <span>A marker\'s size is its number of events (from 1 to {top}).'
            " Labelled: the busiest places.</span></p>")


def _map_data(plan: Plan, here: str, located: list[Place], focus: str | None) -> list[dict]:
    counts = {p.id: len(plan.ix.by_place.get(p.id, [])) for p in located}
    core = {focus} if focus else core_places(located, counts)
    return [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": counts[p.id],
             "url": plan.urls.href(here, place_uri(p.id)), "core": p.id in core, "here": p.id == focus}
            for p in located]


def mapped_places(plan: Plan) -> list[Place]:
    """The places the timeline's maps (its home page and the map page) show: those with events and
    coordinates."""
    ix = plan.ix
    return [ix.timeline.places[p] for p in sorted(ix.by_place) if ix.timeline.places[p].has_coordinates]


def map_places(plan: Plan) -> str:
    """map-places.json: the timeline's map data, its links relative to the file (map.js resolves them)."""
    return json.dumps({"version": 1, "places": _map_data(plan, HOME, mapped_places(plan), None)},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def map_block(plan: Plan, here: str, places: list[Place], label: str, focus: str | None = None,
              every: bool = False) -> str:
    """A map of `places` (with events); `focus`: the one place a place page is about, drawn among
    its neighbours. `every`: `places` are mapped_places, which map-places.json holds; a map of more
    than MAP_INLINE_AT_MOST reads them there."""
    located = [p for p in places if p.has_coordinates]
    if not located:
        return ""

    def href(path: str) -> str:
        return attr(plan.urls.href(here, asset(path)))

    if every and len(located) > MAP_INLINE_AT_MOST:
        assert {p.id for p in located} == {p.id for p in mapped_places(plan)}
        source, data = f'data-src="{attr(plan.urls.href(here, MAP_PLACES))}"', ""
    else:
        source = f'data-places="{MAP_DATA_ID}"'
        data = (f'<script type="application/json" id="{MAP_DATA_ID}">'
                f"{json_in_html(_map_data(plan, here, located, focus))}</script>")
    counts = [len(plan.ix.by_place.get(p.id, [])) for p in places]
    return ('<div class="tl-map-block">'
            f'<link rel="stylesheet" href="{href("vendor/leaflet/leaflet.css")}">'
            f'<div class="tl-map" role="region" aria-label="{esc(label)}" {source} '
            f'data-tiles="{esc(plan.settings.tiles)}" data-attribution="{esc(plan.settings.attribution)}" '
            f'data-world="{href(WORLD)}" hidden></div>'
            f'<noscript><p class="tl-note">The map needs JavaScript; every place is listed on '
            f'{plan.link(here, PLACES_INDEX, "the places page")}.</p></noscript>'
            + ("" if focus else size_key([c for c in counts if c]))
            + data
            + f'<script src="{href("vendor/leaflet/leaflet.js")}"></script>'
            f'<script src="{href("vendor/topojson-client/topojson-client.min.js")}"></script>'
            f'<script src="{href("map.js")}"></script>'
            "</div>\n")


def map_page(plan: Plan) -> HtmlPage:
    ix = plan.ix
    places = sorted((ix.timeline.places[p] for p in ix.by_place), key=lambda p: (p.name.casefold(), p.id))
    located = [p for p in places if p.has_coordinates]
    rows = "".join(f"<li>{plan.link(MAP, place_uri(p.id), p.name)} "
                   f'<span class="tl-count-n">({plural(len(ix.by_place[p.id]), "event")})</span></li>'
                   for p in places)
    unplaced = len(places) - len(located)
    note = f'<p class="tl-note">{unplaced} place{"s have" if unplaced != 1 else " has"} no coordinates and ' \
           "appear only in the list.</p>\n" if unplaced else ""
    return HtmlPage("Map", "<h1>Map</h1>\n"
                    + f'<p class="tl-summary">{len(located)} places with events. Select a place to see its events.</p>\n'
                    + map_block(plan, MAP, located, "Map of the places with events", every=True)
                    + heading(2, "All places with events") + f'<ul class="tl-place-list">{rows}</ul>\n' + note)


def _coordinates(lat: float, lon: float) -> str:
    return (f'<span class="tl-coords" data-lat="{lat}" data-lon="{lon}">'
            f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}</span>")


def place_page(plan: Plan, place: Place) -> tuple[HtmlPage, dict[str, HtmlPage]]:
    """The place's page, and the pages of its years when its list is too long for one."""
    ix = plan.ix
    here = place_uri(place.id)
    out = [f"<h1>{esc(place.name)}</h1>\n"]
    facts = []
    if place.aliases:
        facts.append("<dt>Also spelled</dt><dd>" + ", ".join(esc(a) for a in place.aliases) + "</dd>")
    if place.kind or place.country:
        facts.append("<dt>Kind</dt><dd>" + esc(", ".join(x for x in (place.kind, place.country) if x)) + "</dd>")
    if place.parent and place.parent in ix.timeline.places:  # (a parent of a place with a page has one)
        facts.append("<dt>Part of</dt><dd>" + plan.link(here, place_uri(place.parent), ix.place_name(place.parent))
                     + "</dd>")
    if place.lat is not None and place.lon is not None:
        facts.append(f"<dt>Coordinates</dt><dd>{_coordinates(place.lat, place.lon)}</dd>")
    if facts:
        out.append('<dl class="tl-facts">' + "".join(facts) + "</dl>\n")
    if place.description:
        out.append(f"<p>{esc(place.description)}</p>\n")
    if place.has_coordinates:  # among the nearest other places with events, for context
        near = sorted((p for i in ix.by_place if i != place.id and (p := ix.timeline.places[i]).has_coordinates),
                      key=lambda p: (_km(place, p), p.id))
        others = [p for p in near[:NEIGHBOURS] if _km(place, p) <= NEIGHBOUR_KM]
        out.append(map_block(plan, here, [place, *others], f"Map of {place.name} and the places around it",
                             focus=place.id))
    inside = ix.children.get(place.id, [])
    if inside:
        out.append('<p class="tl-children">Places within: '
                   + ", ".join(plan.link(here, place_uri(p.id), p.name) for p in inside) + "</p>\n")
    events = ix.by_place.get(place.id, [])
    listing, years = split_listing(plan, here, events, place.name)
    out.append(heading(2, "Events") + count_line(len(events)) + "\n" + figures_line(totals(events), COUNTING_RULE))
    out.append(listing)
    return HtmlPage(place.name, "".join(out)), years
