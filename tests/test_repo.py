"""The promises README.md makes to a newcomer hold for CI too."""
from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick, re.S)


def test_readme_gives_the_two_commands_near_the_top():
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("build_timeline.py serve") and "requirements.txt" in commands[0]
    assert "pytest" in commands[1]
    assert (REPO / "README.md").read_text(encoding="utf-8").index("## Quick start") < 1500


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_bundled_libraries_match_the_pinned_npm_packages():
    """timeline/assets/vendor/ holds copies made by scripts/vendor.sh from package-lock.json's versions."""
    import pytest
    modules = REPO / "node_modules"
    if not (modules / "leaflet").exists():
        pytest.skip("node_modules missing: run `npm ci` (.ci/run does)")
    vendor = REPO / "timeline" / "assets" / "vendor"
    pairs = {"leaflet/leaflet.js": "leaflet/dist/leaflet.js", "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
             "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
             "world-atlas/countries-110m.json": "world-atlas/countries-110m.json"}
    for copy, original in pairs.items():
        assert (vendor / copy).read_bytes() == (modules / original).read_bytes(), f"run scripts/vendor.sh ({copy})"
