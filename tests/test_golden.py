"""The generated pages and exports of the example site, byte for byte against tests/golden/.
A difference is either a bug or an intended change: then run `python tests/golden.py` and review
`git diff tests/golden` (see tests/golden.py)."""
from __future__ import annotations

import difflib

import pytest
from golden import extract, stored


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    out = [f"missing from the build: {path}" for path in sorted(expected.keys() - actual.keys())]
    out += [f"new in the build: {path}" for path in sorted(actual.keys() - expected.keys())]
    for path in sorted(expected.keys() & actual.keys()):
        if expected[path] != actual[path]:
            diff = difflib.unified_diff(expected[path].decode("utf-8", "replace").splitlines(),
                                        actual[path].decode("utf-8", "replace").splitlines(),
                                        f"golden/{path}", f"built/{path}", n=1, lineterm="")
            out.append("\n".join(_short(line) for line in list(diff)[:12]))
    return out


def _short(line: str, width: int = 240) -> str:
    """A long line (a one-line JSON file) cut short."""
    return line if len(line) <= width else line[:width] + f"… ({len(line):,} characters)"


@pytest.mark.parametrize("variant", ["example", "paged"])
def test_generated_output_matches_the_golden_files(variant, request):
    site = request.getfixturevalue("example_site" if variant == "example" else "paged_site")
    expected = stored(variant)
    assert len(expected) > 60, "no golden files: run python tests/golden.py"
    problems = differences(expected, extract(site, variant))
    assert problems == [], ("the build differs from tests/golden/ (if intended: python tests/golden.py, then review "
                            "git diff tests/golden):\n" + "\n".join(problems[:8]))


def test_the_comparison_sees_a_one_byte_change():
    page = b"<title>A</title>\n<article>x</article>\n"
    assert differences({"a.html": page}, {"a.html": page}) == []
    assert differences({"a.html": page}, {"a.html": page.replace(b"x", b"y")})
    assert differences({"a.html": page}, {}) == ["missing from the build: a.html"]
