"""The Nu HTML Checker (npm vnu-jar) on every page of the built example site."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from browser import need_node_module

# The theme's own markup, which we do not generate; each entry says why it is tolerated.
THEME_NOISE = {
    "Attribute “autocomplete” is only allowed when the input type is":
        "mkdocs-material sets autocomplete=off on its hidden drawer/search checkboxes",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.":
        "mkdocs-material's sidebar titles are labels for its hidden table-of-contents toggle",
}


def test_generated_markup_has_no_html_error(example_site):
    jar = need_node_module("vnu-jar/build/dist/vnu.jar")
    if not shutil.which("java"):
        pytest.skip("Java missing: run `apt-get install default-jre-headless` (.ci/run does)")
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
                             str(example_site)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    pages = {m.get("url") for m in messages}
    assert len(list(example_site.rglob("*.html"))) > 50
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if not any(m["message"].startswith(noise) for noise in THEME_NOISE)]
    assert errors == [], "\n".join(errors[:20])
    # The theme's noise is on every page, so a report for each page shows the checker read them all.
    checked = {url.split("/site/", 1)[-1] for url in pages if url}
    assert checked == {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")}
