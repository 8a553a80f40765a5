"""Status, publishers and figures as readers and the exports see them, on the example site."""
from __future__ import annotations

import csv
import io
import json
import re

from browser import need_browser


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


TOLL = "2020-02-03-turkish-artillery-strikes-syrian-positions"


def test_the_disputed_toll_shows_its_range_with_each_claimant(example_site):
    page = text_of((example_site / "events" / TOLL / "index.html").read_text(encoding="utf-8"))
    assert "12–76 killed , by source:" in page
    for given in ("Le Monde 12", "Turkish Defence Minister Hulusi Akar 76", "Syrian Observatory for Human Rights 13"):
        assert given in page, given
    assert "Disputed" in page and "The sources disagree on it." in page


def test_place_pages_give_totals_with_their_counting_rule(example_site, example_data):
    page = text_of((example_site / "places" / "idlib-province" / "index.html").read_text(encoding="utf-8"))
    assert "Figures reported" in page and "never added together" in page
    single_day = [e for e in example_data["events"] if e["precision"] in ("day", "minute") and not e["end"]
                  and "idlib-province" in [p["id"] for p in e["places"]] and "killed" in e["figures"]]
    low, high = (sum(e["figures"]["killed"][i] for e in single_day) for i in (0, 1))
    assert single_day and f"killed {low:,}–{high:,}" in page
    assert "displaced" not in page.split("Figures reported")[1].split(".")[0]  # only counts over months: not added


def test_status_is_on_the_list_filterable_and_in_the_exports(example_site, example_data):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    statuses = {e["id"]: e["status"] for e in example_data["events"]}
    assert statuses[TOLL] == "disputed" and set(statuses.values()) >= {"reported", "corroborated", "disputed"}
    for event_id, status in statuses.items():
        item = re.search(rf'<li class="tl-item[^"]*" id="event-{event_id}"[^>]*data-status="{status}"', home)
        assert item, event_id
    assert home.count('class="tl-badge tl-badge-') == len(statuses)
    assert 'name="status" value="disputed"' in home
    rows = list(csv.DictReader(io.StringIO((example_site / "events.csv").read_text(encoding="utf-8"))))
    toll = next(r for r in rows if r["id"] == TOLL)
    assert (toll["status"], toll["killed_low"], toll["killed_high"]) == ("disputed", "12", "76")
    assert "Turkish Defence Minister Hulusi Akar" in toll["claimants"]
    geo = json.loads((example_site / "events.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in geo["features"] if f["id"] == TOLL)["properties"]
    assert feature["status"] == "disputed" and feature["figures"] == {"killed": [12, 76]}


def test_a_republisher_page_says_whose_material_it_carries(example_site):
    page = text_of((example_site / "sources" / "ahram-online" / "index.html").read_text(encoding="utf-8"))
    assert "Republishes Reuters" in page and "news website" in page


def test_the_status_filter_shows_exactly_the_disputed_events(example_site, example_data, browser):
    need_browser()
    from browser import Server
    server = Server(example_site)
    try:
        page = browser.new_page()
        page.goto(server.url + "?status=disputed", wait_until="networkidle")
        shown = page.eval_on_selector_all("li.tl-item", "items => items.filter(i => i.offsetParent !== null)"
                                                        ".map(i => i.id.replace(/^event-/, ''))")
        assert shown == [e["id"] for e in example_data["events"] if e["status"] == "disputed"]
        assert page.locator(".tl-chip").count() == 1
        page.close()
    finally:
        server.close()


def test_an_article_cited_once_per_claimant_counts_as_one_source(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    item = home.split(f'id="event-{TOLL}"', 1)[1].split("</li>", 1)[0]
    assert "2 sources: " in text_of(item)  # Le Monde (three claimants) and Ahram Online
