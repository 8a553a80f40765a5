"""The core on plain data, without MkDocs or a folder: the check and its cache, and page functions."""
from __future__ import annotations

from dataclasses import replace

from conftest import PLACES, event_text

from timeline import check as core
from timeline.dates import parse_date
from timeline.load import Inputs, SourceFile
from timeline.model import Event, Place, Source, Timeline
from timeline.pages import HtmlPage, MarkdownPage, make_plan, plan_pages
from timeline.pages.event import event_page
from timeline.pages.places import place_page
from timeline.settings import Settings

GAZETTEER = SourceFile("places.yml", PLACES.encode())


def inputs(**events: str) -> Inputs:
    return Inputs(tuple(SourceFile(f"events/{name}.md", text.encode()) for name, text in sorted(events.items())),
                  GAZETTEER)


def test_check_on_data_needs_no_folder():
    timeline, problems = core.check(inputs(a=event_text(), b=event_text(date="2020-02-04")))
    assert problems == [] and [e.id for e in timeline.events] == ["a", "b"]


def test_the_cache_rechecks_only_what_changed(monkeypatch):
    cache = core.CheckCache()
    calls: list[str] = []
    real = core.check_event
    monkeypatch.setattr(core, "check_event", lambda file, *a: calls.append(file.path) or real(file, *a))
    core.check(inputs(a=event_text(), b=event_text()), cache)
    assert calls == ["events/a.md", "events/b.md"]
    calls.clear()
    core.check(inputs(a=event_text(), b=event_text()), cache)  # nothing changed: the last result
    assert calls == []
    _, problems = core.check(inputs(a=event_text(), b=event_text(place="Atlantis")), cache)
    assert calls == ["events/b.md"] and [p.code for p in problems] == ["unknown-place"]
    calls.clear()
    core.check(inputs(a=event_text()), cache)  # b deleted: forgotten, a not read again
    assert calls == [] and set(cache.files) == {"events/a.md"}


def test_a_changed_gazetteer_rechecks_every_event():
    cache = core.CheckCache()
    files = inputs(a=event_text(place="Atlantis"))
    _, problems = core.check(files, cache)
    assert [p.code for p in problems] == ["unknown-place"]
    atlantis = PLACES + "atlantis:\n  name: Atlantis\n"
    timeline, problems = core.check(Inputs(files.events, SourceFile("places.yml", atlantis.encode())), cache)
    assert problems == [] and timeline.events[0].places == ("atlantis",)


def date(text: str):
    value = parse_date(text)
    assert not isinstance(value, str)
    return value


def small_timeline(count: int) -> Timeline:
    places = {"p": Place("p", "Somewhere", lat=1.0, lon=2.0)}
    events = tuple(Event(f"e{i:02d}", f"events/e{i:02d}.md", f"Event {i}", date(f"{2018 + i % 3}-0{1 + i % 9}"),
                         ("p",), (Source("A", "P"),)) for i in range(count))
    return Timeline(tuple(sorted(events, key=lambda e: e.sort_key)), places)


def test_event_page_links_its_neighbours_in_time():
    plan = make_plan(small_timeline(3))
    ids = [e.id for e in plan.ix.events]
    page = event_page(plan, 1)
    assert f'rel="prev" href="../{ids[0]}/"' in page.html and f'rel="next" href="../{ids[2]}/"' in page.html
    assert 'rel="prev"' not in event_page(plan, 0).html


def test_a_long_place_list_splits_into_year_pages():
    plan = make_plan(small_timeline(12), Settings(page_size=5))
    page, years = place_page(plan, plan.ix.timeline.places["p"])
    assert sorted(years) == ["places/p/2018.md", "places/p/2019.md", "places/p/2020.md"]
    assert all(isinstance(p, HtmlPage) and p.html.count('class="tl-item') == 4 for p in years.values())
    assert page.html.count('class="tl-item') == 0 and page.html.count("places/p/20") == 0  # links are relative
    assert 'href="2018/"' in page.html  # places/p/ → places/p/2018/


def test_plan_pages_plans_every_kind_of_page_for_what_the_timeline_holds():
    timeline = small_timeline(12)
    tagged = Timeline(tuple(replace(e, tags=("t",)) if i % 2 else e for i, e in enumerate(timeline.events)),
                      timeline.places)
    pages = plan_pages(make_plan(tagged, Settings(page_size=5)))
    assert sorted(pages) == sorted(["index.md", "map.md", "places/index.md", "tags/index.md", "sources/index.md", "changes.md",
                                    "timeline/2018.md", "timeline/2019.md", "timeline/2020.md", "places/p.md",
                                    "places/p/2018.md", "places/p/2019.md", "places/p/2020.md", "tags/t.md",
                                    "tags/t/2018.md", "tags/t/2019.md", "tags/t/2020.md", "sources/p.md",
                                    "sources/p/2018.md", "sources/p/2019.md", "sources/p/2020.md",
                                    *(f"events/{e.id}.md" for e in tagged.events)])


def test_what_serve_keeps_between_builds_never_shows_an_old_version():
    """A Renderer kept across builds (serve) must give exactly what a fresh one gives, after an event,
    a place name or a period changes."""
    from pathlib import Path

    from timeline.check import check_project
    from timeline.markup import Renderer
    from timeline.model import Period
    from timeline.site import plan_site
    from timeline.urls import Urls

    def plan(timeline, renderer):
        result = plan_site(timeline, None, Settings(page_size=8), Urls(), renderer, "https://example.org/", "T")
        renderer.forget({e.body for e in timeline.events})
        return {uri: (page.expanded() if isinstance(page, MarkdownPage) else page.html) for uri, page in result.pages.items()}, \
            {path: "".join(make()) for path, make in result.data.items()}, result.search

    timeline, problems = check_project(Path(__file__).resolve().parent.parent)
    assert not [p for p in problems if p.is_error]
    kept = Renderer(keep=True)
    assert plan(timeline, kept) == plan(timeline, Renderer())
    first, place_id = timeline.events[3], timeline.events[3].places[0]
    changes = [
        replace(timeline, events=tuple(replace(e, title="Changed", tags=("new-tag",)) if e is first else e
                                       for e in timeline.events)),
        replace(timeline, places={**timeline.places, place_id: replace(timeline.places[place_id], name="Renamed")}),
        replace(timeline, periods=(Period("early", "Early", parse_date("2017"), parse_date("2019-12")),
                                   *timeline.periods)),
    ]
    for changed in changes:
        assert plan(changed, kept) == plan(changed, Renderer())


def test_the_search_text_leaves_out_only_words_a_longer_indexed_term_begins():
    """A body word that begins a longer term of the entry goes (the search's trailing wildcard finds
    it); one that begins only a stop word of the title stays, for the index drops stop words."""
    from timeline.search import event_text as search_text
    timeline, problems = core.check(inputs(
        a=event_text(title="Rebels got reports since March", body="Talks go on. A report and a sin, reported.")))
    assert not [p for p in problems if p.is_error]
    words = search_text(timeline.events[0], timeline).split()
    assert "go" in words and "sin" in words  # "got" and "since" are stop words: never indexed
    assert "report" not in words and "reported" in words  # "reported" begins with it
    assert "talks" in words and "rebels" not in words  # the title is indexed in its own field
