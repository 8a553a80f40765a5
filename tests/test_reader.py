"""What a reader sees first, in a real browser: the time overview drawn to scale, the map's first
view and its keyboard use, a date range chosen from the keyboard, the search index held until
search is used, and axe-core on every kind of page at desktop and phone widths, light and dark.

The screenshots taken on the way are written to $TIMELINE_SCREENSHOTS (default: screenshots/ in
the repository; CI keeps them as an artefact): look at them after a visual change."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import SHOTS, need_node_module

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def day(text: str) -> dt.date:
    """The first day of an ISO date of any precision: 2017, 2020-02, 2020-02-03, 2020-02-03T10:00."""
    parts = [int(p) for p in text[:10].split("-")]
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


class SvgMarks(HTMLParser):
    """The links inside the overview's SVG in the static HTML, with their first rect's x."""

    def __init__(self):
        super().__init__()
        self.in_svg = False
        self.href: str | None = None
        self.marks: list[tuple[str, float]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "svg" and "tl-ov-svg" in (values.get("class") or ""):
            self.in_svg = True
        elif self.in_svg and tag == "a":
            self.href = values.get("href")
        elif self.in_svg and tag == "rect" and self.href:
            self.marks.append((self.href, float(values["x"] or 0)))
            self.href = None

    def handle_endtag(self, tag):
        if tag == "figure":
            self.in_svg = False


def correlation(xs: list[float], ys: list[float]) -> float:
    return statistics.correlation(xs, ys)


def test_the_overview_is_static_svg_with_a_mark_per_event_placed_linearly_in_time(example_site, example_data):
    parser = SvgMarks()
    parser.feed((example_site / "index.html").read_text(encoding="utf-8"))
    ids = [href.rstrip("/").split("/")[-1] for href, _ in parser.marks]
    assert sorted(ids) == sorted(e["id"] for e in example_data["events"])  # every event, once
    starts = {e["id"]: day(e["start"]).toordinal() for e in example_data["events"]}
    xs = [x for _, x in parser.marks]
    assert correlation(xs, [starts[i] for i in ids]) >= 0.99
    # Month- and year-precision events are drawn across what they cover: wider than a day's mark.
    width = {e["id"]: e["precision"] for e in example_data["events"]}
    assert {"month", "year"} & set(width.values())


def test_the_overview_in_the_browser_is_linear_too_and_has_a_text_summary(server, page, example_data):
    page.goto(server.url, wait_until="networkidle")
    lefts = page.eval_on_selector_all(
        ".tl-ov-svg a", "as => as.map(a => [a.getAttribute('href'), a.getBoundingClientRect().left])")
    starts = {e["id"]: day(e["start"]).toordinal() for e in example_data["events"]}
    pairs = [(left, starts[href.rstrip("/").split("/")[-1]]) for href, left in lefts]
    assert len(pairs) == len(example_data["events"])
    assert correlation([p[0] for p in pairs], [p[1] for p in pairs]) >= 0.99
    summary = page.text_content(".tl-ov-summary")
    assert f"{len(example_data['events'])} events" in summary and "busiest month" in summary


def marker_centres(page) -> dict[str, tuple[float, float]]:
    return {label.split(",")[0]: (x, y) for label, x, y in page.eval_on_selector_all(
        ".tl-marker", "ms => ms.map(m => { const r = m.getBoundingClientRect();"
                      " return [m.getAttribute('aria-label'), r.left + r.width / 2, r.top + r.height / 2]; })")}


def busiest(example_data, n: int) -> list[str]:
    counts: dict[str, int] = {}
    names = {}
    for event in example_data["events"]:
        for place in event["places"]:
            if place["lat"] is not None:
                counts[place["id"]] = counts.get(place["id"], 0) + 1
                names[place["id"]] = place["name"]
    return [names[p] for p in sorted(counts, key=lambda p: -counts[p])[:n]]


def test_the_maps_first_view_tells_the_busiest_places_apart(server, page, example_data):
    page.goto(server.url + "map/", wait_until="networkidle")
    page.wait_for_selector(".tl-marker")
    box = page.locator(".tl-map").bounding_box()
    centres = marker_centres(page)
    top = busiest(example_data, 4)
    for name in top:
        x, y = centres[name]
        assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"], name
    for i, a in enumerate(top):
        for b in top[i + 1:]:
            assert math.dist(centres[a], centres[b]) >= 20, (a, b)
    assert page.locator(".tl-map-label").count() >= 3  # the busiest are labelled
    assert "size" in page.text_content(".tl-map-key")
    sea = page.evaluate("getComputedStyle(document.querySelector('.tl-map')).backgroundColor")
    assert sea not in ("rgb(221, 221, 221)", "rgba(0, 0, 0, 0)")  # not leaflet.css' grey
    page.click(".tl-map-all")  # the far places, one click away: every marker comes inside the map
    page.wait_for_function("""() => { const m = document.querySelector('.tl-map').getBoundingClientRect();
        return [...document.querySelectorAll('.tl-marker')].every(e => { const r = e.getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          return x >= m.left - 1 && x <= m.right + 1 && y >= m.top - 1 && y <= m.bottom + 1; }); }""", timeout=5000)


def test_map_markers_are_named_reachable_by_tab_and_open_with_enter(server, page, example_data):
    page.goto(server.url + "map/", wait_until="networkidle")
    page.wait_for_selector(".tl-marker")
    labels = set(page.eval_on_selector_all(".tl-marker", "ms => ms.map(m => m.getAttribute('aria-label'))"))
    assert all(label and " event" in label for label in labels)
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.classList.contains('tl-marker')"
                              " ? document.activeElement.getAttribute('aria-label') : null")
        if label:
            reached.add(label)
        if reached == labels:
            break
    assert reached == labels
    target = page.evaluate("document.activeElement.getAttribute('aria-label')").split(",")[0]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.text_content("h1").strip() == target


def test_a_range_chosen_by_keyboard_filters_the_list_and_the_map_and_survives_reload(server, page, example_data):
    page.goto(server.url, wait_until="networkidle")
    page.wait_for_selector(".tl-marker")
    all_markers = page.locator(".tl-marker").count()
    page.focus(".tl-ov-handle >> nth=0")
    page.keyboard.press("End")  # the start handle to the last month (June 2020)…
    for _ in range(4):  # …then back four: February 2020
        page.keyboard.press("ArrowLeft")
    start = page.input_value('input[name="from"]')
    assert start == "2020-02"
    page.focus(".tl-ov-handle >> nth=1")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    end = page.input_value('input[name="to"]')
    assert end == "2020-03"
    assert "from=2020-02" in page.url and "to=2020-03" in page.url

    def shown():
        return page.eval_on_selector_all("li.tl-item", "items => items.filter(i => i.offsetParent !== null)"
                                                       ".map(i => i.id.replace(/^event-/, ''))")
    expected = [e["id"] for e in example_data["events"]
                if (e.get("end") or e["start"]) >= "2020-02" and e["start"][:7] <= "2020-03"]
    assert shown() == expected
    assert 0 < page.locator(".tl-marker").count() < all_markers
    assert page.locator(".tl-chip").count() == 1
    page.reload(wait_until="networkidle")
    assert shown() == expected
    assert page.input_value('input[name="from"]') == "2020-02"
    page.click(".tl-chip")  # removing the chip clears the range
    assert len(shown()) == len(example_data["events"])
    assert "from=" not in page.url


def test_escape_closes_a_filter_list_and_focus_is_visible(server, page):
    page.goto(server.url)
    page.click(".tl-filter-button")
    page.click('details[data-filter="tag"] > summary')
    page.focus('details[data-filter="tag"] input >> nth=0')
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('details[data-filter=tag]').open")
    assert page.evaluate("document.activeElement.matches('details[data-filter=tag] > summary')")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back on the summary, from the keyboard: the focus ring shows
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_no_search_index_is_requested_until_search_is_used(server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [u for u in requests if "search_index" in u]
    page.click(".md-search__input")
    page.keyboard.type("Saraqeb")
    page.wait_for_selector(".md-search-result__item")
    assert [u for u in requests if u.endswith("search/search_index.json")]
    assert not [u for u in requests if u.endswith(".map")]


def test_the_site_ships_no_source_maps_and_no_unused_search_languages(example_site):
    assert not list(example_site.rglob("*.map"))
    assert not list((example_site / "assets" / "javascripts").rglob("lunr.*.min.js"))


def reader_pages(example_data) -> dict[str, str]:
    event = next(e for e in example_data["events"] if e.get("dispute"))
    return {"home": "", "event": f"events/{event['id']}/", "place": "places/saraqeb/", "map": "map/",
            "tags": "tags/", "sources": "sources/", "editing": "editing/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_wcag22_aa_and_best_practice_on_every_kind_of_page(server, browser, example_data, scheme):
    axe = need_node_module("axe-core/axe.min.js")
    report = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS.values():
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                      bypass_csp=True)
        page = context.new_page()
        for name, path in reader_pages(example_data).items():
            page.goto(server.url + path, wait_until="networkidle")
            if name in ("home", "event", "map", "place"):
                page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"))
            page.add_script_tag(path=str(axe))
            result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                                   "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},"
                                   " resultTypes: ['violations']})")
            bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                report[f"{name} {width} {scheme}"] = bad
        context.close()
    assert report == {}, json.dumps(report, indent=1)


def test_on_a_phone_the_overview_and_one_filter_control_are_above_the_fold(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url + "?tag=turkey", wait_until="networkidle")
    for selector in (".tl-ov-svg", "summary.tl-filter-button", ".tl-chip"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] < 844, selector
    assert page.locator("summary.tl-filter-button").count() == 1
    page.goto(server.url + "map/", wait_until="networkidle")  # one finger over the map scrolls the page
    page.wait_for_selector(".tl-marker")
    assert page.evaluate("getComputedStyle(document.querySelector('.tl-map')).touchAction") != "none"
    context.close()


class Text(HTMLParser):
    """The text a reader sees on a page: outside code, scripts and styles."""

    SKIP = {"code", "pre", "script", "style", "kbd", "samp", "textarea"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


UNRENDERED = [
    ("a code fence", re.compile(r"(^|\n)\s*(```|~~~)")),
    ("a Markdown heading", re.compile(r"(^|\n)\s*#{1,6} \w")),
    ("a Markdown link", re.compile(r"\[[^\]\n]+\]\((https?://|[\w./-]+\.md)[^)\s]*\)")),
    ("Markdown emphasis", re.compile(r"(^|\s)\*\*\w[^*\n]*\w\*\*(\s|[.,;:]|$)")),
]


def unrendered(html: str) -> list[str]:
    parser = Text()
    parser.feed(html)
    text = "".join(parser.parts)
    return [f"{what}: {match.group(0).strip()[:60]!r}" for what, pattern in UNRENDERED
            for match in [pattern.search(text)] if match]


def test_the_unrendered_markdown_check_can_fail():
    assert unrendered("<p>```yaml</p>") and unrendered("<p>see [the guide](editing.md)</p>")
    assert unrendered("<p>**bold** text</p>") and not unrendered("<pre><code>```yaml\n# x</code></pre>")


def test_no_page_of_the_site_shows_unrendered_markdown(example_site):
    found = {}
    for page in sorted(example_site.rglob("*.html")):
        problems = unrendered(page.read_text(encoding="utf-8"))
        if problems:
            found[page.relative_to(example_site).as_posix()] = problems
    assert found == {}
