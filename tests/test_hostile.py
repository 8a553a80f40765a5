"""The hostile corpus: every kind of file an editor, a broken tool or an attacker could hand `validate`,
each run alone through the real command line, with the exact lines it must print.

tests/hostile/expected.txt lists the cases. Files that git should not hold (symlinks, two names that
differ only in case or Unicode form, anything large) are made at test time by the MAKERS below.
After an intended change of wording, regenerate the expected lines and review the diff:

    .venv/bin/python tests/test_hostile.py --regenerate

The same file holds the bounded run of the fuzz target (tests/fuzz/fuzz_validate.py).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PLACES, Project, event_text

HOSTILE = Path(__file__).resolve().parent / "hostile"
MANIFEST = HOSTILE / "expected.txt"
FUZZ = Path(__file__).resolve().parent / "fuzz"
TIMEOUT = 20  # seconds per case: the slowest case takes well under one

# Run through `python build_timeline.py validate` in a subprocess (the editor's path, and the one where a
# crash of libyaml's C code would show as a dead process rather than take pytest down with it).
# Their standard output is strict UTF-8, as on a desktop with LANG=en_US.UTF-8 (C.UTF-8 would let
# a file name that is not UTF-8 through as raw bytes).
SCRIPT_CASES = {"utf16-le-bom", "billion-laughs", "tag-python-apply", "deep-block-compact", "deep-flow-brackets",
                "file-too-large", "symlink-folder-outside", "name-not-utf8", "name-newline", "accept-rtl-place"}

GOOD = event_text()
SECRET = "SECRET-FROM-OUTSIDE-THE-PROJECT"


# ------------------------------------------------------------------ files made at test time

def _link(root: Path, name: str, target: Path) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks on this system")
    try:
        os.symlink(target, root / name)
    except OSError as exc:  # e.g. Windows without the privilege
        pytest.skip(f"cannot create a symlink here: {exc}")


def _twins(root: Path, first: str, second: str) -> None:
    """Two event files whose names differ only in case or Unicode form, if this file system keeps both."""
    for name in (first, second):
        (root / "events" / name).write_text(GOOD, encoding="utf-8")
    if len(os.listdir(root / "events")) != 2:
        pytest.skip(f"this file system cannot hold both {first!r} and {second!r}")


def _odd_name(root: Path, name: bytes) -> None:
    """An event file whose name git would not hold: bytes that are not UTF-8, control characters."""
    try:
        (root / "events" / os.fsdecode(name)).write_text(GOOD, encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        pytest.skip(f"this file system refuses the name {name!r}: {exc}")


def _replace_with_link(root: Path, name: str, target: Path) -> None:
    (root / name).unlink(missing_ok=True)
    _link(root, name, target)


def _secret_copy(outside: Path, name: str, text: str) -> Path:
    """A file outside the project holding the secret: it must never be read into a report or a page."""
    (outside / name).write_text(text + f"# {SECRET}\n", encoding="utf-8")
    return outside / name


def _fifo(root: Path, name: str) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    (root / name).unlink(missing_ok=True)
    os.mkfifo(root / name)


def _events_link(root: Path, target: Path) -> None:
    shutil.rmtree(root / "events")
    _link(root, "events", target)


def _deep_block(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x\n"


MAKERS = {
    # symlinks: refused whatever they point to
    "symlink-file-outside": lambda root, outside: _link(root, "events/e.md", outside / "secret.md"),
    "symlink-dangling": lambda root, outside: _link(root, "events/e.md", outside / "does-not-exist.md"),
    "symlink-folder-outside": lambda root, outside: _link(root, "events/elsewhere", outside),
    "symlink-folder-loop": lambda root, outside: _link(root, "events/loop", root / "events"),
    "symlink-to-etc-passwd": lambda root, outside: _link(root, "events/passwd.md", Path("/etc/passwd")),
    "symlink-to-dev-zero": lambda root, outside: _link(root, "events/zero.md", Path("/dev/zero")),
    # the gazetteer, the periods and the events folder are links too: refused when they leave the project
    "places-link-outside": lambda root, outside: _replace_with_link(
        root, "places.yml", _secret_copy(outside, "places.yml", PLACES + "secret:\n  name: Secret\n")),
    "places-link-passwd": lambda root, outside: _replace_with_link(root, "places.yml", Path("/etc/passwd")),
    "periods-link-outside": lambda root, outside: _replace_with_link(
        root, "periods.yml", _secret_copy(outside, "periods.yml", "- id: p\n  title: P\n  start: 2020\n")),
    "events-folder-link-outside": lambda root, outside: _events_link(root, outside),
    "events-folder-link-root": lambda root, outside: _events_link(root, Path("/")),
    "places-link-inside": lambda root, outside: (
        (root / "data").mkdir(), (root / "data" / "places.yml").write_text(PLACES, encoding="utf-8"),
        _replace_with_link(root, "places.yml", root / "data" / "places.yml"),
        (root / "events" / "e.md").write_text(GOOD, encoding="utf-8")),
    # special files: a pipe would hang a reader, a device never end
    "fifo-event": lambda root, outside: _fifo(root, "events/e.md"),
    "fifo-places": lambda root, outside: (_fifo(root, "places.yml"),
                                          (root / "events" / "e.md").write_text(GOOD, encoding="utf-8")),
    # names that differ only in case, or only in Unicode normalisation
    "twins-case": lambda root, outside: _twins(root, "Event.md", "event.md"),
    "twins-nfc-nfd": lambda root, outside: _twins(root, unicodedata.normalize("NFC", "\u00e9v\u00e9nement.md"),
                                                  unicodedata.normalize("NFD", "\u00e9v\u00e9nement.md")),
    # names that would break the report's lines, or crash printing them
    "name-not-utf8": lambda root, outside: _odd_name(root, b"caf\xe9.md"),
    "name-newline": lambda root, outside: _odd_name(root, b"clash\nsaraqeb.md"),
    "name-escape-sequence": lambda root, outside: _odd_name(root, b"\x1b[31mred.md"),
    # large or deep
    "file-too-large": lambda root, outside: (root / "events/e.md").write_text(GOOD + "x" * 1_000_001),
    "deep-flow-brackets": lambda root, outside: (root / "events/e.md").write_text(
        "---\ntitle: " + "[" * 100_000 + "\n---\n"),
    "deep-flow-braces": lambda root, outside: (root / "events/e.md").write_text(
        "---\ntitle: " + "{" * 100_000 + "}" * 100_000 + "\n---\n"),
    "deep-flow-mixed": lambda root, outside: (root / "events/e.md").write_text(
        "---\ntags: " + "[{a: " * 20_000 + "\n---\n"),
    # 100,000 levels in 200 KB, without a bracket: this crashed libyaml's composer (a segfault)
    "deep-block-compact": lambda root, outside: (root / "events/e.md").write_text(
        "---\ntitle: T\ntags:\n  " + "- " * 100_000 + "x\n---\n"),
    "deep-block-indented": lambda root, outside: (root / "events/e.md").write_text(
        "---\n" + _deep_block(100) + "---\n"),
    # bodies that made the unsafe-HTML check quadratic (hours for 1 MB), each ending in one real problem
    "redos-many-tag-starts": lambda root, outside: (root / "events/e.md").write_text(
        GOOD + "<a" * 9_000 + ">\n<img src=x onerror=alert(1)>\n"),  # as many as the body limit allows
    "redos-spaces-after-lt": lambda root, outside: (root / "events/e.md").write_text(
        GOOD + "<" + " " * 19_000 + "\n<script>alert(1)</script>\n"),
}


# ------------------------------------------------------------------ the manifest

@dataclass
class Case:
    name: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (file under tests/hostile/, where it goes)
    makers: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.name.startswith("accept-")


HEADER = """\
# The hostile corpus: what `python build_timeline.py validate` prints for each case, run alone in a
# fresh project (tests/conftest.py's, with its places.yml). Checked by tests/test_hostile.py.
#
#   == NAME                  a case; cases named accept-* must be accepted: exit 0, no output;
#                            every other case must be rejected: exit 1 with exactly these lines
#   FILE -> TARGET           copy tests/hostile/FILE into the project as TARGET
#   @MAKER                   files made at test time by MAKERS[MAKER] in tests/test_hostile.py
#   | LINE                   one line of standard output, in order
#
# Regenerate the | lines after an intended change, then review the diff:
#   .venv/bin/python tests/test_hostile.py --regenerate
"""


def read_manifest(text: str) -> list[Case]:
    cases: list[Case] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            cases.append(Case(line[3:].strip()))
            continue
        if not cases:
            raise ValueError(f"expected.txt:{number}: a line before the first '== case'")
        case = cases[-1]
        if line.startswith("| "):
            case.expected.append(line[2:])
        elif line.startswith("@"):
            case.makers.append(line[1:].strip())
        elif " -> " in line:
            source, target = line.split(" -> ")
            case.files.append((source.strip(), target.strip()))
        else:
            raise ValueError(f"expected.txt:{number}: cannot read {line!r}")
    return cases


def write_manifest(cases: list[Case]) -> str:
    out = [HEADER]
    for case in cases:
        out.append(f"\n== {case.name}\n")
        out.extend(f"{source} -> {target}\n" for source, target in case.files)
        out.extend(f"@{maker}\n" for maker in case.makers)
        out.extend(f"| {line}\n" for line in case.expected)
    return "".join(out)


CASES = read_manifest(MANIFEST.read_text(encoding="utf-8"))
REJECTED = [c for c in CASES if not c.accepted]
ACCEPTED = [c for c in CASES if c.accepted]


def _ids(cases: list[Case], kind: str) -> list[str]:
    width = len(str(len(cases)))
    return [f"{kind}-{i:0{width}d}of{len(cases)}-{c.name.removeprefix('accept-')}" for i, c in enumerate(cases, 1)]


# ------------------------------------------------------------------ running one case

class CaseTimeout(BaseException):
    """Not an Exception: nothing in the code under test may catch it."""


@contextlib.contextmanager
def time_limit(seconds: int):
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise CaseTimeout(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def install(project: Project, case: Case, outside: Path) -> None:
    for source, target in case.files:
        destination = project.root / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes((HOSTILE / source).read_bytes())
    for maker in case.makers:
        MAKERS[maker](project.root, outside)


def run_case(project: Project, case: Case, via_script: bool) -> tuple[int, str, str]:
    with time_limit(TIMEOUT):
        if via_script:
            saved = os.environ.get("PYTHONIOENCODING")
            os.environ["PYTHONIOENCODING"] = "utf-8:strict"
            try:
                result = project.run_script("validate")
            finally:
                if saved is None:
                    del os.environ["PYTHONIOENCODING"]
                else:
                    os.environ["PYTHONIOENCODING"] = saved
            return result.returncode, result.stdout, result.stderr
        return project.run("validate")


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the project, for symlinks to point at."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.md").write_text(GOOD, encoding="utf-8")
    return folder


def check(project: Project, outside: Path, case: Case) -> None:
    install(project, case, outside)
    via_script = case.name in SCRIPT_CASES
    status, out, err = run_case(project, case, via_script)
    assert "Traceback" not in out + err, err
    assert SECRET not in out + err and "root:x:0" not in out + err, "a file from outside the project was read"
    if via_script:
        assert status >= 0, f"the validator died of signal {-status}"
    assert out.splitlines() == case.expected
    if case.accepted:
        assert (status, out) == (0, "")
    else:
        assert any(": error: " in line for line in case.expected), "a rejected case must expect an error"
        assert status == 1


@pytest.mark.parametrize("case", REJECTED, ids=_ids(REJECTED, "reject"))
def test_hostile_file_is_rejected_with_exact_lines(project, outside, case):
    check(project, outside, case)


@pytest.mark.parametrize("case", ACCEPTED, ids=_ids(ACCEPTED, "accept"))
def test_unusual_but_valid_file_is_accepted(project, outside, case):
    check(project, outside, case)


def test_manifest_is_complete_and_tidy():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for case in CASES:
        assert case.files or case.makers, case.name
        assert set(case.makers) <= set(MAKERS), case.name
        for source, _ in case.files:
            assert (HOSTILE / source).is_file(), source
    used = {source for c in CASES for source, _ in c.files}
    on_disk = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*")
               if p.is_file() and p.name not in ("expected.txt", ".gitattributes")}
    assert on_disk == used, f"files no case uses: {sorted(on_disk - used)}"
    assert set(MAKERS) == {m for c in CASES for m in c.makers}, "a maker no case uses"
    assert read_manifest(write_manifest(CASES)) == CASES
    # every input the issue lists has its case
    for required in ("binary-png", "utf16-le-bom", "utf16-be-bom", "only-bom", "unclosed-front-matter",
                     "yaml-unquoted-colon", "billion-laughs", "deep-flow-brackets", "deep-block-indented",
                     "tag-python-apply", "tag-python-name", "tag-binary", "tag-set", "tag-omap", "tag-custom",
                     "front-matter-list", "front-matter-scalar", "wrong-title-number", "wrong-sources-string",
                     "wrong-tags-mapping", "wrong-date-list", "wrong-place-bool", "wrong-source-url-mapping",
                     "date-year-0", "date-month-13", "date-feb-29-non-leap", "date-hour-25", "date-offset-plus-15",
                     "symlink-file-outside", "symlink-folder-outside", "name-space", "name-capitals",
                     "name-cyrillic-a", "name-dotdot", "twins-case", "twins-nfc-nfd", "file-too-large",
                     "places-duplicate-key", "places-missing-name", "places-lat-out-of-range", "places-shared-alias",
                     "accept-utf8-bom", "accept-crlf", "accept-rtl-arabic", "accept-rtl-hebrew", "accept-rtl-place",
                     "accept-emoji"):
        assert required in names, required


def test_a_body_with_thousands_of_problems_is_checked_in_linear_time():
    """1,400 unsafe tags (what the body limit allows), each over two lines: every one reported, in well
    under a second (it was minutes at 60,000: each new problem was compared with all the earlier ones)."""
    from timeline import load
    from timeline.body import check_body
    from timeline.kinds import Reading
    body = "<b\nonclick=x>\n" * 1_400
    doc = load.parse_event("events/e.md", (GOOD.replace("Body text.\n", "") + body).encode())
    with time_limit(TIMEOUT):
        check_body(Reading(doc.path, doc.problems, 2), doc.body, doc.body_line)
    assert len(doc.problems) == 1_400
    assert doc.problems[-1].line == doc.body_line + 2 * 1_400 - 1


# ------------------------------------------------------------------ the fuzz target, for a bounded time

def test_fuzz_for_a_bounded_time(tmp_path, capsys, record_property):
    """Run tests/fuzz/fuzz_validate.py for FUZZ_SECONDS (default 20) on a copy of the seed corpus:
    any exception the validator is documented never to raise is a crash, and fails this test."""
    seconds = int(os.environ.get("FUZZ_SECONDS", "20"))
    if seconds <= 0:
        pytest.skip("FUZZ_SECONDS=0")
    corpus = tmp_path / "corpus"
    shutil.copytree(FUZZ / "corpus", corpus)  # the run adds files: never to the committed corpus
    command = [sys.executable, str(FUZZ / "fuzz_validate.py"), f"-max_total_time={seconds}", "-runs=-1",
               "-timeout=20", "-rss_limit_mb=4096", "-max_len=8192", f"-dict={FUZZ / 'validate.dict'}",
               f"-artifact_prefix={tmp_path}/", str(corpus)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 300, cwd=tmp_path,
                            env={**os.environ, "FUZZ_WORKDIR": str(tmp_path)})
    log = result.stdout + result.stderr
    runs = re.findall(r"Done (\d+) runs in (\d+) second", log) or re.findall(r"#(\d+)\s", log)
    executions = runs[-1][0] if runs and isinstance(runs[-1], tuple) else (runs[-1] if runs else "?")
    # CI logs show how much fuzzing was done even when the test passes (pytest captures output otherwise)
    engine = "atheris/libFuzzer" if "INFO: Seed" in log else "fallback mutation loop"
    record_property("fuzz_executions", executions)
    with capsys.disabled():
        print(f"\nfuzz_validate: {executions} executions in {seconds} s ({engine})", flush=True)
    assert result.returncode == 0, log[-6000:]
    assert runs, log[-3000:]


# ------------------------------------------------------------------ regenerating expected.txt

def regenerate() -> None:
    cases = read_manifest(MANIFEST.read_text(encoding="utf-8"))
    for case in cases:
        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as outside:
            project = Project(Path(root))
            (Path(outside) / "secret.md").write_text(GOOD, encoding="utf-8")
            try:
                install(project, case, Path(outside))
            except pytest.skip.Exception as exc:
                print(f"{case.name}: skipped, expected lines kept: {exc}", file=sys.stderr)
                continue
            status, out, err = run_case(project, case, via_script=case.name in SCRIPT_CASES)
            if "Traceback" in err or status < 0:
                print(f"{case.name}: CRASHED\n{err}", file=sys.stderr)
            case.expected = out.splitlines()
            print(f"{case.name}: exit {status}, {len(case.expected)} lines", file=sys.stderr)
    MANIFEST.write_text(write_manifest(cases), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(__doc__)
    regenerate()
