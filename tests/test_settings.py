"""The site's timeline settings (extra: timeline: in mkdocs.yml): read once, with clear errors."""
from __future__ import annotations

import pytest

from timeline.settings import PAGE_SIZE, Settings, SettingsError, read_settings


def test_defaults_and_values():
    assert read_settings(None) == Settings("", "", PAGE_SIZE)
    assert read_settings({"page_size": "8", "tiles": "https://{s}.tile.example.org/{z}/{x}/{y}.png"}) == \
        Settings("https://{s}.tile.example.org/{z}/{x}/{y}.png", "", 8)
    assert read_settings({"tiles": "https://{s}.tile.example.org/{z}.png"}).tile_hosts == ["https://*.tile.example.org"]
    assert [read_settings({"offline": v}).offline for v in (True, "true", "1", False, "false", "", None)] == \
        [True, True, True, False, False, False, False]


@pytest.mark.parametrize("options, message", [
    ({"page_size": "many"}, "extra: timeline: page_size in mkdocs.yml must be a number, not 'many'"),
    ({"page_size": 0}, "extra: timeline: page_size in mkdocs.yml must be 1 or more, not 0"),
    ({"tiles": "javascript:alert(1)"}, "extra: timeline: tiles in mkdocs.yml must be an http(s) URL template, not "
                                      "'javascript:alert(1)'"),
    ({"tiles": ["a"]}, "extra: timeline: tiles in mkdocs.yml must be text, not ['a']"),
    ({"page_sise": 8}, "extra: timeline: page_sise in mkdocs.yml is not a setting; the settings are: tiles, "
                       "attribution, page_size, offline, archives"),
    ({"archives": "always"}, "extra: timeline: archives in mkdocs.yml must be one of warn, require (or left out), "
                             "not 'always'"),
    ({"offline": "sometimes"}, "extra: timeline: offline in mkdocs.yml must be true or false, not 'sometimes'"),
    ("tiles", "extra: timeline: in mkdocs.yml must be a set of 'key: value' lines, not 'tiles'"),
])
def test_bad_settings_say_which_and_what_to_write(options, message):
    with pytest.raises(SettingsError) as caught:
        read_settings(options)
    assert str(caught.value) == message


def test_a_bad_setting_stops_the_build_with_its_sentence(project):
    project.event("e")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  timeline:\n    page_size: many\n")
    status, out, err = project.run("build", "-q")
    assert status == 1
    assert "error: build failed: extra: timeline: page_size in mkdocs.yml must be a number, not 'many'" in err
    assert "Traceback" not in err and not (project.root / "site").exists()
