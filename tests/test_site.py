"""Build real sites into tmp_path and read the HTML they wrote."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, event_text
from sitecheck import dead_links, read_site

from timeline.urls import publisher_slug


def test_no_dead_link_or_anchor(example_site):
    pages = read_site(example_site)
    assert len(pages) > 50
    assert dead_links(example_site, pages) == []


def test_every_event_place_tag_and_source_has_a_page(example_site, example_data):
    events = example_data["events"]
    assert len(events) >= 25
    for event in events:
        page = example_site / event["url"] / "index.html"
        assert page.is_file(), event["id"]
        for place in event["places"]:
            assert (example_site / "places" / place["id"] / "index.html").is_file()
        for tag in event["tags"]:
            assert (example_site / "tags" / tag / "index.html").is_file()
        for source in event["sources"]:
            assert (example_site / "sources" / publisher_slug(source["publisher"]) / "index.html").is_file()
    for index in ("places", "tags", "sources"):
        assert (example_site / index / "index.html").is_file()


def test_home_lists_every_event_in_time_order(example_site, example_data):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    positions = [home.index(f'id="event-{e["id"]}"') for e in example_data["events"]]
    assert positions == sorted(positions)
    assert home.count('class="tl-item') == example_data["count"]
    # dates at their precision; one known only to its month or year says so
    for text in ("<h2 id=\"2017\">2017", ">Sometime in 2017</time>", ">Sometime in December 2019</time>", "3 February 2020</time>"):
        assert text in home, text


def test_event_page_shows_sources_backlinks_and_neighbours(example_site, example_data):
    by_id = {e["id"]: e for e in example_data["events"]}
    with_related = next(e for e in example_data["events"] if e["related"])
    target = with_related["related"][0]
    page = read_site(example_site)[f"events/{target}/index.html"]
    assert f"../{with_related['id']}/" in page.links  # the backlink
    text = " ".join(page.text)
    for source in by_id[target]["sources"]:
        assert source["title"] in text and source["publisher"] in text
    # the neighbours are the events just before and after it in time, each linked by rel
    html = (example_site / f"events/{target}/index.html").read_text(encoding="utf-8")
    order = [e["id"] for e in example_data["events"]]
    at = order.index(target)
    nav = html.split('<nav class="tl-prevnext"', 1)[1].split("</nav>", 1)[0]
    expected = ([f'rel="prev" href="../{order[at - 1]}/"'] if at > 0 else []) + \
        ([f'rel="next" href="../{order[at + 1]}/"'] if at + 1 < len(order) else [])
    assert expected and all(link in nav for link in expected), nav
    assert nav.count('rel="prev"') == (at > 0) and nav.count('rel="next"') == (at + 1 < len(order))


def test_first_and_last_events_link_only_inwards(example_site, example_data):
    first, second = example_data["events"][0]["id"], example_data["events"][1]["id"]
    last, before_last = example_data["events"][-1]["id"], example_data["events"][-2]["id"]
    html = (example_site / f"events/{first}/index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' not in html and f'rel="next" href="../{second}/"' in html
    html = (example_site / f"events/{last}/index.html").read_text(encoding="utf-8")
    assert 'rel="next"' not in html and f'rel="prev" href="../{before_last}/"' in html


def test_disputed_events_show_each_claim_with_its_source(example_site, example_data):
    disputed = [e for e in example_data["events"] if e["dispute"]]
    assert len(disputed) >= 2
    for event in disputed:
        text = " ".join(read_site(example_site)[f"events/{event['id']}/index.html"].text)
        assert "Sources differ" in text
        claims = [s for s in event["sources"] if s["claim"]]
        assert len(claims) >= 1
        for source in claims:
            who = f"{source['by']}, according to {source['publisher']}," if source["by"] else source["publisher"]
            assert f"{who} reports:" in text and " ".join(source["claim"].split()) in " ".join(text.split())


def test_events_json_has_resolved_fields(example_data):
    event = example_data["events"][0]
    assert set(event) >= {"id", "title", "start", "end", "precision", "places", "tags", "sources", "related", "url"}
    import yaml
    gazetteer = yaml.safe_load((REPO / "places.yml").read_text(encoding="utf-8"))
    for place in (p for e in example_data["events"] for p in e["places"]):
        assert (place["lat"], place["lon"]) == (gazetteer[place["id"]].get("lat"), gazetteer[place["id"]].get("lon"))


def test_user_text_is_escaped_everywhere(project, tmp_path):
    nasty = '<script>alert(1)</script> & "x" <b>'
    project.write("places.yml", f"p:\n  name: '{nasty}'\n  lat: 1\n  lon: 2\n")
    project.write("events/e.md", event_text(title=f"'{nasty}'", place="p", publisher=f"'{nasty}'",
                                            extra=f"tags: [t]\ndispute: '{nasty}'\n",
                                            body="Body *ok*.\n\n<img src=x alt=y>\n"))
    status, out, err = project.run("build", "-q")
    assert status == 0, out + err
    site = project.root / "site"
    pages = read_site(site)
    checked = 0
    for path, page in pages.items():
        raw = (site / path).read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<b>" not in raw, path
        if nasty in " ".join(page.text) or nasty in page.title:
            checked += 1
    assert checked >= 4  # event, place, source pages and the home page show the text as text
    event = pages["events/e/index.html"]
    assert "<img" not in (site / "events/e/index.html").read_text(encoding="utf-8")  # no third-party requests
    assert event.title.startswith(nasty) and event.h1 == nasty
    assert dead_links(site, pages) == []


def test_build_refuses_invalid_input_and_keeps_old_site(project):
    project.event("good")
    assert project.run("build", "-q")[0] == 0
    before = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    project.write("events/bad.md", event_text(date="2020-02-30"))
    status, out, err = project.run("build", "-q")
    assert status == 1
    assert out == "events/bad.md:3: error: date: '2020-02-30': February 2020 has 29 days [bad-date]\n"
    after = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    assert after == before
    builds = [b for b in (project.root / ".site.builds").iterdir() if b.is_dir()]  # nothing unfinished left
    assert len(builds) == 1 and builds[0].with_name(builds[0].name + ".complete").exists()


def test_plain_mkdocs_build_uses_the_hook(project):
    project.event("e")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, check=True, timeout=300)
    assert (project.root / "site" / "events" / "e" / "index.html").is_file()
    project.write("events/bad.md", event_text(place="Atlantis"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    assert "events/bad.md:4: error: unknown place 'Atlantis'; add it to places.yml [unknown-place]" in result.stderr
    assert "Traceback" not in result.stderr
    assert (project.root / "site" / "events" / "e" / "index.html").is_file()  # not cleaned


def test_hand_written_pages_are_never_written(project):
    project.event("e")
    docs_before = {p: p.read_bytes() for p in (project.root / "docs").rglob("*")}
    events_before = {p: p.read_bytes() for p in (project.root / "events").rglob("*") if p.is_file()}
    assert project.run("build", "-q")[0] == 0
    assert {p: p.read_bytes() for p in (project.root / "docs").rglob("*")} == docs_before
    assert {p: p.read_bytes() for p in (project.root / "events").rglob("*") if p.is_file()} == events_before


def test_conflicting_hand_written_page_is_an_error(project):
    project.event("e")
    project.write("docs/tags/index.md", "# My tags\n")
    status, out, err = project.run("build", "-q")
    assert status == 1
    assert "docs/tags/index.md has the same path as a generated page" in err


def test_search_index_covers_events(example_site, example_data):
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for event in example_data["events"]:
        assert event["url"] in locations


def test_editing_guide_tables_come_from_the_schema(example_site):
    from timeline.diagnostics import CODES
    from timeline.fields import EVENTS
    page = read_site(example_site)["editing/index.html"]
    text = " ".join(page.text)
    assert "<!-- timeline" not in (example_site / "editing" / "index.html").read_text(encoding="utf-8")
    for field in EVENTS.fields:
        assert field.doc.split("`")[0].strip() in text
    for code in CODES:
        assert code in text


def test_editorial_warnings_do_not_fail_the_strict_build(project):
    project.event("e", extra="tags: [a, a]\n")
    status, out, err = project.run("build", "-q")
    assert status == 0, err


def test_serve_watches_events_and_places(project):
    from types import SimpleNamespace

    from timeline.mkdocs_hook import TimelineHook
    watched = []
    server = SimpleNamespace(watch=watched.append)
    TimelineHook().on_serve(server, SimpleNamespace(config_file_path=str(project.root / "mkdocs.yml")), None)
    assert watched == [str(project.root / "events"), str(project.root / "places.yml")]


def test_serve_rebuilds_when_an_event_changes(project):
    """The real `serve`: edit an event file, and the served page changes."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = project.event("e", title="First title")
    server = subprocess.Popen([sys.executable, str(REPO / "build_timeline.py"), "serve", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project.root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    def page() -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/events/e/", timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    def wait_for(text: str) -> bool:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if text in page():
                return True
            time.sleep(0.3)
        return False

    try:
        assert wait_for("First title")
        path.write_text(event_text(title="Second title"), encoding="utf-8")
        assert wait_for("Second title")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_periods_on_home_and_event_pages(example_site, example_data):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert 'id="period-government-offensive"' in home and 'id="period-ceasefire"' in home
    inside = next(e for e in example_data["events"] if e["start"].startswith("2020-02"))
    text = " ".join(read_site(example_site)[f"events/{inside['id']}/index.html"].text)
    assert "Government offensive on Idlib" in text
    before = next(e for e in example_data["events"] if e["start"].startswith("2017"))
    assert "Government offensive" not in " ".join(read_site(example_site)[f"events/{before['id']}/index.html"].text)


def test_map_page_lists_every_place_with_events(example_site, example_data):
    import re
    page = (example_site / "map" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="tl-map-data">(.*?)</script>', page, re.S)[1])
    expected = {p["id"] for e in example_data["events"] for p in e["places"] if p["lat"] is not None}
    assert {p["id"] for p in data} == expected
    counts = {}
    for event in example_data["events"]:
        for place in event["places"]:
            counts[place["id"]] = counts.get(place["id"], 0) + 1
    assert all(p["count"] == counts[p["id"]] for p in data)
    for place_id in expected:  # the list beside the map links every place, for readers without script
        assert f'href="../places/{place_id}/"' in page


def test_no_request_to_another_host(example_site):
    """Readers of a conflict timeline may be at risk: no font, script or style from elsewhere."""
    import re
    for page in example_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html):
            assert not re.search(r"(?:src|href)=\"?(?:https?:)?//", tag), f"{page}: {tag}"
    for css in example_site.rglob("*.css"):
        assert not re.search(r"@import|url\((?:['\"])?(?:https?:)?//", css.read_text(encoding="utf-8")), css


def test_every_page_carries_a_content_security_policy(example_site):
    import re
    for page in example_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert match, page
        policy = match[1]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert html.index("Content-Security-Policy") < html.index("<script")


def test_external_links_carry_rel_noopener(example_site):
    import re
    for page in example_site.rglob("*.html"):
        for tag in re.findall(r"<a\s[^>]*href=\"https?://[^>]*>", page.read_text(encoding="utf-8")):
            assert 'rel="' in tag and "noopener" in tag and "noreferrer" in tag, f"{page}: {tag}"


def test_large_timeline_splits_into_year_and_month_pages(paged_site, example_data):
    pages = read_site(paged_site)
    assert dead_links(paged_site, pages) == []
    home = pages["index.html"]
    anchors_of = {f'event-{e["id"]}' for e in example_data["events"]}
    assert not [i for i in home.ids if i in anchors_of]  # no event listed on home
    years = sorted({e["start"][:4] for e in example_data["events"]})
    for year in years:
        assert f"timeline/{year}/" in home.links
    # 2020 has more than 8 events: a page per month, each event listed (with its anchor) exactly once
    assert "timeline/2020/02/index.html" in pages
    anchors = [i for page in pages.values() if page.path.startswith("timeline/") for i in page.ids if i in anchors_of]
    assert sorted(anchors) == sorted(anchors_of)
    # the filter searches the whole timeline through the index
    index = json.loads((paged_site / "timeline-index.json").read_text(encoding="utf-8"))
    assert [row[0] for row in index["events"]] == [e["id"] for e in example_data["events"]]
    # busy places and tags list years instead of events
    busiest = max(example_data["events"][0]["tags"], key=lambda t: sum(t in e["tags"] for e in example_data["events"]))
    assert any(p.startswith(f"tags/{busiest}/20") for p in pages)


def test_event_pages_link_to_their_place_on_the_split_timeline(paged_site, example_data):
    pages = read_site(paged_site)
    for event in (e for e in example_data["events"] if e["start"].startswith("2020-02")):
        lister = next(p for p in pages.values() if p.path.startswith("timeline/") and f"event-{event['id']}" in p.ids)
        folder = lister.path[:-len("index.html")]
        assert f"../../{folder}#event-{event['id']}" in pages[f"events/{event['id']}/index.html"].links


def test_a_month_longer_than_a_page_is_cut_into_parts(paged_site, example_data):
    """page_size 8: February 2020's events fill parts of at most 8, in order, each linking the next."""
    import re
    pages = read_site(paged_site)
    february = [e["id"] for e in example_data["events"] if e["start"].startswith("2020-02")]
    count = -(-len(february) // 8)
    assert count > 1
    folders = ["timeline/2020/02/"] + [f"timeline/2020/02-{n}/" for n in range(2, count + 1)]
    listed = []
    for number, folder in enumerate(folders, 1):
        page = pages[folder + "index.html"]
        ids = re.findall(r'<li [^>]*id="event-([^"]+)"', (paged_site / page.path).read_text(encoding="utf-8"))
        assert 0 < len(ids) <= 8
        listed += ids
        assert page.h1.rstrip("¶") == f"February 2020, part {number} of {count}"
        if number < count:
            assert f"../{folders[number].split('/')[-2]}/" in page.links
    assert listed == february
    assert f"timeline/2020/02-{count + 1}/index.html" not in pages
    year = (paged_site / "timeline/2020/index.html").read_text(encoding="utf-8")
    assert f'February 2020</a> <span class="tl-count-n">({len(february)})</span>' in year


def test_search_index_is_compact_and_finds_events_by_body_words(example_site, example_data):
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_location = {doc["location"]: doc for doc in index["docs"]}
    for event in example_data["events"]:
        doc = by_location[event["url"]]
        import html
        assert html.unescape(doc["title"]) == event["title"] and "<" not in doc["title"]
        words = [w.strip(".,;:\"'()").lower() for w in event["body"].split()]
        from timeline.search import STOP_WORDS  # the search engine ignores these, so the index may drop them
        long_words = [w for w in words if len(w) > 6 and w.isalpha() and w not in STOP_WORDS]
        findable = (doc["text"] + " " + doc["title"]).lower()  # the title is indexed in its own field; search ignores case
        assert all(w in findable for w in long_words), event["id"]
        for place in event["places"]:  # by each word of its name (a word the title holds is not repeated)
            assert all(w in findable.lower().split() or w in doc["title"].lower()
                       for w in place["name"].lower().replace("-", " ").split()), (event["id"], place["name"])
        assert not any(loc.startswith(event["url"] + "#") for loc in by_location)  # no section entries
    assert "editing/" in by_location and by_location["editing/"]["text"]  # hand-written pages as they were


@pytest.mark.parametrize("directory_urls,cases", [
    (True, [("events/x.md", "places/y.md", "../../places/y/"), ("index.md", "events/x.md", "events/x/"),
            ("events/x.md", "index.md", "../../"), ("places/index.md", "places/y.md", "y/"),
            ("timeline/2020/02.md", "timeline-index.json", "../../../timeline-index.json"),
            ("events/x.md", "events/x.md", "./")]),
    (False, [("events/x.md", "places/y.md", "../places/y.html"), ("index.md", "events/x.md", "events/x.html"),
             ("events/x.md", "index.md", "../index.html"), ("places/index.md", "places/y.md", "y.html")]),
])
def test_relative_links(directory_urls, cases):
    from timeline.urls import Urls
    site = Urls(directory_urls)
    assert [site.href(a, b) for a, b, _ in cases] == [want for _, _, want in cases]


def test_site_without_directory_urls_has_no_dead_link(project):
    project.event("2020-02-03-a", extra="tags: [t]\n")
    project.event("2020-02-04-b", date="2020-02-04", extra="related: [2020-02-03-a]\n")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text() + "use_directory_urls: false\n")
    assert project.run("build", "-q")[0] == 0
    site = project.root / "site"
    assert (site / "events" / "2020-02-03-a.html").is_file()
    assert dead_links(site, read_site(site)) == []


def test_policy_never_allows_a_script_inside_the_page_content():
    from timeline.security import Policy, inline_script_hashes
    theme = "<script>var theme = 1</script>"
    injected = "<script>alert(1)</script>"
    page = f'<html><head><meta charset="utf-8">{theme}</head><body><article>{injected}</article></body></html>'
    allowed = Policy().add(page, untrusted=f"<article>{injected}</article>")
    policy = allowed.split('Content-Security-Policy" content="')[1].split('"')[0]
    assert inline_script_hashes(theme)[0] in policy
    assert inline_script_hashes(injected)[0] not in policy


def test_tile_hosts_are_checked_before_entering_the_policy():
    from timeline.settings import tile_hosts
    assert tile_hosts("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert tile_hosts('https://evil.org;script-src *"/{z}.png') == []
    assert tile_hosts("javascript:alert(1)") == []


def test_search_keeps_hand_written_pages_across_serve_rebuilds():
    from timeline.search import merge_index
    first = {"docs": [{"location": "about/", "title": "About", "text": "a"},
                      {"location": "", "title": "Home", "text": "lists"},
                      {"location": "#2020", "title": "2020", "text": "lists"}]}
    merged, kept = merge_index(first, [{"location": "events/e/", "title": "E", "text": "e"}], {""})
    assert [d["location"] for d in merged["docs"]] == ["about/", "", "events/e/"]
    # a dirty rebuild in which the theme re-indexed only the home page
    again, _ = merge_index({"docs": [{"location": "", "title": "Home", "text": "x"}]}, [], {""}, kept)
    assert [d["location"] for d in again["docs"]] == ["about/", ""]


def test_policy_trusts_only_scripts_the_theme_templates_write(tmp_path):
    """A value printed unescaped by a template (a site_name holding a script) is outside the page's
    content, yet must not be hashed: only the shapes of the templates' own scripts are."""
    from timeline.security import Policy, inline_script_hashes, known_scripts
    (tmp_path / "base.html").write_text('<script>__scope=new URL("{{ base_url }}",location)</script>\n'
                                        '<script id="__config" type="application/json">{{ config }}</script>')
    policy = Policy(known=known_scripts([tmp_path]))
    theme = '<script>__scope=new URL("../..",location)</script>'
    injected = "<script>alert(1)</script>"
    breakout = '<script>__scope=new URL("x",alert(1),"",location)</script>'  # a value with quotes
    text = policy.text(f"<head>{theme}<title>{injected}</title>{breakout}</head>")
    assert inline_script_hashes(theme)[0] in text
    assert inline_script_hashes(injected)[0] not in text and inline_script_hashes(breakout)[0] not in text


def test_addresses_in_mkdocs_yml_cannot_break_out_of_an_attribute(project):
    project.event("e")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text() + "site_url: 'https://example.org/\"><script>alert(1)</script>'\n")
    status, out, err = project.run("build", "-q")
    assert status == 1
    assert "site_url in mkdocs.yml must be an http(s) address without quotes, spaces or angle brackets" in err


def test_event_pages_stay_out_of_the_navigation(example_site, example_data):
    """Every page embeds the whole navigation: with events in it, the build is quadratic (STYLE.md)."""
    import re
    home = (example_site / "index.html").read_text(encoding="utf-8")
    nav_links = re.findall(r'<a href="([^"]*)" class="md-nav__link', home)
    assert "map/" in nav_links and "places/" in nav_links  # the read really found the navigation
    assert [link for link in nav_links if link.startswith("events/")] == []
    assert len(example_data["events"]) > 30


def test_a_build_without_site_url_says_what_is_missing_and_one_with_it_links_everything(project, monkeypatch):
    project.event("2020-02-03-e")
    status, _, err = project.run("build")
    assert status == 0 and "site_url is not set in mkdocs.yml (nor SITE_URL when building): sitemap.xml lists no " \
        "pages" in err
    assert "<loc>" not in (project.root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    # the example's mkdocs.yml takes it from SITE_URL, as CI gives it for GitHub Pages
    config = project.root / "mkdocs.yml"
    config.write_text("site_url: !ENV SITE_URL\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("SITE_URL", "https://example.org/timeline/")
    status, _, err = project.run("build")
    assert status == 0 and "site_url is not set" not in err
    assert "<loc>https://example.org/timeline/events/2020-02-03-e/</loc>" in \
        (project.root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "URL:https://example.org/timeline/events/2020-02-03-e/" in \
        (project.root / "site" / "events.ics").read_text(encoding="utf-8").replace("\r\n ", "")
