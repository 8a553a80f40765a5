#!/usr/bin/env python3
"""Fuzz target: arbitrary bytes as an event file, and as places.yml and periods.yml.

    .venv/bin/python tests/fuzz/fuzz_validate.py -max_total_time=60 CORPUS_COPY   # libFuzzer flags
    .venv/bin/python tests/fuzz/fuzz_validate.py CRASH_FILE                        # replay one input

The validator promises never to raise for anything in a file (check.check_event, check_places,
validate_periods): every problem is a diagnostic with a line of its own. So here *any* exception is a
crash, and so is a diagnostic that breaks the contract of `PATH:LINE: error: MESSAGE [code]`:
a line below 1, a code not in schema.CODES, a line break inside the message.

With atheris (Linux; pinned in requirements-dev.txt) the run is coverage-guided by libFuzzer. Without
it, the same target runs under a plain mutation loop that takes the same flags and prints the same
"Done N runs in S second(s)" line, so the bounded test in tests/test_hostile.py works everywhere.
Run it on a copy of tests/fuzz/corpus/: the run adds the inputs it finds interesting to that folder.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

try:
    import atheris
except ImportError:  # not on this platform: see fallback_fuzz below
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["timeline"]):
        from timeline import check as core
        from timeline.diagnostics import CODES
        from timeline.load import SourceFile
else:
    from timeline import check as core
    from timeline.diagnostics import CODES
    from timeline.load import SourceFile

# A small fixed gazetteer, as tests/conftest.py's project has.
PLACES_YML = """\
saraqeb:
  name: Saraqeb
  aliases: [Saraqib]
  lat: 35.8627
  lon: 36.8006
idlib:
  name: Idlib
  lat: 35.9306
  lon: 36.6339
"""
PLACES, _ = core.check_places(SourceFile("places.yml", PLACES_YML.encode()))
NAMES = core.gazetteer(PLACES)
assert set(PLACES) == {"saraqeb", "idlib"}


def check(diagnostics) -> None:
    for d in diagnostics:
        assert isinstance(d.line, int) and d.line >= 1, d
        assert d.code in CODES, d
        assert d.severity in ("error", "warning"), d
        assert "\n" not in d.message and "\r" not in d.message, d


def TestOneInput(data: bytes) -> None:  # noqa: N802 (atheris' name)
    # an event file, as validate reads it
    result = core.check_event(SourceFile("events/e.md", data), NAMES)
    check(result.problems)
    if result.event is not None:
        assert result.event.places and result.event.sources and result.event.title.strip()
    elif not any(p.is_error for p in result.problems):
        raise AssertionError("no event and no error: the file would vanish from the site without a word")
    # the same bytes as places.yml and as periods.yml
    _, problems = core.check_places(SourceFile("places.yml", data))
    check(problems)
    _, problems = core.check_periods(SourceFile("periods.yml", data))
    check(problems)


# ------------------------------------------------------------------ without atheris

def mutate(data: bytes, seeds: list[bytes], rng: random.Random) -> bytes:
    tokens = [b"---\n", b"\n", b": ", b"- ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"!!python/name:x ", b"!foo ",
              b"'", b'"', b"\t", b"\r\n", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\xe2\x80\xa8", b"<script>",
              b"<a onclick=", b"javascript:", b"2020-02-30", b"25:00", b"+15:00", b"title", b"date", b"place",
              b"sources", b"tags", b"related", b"url: http://[", b"lat: ", b"name: ", b"aliases: "]
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        pos = rng.randint(0, len(out))
        if choice < 0.3 and out:
            out[rng.randrange(len(out))] = rng.randrange(256)
        elif choice < 0.6:
            out[pos:pos] = rng.choice(tokens)
        elif choice < 0.8 and out:
            del out[pos:pos + rng.randint(1, 16)]
        else:
            other = rng.choice(seeds)
            start = rng.randint(0, len(other))
            out[pos:pos] = other[start:start + rng.randint(1, 64)]
    return bytes(out[:100_000])


def fallback_fuzz(argv: list[str]) -> int:
    flags = {a.split("=", 1)[0].lstrip("-"): a.split("=", 1)[1] for a in argv if a.startswith("-") and "=" in a}
    paths = [Path(a) for a in argv if not a.startswith("-")]
    seconds = int(flags.get("max_total_time", "0")) or 60
    runs = int(flags.get("runs", "-1"))
    files = [p for path in paths for p in ([path] if path.is_file() else sorted(path.rglob("*"))) if p.is_file()]
    seeds = [p.read_bytes() for p in files] or [b"---\ntitle: T\n---\n"]
    if paths and all(p.is_file() for p in paths):  # replay the given inputs only
        for p in files:
            TestOneInput(p.read_bytes())
        print(f"Done {len(files)} runs in 0 second(s)")
        return 0
    rng = random.Random(int(flags.get("seed", "0")) or None)
    start, count = time.monotonic(), 0
    for seed in seeds:
        TestOneInput(seed)
        count += 1
    while time.monotonic() - start < seconds and (runs < 0 or count < runs):
        data = mutate(rng.choice(seeds), seeds, rng)
        try:
            TestOneInput(data)
        except BaseException:
            crash = Path(flags.get("artifact_prefix", "./") + f"crash-{abs(hash(data)):x}")
            crash.write_bytes(data)
            print(f"==ERROR: the fuzz target raised; input written to {crash}", file=sys.stderr)
            raise
        count += 1
        if count % 10_000 == 0:
            print(f"#{count}\tpulse", file=sys.stderr)
    print(f"Done {count} runs in {int(time.monotonic() - start)} second(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if atheris is None:
        sys.exit(fallback_fuzz(sys.argv[1:]))
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
