"""sitedir.refill and prune: a build made from an older build's folders keeps only the files it
shares with the live site for the pages it reuses, removes everything else before anything is
written, and leaves no folder a removed page emptied."""
from __future__ import annotations

import os
from pathlib import Path

from timeline import sitedir


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_refill_keeps_only_the_live_sites_own_files_of_reused_pages(tmp_path):
    live, recycled, build = tmp_path / "live", tmp_path / "old", tmp_path / "new"
    build.mkdir()
    for rel in ("events/a/index.html", "events/b/index.html", "events/c/index.html", "index.html"):
        write(live, rel, f"live {rel}")
    # The older build: a and the home page are the live site's very files (hard links); b is an
    # older version of its page; gone/ is a page the live site no longer has; search/ is MkDocs' own.
    for rel in ("events/a/index.html", "index.html"):
        (recycled / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(live / rel, recycled / rel)
    write(recycled, "events/b/index.html", "older b")
    write(recycled, "events/gone/2020/index.html", "a removed page")
    write(recycled, "search/search_index.json", "{}")
    served = files(live)

    kept, emptied = sitedir.refill(recycled, build, {"events/a/index.html", "events/b/index.html",
                                                      "events/c/index.html"}, live)

    assert kept == {"events/a/index.html"}  # reused and already the live file; b differs, c is missing
    assert files(build) == {"events/a/index.html": "live events/a/index.html"}
    assert os.path.samefile(build / "events/a/index.html", live / "events/a/index.html")
    assert emptied == {"events/b", "events/gone/2020", "search"}  # (the root is the build)
    assert not recycled.exists()
    assert files(live) == served  # nothing of the live site was touched
    # The build writes its pages (here: b, as MkDocs would, and the search index), then prune
    # removes the folders left empty, with their empty parents, and nothing else.
    write(build, "events/b/index.html", "new b")
    sitedir.prune(build, emptied)
    folders = sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_dir())
    assert folders == ["events", "events/a", "events/b"]
    assert files(live) == served


def test_refill_without_a_live_file_keeps_nothing(tmp_path):
    live, recycled, build = tmp_path / "live", tmp_path / "old", tmp_path / "new"
    live.mkdir()
    build.mkdir()
    write(recycled, "events/a/index.html", "older a")
    kept, emptied = sitedir.refill(recycled, build, {"events/a/index.html"}, live)
    assert kept == set() and emptied == {"events/a"} and files(build) == {}
    sitedir.prune(build, emptied)
    assert list(build.iterdir()) == []


def test_recycle_takes_the_finished_build_before_the_sites_own(tmp_path):
    site = tmp_path / "site"
    assert sitedir.recycle(site) is None  # no site yet
    builds = []
    for number in range(2):
        folder = sitedir.new_build(site)
        write(folder, "index.html", str(number))
        sitedir.publish(site, folder)
        builds.append(folder)
    assert sitedir.current(site) == builds[1].resolve()
    taken = sitedir.recycle(site)
    assert taken is not None and taken.parent == builds[0].parent and not builds[0].exists()
    assert files(taken) == {"index.html": "0"}
    assert not sitedir.marker(builds[0]).exists()  # no longer a finished build: recover never picks it
    assert sitedir.complete_builds(site) == [builds[1]] and sitedir.recycle(site) is None
    assert files(site) == {"index.html": "1"}
