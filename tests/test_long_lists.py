"""A timeline with hundreds of places, tags and sources keeps its home page small: each filter list
carries its busiest values and a find box over all of them, and a map of more places than
MAP_INLINE_AT_MOST reads them from map-places.json."""
from __future__ import annotations

import datetime as dt
import json
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Server, Watch, need_browser
from conftest import Project

from timeline.pages.places import MAP_INLINE_AT_MOST
from timeline.pages.timeline import LIST_AT_MOST

PLACES, BUSY = 450, 30  # places p000…p449; the first BUSY have two events, the rest one
TAGS, PUBLISHERS = 230, 210


VOID = {"input", "link", "meta", "br", "img", "hr", "source", "area", "base", "col", "embed", "wbr", "track"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.children, self.text = tag, attrs, [], ""

    def all(self, tag: str, **wanted: str) -> list[Node]:
        """Every element below this one named `tag` whose attributes hold `wanted` (class_: one class)."""
        out = []
        for child in self.children:
            classes = child.attrs.get("class", "").split()
            if child.tag == tag and all((value in classes) if name == "class_" else child.attrs.get(name) == value
                                        for name, value in wanted.items()):
                out.append(child)
            out.extend(child.all(tag, **wanted))
        return out

    def one(self, tag: str, **wanted: str) -> Node | None:
        found = self.all(tag, **wanted)
        return found[0] if found else None

    def words(self) -> str:
        return self.text + "".join(child.words() for child in self.children)


class Tree(HTMLParser):
    """Enough of an HTML tree to query what a generated page holds."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = self.at = Node("", {})
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        node.parent = self.at  # type: ignore[attr-defined]
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_endtag(self, tag):
        node = self.at
        while node is not self.root and node.tag != tag:
            node = node.parent  # type: ignore[attr-defined]
        if node is not self.root:
            self.at = node.parent  # type: ignore[attr-defined]

    def handle_data(self, data):
        self.at.text += data  # words() gives a node's text and then its children's: enough for these checks


def page(site: Path, path: str) -> Node:
    return Tree((site / path).read_text(encoding="utf-8")).root


def _events() -> list[tuple[str, int]]:
    """(event id, its place's number), in order."""
    return [(f"e{i:03d}", i) for i in range(PLACES)] + [(f"f{i:03d}", i) for i in range(BUSY)]


@pytest.fixture(scope="module")
def long_project(tmp_path_factory) -> Project:
    assert PLACES > MAP_INLINE_AT_MOST and min(PLACES, TAGS, PUBLISHERS) > LIST_AT_MOST
    project = Project(tmp_path_factory.mktemp("long"))
    (project.root / "places.yml").write_text("".join(
        f"p{i:03d}:\n  name: Town {i:03d}\n  lat: {30 + i / 100:.2f}\n  lon: {36 + i / 100:.2f}\n"
        for i in range(PLACES)), encoding="utf-8")
    start = dt.date(2020, 1, 1)
    for n, (event_id, i) in enumerate(_events()):
        project.event(event_id, title=f"Event {event_id}", date=(start + dt.timedelta(days=n)).isoformat(),
                      place=f"p{i:03d}", publisher=f"Paper {i % PUBLISHERS:03d}",
                      extra=f"tags: [t{i % TAGS:03d}]\n")
    assert project.run("build", "-q")[0] == 0
    return project


def _home(project: Project) -> Node:
    return page(project.root / "site", "index.html")


@pytest.mark.parametrize("name, every", [("place", PLACES), ("tag", TAGS), ("publisher", PUBLISHERS)])
def test_a_long_filter_list_carries_its_busiest_values_and_a_find_box(long_project, name, every):
    home = _home(long_project)
    group = home.one("details", class_="tl-filter", **{"data-filter": name})
    values = [box.attrs["value"] for box in group.all("input", type="checkbox", name=name)]
    assert len(values) == LIST_AT_MOST
    if name == "place":  # the two-event places first, then by name
        assert set(values) == {f"p{i:03d}" for i in range(LIST_AT_MOST)}
    find = group.one("input", class_="tl-find", **{"data-for": name})
    assert find is not None and find.attrs["type"] == "search" and find.attrs.get("aria-label")
    hint = group.one("p", id=find.attrs["aria-describedby"]).words()
    assert f"The {LIST_AT_MOST} " in hint and f"any of the {every}." in hint
    assert home.one("form", class_="tl-filters").attrs["data-options"] == "timeline-index.json"


def test_short_lists_stay_whole(long_project):
    group = _home(long_project).one("details", **{"data-filter": "year"})
    assert [box.attrs["value"] for box in group.all("input", type="checkbox")] == ["2020", "2021"]
    assert group.one("input", class_="tl-find") is None


def test_the_index_names_every_publisher_for_the_find_box(long_project):
    index = json.loads((long_project.root / "site" / "timeline-index.json").read_text(encoding="utf-8"))
    assert len(index["publishers"]) == PUBLISHERS
    assert index["publishers"]["paper-007"] == "Paper 007"
    column = index["columns"].index("publishers")
    assert {slug for row in index["events"] for slug in row[column]} == set(index["publishers"])


def test_a_map_of_many_places_reads_them_from_a_file(long_project):
    site = long_project.root / "site"
    for path in ("index.html", "map/index.html"):
        html = page(site, path)
        block = html.one("div", class_="tl-map")
        assert block.attrs["data-src"] == ("map-places.json" if path == "index.html" else "../map-places.json")
        assert "data-places" not in block.attrs and html.one("script", id="tl-map-data") is None
    data = json.loads((site / "map-places.json").read_text(encoding="utf-8"))
    places = {p["id"]: p for p in data["places"]}
    assert len(places) == PLACES
    assert places["p000"]["count"] == 2 and places["p449"]["count"] == 1
    assert places["p449"]["url"] == "places/p449/" and places["p449"]["name"] == "Town 449"
    assert (site / places["p449"]["url"] / "index.html").exists()
    # A place page's map (the place and its neighbours) stays inline.
    place = page(site, "places/p449/index.html")
    assert place.one("div", class_="tl-map").attrs["data-places"] == "tl-map-data"
    assert place.one("script", id="tl-map-data") is not None


def test_an_offline_site_draws_the_map_from_disk(long_project, tmp_path, browser):
    """Opened from disk, where fetch is refused, the map reads the places' script copy."""
    site = tmp_path / "offline"
    assert long_project.run("build", "-q", "--offline", "--site-dir", str(site))[0] == 0
    script = (site / "map-places.js").read_text(encoding="utf-8")
    assert script.startswith("window.tlMapPlaces = {") and script.endswith("};\n")
    inner = script[len("window.tlMapPlaces = "):-len(";\n")]
    assert json.loads(inner) == json.loads((site / "map-places.json").read_text(encoding="utf-8"))
    need_browser()
    tab = browser.new_page()
    try:
        tab.goto((site / "index.html").as_uri(), wait_until="load")
        tab.wait_for_selector(".tl-marker")
        assert tab.locator(".tl-marker").count() == PLACES
        tab.locator(".tl-marker").first.click()
        tab.wait_for_load_state("load")
        assert tab.url.startswith((site / "places").as_uri()) and tab.url.endswith(".html")
    finally:
        tab.close()


def test_the_find_box_finds_a_value_off_the_list_and_the_url_keeps_it(long_project, browser):
    need_browser()
    server = Server(long_project.root / "site")
    context = browser.new_context()
    tab = context.new_page()
    watch = Watch(tab, server.url)
    try:
        tab.goto(server.url, wait_until="networkidle")
        tab.wait_for_selector(".tl-marker")
        assert tab.locator(".tl-marker").count() == PLACES  # every place, from map-places.json
        tab.click(".tl-filter-button")
        tab.click('details[data-filter="place"] > summary')
        assert tab.locator('input[name="place"][value="p449"]').count() == 0
        tab.fill('.tl-find[data-for="place"]', "town 449")
        tab.wait_for_selector('input[name="place"][value="p449"]')
        shown = tab.locator('details[data-filter="place"] label:not([hidden])')
        assert [text.strip() for text in shown.all_text_contents()] == ["Town 449 (1)"]
        assert tab.text_content('.tl-find-status[data-for="place"]') == "1 matches."
        tab.fill('.tl-find[data-for="place"]', "town 2")  # Town 200…299, none of them on the page
        tab.wait_for_function("document.querySelector('.tl-find-status[data-for=\"place\"]').textContent"
                              ".startsWith('The ')")
        assert tab.text_content('.tl-find-status[data-for="place"]') == \
            "The 50 with the most events of the 100 that match: type more to narrow."
        tab.fill('.tl-find[data-for="place"]', "town 449")
        tab.wait_for_selector('input[name="place"][value="p449"]')
        tab.check('input[name="place"][value="p449"]')
        tab.wait_for_function("document.querySelector('.tl-status').textContent.startsWith('Showing 1 ')")
        assert "place=p449" in tab.url
        assert tab.locator(".tl-marker").count() == 1
        # A shared link chooses it again: the box is added, named from the index, and the chip shows it.
        tab.goto(tab.url, wait_until="networkidle")
        tab.wait_for_function("document.querySelector('.tl-chip') && "
                               "document.querySelector('.tl-chip').textContent.includes('Town 449')")
        assert tab.text_content(".tl-status") == f"Showing 1 of {len(_events())} events"
        assert tab.is_checked('input[name="place"][value="p449"]')
        tab.wait_for_selector(".tl-marker")
        time.sleep(0.2)
        assert tab.locator(".tl-marker").count() == 1  # the map, drawn after the filters, follows them
        # Typing what nothing matches says so. (A wide screen opened the panel: a filter was chosen.)
        assert tab.get_attribute(".tl-filter-panel", "open") is not None
        tab.click('details[data-filter="tag"] > summary')
        tab.fill('.tl-find[data-for="tag"]', "no such tag")
        tab.wait_for_function("document.querySelector('.tl-find-status[data-for=\"tag\"]').textContent === 'None match.'")
        # A link naming a value no event has (mistyped, or crafted to show words of its own) filters nothing.
        tab.goto(server.url + "?place=Official+notice", wait_until="networkidle")
        tab.wait_for_function("document.querySelector('.tl-status').textContent.startsWith('Showing all')")
        assert tab.locator('input[name="place"][value="Official notice"]').count() == 0
        assert tab.locator(".tl-chip").count() == 0
        assert watch.errors == [] and watch.failed == [] and watch.foreign == []
    finally:
        context.close()
        server.close()


def test_the_example_keeps_its_maps_and_lists_inline(example_site: Path):
    home = page(example_site, "index.html")
    assert home.one("div", class_="tl-map").attrs["data-places"] == "tl-map-data"
    assert home.one("input", class_="tl-find") is None
    assert "data-options" not in home.one("form", class_="tl-filters").attrs
