"""The built example site in a real browser: clean loads, filters, map, keyboard, accessibility."""
from __future__ import annotations

import json
import re

import pytest
from browser import Server, Watch, need_browser, need_node_module

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("li.tl-item", "items => items.filter(i => i.offsetParent !== null)"
                                                   ".map(i => i.id.replace(/^event-/, ''))")


def sample_pages(data) -> list[str]:
    event = data["events"][len(data["events"]) // 2]
    return ["", f"events/{event['id']}/", f"places/{event['places'][0]['id']}/", "map/"]


def test_pages_load_without_errors_or_foreign_requests(server, page, example_data):
    watch = Watch(page, server.url)
    for path in sample_pages(example_data):
        page.goto(server.url + path, wait_until="networkidle")
    assert watch.errors == []
    assert watch.failed == []
    assert watch.foreign == []


def test_tag_filter_shows_exactly_the_tagged_events_and_lives_in_the_url(server, page, example_data):
    all_ids = [e["id"] for e in example_data["events"]]
    tag = "russia"
    expected = [e["id"] for e in example_data["events"] if tag in e["tags"]]
    assert 0 < len(expected) < len(all_ids)
    page.goto(server.url)
    assert visible_ids(page) == all_ids
    page.click(".tl-filter-button")
    page.click('details[data-filter="tag"] > summary')
    page.check(f'input[name="tag"][value="{tag}"]')
    assert visible_ids(page) == expected
    assert page.text_content(".tl-status") == f"Showing {len(expected)} of {len(all_ids)} events"
    assert f"tag={tag}" in page.url
    page.reload()
    assert visible_ids(page) == expected
    assert page.is_checked(f'input[name="tag"][value="{tag}"]')
    page.click("button.tl-reset")
    page.wait_for_selector("li.tl-item[hidden]", state="detached")  # reset applies just after the event
    assert visible_ids(page) == all_ids
    assert "tag=" not in page.url


def test_filters_combine_across_kinds(server, page, example_data):
    year, tag = "2020", "turkey"
    expected = [e["id"] for e in example_data["events"] if tag in e["tags"] and e["start"].startswith(year)]
    page.goto(f"{server.url}?tag={tag}&year={year}")
    assert visible_ids(page) == expected
    hidden_headings = page.eval_on_selector_all("h2[id='2017'], h2[id='2019']", "hs => hs.map(h => h.hidden)")
    assert hidden_headings == [True, True]


def test_map_has_one_marker_per_place_with_events(server, page, example_data):
    places = {p["id"] for e in example_data["events"] for p in e["places"] if p["lat"] is not None}
    page.goto(server.url + "map/", wait_until="networkidle")
    page.wait_for_selector(".tl-marker")
    assert page.locator(".tl-marker").count() == len(places)
    page.goto(server.url + "places/saraqeb/", wait_until="networkidle")  # among its neighbours, marked
    assert 2 <= page.locator(".tl-marker").count() < len(places)  # the near ones only (200 km)
    assert page.get_attribute(".tl-marker-here", "aria-label").startswith("Saraqeb, ")


def test_filters_work_from_the_keyboard(server, page, example_data):
    page.goto(server.url)
    for _ in range(200):  # Tab until the one "Filter" control has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('summary.tl-filter-button')"):
            break
    else:
        pytest.fail("the filters cannot be reached with Tab")
    page.keyboard.press("Enter")  # open the panel
    for _ in range(10):  # past the two date fields, to "Tags"
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details[data-filter=tag] > summary')"):
            break
    else:
        pytest.fail("the tag filter cannot be reached with Tab")
    page.keyboard.press("Enter")  # open "Tags"
    assert page.evaluate("document.activeElement.parentElement.open")
    page.keyboard.press("Tab")  # first tag
    name = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    expected = [e["id"] for e in example_data["events"] if name in e["tags"]]
    assert visible_ids(page) == expected
    for _ in range(200):  # on to the reset button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button.tl-reset')"):
            break
    else:
        pytest.fail("the reset button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.tl-item[hidden]", state="detached")
    assert len(visible_ids(page)) == len(example_data["events"])


def test_axe_finds_no_serious_violation(server, browser, example_data):
    axe = need_node_module("axe-core/axe.min.js")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    report = {}
    for path in sample_pages(example_data):
        page.goto(server.url + path, wait_until="networkidle")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            report[path or "/"] = bad
    context.close()
    assert report == {}, json.dumps(report, indent=1)


def timelinejs_harness(tmp_path, data: dict) -> Server:
    """A page that embeds TimelineJS3 (the npm package) showing `data`, as anyone may embed our export."""
    library = need_node_module("@knight-lab/timelinejs/dist/js/timeline.js")
    harness = tmp_path / "harness"
    harness.mkdir()
    (harness / "timeline.js").write_bytes(library.read_bytes())
    (harness / "data.json").write_text(json.dumps(data), encoding="utf-8")
    (harness / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>TimelineJS</title></head><body>"
        "<div id='embed' style='width:900px;height:600px'></div><script src='timeline.js'></script>"
        "<script>fetch('data.json').then(r => r.json()).then(d => {"
        "window.tl = new TL.Timeline('embed', d, {font: null}); window.tlReady = true; });</script>"
        "</body></html>", encoding="utf-8")
    return Server(harness)


def test_timelinejs_renders_one_slide_per_event(page, example_site, example_data, tmp_path):
    data = json.loads((example_site / "timelinejs.json").read_text(encoding="utf-8"))
    harness_server = timelinejs_harness(tmp_path, data)
    try:
        page.goto(harness_server.url, wait_until="networkidle")
        page.wait_for_function("window.tlReady === true")
        page.wait_for_selector(".tl-slide")
        slides = page.locator(".tl-slide:not(.tl-slide-titleslide)").count()
        assert slides == len(example_data["events"])
        ids = page.evaluate("window.tl.config.events.map(e => e.unique_id)")
        assert sorted(ids) == sorted(e["id"] for e in example_data["events"])
    finally:
        harness_server.close()


# What a pull request could put in any text of an event, a source or a period, for TimelineJS to
# autolink after sanitising: quotes ride along on "www." links; the rest must stay text.
HOSTILE_TEXTS = ["www.example.org'/onmouseover='window.__xss=1'/x", 'www.example.org"onfocus="window.__xss=2"x',
                 "WWW.EXAMPLE.ORG'onclick='window.__xss=3'", "http://example.org/'onmouseover='window.__xss=4'",
                 "<img src=x onerror=window.__xss=5>", "x@example.org'onmouseover='window.__xss=6'",
                 "ww&#119;.example.org'onmouseover='window.__xss=7'"]


def test_hostile_text_stays_inert_in_the_real_timelinejs(project, page, tmp_path):
    """Every HTML field of timelinejs.json (headline, text, era headline and text, title), with hostile
    text in each, rendered by TimelineJS3 itself: no handler of ours is ever attached, none runs."""
    import yaml
    nasty = " ".join(HOSTILE_TEXTS)
    quoted = json.dumps(nasty)
    project.write("periods.yml", yaml.safe_dump([{"id": "p", "title": nasty, "start": "2020", "description": nasty}]))
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test timeline", f"site_name: {quoted}"))
    prose = " ".join(t for t in HOSTILE_TEXTS if "<" not in t)  # validate refuses raw HTML handlers in a body
    for i, text in enumerate(HOSTILE_TEXTS):
        project.write(f"events/e{i}.md", f"---\ntitle: {json.dumps(text)}\ndate: 2020-02-0{1 + i}\nplace: Saraqeb\n"
                      f"sources:\n  - title: {quoted}\n    publisher: {json.dumps(text)}\n    claim: {quoted}\n"
                      f"dispute: {quoted}\n---\n{prose}\n\n[{prose}](https://www.example.org/) {prose}\n")
    status, out, err = project.run("build", "-q")
    assert status == 0, out + err
    data = json.loads((project.root / "site" / "timelinejs.json").read_text(encoding="utf-8"))
    harness_server = timelinejs_harness(tmp_path, data)
    try:
        page.goto(harness_server.url, wait_until="networkidle")
        page.wait_for_function("window.tlReady === true")
        page.wait_for_selector(".tl-slide")
        links = page.locator("a.tl-makelink").count()
        # every element of every slide, era and marker: hovered, focused and clicked, as a reader might
        page.evaluate("""() => { for (const el of document.querySelectorAll('#embed *')) {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) el.dispatchEvent(new Event(type)); } }""")
        for index in range(len(HOSTILE_TEXTS) + 1):  # the slides' own content is built as they are shown
            page.evaluate(f"window.tl.goTo({index})")
            page.wait_for_timeout(150)
            page.evaluate("""() => { for (const el of document.querySelectorAll('#embed *')) {
                for (const type of ['mouseover', 'focus', 'click']) el.dispatchEvent(new Event(type)); } }""")
        handlers = page.evaluate("""() => [...document.querySelectorAll('#embed *')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on'))
              .filter(a => !(a.name === 'onclick' && a.value === 'void(0)'))  // TimelineJS's own, on its links
              .map(a => el.tagName + ' ' + a.name + '=' + a.value))""")
        assert handlers == []
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator(".tl-slide:not(.tl-slide-titleslide)").count() == len(HOSTILE_TEXTS)
        assert links >= 0  # TimelineJS may still link plain http:// text: harmless, its pattern takes no quote
    finally:
        harness_server.close()


def test_content_security_policy_blocks_injected_script(example_site, browser, tmp_path):
    """The policy is real: a script that got into a page anyway would not run, the site's own do."""
    import shutil
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    page_file = site / "about" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    page_file.write_text(html.replace("</article>", "<script>window.injected = 1</script></article>", 1),
                         encoding="utf-8")
    server = Server(site)
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server.url + "about/", wait_until="networkidle")
        assert page.evaluate("typeof window.injected") == "undefined"
        assert page.evaluate("typeof window.__md_scope") == "object"  # the theme's hashed inline script ran
        assert page.evaluate("document.querySelector('.md-search').getAttribute('aria-label')") == "Search"
    finally:
        context.close()
        server.close()


def test_filters_cover_the_whole_split_timeline(paged_site, browser, example_data):
    """On a timeline split into year pages, the home page's filters still search every event."""
    need_browser()
    server = Server(paged_site)
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, server.url)
    try:
        tag, year = "turkey", "2020"
        expected = [e["id"] for e in example_data["events"] if tag in e["tags"] and e["start"].startswith(year)]
        page.goto(f"{server.url}?tag={tag}&year={year}", wait_until="networkidle")
        page.wait_for_selector("ol.tl-results li.tl-item")
        hrefs = page.eval_on_selector_all("ol.tl-results a.tl-title", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [f"events/{i}/" for i in expected]
        assert page.text_content(".tl-status") == f"Showing {len(expected)} of {len(example_data['events'])} events"
        assert page.is_hidden(".tl-overview")
        page.click("button.tl-reset")
        page.wait_for_selector("ol.tl-results", state="hidden")
        assert page.is_visible(".tl-overview")
        page.click("a.tl-year-link >> nth=0")
        page.wait_for_load_state("networkidle")
        assert "timeline/" in page.url
        assert watch.errors == [] and watch.failed == [] and watch.foreign == []
    finally:
        context.close()
        server.close()


def test_search_finds_an_event_by_a_word_of_its_body(server, page, example_data):
    event = next(e for e in example_data["events"] if "Observatory" in e["body"])
    page.goto(server.url, wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type("observatory", delay=20)  # the theme searches on key events
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.getAttribute('href'))")
    assert any(event["url"] in link for link in links), links


def test_search_finds_an_event_by_a_body_word_the_index_leaves_out(server, page, example_site, example_data):
    """The index leaves out a body word that begins a longer term of the same entry ("report" beside
    "reported"): the theme searches every term as a prefix, so typing it still finds the event."""
    from timeline.search import STOP_WORDS, plain_words
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    terms = {doc["location"]: set(re.split(r"[\s\-]+", f'{doc["title"]} {doc["text"]}'.lower())) - STOP_WORDS
             for doc in index["docs"]}  # as the theme indexes them: its pipeline drops stop words
    left_out = []  # (word, event url), for words few entries begin with, so the event is among the first results
    for event in example_data["events"]:
        for word in plain_words(event["body"]):
            if word.isalpha() and len(word) > 3 and word not in terms[event["url"]]:
                assert any(t.startswith(word) for t in terms[event["url"]]), (event["id"], word)  # findable
                if sum(any(t.startswith(word) for t in ts) for ts in terms.values()) <= 3:
                    left_out.append((word, event["url"]))
    assert len(left_out) >= 3, left_out
    page.goto(server.url, wait_until="networkidle")
    for word, url in left_out[:4]:
        page.fill("input.md-search__input", "")
        page.click("input.md-search__input")
        page.keyboard.type(word, delay=20)  # the theme searches on key events
        found = "url => [...document.querySelectorAll('.md-search-result__link')].some(a => a.href.includes(url))"
        page.wait_for_function(found, arg=url, timeout=5000)  # fails the test if the event is never listed


def test_a_hostile_place_name_stays_text_on_the_map(project, browser):
    """Leaflet writes a string tooltip as HTML: the map gives it an element holding the name as text."""
    need_browser()
    hostile = '<b id="injected">x</b><img src=x>'
    (project.root / "places.yml").write_text(
        f"hostile:\n  name: '{hostile}'\n  lat: 35.8\n  lon: 36.8\n", encoding="utf-8")
    project.event("e", place="hostile")
    assert project.run("build", "-q")[0] == 0
    server = Server(project.root / "site")
    try:
        page = browser.new_page()
        page.goto(server.url + "map/", wait_until="networkidle")
        page.wait_for_selector(".tl-marker")
        assert page.locator("#injected").count() == 0 and page.locator(".tl-map img").count() == 0
        assert hostile in page.text_content(".tl-map")  # the label, shown as written
        page.close()
    finally:
        server.close()
