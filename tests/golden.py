"""Golden copies of what the build generates, for the example site and its paged variant.

    python tests/golden.py            rebuild both sites and rewrite tests/golden/
    git diff tests/golden             review every change before committing it

Each HTML page is kept as what we generate in it: its <title>, description, feed link and
Content-Security-Policy lines, and the page's <article>, byte for byte. The theme's navigation
around it is left out, so that a change to one page shows as a diff of that page only. Every
data file the build writes (exports, schemas, search index, sitemap) is kept whole.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
VARIANTS = ("example", "paged")

# What the theme copies rather than the build generates: the same bytes whatever the timeline holds.
NOT_GENERATED = ("assets/", "images/", "sitemap.xml.gz")
DATA_SUFFIXES = (".json", ".csv", ".geojson", ".ics", ".xml")
PAGED_DATA = ("search/search_index.json", "timeline-index.json", "sitemap.xml")
_HEAD_LINE = re.compile(r'^\s*(<title>.*</title>|<meta name="description".*>|<meta http-equiv="Content-Security-Policy".*>'
                        r'|<link rel="alternate".*>)\s*$', re.M)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*?</article>', re.S)


def page_extract(html: str) -> str:
    """The parts of a built page that the timeline generates."""
    head = html.split("</head>", 1)[0]
    lines = [match.group(1) for match in _HEAD_LINE.finditer(head)]
    article = _ARTICLE.search(html)
    return "\n".join(lines) + "\n" + (article.group(0) if article else "(no article)") + "\n"


def extract(site: Path, variant: str = "example") -> dict[str, bytes]:
    """{path in the site: golden bytes} for every generated file of a built site. The paged variant
    keeps only what the page size changes: its pages and the two indexes of them."""
    out: dict[str, bytes] = {}
    for file in sorted(site.rglob("*")):
        rel = file.relative_to(site).as_posix()
        if not file.is_file() or rel.startswith(NOT_GENERATED):
            continue
        if rel.endswith(".html"):
            out[rel] = page_extract(file.read_text(encoding="utf-8")).encode("utf-8")
        elif rel.endswith(DATA_SUFFIXES) and (variant == "example" or rel in PAGED_DATA):
            out[rel] = file.read_bytes()
    return out


def stored(variant: str) -> dict[str, bytes]:
    folder = GOLDEN / variant
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def example_project(target: Path) -> Path:
    """A copy of the example project, its mkdocs.yml naming this repository's hook."""
    for name in ("events", "docs", "overrides"):
        shutil.copytree(REPO / name, target / name)
    for name in ("places.yml", "periods.yml", "publishers.yml"):
        shutil.copy(REPO / name, target / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(config.replace("  - build_timeline.py", f"  - {REPO / 'build_timeline.py'}"),
                                       encoding="utf-8")
    return target


def paged_project(target: Path) -> Path:
    """A copy of the example project with page_size 8, so that every split page kind exists."""
    for name in ("events", "docs", "overrides", "benchmarks"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    for name in ("places.yml", "periods.yml"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, target / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    paged = config.replace("page_size: 500", "page_size: 8").replace("  - build_timeline.py",
                                                                     f"  - {REPO / 'build_timeline.py'}")
    assert paged != config and "page_size: 8" in paged, "mkdocs.yml no longer says page_size: 500"
    (target / "mkdocs.yml").write_text(paged, encoding="utf-8")
    return target


def build(root: Path, site: Path) -> None:
    env = {**os.environ, "TIMELINE_HISTORY": "off"}  # (the repository's own history changes with every commit)
    result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--site-dir", str(site)],
                            cwd=root, capture_output=True, text=True, timeout=600, env=env)
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr}")


def update() -> None:
    with tempfile.TemporaryDirectory(prefix="golden-") as temp:
        sites = {"example": Path(temp) / "example-site", "paged": Path(temp) / "paged-site"}
        build(REPO, sites["example"])
        build(paged_project(Path(temp) / "paged"), sites["paged"])
        for variant, site in sites.items():
            folder = GOLDEN / variant
            shutil.rmtree(folder, ignore_errors=True)
            for rel, data in extract(site, variant).items():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(data)
            print(f"wrote {len(list(folder.rglob('*.*')))} files into {folder.relative_to(REPO)}")
    print("review them: git diff --stat tests/golden; git diff tests/golden")


if __name__ == "__main__":
    update()
