"""Editors' commands: new (options and terminal prompts), fmt, schema."""
from __future__ import annotations

import sys

import pytest
from conftest import REPO


def test_new_from_options_writes_a_valid_file(project):
    status, out, err = project.run("new", "--title", "Clashes: around Saraqeb", "--date", "2020-02-03",
                                   "--place", "saraqib", "--source-title", "A headline", "--source-publisher",
                                   "Le Monde", "--source-url", "https://example.org/x", "--tag", "turkey")
    assert status == 0, err
    assert out == "created events/2020/2020-02-03-clashes-around-saraqeb.md\n"
    text = (project.root / "events/2020/2020-02-03-clashes-around-saraqeb.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Clashes: around Saraqeb"\ndate: 2020-02-03\nplace: saraqib\nsources:\n'
                           "  - title: A headline\n    publisher: Le Monde\n    url: https://example.org/x\n"
                           "tags: [turkey]\n---\n")
    assert project.run("validate")[0] == 0
    assert project.run("fmt", "--check")[0] == 0


def test_new_refuses_to_overwrite_and_bad_answers(project):
    args = ["new", "--title", "T", "--date", "2020-02-03", "--place", "Idlib", "--source-title", "A",
            "--source-publisher", "P"]
    assert project.run(*args)[0] == 0
    before = (project.root / "events/2020/2020-02-03-t.md").read_bytes()
    status, _, err = project.run(*args, "--id", "2020-02-03-t")
    assert status == 1 and "already exists" in err
    assert (project.root / "events/2020/2020-02-03-t.md").read_bytes() == before
    status, _, err = project.run(*args[:-6], "--place", "Idlb", "--source-title", "A", "--source-publisher", "P")
    assert status == 1 and "unknown place 'Idlb'; did you mean 'Idlib'?" in err
    status, _, err = project.run("new", "--title", "T")
    assert status == 2 and "missing --date, --place, --source-title, --source-publisher" in err


def test_new_asks_in_a_terminal_and_suggests(project):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, [str(REPO / "build_timeline.py"), "new"], cwd=str(project.root),
                          encoding="utf-8", timeout=30)
    child.expect("Title")
    child.sendline("Government forces enter Saraqeb")
    child.expect("Date")
    child.sendline("2020-02-30")
    child.expect("February 2020 has 29 days")
    child.sendline("2020-02-05")
    child.expect("Place")
    child.sendline("Saraqb")
    child.expect("did you mean 'Saraqib' or 'Saraqeb'")
    child.sendline("Saraqeb")
    child.expect("headline")
    child.sendline("Syria's warring sides face off")
    child.expect("publisher")
    child.sendline("Ahram Online")
    child.expect("address")
    child.sendline("www.example.org")
    child.expect("is not an absolute http")  # asked again, not lost
    child.sendline("")
    child.expect("when it was published")
    child.sendline("2020-02-06")
    child.expect("what it reports")
    child.sendline("")
    child.expect("Another source")  # no address given: no archived copy asked for
    child.sendline("")
    child.expect("Tags")
    child.sendline("syrian-government")
    child.expect("created events/2020/2020-02-05-government-forces-enter-saraqeb.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert project.run("validate")[0] == 0


FORMATTED = """\
---
title: 'Quoted: title'
date: 2020-02-03   # "Monday" (Le Monde)
# the town, as the source spells it
place: Saraqib
sources:
  - title: T
    publisher: P
    url: https://example.org/a   # the article
tags: [a, b]
---
Body.
"""


def test_fmt_reorders_keys_and_keeps_comments(project):
    messy = """\
---
tags: [a, b]
sources:
  - url: https://example.org/a   # the article
    publisher: P
    title: T
# the town, as the source spells it
place: Saraqib   
title: 'Quoted: title'
date: 2020-02-03   # "Monday" (Le Monde)
---
Body.


""".replace("\n", "\r\n")
    path = project.write("events/e.md", b"\xef\xbb\xbf" + messy.encode())
    status, out, _ = project.run("fmt", "--check")
    assert (status, out) == (1, "events/e.md: would be reformatted\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # --check changes nothing
    status, out, _ = project.run("fmt")
    assert (status, out) == (0, "events/e.md: reformatted\n")
    assert path.read_text(encoding="utf-8") == FORMATTED
    assert project.run("fmt", "--check")[0] == 0
    assert project.run("validate")[0] == 0


def test_fmt_leaves_broken_files_alone(project):
    path = project.write("events/e.md", "---\ntitle: [unclosed\n---\n")
    status, out, err = project.run("fmt")
    assert status == 0 and out == ""
    assert "events/e.md: skipped: YAML syntax: " in err
    assert path.read_text() == "---\ntitle: [unclosed\n---\n"


def test_example_events_are_formatted(project):
    from timeline.fmt import format_event
    for file in sorted((REPO / "events").rglob("*.md")):
        raw = file.read_bytes()
        assert format_event(raw).text.encode() == raw, f"{file}: run python build_timeline.py fmt"


def test_committed_schemas_are_up_to_date():
    from timeline.schema import json_schema_files
    for name, text in json_schema_files().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, \
            "run: python build_timeline.py schema"


def test_the_editing_guide_holds_its_tables_and_they_are_up_to_date():
    """Editors read docs/editing.md on GitHub, where no build fills the tables in."""
    from timeline.guide import fill
    guide = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    assert "| `title` | yes |" in guide and "| `unknown-place` | error |" in guide
    assert guide == fill(guide), "the tables are stale: run python build_timeline.py schema"


def test_new_takes_every_key_and_lists_from_repeated_options(project):
    status, out, err = project.run(
        "new", "--title", "Clash", "--date", "2020-02-03", "--place", "saraqib", "--place", "Idlib",
        "--tag", "turkey", "--tag", "syrian-government", "--source-title", "A headline", "--source-publisher",
        "Le Monde", "--source-published", "2020-02-04", "--source-claim", "Eight soldiers died, it said.",
        "--dispute", "Tolls differ.")
    assert status == 0, err
    text = (project.root / "events/2020/2020-02-03-clash.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Clash\ndate: 2020-02-03\nplace: [saraqib, Idlib]\nsources:\n"
                           "  - title: A headline\n    publisher: Le Monde\n    published: 2020-02-04\n"
                           "    claim: Eight soldiers died, it said.\ntags: [turkey, syrian-government]\n"
                           "dispute: Tolls differ.\n---\n<!-- Write what happened")
    assert project.run("validate")[0] == 0 and project.run("fmt", "--check")[0] == 0


def test_new_checks_a_place_name_with_a_comma_as_one_name(project):
    places = project.root / "places.yml"
    places.write_text(places.read_text() + "meet:\n  name: Area where Idlib, Hama and Latakia meet\n")
    status, out, err = project.run("new", "--title", "T", "--date", "2020", "--place",
                                   "Area where Idlib, Hama and Latakia meet", "--source-title", "A",
                                   "--source-publisher", "P")
    assert status == 0, err
    assert 'place: Area where Idlib, Hama and Latakia meet\n' in \
        (project.root / "events/2020/2020-t.md").read_text(encoding="utf-8")


def test_new_in_a_terminal_takes_several_sources_and_points_out_a_near_publisher(project):
    pexpect = pytest.importorskip("pexpect")
    project.event("known", publisher="Le Monde")
    child = pexpect.spawn(sys.executable, [str(REPO / "build_timeline.py"), "new"], cwd=str(project.root),
                          encoding="utf-8", timeout=30)
    for prompt, answer in [("Title", "Two sources"), ("Date", "2020-02-05"), ("Place", "Saraqeb"),
                           ("headline", "First"), ("publisher", "Le Mond")]:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("did you mean 'Le Monde'")
    child.sendline("Le Monde")
    for prompt, answer in [("address", ""), ("published", ""), ("reports", "It said 3 died."),
                           ("Another source", "Second"), ("publisher", "LE MONDE")]:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("is spelled 'Le Monde' in the other events")
    child.sendline("DW")
    for prompt, answer in [("address", "https://dw.com/x"), ("published", ""), ("reports", ""),
                           ("archived copy", "https://web.archive.org/web/2020/https://dw.com/x"),
                           ("Another source", ""), ("Tags", "")]:
        child.expect(prompt)
        child.sendline(answer)
    child.expect("created events/2020/2020-02-05-two-sources.md")
    child.expect(pexpect.EOF)
    text = (project.root / "events/2020/2020-02-05-two-sources.md").read_text(encoding="utf-8")
    assert "sources:\n  - title: First\n    publisher: Le Monde\n    claim: It said 3 died.\n" \
           "  - title: Second\n    publisher: DW\n    url: https://dw.com/x\n" in text
    assert project.run("validate")[0] == 0


def test_new_keeps_its_folder_inside_events(project):
    args = ["new", "--title", "T", "--date", "2020-02-03", "--place", "Idlib", "--source-title", "A",
            "--source-publisher", "P"]
    status, _, err = project.run(*args, "--folder", "../../tmp")
    assert status == 2 and "--folder '../../tmp' is outside events/" in err
    assert not list(project.root.parent.parent.glob("tmp/*-t.md"))
    assert project.run(*args, "--folder", "2020/february")[0] == 0
    assert (project.root / "events/2020/february/2020-02-03-t.md").is_file()
