"""Every diagnostic code, each asserting the exact line `validate` prints."""
from __future__ import annotations

import datetime
import os

import pytest
from conftest import PLACES, event_text

from timeline.diagnostics import CODES

E = "events/e.md"
TODAY = "<today>"  # stands for the day validate ran on, filled in by the test that runs it


def today() -> str:
    """"Today", for the future-date warning: the clock's (UTC), or SOURCE_DATE_EPOCH's when it is set."""
    return datetime.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH") or datetime.datetime.now().timestamp()),
                                           datetime.timezone.utc).date().isoformat()
GOOD = event_text()


def fm(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}---\n{body}"


BASE = ("title: T\ndate: 2020-02-03\nplace: Saraqeb\nsources:\n  - title: A\n    publisher: P\n"
        "    url: https://example.org/a\n")

# (code, files, expected stdout lines)
CASES = [
    ("file-too-large", {E: GOOD + "x" * 1_000_001}, [f"{E}:1: error: file is 1,000,162 bytes; the limit is 1,000,000 [file-too-large]"]),
    ("not-utf8", {E: GOOD.encode() + b"\n\xe9t\xe9\n"}, [f"{E}:12: error: file is not UTF-8: byte 0xe9 cannot be decoded [not-utf8]"]),
    ("not-utf8-16", {E: GOOD.encode("utf-16")}, [f"{E}:1: error: file is UTF-16; save it as UTF-8 [not-utf8]"]),
    ("binary-file", {E: b"---\ntitle: \x00\x01\x02\n"}, [f"{E}:2: error: file contains a NUL byte: it looks like a binary file, not Markdown [binary-file]"]),
    ("empty-file", {E: ""}, [f"{E}:1: error: file is empty [empty-file]"]),
    ("only-bom", {E: b"\xef\xbb\xbf"}, [f"{E}:1: error: file is empty [empty-file]"]),
    ("no-front-matter", {E: "# Title\n"}, [f"{E}:1: error: file does not start with '---': the front matter is missing [no-front-matter]"]),
    ("unclosed-front-matter", {E: "---\ntitle: T\n"}, [f"{E}:1: error: front matter is never closed: no second '---' line [unclosed-front-matter]"]),
    ("empty-front-matter", {E: "---\n---\nBody\n"}, [f"{E}:1: error: front matter is empty [empty-front-matter]"]),
    ("front-matter-not-mapping", {E: fm("- a\n- b\n")}, [f"{E}:2: error: front matter must be 'key: value' lines, not a list [front-matter-not-mapping]"]),
    ("yaml-syntax", {E: fm(BASE + "tags: [a, b\n")}, [f"{E}:10: error: YAML syntax: while parsing a flow sequence did not find expected ',' or ']' [yaml-syntax]"]),
    ("yaml-too-deep", {E: fm(BASE + "tags: " + "[" * 40 + "]" * 40 + "\n")}, [f"{E}:9: error: YAML is nested more than 32 levels deep [yaml-too-deep]"]),
    ("yaml-alias", {E: fm(BASE + "tags: &t [a]\nrelated: *t\n")}, [f"{E}:10: error: YAML aliases (*name) are not allowed: write the value out [yaml-alias]"]),
    ("yaml-tag", {E: fm(BASE + "tags: !!python/object:os.system [a]\n")}, [f"{E}:9: error: YAML tag '!!python/object:os.system' is not allowed: only plain text, numbers, dates, lists and mappings [yaml-tag]"]),
    ("bad-key", {E: fm(BASE + "[a]: b\n")}, [f"{E}:9: error: keys must be plain words such as 'title' [bad-key]"]),
    ("duplicate-key", {E: fm(BASE + "title: Again\n")}, [f"{E}:9: error: duplicate key 'title' (first given on line 2) [duplicate-key]"]),
    ("unknown-key", {E: fm(BASE + "palce: Idlib\n")}, [f"{E}:9: error: unknown key 'palce'; did you mean 'place'? [unknown-key]"]),
    ("missing-key", {E: fm("title: T\ndate: 2020\nplace: Idlib\n")}, [f"{E}:1: error: missing required key 'sources' [missing-key]"]),
    ("wrong-type", {E: fm(BASE.replace("title: T", "title: 2020"))}, [f"{E}:2: error: title must be text, not a number ('2020') [wrong-type]"]),
    ("wrong-type-sources", {E: fm("title: T\ndate: 2020\nplace: Idlib\nsources: Le Monde\n")}, [f"{E}:5: error: sources must be a list of sources, not text ('Le Monde') [wrong-type]"]),
    ("wrong-type-tags", {E: fm(BASE + "tags: {a: b}\n")}, [f"{E}:9: error: tags must be text, not a set of 'key: value' lines [wrong-type]"]),
    ("empty-value", {E: fm(BASE.replace("title: T", "title: ''"))}, [f"{E}:2: error: title is empty [empty-value]"]),
    ("control-character", {E: fm(BASE.replace("title: T", 'title: "A\\x01B"'))}, [f"{E}:2: error: title contains the control character '\\x01' (U+0001 unnamed character) [control-character]"]),
    ("too-many", {E: fm(BASE + "tags: [" + ", ".join(f"t{i}" for i in range(31)) + "]\n")}, [f"{E}:9: error: tags lists 31 entries; the limit is 30 [too-many]"]),
    ("bad-slug-long", {E: fm(BASE + "tags: [" + "a" * 101 + "]\n")}, [f"{E}:9: error: tag {'a' * 40!r}… is 101 characters long; the limit is 100 [bad-slug]"]),
    ("bad-id-long", {"events/" + "a" * 101 + ".md": GOOD}, ["events/" + "a" * 101 + f".md:1: error: event id {'a' * 40!r}… is 101 characters long; the limit is 100 [bad-id]"]),
    ("body-too-large", {E: fm(BASE, "x" * 20_001 + "\n")}, [f"{E}:10: error: the text is 20,002 bytes; the limit is 20,000 [body-too-large]"]),
    ("body-control-character", {E: fm(BASE, "Pasted\n\x0cfrom a PDF.\n")}, [f"{E}:11: error: the text contains the control character '\\x0c' (U+000C unnamed character) [control-character]"]),
    ("body-too-deep-tabs", {E: fm(BASE, "".join("\t" * i + "- x\n" for i in range(45)))}, [f"{E}:30: error: the text is nested more than 40 levels deep (lists or quotes) [body-too-deep]"]),
    ("unsafe-html-quoted-gt", {E: fm(BASE, "Fine.\n<img alt=\">\" onerror=alert(1)>\n")}, [f"{E}:11: error: raw HTML that can run script is not allowed: 'onerror=' [unsafe-html]"]),
    ("unsafe-html-split-scheme", {E: fm(BASE, '<a href="java\nscript:alert(1)">x</a>\n')}, [f"{E}:10: error: raw HTML that can run script is not allowed: 'href=' [unsafe-html]"]),
    ("body-too-deep", {E: fm(BASE, "".join("  " * i + "- x\n" for i in range(45)))}, [f"{E}:50: error: the text is nested more than 40 levels deep (lists or quotes) [body-too-deep]"]),
    ("bad-slug-reserved", {E: fm(BASE + "tags: [index]\n")}, [f"{E}:9: error: tag 'index' is reserved (it names the list of all of them) [bad-slug]"]),
    ("end-before-start-offsets", {E: fm(BASE.replace("2020-02-03", "2020-02-03T10:00+03:00") + "end: 2020-02-03T06:00+00:00\n")}, [f"{E}:9: error: end 2020-02-03T06:00+00:00 is before date 2020-02-03T10:00+03:00 [end-before-start]"]),
    ("bad-date", {E: fm(BASE.replace("2020-02-03", "2019-02-29"))}, [f"{E}:3: error: date: '2019-02-29': February 2019 has 28 days [bad-date]"]),
    ("bad-date-form", {E: fm(BASE.replace("2020-02-03", "3 Feb 2020"))}, [f"{E}:3: error: date: '3 Feb 2020' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM] [bad-date]"]),
    ("end-before-start", {E: fm(BASE + "end: 2020-02-01\n")}, [f"{E}:9: error: end 2020-02-01 is before date 2020-02-03 [end-before-start]"]),
    ("bad-url", {E: fm(BASE.replace("https://example.org/a", "www.example.org/a"))}, [f"{E}:8: error: url 'www.example.org/a' is not an absolute http(s) address [bad-url]"]),
    ("bad-id", {"events/Clash_1.md": GOOD}, ["events/Clash_1.md:1: error: event id 'Clash_1' has capital letters (the id is the file name without .md) [bad-id]"]),
    ("bad-id-cyrillic", {"events/s\u0430raqeb.md": GOOD}, ["events/s\u0430raqeb.md:1: error: event id 's\u0430raqeb' contains the non-ASCII character '\u0430' (U+0430 CYRILLIC SMALL LETTER A) (the id is the file name without .md) [bad-id]"]),
    ("bad-slug", {E: fm(BASE + "tags: [Turkey]\n")}, [f"{E}:9: error: tag 'Turkey' must be lowercase letters, digits and hyphens [bad-slug]"]),
    ("unknown-place", {E: fm(BASE.replace("place: Saraqeb", "place: Saraqb"))}, [f"{E}:4: error: unknown place 'Saraqb'; did you mean 'Saraqib' or 'Saraqeb'? [unknown-place]"]),
    ("unknown-related", {E: fm(BASE + "related:\n  - x-clash\n  - x-clsh\n"), "events/x-clash.md": GOOD}, [f"{E}:11: error: related event 'x-clsh' does not exist; did you mean 'x-clash'? [unknown-related]"]),
    ("bad-related", {E: fm(BASE + "related: [e]\n")}, [f"{E}:9: error: an event cannot be related to itself [bad-related]"]),
    ("duplicate-id", {"events/a/e.md": GOOD, "events/b/e.md": GOOD}, ["events/b/e.md:1: error: duplicate event id 'e': events/a/e.md has the same file name [duplicate-id]"]),
    ("unsafe-html", {E: fm(BASE, "Fine.\n<img src=x onerror=alert(1)>\n")}, [f"{E}:11: error: raw HTML that can run script is not allowed: '<img src=x onerror=' [unsafe-html]"]),
    ("unsafe-html-entity", {E: fm(BASE, "[x](&#x6A;avascript:alert(1))\n")}, [f"{E}:10: error: raw HTML that can run script is not allowed: 'javascript:' [unsafe-html]"]),
    ("unsafe-html-script", {E: fm(BASE, "<SCRIPT>alert(1)</SCRIPT>\n")}, [f"{E}:10: error: raw HTML that can run script is not allowed: '<SCRIPT' [unsafe-html]"]),
    ("duplicate-place", {E: fm(BASE.replace("place: Saraqeb", "place: [Saraqeb, saraqib]"))}, [f"{E}:4: warning: place 'saraqib' is listed twice [duplicate-place]"]),
    ("duplicate-entry", {E: fm(BASE + "tags:\n  - a\n  - a\n")}, [f"{E}:11: warning: tag 'a' is listed twice [duplicate-entry]"]),
    ("published-before-event", {E: fm(BASE + "    published: 2020-01\n")}, [f"{E}:9: warning: source published 2020-01, before the event's date 2020-02-03: a source cannot report what had not happened yet [published-before-event]"]),
    ("duplicate-url", {E: fm(BASE + "  - title: B\n    publisher: P\n    url: https://example.org/a\n")}, [f"{E}:11: warning: url 'https://example.org/a' is cited twice (also line 8) [duplicate-url]"]),
    ("publisher-spelling", {"events/a.md": GOOD, "events/b.md": event_text(publisher="Le monde")}, ["events/b.md:1: warning: publisher 'Le monde' is also spelled 'Le Monde' (in events/a.md): use one spelling [publisher-spelling]"]),
    ("not-markdown", {"events/notes.txt": "x"}, ["events/notes.txt:1: warning: not an event file (event files end in .md); ignored [not-markdown]"]),
    ("missing-places", {E: GOOD, "places.yml": None}, [f"{E}:4: error: unknown place 'Saraqeb'; add it to places.yml [unknown-place]", "places.yml:1: error: places.yml is missing: every event needs a place from it [missing-places]"]),
    ("places-not-mapping", {"places.yml": "- a\n"}, ["places.yml:1: error: places.yml must map place ids to their fields ('saraqeb:' then indented 'name: Saraqeb') [places-not-mapping]"]),
    ("bad-coordinate", {"places.yml": PLACES + "x:\n  name: X\n  lat: 91\n  lon: 0\n"}, ["places.yml:19: error: lat 91 is out of range (-90 to 90) [bad-coordinate]"]),
    ("duplicate-alias", {"places.yml": PLACES + "x:\n  name: X\n  aliases: [saraqib]\n"}, ["places.yml:17: error: 'saraqib' names both 'saraqeb' (line 1) and 'x': a name or alias must point to one place [duplicate-alias]"]),
    ("places-duplicate-key", {"places.yml": PLACES + "idlib:\n  name: Idlib again\n"}, ["places.yml:17: error: duplicate key 'idlib' (first given on line 13) [duplicate-key]"]),
    ("periods-bad-shape", {"periods.yml": "just text\n"}, ["periods.yml:1: error: periods.yml must be a list of periods, each with '- id:', 'title:', 'start:' and optionally 'end:' [periods-bad-shape]"]),
    ("periods-missing-key", {"periods.yml": "- id: war\n  start: 2019\n"}, ["periods.yml:1: error: period is missing its 'title' [missing-key]"]),
    ("periods-end-before-start", {"periods.yml": "- id: war\n  title: War\n  start: 2019\n  end: 2018-05\n"}, ["periods.yml:4: error: end 2018-05 is before start 2019 [end-before-start]"]),
    ("periods-bad-date", {"periods.yml": "war:\n  title: War\n  start: 2019-00\n"}, ["periods.yml:3: error: start: '2019-00': month 0 does not exist (1 to 12) [bad-date]"]),
    ("periods-duplicate-id", {"periods.yml": "- {id: war, title: War, start: 2019}\n- {id: war, title: War 2, start: 2020}\n"}, ["periods.yml:2: error: duplicate period id 'war' (first on line 1) [duplicate-id]"]),
    ("periods-unknown-key", {"periods.yml": "- id: war\n  title: War\n  start: 2019\n  ends: 2020\n"}, ["periods.yml:4: error: unknown key 'ends'; did you mean 'end'? [unknown-key]"]),
    ("places-missing-name", {"places.yml": PLACES + "x:\n  lat: 1\n  lon: 2\n"}, ["places.yml:17: error: place 'x' has no 'name' [missing-key]"]),
    ("date-form", {E: fm(BASE.replace("2020-02-03", "2020-2-3"))}, [f"{E}:3: warning: date '2020-2-3' is read as 3 February 2020; write it '2020-02-03' [date-form]"]),
    ("date-form-time", {E: fm(BASE.replace("2020-02-03", "'2020-02-03 9:05'"))}, [f"{E}:3: warning: date '2020-02-03 9:05' is read as 3 February 2020, 09:05; write it '2020-02-03 09:05' [date-form]"]),
    ("name-date-mismatch", {"events/2020-02-04-clash.md": GOOD}, ["events/2020-02-04-clash.md:3: warning: the file name says 2020-02-04 but date is 2020-02-03 [name-date-mismatch]"]),
    ("name-date-coarser-name", {"events/2020-02-clash.md": GOOD, "events/2020-clash.md": GOOD, "events/2020-02-03.md": GOOD}, []),
    ("name-date-coarser-date", {"events/2020-03-05-clash.md": fm(BASE.replace("2020-02-03", "2020-02"))}, ["events/2020-03-05-clash.md:3: warning: the file name says 2020-03-05 but date is 2020-02 [name-date-mismatch]"]),
    ("future-date", {E: fm(BASE.replace("2020-02-03", "9000-01"))}, [f"{E}:3: warning: date 9000-01 is in the future (today is {TODAY}) [future-date]"]),
    ("future-published", {E: fm(BASE + "    published: 9000\n")}, [f"{E}:9: warning: source published 9000, which is in the future (today is {TODAY}) [future-date]"]),
    ("bad-url-archive", {E: fm(BASE + "    archive: web.archive.org/web/2020/https://example.org/a\n")}, [f"{E}:9: error: archive 'web.archive.org/web/2020/https://example.org/a' is not an absolute http(s) address [bad-url]"]),
    ("bad-sha256", {E: fm(BASE + "    sha256: abc123\n")}, [f"{E}:9: error: source sha256 'abc123' is not a SHA-256: 64 hexadecimal digits (6 characters given) [bad-sha256]"]),
    ("bad-sha256-number", {E: fm(BASE + "    sha256: " + "1" * 64 + "\n")}, [f"{E}:9: error: source sha256 must be text, not a number ('{'1' * 64}') [wrong-type]"]),
    ("archive-mismatch", {E: fm(BASE + "    archive: https://web.archive.org/web/2020/https://example.org/b\n")}, [f"{E}:9: warning: archive 'https://web.archive.org/web/2020/https://example.org/b' is a Wayback Machine snapshot of another address than the source's url 'https://example.org/a' [archive-mismatch]"]),
    ("archive-matches", {E: fm(BASE + "    archive: https://web.archive.org/web/20200203120000/http://www.example.org/a/\n    accessed: 2020-02-04\n    sha256: " + "aB" * 32 + "\n")}, []),
    ("gone-without-archive", {E: fm(BASE + "    gone: 2026-01-05\n")}, [f"{E}:9: warning: the source is marked gone but has no archive: readers have nothing to read [gone-without-archive]"]),
    ("no-archive", {E: GOOD, "mkdocs.yml": "site_name: T\nsite_url: !ENV SITE_URL\nextra:\n  timeline:\n    archives: warn\n"}, [f"{E}:8: warning: source 'https://example.org/a' has no archived copy (mkdocs.yml asks for archives) [no-archive]"]),
    ("no-archive-required", {E: GOOD, "mkdocs.yml": "site_name: T\nextra:\n  timeline:\n    archives: require\n"}, [f"{E}:8: error: source 'https://example.org/a' has no archived copy (mkdocs.yml asks for archives) [no-archive]"]),
    ("bad-choice", {E: fm(BASE + "status: verifed\n")}, [f"{E}:9: error: status 'verifed' is not one of reported, corroborated, verified, disputed, retracted; did you mean 'verified'? [bad-choice]"]),
    ("bad-figure", {E: fm(BASE + "    killed: many\n")}, [f"{E}:9: error: source killed must be a whole number or a range [low, high], not text ('many') [bad-figure]"]),
    ("bad-figure-backwards", {E: fm(BASE + "    killed: [13, 12]\n")}, [f"{E}:9: error: source killed range [13, 12] is backwards [bad-figure]"]),
    ("figures-accepted", {E: fm(BASE + "    by: Syrian Observatory for Human Rights\n    killed: [12, 13]\n    injured: 4\n    counted: Syrian soldiers\n")}, []),
    ("status-unsupported", {E: fm(BASE + "status: corroborated\n")}, [f"{E}:9: error: status 'corroborated' needs at least two independent sources; this event has 1 [status-unsupported]"]),
    ("status-corroborated", {E: fm(BASE + "  - title: B\n    publisher: Q\nstatus: corroborated\n")}, []),
    ("status-corroborated-by-a-republisher", {E: fm(BASE.replace("publisher: P", "publisher: Ahram Online") + "  - title: B\n    publisher: reuters\nstatus: corroborated\n"), "publishers.yml": "reuters:\n  name: Reuters\nahram-online:\n  name: Ahram Online\n  origin: reuters\n"}, [f"{E}:11: error: status 'corroborated' needs at least two independent sources; this event has 1 [status-unsupported]"]),
    ("status-verified", {E: fm(BASE + "  - title: B\n    publisher: Q\n    url: https://example.org/b\n    archive: https://web.archive.org/web/2020/https://example.org/b\nstatus: verified\n")}, [f"{E}:8: error: status 'verified' needs an archived copy of every source [status-unsupported]", f"{E}:13: error: status 'verified' needs a 'verification' note saying how [status-unsupported]"]),
    ("status-disputed", {E: fm(BASE + "status: disputed\n")}, [f"{E}:9: error: status 'disputed' needs a 'dispute' line saying what the sources disagree on [status-unsupported]"]),
    ("status-retracted", {E: fm(BASE + "status: retracted\n")}, [f"{E}:9: error: status 'retracted' needs a 'corrections' entry saying why it was withdrawn [status-unsupported]"]),
    ("status-retracted-with-correction", {E: fm(BASE + "status: retracted\ncorrections:\n  - date: 2020-02-10\n    note: The clash was in another town.\n")}, []),
    ("unknown-publisher", {E: fm(BASE.replace("publisher: P", "publisher: Le Mond")), "publishers.yml": "le-monde:\n  name: Le Monde\n"}, [f"{E}:7: error: unknown publisher 'Le Mond'; did you mean 'Le Monde'? [unknown-publisher]"]),
    ("known-publisher-by-id", {E: fm(BASE.replace("publisher: P", "publisher: LE-MONDE")), "publishers.yml": "le-monde:\n  name: Le Monde\n  kind: newspaper\n  grade: B\n"}, []),
    ("unknown-publisher-origin", {"publishers.yml": "a:\n  name: A\n  origin: nobody\n"}, ["publishers.yml:3: error: origin 'nobody' of 'a' is not a publisher id in publishers.yml [unknown-publisher]"]),
    ("publishers-not-mapping", {"publishers.yml": "- a\n"}, ["publishers.yml:1: error: publishers.yml must map publisher ids to their fields ('reuters:' then indented 'name: Reuters') [publishers-not-mapping]"]),
    ("source-without-headline", {E: fm("title: T\ndate: 2020-02-03\nplace: Saraqeb\nsources:\n  - title: Statement by the Turkish Ministry of Defence\n    publisher: Turkish Ministry of Defence\n")}, []),
]


@pytest.mark.parametrize("code,files,expected", CASES, ids=[c[0] for c in CASES])
def test_diagnostic_line(project, code, files, expected):
    for path, content in files.items():
        if content is None:
            (project.root / path).unlink()
        else:
            project.write(path, content)
    before = today()
    status, out, err = project.run("validate")
    # a run that crosses midnight may print either day
    assert out.splitlines() in ([line.replace(TODAY, day) for line in expected] for day in (before, today()))
    assert status == (1 if any(": error: " in line for line in expected) else 0)


def test_every_code_is_documented_and_tested():
    tested = {line.rsplit("[", 1)[1].rstrip("]") for _, _, lines in CASES for line in lines}
    assert tested <= set(CODES)
    # unreadable: needs a file the test user cannot read (root can read anything); symlink: tested below;
    # import-*: at the lines of a file being imported, tested with the import in test_import.py.
    # special-file: a pipe or a device, made at test time in test_hostile.py.
    # link-* and archive-gone: at the lines check-links reports, tested against a local server in test_links.py.
    assert set(CODES) - tested == {"unreadable", "symlink", "import-unreadable", "import-skipped", "import-note",
                                   "special-file", "link-gone", "link-moved", "link-unreachable", "link-private",
                                   "archive-gone", "correction-changed"}  # (test_history.py)


def test_valid_event_has_no_output(project):
    project.event("2020-02-03-clash")
    status, out, err = project.run("validate")
    assert (status, out) == (0, "")
    assert err.strip() == "OK: 1 event, no problems"


def test_all_problems_in_one_run_sorted(project):
    project.write("events/b.md", fm(BASE.replace("place: Saraqeb", "place: Nowhere") + "palce: x\n"))
    project.write("events/a.md", fm(BASE.replace("2020-02-03", "2020-13-01")))
    status, out, err = project.run("validate")
    assert status == 1
    assert out.splitlines() == [
        "events/a.md:3: error: date: '2020-13-01': month 13 does not exist (1 to 12) [bad-date]",
        "events/b.md:4: error: unknown place 'Nowhere'; add it to places.yml [unknown-place]",
        "events/b.md:9: error: unknown key 'palce'; did you mean 'place'? [unknown-key]",
    ]
    assert err.strip().splitlines()[-1] == "3 errors in 2 files"


def test_warnings_alone_exit_zero(project):
    project.write(E, fm(BASE + "tags: [a, a]\n"))
    status, out, err = project.run("validate")
    assert status == 0 and "warning:" in out
    assert err.strip().splitlines()[-1] == "0 errors, 1 warning in 1 file"


def test_accepts_bom_crlf_rtl_and_emoji(project):
    text = event_text(title="اشتباكات في سراقب 🔥", body="نص عربي.\r\n\r\nEmoji 🚀").replace("\n", "\r\n")
    project.write("events/e.md", b"\xef\xbb\xbf" + text.encode())
    status, out, _ = project.run("validate")
    assert (status, out) == (0, "")


def test_place_by_alias_any_case_and_list(project):
    project.event("a", place="saraqib")
    project.event("b", place="[MAARAT AL-NUMAN, idlib]")
    status, out, _ = project.run("validate")
    assert (status, out) == (0, "")


def test_yaml_date_forms_as_editors_type_them(project):
    for i, value in enumerate(["2017", "2019-12", "2020-02-03", "'2020-02-03'", "2020-02-03T10:00",
                               "2020-02-03T10:00+03:00", "2020-02-03 10:00:00"]):
        project.event(f"e{i}", date=value)
    status, out, _ = project.run("validate")
    assert (status, out) == (0, "")


def test_github_format(project):
    project.write(E, fm(BASE + "palce: x\n"))
    status, out, _ = project.run("validate", "--format", "github")
    assert status == 1
    assert out.splitlines() == [
        f"::error file={E},line=9::unknown key 'palce'; did you mean 'place'? [unknown-key]"]


def test_paths_limit_the_report_but_cross_references_still_checked(project):
    project.write("events/a.md", fm(BASE + "related: [b]\n"))
    project.write("events/b.md", fm(BASE + "palce: x\n"))
    status, out, _ = project.run("validate", str(project.root / "events/a.md"))
    assert (status, out) == (0, "")
    status, out, _ = project.run("validate", "events/b.md")
    assert status == 1 and out.startswith("events/b.md:9:")


def test_usage_error_exits_2(project):
    status, _, _ = project.run("frobnicate")
    assert status == 2
    result = project.run_script("validate", "--format", "xml")
    assert result.returncode == 2


def test_real_script_from_project_folder(project):
    project.write(E, fm(BASE + "palce: x\n"))
    result = project.run_script("validate")
    assert result.returncode == 1
    assert result.stdout == f"{E}:9: error: unknown key 'palce'; did you mean 'place'? [unknown-key]\n"
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this system")
def test_symlinks_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "x.md").write_text(GOOD)
    os.symlink(outside / "x.md", project.root / "events" / "link.md")
    os.symlink(outside, project.root / "events" / "folder")
    status, out, _ = project.run("validate")
    assert status == 1
    assert out.splitlines() == [
        "events/folder:1: error: symlinked folders are not allowed in events/ [symlink]",
        "events/link.md:1: error: symlinks are not allowed in events/ [symlink]",
    ]


def test_errors_teach_with_the_offending_line_and_a_fix(project):
    project.write(E, fm(BASE.replace("place: Saraqeb", "place: Saraqb") + "palce: x\n"))
    status, out, err = project.run("validate")
    assert status == 1
    assert err.splitlines() == [
        "     4 | place: Saraqb",
        "       = fix: write 'Saraqib' (or add 'Saraqb' to that place's aliases); if it is another place, add this "
        "line to places.yml, with its coordinates: saraqb: {name: Saraqb, lat: <latitude>, lon: <longitude>}",
        "     9 | palce: x",
        "       = fix: rename 'palce' to 'place'",
        "2 errors in 1 file",
    ]
    # standard output stays one diagnostic per line, for tools
    assert all(line.startswith(f"{E}:") for line in out.splitlines())


EDITOR_MISTAKES = [  # (front matter, the line validate prints, the fix it shows)
    (BASE.replace("2020-02-03", "8 Feb 2020"),
     "3: error: date: '8 Feb 2020' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM] [bad-date]",
     "write '2020-02-08'"),
    (BASE.replace("2020-02-03", "'February 3, 2020'"),
     "3: error: date: 'February 3, 2020' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[±HH:MM] "
     "[bad-date]", "write '2020-02-03'"),
    (BASE.replace("  - title: A", "\t- title: A"),
     "6: error: YAML syntax: this line is indented with a tab, and YAML accepts only spaces [yaml-syntax]",
     "replace the tab at the start of the line with spaces (two for each level)"),
    (BASE.replace("title: T", 'title: "Clashes in Saraqeb') + 'tags: [a]  # "quoted" in a comment\n',
     "2: error: YAML syntax: the quote (\") that opens this value is not closed on its line, so YAML read on into "
     "the lines below [yaml-syntax]", 'end the value with " on the same line; a " inside the value is written \\"'),
    (BASE.replace("    publisher: P", "    publisher: 'Reuters"),
     "7: error: YAML syntax: the quote (') that opens this value is not closed on its line, so YAML read on into "
     "the lines below [yaml-syntax]", "end the value with ' on the same line; a ' inside the value is written ''"),
    (BASE.replace("place: Saraqeb\n", ""), "1: error: missing required key 'place' [missing-key]",
     "add a line 'place: <a place id, name or alias from places.yml>'; for several, 'place: [<first>, <second>]'"),
    (BASE.replace("place: Saraqeb", "place: Kafr Nubl"),
     "4: error: unknown place 'Kafr Nubl'; add it to places.yml [unknown-place]",
     "add this line to places.yml, with its coordinates: kafr-nubl: {name: Kafr Nubl, lat: <latitude>, lon: <longitude>}"),
    (BASE.replace("place: Saraqeb", 'place: "Tal: Tuqan"'),
     "4: error: unknown place 'Tal: Tuqan'; add it to places.yml [unknown-place]",
     'add this line to places.yml, with its coordinates: tal-tuqan: {name: "Tal: Tuqan", lat: <latitude>, lon: <longitude>}'),
]


@pytest.mark.parametrize("front, line, fix", EDITOR_MISTAKES)
def test_mistakes_editors_make_are_named_at_their_line_with_the_form_to_write(project, front, line, fix):
    project.write(E, fm(front))
    status, out, err = project.run("validate")
    assert (status, out.splitlines()) == (1, [f"{E}:{line}"])
    assert f"       = fix: {fix}" in err.splitlines()


def test_the_place_entry_a_fix_shows_is_one_that_validates(project):
    """Pasting the suggested places.yml line (coordinates filled in) makes the event valid."""
    project.write(E, fm(BASE.replace("place: Saraqeb", 'place: "Tal: Tuqan"')))
    _, _, err = project.run("validate")
    entry = err.split("with its coordinates: ", 1)[1].split("\n", 1)[0]
    places = project.root / "places.yml"
    places.write_text(places.read_text(encoding="utf-8") + entry.replace("<latitude>", "35.9").replace(
        "<longitude>", "36.9") + "\n", encoding="utf-8")
    assert project.run("validate")[:2] == (0, "")


def test_today_is_source_date_epochs_day_when_it_is_set(project, monkeypatch):
    """A reproducible build is reproducible in its warnings too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1580688000")  # 2020-02-03 00:00 UTC
    project.write(E, fm(BASE.replace("2020-02-03", "2020-02-04")))
    assert project.run("validate")[:2] == (0, f"{E}:3: warning: date 2020-02-04 is in the future "
                                              "(today is 2020-02-03) [future-date]\n")
    project.write(E, fm(BASE))
    assert project.run("validate")[:2] == (0, "")


def test_fmt_writes_dates_with_their_zeros_keeping_quotes_and_comments(project):
    project.write(E, fm(BASE.replace("date: 2020-02-03", "date: 2020-2-3   # \"Monday\" (Le Monde)")
                        + "    published: '2020-2-5'\nend: 2020-2\n"))
    assert project.run("validate")[0] == 0
    assert project.run("fmt")[0] == 0
    text = (project.root / E).read_text(encoding="utf-8")
    assert "date: 2020-02-03   # \"Monday\" (Le Monde)\n" in text
    assert "    published: '2020-02-05'\n" in text and "end: 2020-02\n" in text
    assert project.run("validate")[:2] == (0, "")
    # a date YAML cannot make once padded is left for validate to explain
    project.write(E, fm(BASE.replace("date: 2020-02-03", "date: 2019-2-29")))
    project.run("fmt")
    assert "date: 2019-2-29\n" in (project.root / E).read_text(encoding="utf-8")


def test_a_coarser_end_may_contain_the_start(project):
    project.event("e", extra="end: 2020-02\n")
    project.event("f", date="2020-02-03T10:00+03:00", extra="end: 2020-02-03T08:00+00:00\n")  # 11:00 at +03:00
    status, out, _ = project.run("validate")
    assert (status, out) == (0, "")


def test_missing_paths_and_roots_are_usage_errors(project, tmp_path_factory):
    project.event("e")
    status, _, err = project.run("validate", "events/nope.md")
    assert status == 2 and "no such file: events/nope.md" in err
    status, out, _ = project.run("validate", "events")  # a folder: every file in it
    assert (status, out) == (0, "")
    empty = tmp_path_factory.mktemp("empty")
    from timeline import cli
    assert cli.main(["--root", str(empty / "nowhere"), "validate"]) == 2
