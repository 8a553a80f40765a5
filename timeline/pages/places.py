"""Where things happened: a page per place (with a small map) and the map of every place.

The maps are Leaflet, bundled with the site. Their data sits in a JSON block (inert under any
Content-Security-Policy); without script, tiles or network, the lists beside them carry the links.
"""
from __future__ import annotations

from ..markup import attr, esc, heading, json_in_html, plural
from ..model import Place
from ..urls import MAP, WORLD, asset, place_uri
from .common import HtmlPage, Plan, count_line, split_listing

MAP_DATA_ID = "tl-map-data"


def map_block(plan: Plan, here: str, places: list[Place], label: str) -> str:
    data = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": len(plan.ix.by_place.get(p.id, [])),
             "url": plan.urls.href(here, place_uri(p.id))} for p in places if p.has_coordinates]
    if not data:
        return ""

    def href(path: str) -> str:
        return attr(plan.urls.href(here, asset(path)))

    return ('<div class="tl-map-block">'
            f'<link rel="stylesheet" href="{href("vendor/leaflet/leaflet.css")}">'
            f'<div class="tl-map" role="region" aria-label="{esc(label)}" data-places="{MAP_DATA_ID}" '
            f'data-tiles="{esc(plan.settings.tiles)}" data-attribution="{esc(plan.settings.attribution)}" '
            f'data-world="{href(WORLD)}"></div>'
            f'<script type="application/json" id="{MAP_DATA_ID}">{json_in_html(data)}</script>'
            f'<script src="{href("vendor/leaflet/leaflet.js")}"></script>'
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
                    + map_block(plan, MAP, located, "Map of the places with events")
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
    if place.has_coordinates:
        out.append(map_block(plan, here, [place], f"Map of {place.name}"))
    inside = ix.children.get(place.id, [])
    if inside:
        out.append('<p class="tl-children">Places within: '
                   + ", ".join(plan.link(here, place_uri(p.id), p.name) for p in inside) + "</p>\n")
    events = ix.by_place.get(place.id, [])
    listing, years = split_listing(plan, here, events, place.name)
    out.append(heading(2, "Events") + count_line(len(events)) + "\n")
    out.append(listing)
    return HtmlPage(place.name, "".join(out)), years
