"""The pull request's preview, as a reviewer uses it: unzipped and opened from disk (file://) in
Chromium. Links open pages (not folder listings), search answers, the map draws its outlines and
the filters of a split timeline search every event, with nothing asked of any other host."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.browser


def build_offline(root: Path, site: Path) -> Path:
    """As CI builds the preview artifact."""
    result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--offline",
                             "--site-dir", str(site)], cwd=root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return site.resolve()


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    return build_offline(REPO, tmp_path_factory.mktemp("offline") / "site")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # what went wrong, but for the theme's own try at sitemap.xml (it cannot read it from disk)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and "sitemap.xml" not in m.text
            and "ERR_FAILED" not in m.text and page.errors.append(m.text))
    page.foreign = []
    page.on("request", lambda r: not r.url.startswith(("file://", "data:", "blob:", "about:"))
            and page.foreign.append(r.url))
    yield page
    context.close()


def test_links_open_pages_from_disk(offline_site, page, example_data):
    page.goto((offline_site / "index.html").as_uri())
    event = example_data["events"][0]
    link = page.locator(f"#event-{event['id']} a.tl-title")
    assert link.get_attribute("href") == f"events/{event['id']}.html"
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == event["title"]
    page.locator("nav.tl-prevnext a.tl-next").click()  # and on from there, page to page
    page.wait_for_load_state()
    assert page.url.endswith(f"events/{example_data['events'][1]['id']}.html")
    assert page.errors == [] and page.foreign == []


def test_no_link_names_a_folder(offline_site):
    """From disk, a link to a folder opens a file listing: every internal link names its .html file."""
    import re
    folders = set()
    for html in offline_site.rglob("*.html"):
        for href in re.findall(r'<a\s[^>]*?href="([^"#?]*)', html.read_text(encoding="utf-8")):
            if href and not re.match(r"[a-z]+:|//", href) and (href.endswith("/") or href in (".", "..")):
                folders.add(f"{html.relative_to(offline_site)}: {href}")
    assert sorted(folders)[:5] == []


def test_search_answers_from_disk(offline_site, page, example_data):
    page.goto((offline_site / "places" / "saraqeb.html").as_uri())
    page.locator(".md-search__input").click()
    page.keyboard.type("Saraqeb")
    page.wait_for_selector(".md-search-result__item")
    meta = page.locator(".md-search-result__meta").inner_text()
    assert meta.endswith("matching documents") and int(meta.split()[0]) >= 5
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert "/events/" in page.url and ".html" in page.url and "Saraqeb" in page.locator("article").inner_text()
    assert page.errors == [] and page.foreign == []


def test_the_map_draws_its_outlines_from_disk(offline_site, page):
    page.goto((offline_site / "map.html").as_uri())
    page.wait_for_selector(".tl-map .tl-marker")  # the markers
    page.wait_for_function("document.querySelectorAll('.tl-map path.tl-country').length > 100")
    assert page.errors == [] and page.foreign == []


def test_the_filters_of_a_split_timeline_search_every_event_from_disk(tmp_path, page, example_data):
    from golden import paged_project
    site = build_offline(paged_project(tmp_path / "paged"), tmp_path / "paged" / "site")
    tag = "turkey"
    expected = [e["id"] for e in example_data["events"] if tag in e["tags"]]
    page.goto((site / "index.html").as_uri() + f"?tag={tag}")
    page.wait_for_selector("ol.tl-results li.tl-item")
    hrefs = page.eval_on_selector_all("ol.tl-results a.tl-title", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"events/{i}.html" for i in expected]
    assert page.errors == [] and page.foreign == []


def test_the_web_build_has_none_of_it(example_site):
    """The offline parts exist only where they are needed."""
    assert not (example_site / "search" / "search_index.js").exists()
    assert not (example_site / "assets" / "timeline" / "file-worker.js").exists()
    assert "file-worker.js" not in (example_site / "index.html").read_text(encoding="utf-8")
