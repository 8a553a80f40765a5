"""Pages filled into a shell (timeline/shells.py) are what the theme itself renders, byte for byte:
whole sites built both ways are compared file by file, for the example site and its paged variant
(every split page kind), with addresses (site_url, repo_url), built to be served and to be opened
from disk, and with titles that need escaping."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from golden import example_project, paged_project

sys.path.insert(0, str(REPO))

from timeline import shells  # noqa: E402
from timeline.pages import HtmlPage  # noqa: E402
from timeline.urls import Urls  # noqa: E402

TRICKY = """---
title: "Talks & \\"ceasefire\\" <b>claims</b> in Ankara's 'talks'"
date: 2020-02-10
place: Idlib
sources:
  - title: An article & more
    publisher: Le Monde
    url: https://example.org/a?x=1&y=2
---
A body with a [link](https://example.org/b) & an ampersand.
"""


def build(root: Path, site: Path, *extra: str, shells_on: bool = True) -> None:
    env = {**os.environ, "TIMELINE_HISTORY": "off", "TIMELINE_CACHE": "off",
           "TIMELINE_SHELLS": "on" if shells_on else "off"}
    result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--site-dir", str(site),
                             *extra], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def project(tmp_path: Path, paged: bool) -> Path:
    root = tmp_path / "project"
    (paged_project if paged else example_project)(root)
    (root / "events" / "2020" / "2020-02-10-tricky-title.md").write_text(TRICKY, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("site_url: !ENV SITE_URL", "site_url: https://example.org/timeline/\n"
                            "repo_url: https://github.com/example/timeline\nedit_uri: edit/main/docs/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.mark.parametrize(("paged", "offline"), [(False, False), (True, False), (True, True)],
                         ids=["example", "paged", "paged-offline"])
def test_a_site_with_shells_is_the_site_the_theme_renders_byte_for_byte(tmp_path, paged, offline):
    root = project(tmp_path, paged)
    extra = ("--offline",) if offline else ()
    build(root, tmp_path / "themed", *extra, shells_on=False)
    build(root, tmp_path / "shelled", *extra)
    themed, shelled = files_of(tmp_path / "themed"), files_of(tmp_path / "shelled")
    assert sorted(themed) == sorted(shelled)
    different = [name for name in themed if themed[name] != shelled[name]]
    assert different == []
    assert not any(shells.STEM in name for name in shelled)  # the stand-ins are gone from the site…
    assert shells.STEM.encode() not in shelled.get("sitemap.xml", b"")  # … and from the sitemap
    pages = [n for n in shelled if n.startswith(("events/", "places/", "tags/", "sources/")) and n.endswith(".html")]
    assert len(pages) > 60
    tricky = shelled["events/2020-02-10-tricky-title.html" if offline else "events/2020-02-10-tricky-title/index.html"]
    assert b"<title>Talks &amp; &quot;ceasefire&quot; &lt;b&gt;claims&lt;/b&gt;" in tricky
    assert b'<link rel="canonical" href="https://example.org/timeline/events/2020-02-10-tricky-title/' in tricky \
        or offline


def test_most_pages_are_filled_into_shells(tmp_path):
    """The comparison above means something only if shells were used: the hook's own account."""
    root = project(tmp_path, paged=True)
    script = f"""
import os, sys
os.environ.update(TIMELINE_HISTORY="off", TIMELINE_CACHE="off")
sys.path.insert(0, {str(REPO)!r})
from mkdocs.config import load_config
from mkdocs.commands.build import build
from timeline.mkdocs_hook import find_hook
config = load_config("mkdocs.yml", site_dir={str(tmp_path / 'site')!r})
build(config)
b = find_hook(config).current()
print(len(b.shaped), len(b.stand_ins), sum(s is not None for s in b.shells.values()))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    shaped, stand_ins, cut = map(int, result.stdout.split())
    assert shaped >= 80 and stand_ins >= 5 and cut == stand_ins  # events, places, tags, sources, split years…


def test_a_shell_refuses_what_it_cannot_fill():
    urls = Urls()
    page = HtmlPage("A", "<h1>A</h1>", "d")
    key = shells.shape(page, "events/x.md", urls)
    assert key == ("events/", True, True)
    assert shells.shape(page, "sources/الجزيرة.md", urls) is None  # its address would be percent-encoded
    stand_in = shells.stand_in_uri(key, urls)
    good = f"<title>{shells.TITLE}</title><link href='https://e.org/{urls.url(stand_in)}'>" \
           f"<meta content='{shells.DESCRIPTION}'><article>{shells.CONTENT}{shells.H1}</article>"
    shell = shells.cut(good, key, urls)
    assert shell is not None
    assert shell.fill(HtmlPage("T & U", "<h1>T</h1>", "D"), "events/y.md", urls, "<h1>T</h1>") == \
        "<title>T &amp; U</title><link href='https://e.org/events/y/'><meta content='D'><article><h1>T</h1></article>"
    assert shells.cut(good.replace("</article>", f"{shells.STEM}</article>"), key, urls) is None  # an unknown use
    assert shells.cut(good.replace("<title>", f"<title>{shells.TITLE.lower()}"), key, urls) is None  # a filter
    assert shells.cut(good.replace(shells.CONTENT, ""), key, urls) is None  # no content marker


def test_a_theme_the_shells_cannot_follow_renders_every_page_itself(tmp_path):
    """An override that prints the page's title lower-cased leaves no place to cut a shell: every
    shaped page is then rendered by the theme after all, and the site is still byte for byte the
    theme's (the page in the sitemap, the title lower-cased in each page)."""
    root = project(tmp_path, paged=False)
    main = root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% endblock %}", '<meta name="tl-test" content="{{ page.title | lower }}">\n{% endblock %}', 1), encoding="utf-8")
    build(root, tmp_path / "themed", shells_on=False)
    build(root, tmp_path / "shelled")
    themed, shelled = files_of(tmp_path / "themed"), files_of(tmp_path / "shelled")
    assert sorted(themed) == sorted(shelled)
    assert [name for name in themed if themed[name] != shelled[name]] == []
    tricky = shelled["events/2020-02-10-tricky-title/index.html"]
    assert b'<meta name="tl-test" content="talks &amp; &quot;ceasefire&quot; &lt;b&gt;claims' in tricky
    assert b"events/2020-02-10-tricky-title/</loc>" in shelled["sitemap.xml"]


def test_a_generated_page_the_nav_names_is_the_themes_own(tmp_path):
    """mkdocs.yml's nav may name an event page: the theme renders it (its title in the nav and in
    the footer's previous and next links of every page), as with every page rendered by the theme."""
    root = project(tmp_path, paged=False)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace(
        "  - Changes: changes.md\n", "  - Changes: changes.md\n  - events/2020-02-10-tricky-title.md\n", 1),
        encoding="utf-8")
    build(root, tmp_path / "themed", shells_on=False)
    build(root, tmp_path / "shelled")
    themed, shelled = files_of(tmp_path / "themed"), files_of(tmp_path / "shelled")
    assert sorted(themed) == sorted(shelled)
    assert [name for name in themed if themed[name] != shelled[name]] == []
    assert b"None" not in shelled["about/index.html"]
    assert b"Talks &amp; &quot;ceasefire&quot;" in shelled["about/index.html"]  # in the nav of every page


def test_the_sitemap_entries_of_pages_the_hook_writes_carry_the_build_date():
    """A preview's rebuild does not build every hand-written page, so the first entry may carry
    today's date: the entries the hook adds carry the build's, as MkDocs gives the pages it builds."""
    from types import SimpleNamespace

    from timeline.reuse import with_reused
    from timeline.site import SitePlan
    sitemap = ('<urlset>\n    <url>\n         <loc>https://e.org/about/</loc>\n'
               '         <lastmod>2026-12-02</lastmod>\n    </url>\n</urlset>')
    plan = SitePlan({"events/x.md": HtmlPage("X", "<h1>X</h1>")}, {}, [], frozenset(), order=("events/x.md",))
    config = SimpleNamespace(use_directory_urls=True, site_url="https://e.org/")
    out = with_reused(sitemap, plan, config, unlisted=True, date="2020-03-05")
    assert "<loc>https://e.org/about/</loc>\n         <lastmod>2026-12-02</lastmod>" in out
    assert "<loc>https://e.org/events/x/</loc>\n         <lastmod>2020-03-05</lastmod>" in out
    assert with_reused(sitemap, plan, config) == sitemap  # nothing reused, nothing written by the hook
