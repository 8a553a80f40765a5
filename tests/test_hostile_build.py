"""Hostile input, round two, where it reaches the build: one file that takes minutes or makes the
site huge, dates at the edges of the calendar, ids that collide with generated anchors, publisher
names that collide, links to files outside the project. Each DoS case has a time bound: a single
file within the size limits must add about a second, measured against a build without it."""
from __future__ import annotations

import re
import time

import pytest
from conftest import event_text
from sitecheck import dead_links, read_site

from timeline.kinds import MAX_SLUG


def timed(project, *args: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    status, out, err = project.run(*args)
    return time.perf_counter() - start, status, out + err


@pytest.fixture
def baseline(project) -> float:
    """How long validate and build take on the project with one ordinary event."""
    project.event("e0")
    return timed(project, "validate")[0] + timed(project, "build", "-q")[0]


# A body of each kind that made Python-Markdown superlinear, as large as the body limit allows.
SLOW_BODIES = {"brackets": "[" * 19_900, "image-openers": "![" * 9_900, "tag-starts": "<a " * 6_600,
               "heading-lines": "#\n" * 9_900, "table-rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * 3_300,
               "link-openers": "[a](" * 4_900, "tab-lists": "".join("\t" * (i % 30) + "- x\n" for i in range(1_200))}


@pytest.mark.parametrize("kind", sorted(SLOW_BODIES))
def test_one_slow_body_adds_about_a_second(project, baseline, kind):
    project.event("slow", body=SLOW_BODIES[kind])
    elapsed, status, output = timed(project, "validate")
    built, build_status, build_output = timed(project, "build", "-q")
    assert elapsed + built - baseline < 4, f"{kind}: {elapsed:.1f} s to validate, {built:.1f} s to build"
    assert (status, build_status) != (0, 1), build_output  # whatever validate accepts builds


def test_fan_out_is_bounded_and_the_site_stays_small(project):
    """5,000 tags, publishers or places in one event were 1.3 GB of site: each is now refused at its line."""
    many = ", ".join(f"t{i}" for i in range(5_000))
    project.write("events/tags.md", event_text(extra=f"tags: [{many}]\n"))
    sources = "".join(f"  - title: A\n    publisher: P{i}\n" for i in range(5_000))
    project.write("events/sources.md", "---\ntitle: T\ndate: 2020\nplace: Saraqeb\nsources:\n" + sources + "---\n")
    elapsed, status, output = timed(project, "validate")
    assert status == 1 and elapsed < 5
    assert "events/tags.md:9: error: tags lists 5,000 entries; the limit is 30 [too-many]" in output
    assert "events/sources.md:5: error: sources lists 5,000 entries; the limit is 50 [too-many]" in output


def test_twenty_thousand_unused_places_make_no_pages(project):
    places = (project.root / "places.yml").read_text() + "".join(f"p{i}:\n  name: Place {i}\n" for i in range(20_000))
    project.write("places.yml", places)
    project.event("e")
    elapsed, status, output = timed(project, "build", "-q")
    assert status == 0, output
    assert not (project.root / "site" / "places" / "p1").exists()
    assert "20,002 places in places.yml have no events yet" in (project.root / "site" / "places" / "index.html").read_text()
    assert elapsed < 30  # it was minutes: 20,000 pages


def test_many_misspelt_related_ids_in_a_large_timeline_are_fast(project):
    for i in range(3_000):
        project.write(f"events/2020-01-{1 + i % 28:02d}-event-number-{i}.md", event_text(date=f"2020-01-{1 + i % 28:02d}"))
    wrong = ", ".join(f"2020-01-{1 + i % 28:02d}-evnt-number-{i}" for i in range(50))
    project.write("events/misspelt.md", event_text(extra=f"related: [{wrong}]\n"))
    elapsed, status, output = timed(project, "validate")
    assert status == 1 and output.count("[unknown-related]") == 50
    assert "did you mean '2020-01-01-event-number-0'?" in output
    assert elapsed < 20  # difflib alone: minutes


@pytest.mark.parametrize("dates", [["2106-02-08"], ["9998-12-31"], ["1944-06-06", "1900"], ["0999-05-01", "0001"]],
                         ids=["after-2106", "year-9998", "before-1970", "before-1000"])
def test_every_year_validate_accepts_builds(project, dates):
    for i, date in enumerate(dates):
        project.event(f"e{i}", date=date)
    assert project.run("validate")[0] == 0
    status, out, err = project.run("build", "-q")
    assert status == 0, err
    assert (project.root / "site" / "sitemap.xml.gz").is_file()


@pytest.mark.parametrize("name", ["2020", "february-2020", "period-war", "tl-filters"])
def test_an_event_id_never_duplicates_an_element_id(project, name):
    project.write("periods.yml", "- id: war\n  title: War\n  start: 2020-02\n")
    project.event(name, date="2020-02-03")
    project.event("other", date="2020-02-04")
    assert project.run("build", "-q")[0] == 0
    home = (project.root / "site" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', home)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    page = read_site(project.root / "site")
    assert dead_links(project.root / "site", page) == []  # "On the timeline" lands on the event


def test_publishers_whose_page_names_could_collide_get_a_page_each(project):
    from timeline.urls import publisher_slug
    arabic = "المرصد السوري"
    literal = publisher_slug("???").replace("--", "-")  # what a hash slug looks like, as a real name
    project.event("a", publisher=arabic)
    project.event("b", publisher=literal, date="2020-02-04")
    project.event("c", publisher="???", date="2020-02-05")
    assert project.run("build", "-q")[0] == 0
    site = project.root / "site"
    pages = {p.parent.name for p in (site / "sources").glob("*/index.html")}
    assert pages == {publisher_slug(arabic), publisher_slug(literal), publisher_slug("???")}
    assert len(pages) == 3 and "المرصد-السوري" in pages  # a readable address for an Arabic name
    assert dead_links(site, read_site(site)) == []


def test_an_id_too_long_for_a_file_name_is_refused_with_its_line(project):
    project.event("e", extra=f"tags: [{'t' * (MAX_SLUG + 200)}]\n")
    status, out, err = project.run("validate")
    assert status == 1 and out.startswith("events/e.md:9: error: tag ") and "[bad-slug]" in out


def test_a_hand_written_page_linking_outside_the_project_stops_the_build(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text("# SECRET-OUTSIDE\n", encoding="utf-8")
    project.event("e")
    (project.root / "docs" / "leak.md").symlink_to(secret)
    status, out, err = project.run("build", "-q")
    assert status == 1
    assert "leak.md is a symbolic link to something outside the project" in err
    assert not (project.root / "site").exists()
