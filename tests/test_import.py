"""`import timelinejs`: TimelineJS3 JSON and the Google Sheets CSV into event files that validate."""
from __future__ import annotations

import dataclasses
import json
import textwrap

import pytest
from conftest import Project

from timeline import exports
from timeline.check import check_project as validate_project
from timeline.importers import html_to_markdown, html_to_text, import_timelinejs
from timeline.markup import Renderer
from timeline.model import Source

# ------------------------------------------------------------------ export → import

ROUND_TRIP = {
    "events/2020/2020-02-03-clash.md": """\
        ---
        title: Turkish and Syrian government forces clash around Saraqeb
        date: 2020-02-03   # "Monday, February 3" (Le Monde)
        place: saraqib
        dispute: Sources give different death tolls.
        sources:
          - title: Renewed fighting in Idlib
            publisher: Le Monde
            url: https://www.lemonde.fr/a
            published: 2020-02-04
            claim: "Eight Turkish soldiers were killed, according to Ankara."
          - title: 'Syria: clashes near Saraqeb'
            publisher: The New Arab
            url: https://www.newarab.com/b?x=1&y=2
            published: 2020-02
            claim: The SOHR counted 13 dead.
        tags: [turkey, syrian-government]
        related: [2019-12-displacement, 2017-agreement]
        ---
        Turkish and Syrian forces **clashed** around Saraqeb, according to the
        [Turkish ministry](https://www.msb.gov.tr/).

        - one
        - two
        """,
    "events/2019/2019-12-displacement.md": """\
        ---
        title: 315,000 people displaced in December
        date: 2019-12
        place: Maaret al-Numan
        sources:
          - title: UN report
            publisher: OCHA
            published: 2020-01-02
        ---
        """,
    "events/2017/2017-agreement.md": """\
        ---
        title: "Observation posts: agreement with Russia and Iran"
        date: 2017
        place: [Idlib, Saraqeb]
        sources:
          - {title: Ankara and Moscow, publisher: Arab Observer, url: "https://www.arabobserver.com/c"}
        tags: [diplomacy]
        ---
        Twelve posts, the *Arab Observer* reported.
        """,
    "events/2019/2019-11-offensive.md": """\
        ---
        title: Government offensive
        date: 2019-11
        end: 2020-03-05
        place: Idlib
        sources:
          - title: The offensive
            publisher: Le Monde
            url: https://www.lemonde.fr/d
        related: [2020-02-03-clash]
        ---
        It lasted months.
        """,
    "events/2020/2020-02-27-airstrike.md": """\
        ---
        title: "Air strike: 33 Turkish soldiers killed"
        date: 2020-02-27T22:30+03:00
        end: 2020-02-28T01:00+03:00
        place: Idlib
        sources:
          - title: 'Yes'
            publisher: Reuters
            claim: "#1 story: 33 dead"
        tags: [turkey]
        ---
        """,
}


def _without_path(events) -> list:
    return sorted((dataclasses.replace(e, path="") for e in events), key=lambda e: e.id)


def test_export_then_import_gives_back_the_same_events(project, tmp_path):
    for path, text in ROUND_TRIP.items():
        project.write(path, textwrap.dedent(text))
    project.write("periods.yml", "- id: offensive\n  title: Offensive\n  start: 2019-11\n  end: 2020-03-05\n")
    timeline, problems = validate_project(project.root)
    assert [p for p in problems if p.is_error] == []
    assert len(timeline.events) == len(ROUND_TRIP)
    exported = tmp_path / "timelinejs.json"
    exported.write_text(exports.timelinejs(timeline, Renderer(), "Idlib"), encoding="utf-8")

    (tmp_path / "fresh").mkdir()
    fresh = Project(tmp_path / "fresh")  # same places.yml, no events
    result = import_timelinejs(fresh.root, exported)
    assert result.skipped == []
    assert result.written == sorted(ROUND_TRIP)  # same ids, same year folders
    assert result.report == ["title slide 'Idlib': title slide not imported (event files have no title slide)",
                             "era 1 'Offensive': era not imported (eras are periods: add it to periods.yml by hand)"]
    imported, problems = validate_project(fresh.root)
    assert problems == []
    assert _without_path(imported.events) == _without_path(timeline.events)
    assert fresh.run("validate")[0] == 0
    text = (fresh.root / "events/2020/2020-02-27-airstrike.md").read_text(encoding="utf-8")
    assert 'title: "Air strike: 33 Turkish soldiers killed"\ndate: 2020-02-27T22:30+03:00\n' in text
    assert '  - title: "Yes"\n' in text  # YAML would read a bare Yes as true

    again = import_timelinejs(fresh.root, exported)
    assert again.written == []
    assert len(again.skipped) == len(ROUND_TRIP)
    assert "slide 1 'Observation posts: agreement with Russia and Iran': id '2017-agreement' is already used by " \
           "events/2017/2017-agreement.md: not overwritten" in again.skipped


# ------------------------------------------------------------------ foreign TimelineJS JSON

FOREIGN = {
    "title": {"text": {"headline": "The <i>Idlib</i> crisis", "text": "<p>Intro</p>"},
              "media": {"url": "https://example.org/cover.jpg"}},
    "events": [
        {"start_date": {"year": "2020", "month": "2", "day": "3"},
         "text": {"headline": "Turkish &amp; Syrian forces <b>clash</b>",
                  "text": "<p>Forces clashed near <a href='https://example.org/map'>Saraqeb</a>, according to "
                          "<strong>Turkey</strong>.</p><p>Second <em>paragraph</em><br>line two. "
                          "<a href=\"javascript:alert(1)\">bad</a> 3 * 4</p>"},
         "media": {"url": "https://www.youtube.com/watch?v=x", "caption": "Video"},
         "group": "Turkey Syria",
         "display_date": "Monday 3 February"},
        {"start_date": {"year": 2019, "month": 12}, "end_date": {"year": 2020, "month": 3, "day": 5},
         "text": {"headline": "Offensive"}, "unique_id": "offensive",
         "display_date": "December 2019 – 5 March 2020"},
        {"start_date": {"year": 2017}, "text": {"headline": "Already here"}, "unique_id": "existing"},
        {"start_date": {"year": 2020, "month": 2, "day": 30}, "text": {"headline": "Bad date"}},
        {"start_date": {"year": 2020, "month": 2, "day": 3, "hour": 6, "minute": 30},
         "text": {"headline": "Timed", "text": "At dawn."}, "background": {"color": "#333"},
         "unique_id": "Not A Slug"},
        {"start_date": {"year": 2020, "month": 2}, "text": {"headline": ""}},
    ],
    "eras": [{"start_date": {"year": 2019, "month": 11}, "end_date": {"year": 2020, "month": 3},
              "text": {"headline": "Offensive era"}}],
}

CLASH = """\
---
title: Turkish & Syrian forces clash
date: 2020-02-03
place: Saraqeb
sources:
  - title: The Idlib crisis
    publisher: TimelineJS import
tags: [turkey-syria]
---
Forces clashed near [Saraqeb](https://example.org/map), according to **Turkey**.

Second *paragraph*
line two. bad 3 \\* 4
"""


def test_foreign_timelinejs_json(project, tmp_path):
    project.event("existing", title="Already here")
    source = tmp_path / "idlib.json"
    source.write_text(json.dumps(FOREIGN), encoding="utf-8")

    unknown = import_timelinejs(project.root, source, place="Saraqeeb")
    assert unknown.written == []
    assert "slide 1 'Turkish & Syrian forces clash': unknown place 'Saraqeeb': did you mean 'Saraqeb' or " \
        "'Saraqib'?" \
        in unknown.skipped
    nowhere = import_timelinejs(project.root, source)
    assert "slide 2 'Offensive': no place: give --place with a place from places.yml" in nowhere.skipped
    assert sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*.md")) == \
        ["docs/index.md", "events/existing.md"]

    result = import_timelinejs(project.root, source, place="saraqib")
    assert result.written == ["events/2019/offensive.md", "events/2020/2020-02-03-timed.md",
                              "events/2020/2020-02-03-turkish-syrian-forces-clash.md"]
    assert (project.root / "events/2020/2020-02-03-turkish-syrian-forces-clash.md").read_text(encoding="utf-8") \
        == CLASH
    assert (project.root / "events/2019/offensive.md").read_text(encoding="utf-8").startswith(
        "---\ntitle: Offensive\ndate: 2019-12\nend: 2020-03-05\nplace: Saraqeb\n")
    assert "date: 2020-02-03T06:30\n" in (project.root / "events/2020/2020-02-03-timed.md").read_text(encoding="utf-8")
    assert result.skipped == [
        "slide 3 'Already here': id 'existing' is already used by events/existing.md: not overwritten",
        "slide 4 'Bad date': start date: '2020-02-30': February 2020 has 29 days",
        "slide 6: no headline: an event needs a title",
    ]
    assert result.report == [
        "title slide 'The Idlib crisis': title slide not imported (event files have no title slide)",
        "title slide 'The Idlib crisis': media https://example.org/cover.jpg not imported (event files have no media)",
        "era 1 'Offensive era': era not imported (eras are periods: add it to periods.yml by hand)",
        "slide 1 'Turkish & Syrian forces clash': media https://www.youtube.com/watch?v=x not imported "
        "(event files have no media)",
        "slide 1 'Turkish & Syrian forces clash': link javascript:alert(1) not kept (only http(s) links are)",
        "slide 1 'Turkish & Syrian forces clash': display date 'Monday 3 February' not imported "
        "(shown as '3 February 2020')",
        "slide 5 'Timed': background #333 not imported (event files have no background)",
        "slide 5 'Timed': unique_id 'Not A Slug' is not a lowercase slug: written as '2020-02-03-timed'",
        "sources: 3 events cite the placeholder source 'The Idlib crisis' (publisher 'TimelineJS import'): "
        "check each one and replace it with the article its facts come from",
    ]
    status, out, err = project.run("validate")
    assert status == 0, out + err
    timeline, _ = validate_project(project.root)
    assert {e.id: e.tags for e in timeline.events}["2020-02-03-turkish-syrian-forces-clash"] == ("turkey-syria",)


def test_items_that_would_not_validate_are_skipped(project, tmp_path):
    source = tmp_path / "t.json"
    source.write_text(json.dumps({"events": [
        {"start_date": {"year": 2020, "month": 3}, "end_date": {"year": 2020, "month": 1},
         "text": {"headline": "Backwards"}},
        {"start_date": {"year": 2020}, "text": {"headline": "Script", "text": "&lt;script&gt;alert(1)&lt;/script&gt;"}},
        {"start_date": {"year": 2020}, "text": {"headline": "Fine"}},
    ]}), encoding="utf-8")
    result = import_timelinejs(project.root, source, place="Idlib", source_title="A", source_publisher="B")
    assert result.written == ["events/2020/2020-fine.md"]
    assert result.skipped[0].startswith("slide 1 'Backwards': would not pass validation: "
                                        "events/2020/2020-03-backwards.md:4: error: end 2020-01 is before date 2020-03")
    assert "[unsafe-html]" in result.skipped[1]
    assert result.report == []  # a real source: nothing to check


def test_html_conversion():
    assert html_to_text("  <b>A</b>&nbsp;&amp;<br>b  ") == "A & b"
    markdown, dropped = html_to_markdown(
        "<p>1. Not a list, # not a heading</p><ul><li>one <i>two</i></li><li>three</li></ul>"
        "<p><a href='https://x.org/a b'> link </a> <img src='https://x.org/i.png'><b> </b>_x_ [y]</p>"
        "<script>alert(1)</script><div>a &lt;b&gt;</div>")
    assert markdown == ("1\\. Not a list, # not a heading\n\n- one *two*\n- three\n\n"
                        "[link](https://x.org/a%20b) \\_x\\_ \\[y\\]\n\na &lt;b>")
    assert dropped == ["image https://x.org/i.png"]


# ------------------------------------------------------------------ the Google Sheets template as CSV

SHEET = """\
Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date, headline ,Text,Media,Media Credit,\
Media Caption,Media Thumbnail,TYPE,Group,Background,Notes
,,,,,,,,,The <b>Idlib</b> timeline,<p>Intro</p>,,,,,title,,,
2019,11,,,2020,3,5,,,Government offensive,,,,,,era,,,
2020,2,3,2:30 PM,,,,,,Clash at Saraqeb,"<p>Forces <b>clashed</b>, reports said.</p>",https://example.org/p.jpg,AP,,,,Clashes,,x
,,,,,,,,,,,,,,,,,,
2019,12,,,2020,1,,,,Displacement,Many fled.,,,,,,,#000,
2017,,,,,,,,2017,Agreement,,,,,,,,,
2020,2,4,25:99,,,,,,Bad time,,,,,,,,,
2020,2,4,12:00 AM,2020,2,4,00:45,,Midnight,,,,,,,,,
"""


def test_google_sheets_csv(project, tmp_path):
    source = tmp_path / "sheet.csv"
    source.write_text(SHEET, encoding="utf-8")
    result = import_timelinejs(project.root, source, place="Idlib", source_title="Sheet",
                               source_publisher="Le Monde", source_url="https://www.lemonde.fr/s")
    assert result.skipped == ["row 8 'Bad time': start date: time '25:99' is not a time of day (00:00 to 23:59)"]
    assert result.report == [
        "row 2 'The Idlib timeline': title slide not imported (event files have no title slide)",
        "row 3 'Government offensive': era not imported (eras are periods: add it to periods.yml by hand)",
        "row 4 'Clash at Saraqeb': media https://example.org/p.jpg not imported (event files have no media)",
        "row 6 'Displacement': background #000 not imported (event files have no background)",
    ]
    assert result.written == ["events/2017/2017-agreement.md", "events/2019/2019-12-displacement.md",
                              "events/2020/2020-02-03-clash-at-saraqeb.md", "events/2020/2020-02-04-midnight.md"]
    timeline, problems = validate_project(project.root)
    assert problems == []
    got = {e.id: (e.title, e.start.iso(), e.end.iso() if e.end else None, e.places, e.tags, e.body)
           for e in timeline.events}
    assert got == {
        "2017-agreement": ("Agreement", "2017", None, ("idlib",), (), ""),
        "2019-12-displacement": ("Displacement", "2019-12", "2020-01", ("idlib",), (), "Many fled."),
        "2020-02-03-clash-at-saraqeb": ("Clash at Saraqeb", "2020-02-03T14:30", None, ("idlib",), ("clashes",),
                                        "Forces **clashed**, reports said."),
        "2020-02-04-midnight": ("Midnight", "2020-02-04T00:00", "2020-02-04T00:45", ("idlib",), (), ""),
    }
    assert {e.sources for e in timeline.events} == {(Source("Sheet", "Le Monde", "https://www.lemonde.fr/s"),)}


# ------------------------------------------------------------------ unreadable input, dry run

@pytest.mark.parametrize("name, content, message", [
    ("bad.json", '{"events": [{"start_date": ', "bad.json: not valid JSON: Expecting value (line 1, column 28)"),
    ("list.json", "[1, 2]", 'list.json: not a TimelineJS timeline: expected a JSON object with an "events" list'),
    ("no-events.json", '{"title": {}}', "no-events.json: not a TimelineJS timeline"),
    ("sheet.csv", "Year,Month,Day,Title\n2020,1,2,x\n", "sheet.csv: neither TimelineJS JSON nor a TimelineJS Google "
                                                          "Sheets CSV: no 'Headline' column in the header (line 1)"),
    ("empty.csv", "\n \n", "empty.csv: the file is empty"),
    ("utf16.csv", "Year,Headline\n".encode("utf-16"), "utf16.csv: not UTF-8 text"),
])
def test_unreadable_input_is_a_clear_value_error(project, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ValueError) as caught:
        import_timelinejs(project.root, source, place="Idlib")
    assert str(caught.value).startswith(message)


def test_bad_options_are_value_errors(project, tmp_path):
    source = tmp_path / "t.json"
    source.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an absolute http"):
        import_timelinejs(project.root, source, source_url="www.example.org")
    with pytest.raises(ValueError, match="must be events/ or a folder inside it"):
        import_timelinejs(project.root, source, folder="../elsewhere")
    with pytest.raises(ValueError, match="cannot read"):
        import_timelinejs(project.root, tmp_path / "missing.json")


def test_dry_run_writes_nothing(project, tmp_path):
    source = tmp_path / "idlib.json"
    source.write_text(json.dumps(FOREIGN), encoding="utf-8")
    before = sorted(p for p in project.root.rglob("*") if "idlib.json" not in p.name)
    result = import_timelinejs(project.root, source, place="Saraqeb", dry_run=True)
    assert result.written == ["events/2017/existing.md", "events/2019/offensive.md", "events/2020/2020-02-03-timed.md",
                              "events/2020/2020-02-03-turkish-syrian-forces-clash.md"]
    assert sorted(p for p in project.root.rglob("*") if "idlib.json" not in p.name) == before
    real = import_timelinejs(project.root, source, place="Saraqeb")
    assert real == result  # the dry run reported exactly what the real run then did


def test_custom_folder(project, tmp_path):
    source = tmp_path / "t.json"
    source.write_text('{"events": [{"start_date": {"year": 2020}, "text": {"headline": "One"}}]}', encoding="utf-8")
    result = import_timelinejs(project.root, source, place="Idlib", folder="events/imported/")
    assert result.written == ["events/imported/2020-one.md"]
    assert project.run("validate")[0] == 0


# ------------------------------------------------------------------ problems as diagnostics, at the input's lines

def prop(path) -> str:
    return str(path).replace(":", "%3A").replace(",", "%2C")


def test_import_reports_each_problem_at_its_slide_or_row_line(project, tmp_path):
    source = tmp_path / "t.json"
    source.write_text('{\n  "title": {"text": {"headline": "T"}},\n  "events": [\n'
                      '    {"start_date": {"year": 2020}, "text": {"headline": "Fine"}},\n'
                      '    {"start_date": {"year": 2020, "month": 2, "day": 30},\n     "text": {"headline": "Bad"}}\n'
                      '  ]\n}\n', encoding="utf-8")
    status, out, err = project.run("import", "timelinejs", str(source), "--place", "Idlib")
    assert status == 0, err
    assert out.splitlines() == [
        "wrote events/2020/2020-fine.md",
        f"{source}:1: warning: sources: 1 event cites the placeholder source 'T' (publisher 'TimelineJS import'): "
        "check each one and replace it with the article its facts come from [import-note]",
        f"{source}:2: warning: title slide 'T': title slide not imported (event files have no title slide) [import-note]",
        f"{source}:5: error: slide 2 'Bad': start date: '2020-02-30': February 2020 has 29 days [import-skipped]",
    ]
    sheet = tmp_path / "s.csv"
    sheet.write_text('Year,Month,Day,Headline,Text\n2020,1,,"One",\n2020,13,,"Two","a\nlong text"\n2020,14,,Three,\n',
                     encoding="utf-8")
    status, out, _ = project.run("import", "timelinejs", str(sheet), "--place", "Idlib", "--format", "github")
    assert status == 0
    assert [line.split("::")[1] for line in out.splitlines() if line.startswith("::error")] == [
        f"error file={prop(sheet)},line=3", f"error file={prop(sheet)},line=5"]  # the row with a two-line cell starts on 3


def test_unreadable_input_is_a_diagnostic_at_its_line(project, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text('{\n "events": [\n  {"start_date": \n', encoding="utf-8")
    status, out, err = project.run("import", "timelinejs", str(source))
    assert status == 1
    assert out == (f"{source}:4: error: not valid JSON: Expecting value (line 4, column 1) [import-unreadable]\n")


def test_json_lines_finds_every_slide_and_era():
    from timeline.importers.readers import json_lines
    text = '{"title": {},\n"events": [\n{"a": "]"},\n\n  {"b": [1,\n2]}, 3\n],\n"eras": [{}]}'
    assert json_lines(text) == {"title": [1], "events": [3, 5, 6], "eras": [8]}
    assert json_lines('{"events": [') == {}  # never raises, whatever it is given
