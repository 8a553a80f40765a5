"""MkDocs glue: validate before MkDocs cleans site/, then add the generated pages as virtual files.

The only module that imports MkDocs. `build_timeline.py` re-exports these hooks, so plain
`mkdocs build` / `mkdocs serve` and `python build_timeline.py build` make the same site.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import benchreport
from .check import check_project
from .exports import plan_exports
from .guide import fill
from .pages import PAGE_SIZE, HtmlPage, Site, plan_pages
from .schema import json_schema_files
from .search import generated_docs, merge_index
from .security import add_external_rel, add_policy, tile_hosts

log = get_plugin_logger("build_timeline")

# Generated pages a site's nav may list; every other generated page stays out of the sidebar,
# because each page embeds the whole navigation (1,000 pages in the nav take 37 s, out of it 6 s).
NAV_PAGES = {"index.md", "map.md", "places/index.md", "tags/index.md", "sources/index.md"}

# The timeline's own CSS, script and bundled libraries ship inside the package, so a site
# needs no copy of them in docs/; they are served under assets/timeline/.
ASSETS = Path(__file__).parent / "assets"
ASSET_URI = "assets/timeline"


def on_config(config):
    config.extra_css.append(f"{ASSET_URI}/timeline.css")
    config.extra_javascript.append(f"{ASSET_URI}/timeline.js")
    return config


def site_settings(config) -> Site:
    """Map tiles come from mkdocs.yml (extra: timeline: tiles:); by default there are none,
    so the site makes no request to another host."""
    options = (config.extra or {}).get("timeline") or {}
    tiles = str(options.get("tiles") or "")
    if tiles and not tile_hosts(tiles):
        raise PluginError(f"extra: timeline: tiles in mkdocs.yml must be an http(s) URL template, not {tiles!r}")
    try:
        page_size = max(1, int(options.get("page_size") or PAGE_SIZE))
    except (TypeError, ValueError):
        raise PluginError(f"extra: timeline: page_size in mkdocs.yml must be a number, "
                          f"not {options['page_size']!r}") from None
    return Site(config.use_directory_urls, str(options.get("tiles") or ""), str(options.get("attribution") or ""),
                page_size)


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _validated(config):
    timeline, problems = check_project(project_root(config))
    errors = [p for p in problems if p.is_error]
    return timeline, problems, errors


def on_pre_build(config) -> None:
    """Runs before MkDocs empties site/: an invalid timeline stops the build with the old site intact."""
    timeline, problems, errors = _validated(config)
    fix_build_date(timeline)
    for problem in problems:
        # Editorial warnings are reported by `validate`; they must not fail a --strict build.
        (log.error if problem.is_error else log.info)(problem.format())
    if errors:
        raise PluginError(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in the timeline's files; "
                          "fix them (see above, or run: python build_timeline.py validate)")


# Same input, same bytes: MkDocs stamps sitemap.xml (and its .gz) with SOURCE_DATE_EPOCH when set.
# Unless the user set it, we use the timeline's latest date, so the stamp changes only with the data.
_EPOCH_MARK = "TIMELINE_SET_SOURCE_DATE_EPOCH"


def fix_build_date(timeline) -> None:
    if "SOURCE_DATE_EPOCH" in os.environ and _EPOCH_MARK not in os.environ:
        return
    latest = max(((e.end or e.start).last_day for e in timeline.events), default=dt.date(1970, 1, 1))
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(latest.timetuple()))
    os.environ[_EPOCH_MARK] = "1"


def on_post_build(config) -> None:
    if os.environ.pop(_EPOCH_MARK, None):
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    built = Incremental.current()
    if built is None:
        return
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.exists():  # the theme indexed the hand-written pages; ours come from the data
        index = json.loads(path.read_text(encoding="utf-8"))
        merged, built.theme_docs = merge_index(index, built.search_docs, built.markdown_pages, built.theme_docs)
        path.write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    built.commit()


def on_build_error(error) -> None:
    if os.environ.pop(_EPOCH_MARK, None):
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    if Incremental.current() is not None:
        Incremental.current().abandon()


def on_files(files: Files, config) -> Files:
    timeline, _, errors = _validated(config)
    if errors:  # a file changed between on_pre_build and now
        raise PluginError("the timeline's files changed during the build; run it again")
    site = site_settings(config)
    intro = None
    home = files.get_file_from_path("index.md")
    if home is not None:
        intro = home.content_string
        files.remove(home)
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            uri = f"{ASSET_URI}/{asset.relative_to(ASSETS).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(asset)))
    pages = plan_pages(timeline, intro, site)
    built = Incremental.start(config.site_dir, site_key(config))
    for uri, page in pages.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} has the same path as a generated page; rename or remove it")
        inclusion = InclusionLevel.UNDEFINED if uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        if isinstance(page, HtmlPage):
            # An empty Markdown source: on_page_markdown sets the meta (no YAML to parse for each of
            # thousands of pages) and on_page_content puts the HTML in place.
            file = File.generated(config, uri, content="", inclusion=inclusion)
            file.timeline_page = page
            built.track(file, page.title + "\0" + page.description + "\0" + page.html)
        else:
            file = File.generated(config, uri, content=page.markdown, inclusion=inclusion)
            file.timeline_fragments = page
            built.track(file, page.expanded())
        files.append(file)
    data_files = dict(json_schema_files_at("schemas/"))
    data_files.update(plan_exports(timeline, config.use_directory_urls, site_url=config.site_url or None,
                                   title=config.site_name))
    for path, data in data_files.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} has the same path as a generated file; rename or remove it")
        file = File.generated(config, path, content=data)
        built.track(file, data)
        files.append(file)
    built.search_docs = generated_docs(timeline, site, pages)
    built.markdown_pages = {site.url(uri) for uri, page in pages.items() if not isinstance(page, HtmlPage)}
    return files


def json_schema_files_at(folder: str):
    """The JSON Schemas for editors' tools, at a stable address in the site."""
    return ((folder + name, text) for name, text in json_schema_files().items())


def on_page_content(html: str, page, config, files) -> str:
    planned = getattr(page.file, "timeline_page", None)
    if planned is not None:
        return planned.html
    listing = getattr(page.file, "timeline_fragments", None)
    return html if listing is None else listing.fill(html)


class Incremental:
    """What the last successful build wrote into a site folder, by content hash. A `serve --dirty`
    rebuild (what `python build_timeline.py serve` runs) then rewrites only the generated pages and
    files whose content changed: one saved event touches a handful of pages, not thousands.
    Full builds (`build`, plain `mkdocs build`) write everything as always."""

    _last: "Incremental | None" = None  # one per process: the folder `serve` rebuilds into

    def __init__(self, site_dir: str, key: str, written: dict[str, str], theme_docs: dict[str, list[dict]]):
        self.site_dir = site_dir
        self.key = key  # the site's settings, templates and hand-written pages: all pages depend on them
        self.written = written  # uri → hash, as committed by the last successful build
        self.pending: dict[str, str] = {}
        self.search_docs: list[dict] = []
        self.markdown_pages: set[str] = set()
        self.theme_docs = theme_docs  # the hand-written pages' search entries from the last build

    @classmethod
    def start(cls, site_dir: str, key: str) -> "Incremental":
        last = cls._last
        same = last is not None and last.site_dir == site_dir and last.key == key
        cls._last = cls(site_dir, key, last.written if same else {}, last.theme_docs if same else {})
        return cls._last

    @classmethod
    def current(cls) -> "Incremental | None":
        return cls._last

    def track(self, file: File, content: str) -> None:
        digest = hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()
        self.pending[file.src_uri] = digest
        if self.written.get(file.src_uri) == digest and os.path.exists(file.abs_dest_path):
            file.is_modified = lambda: False  # consulted only by dirty builds

    def commit(self) -> None:
        self.written = self.pending

    def abandon(self) -> None:
        self.written = {}


def site_key(config) -> str:
    """What every page depends on besides its own content: mkdocs.yml, the hand-written pages (their
    titles are in every page's navigation) and the theme overrides. When it changes, `serve`
    rewrites everything."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(Path(config.config_file_path).read_bytes())
    folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    for folder in folders:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                info = file.stat()
                digest.update(f"{file}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Generated HTML pages get their meta here. Hand-written pages get their generated parts: the
    editing guide's reference tables come from the schema, so they never drift from the validator;
    the Performance page's figures from the benchmark."""
    planned = getattr(page.file, "timeline_page", None)
    if planned is not None:
        page.meta.update(planned.meta())
        return markdown
    markdown = fill(markdown)
    if benchreport.MARKER in markdown:
        results = project_root(config) / "benchmarks" / "results.json"
        data = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
        markdown = markdown.replace(benchreport.MARKER, benchreport.report(data))
    return markdown


def on_post_page(output: str, page, config) -> str:
    """Every page, generated or hand-written: a Content-Security-Policy and safe external links.
    Only the theme's inline scripts are allowed, never one inside the page's own content."""
    return add_policy(add_external_rel(output), tile_hosts(site_settings(config).tiles), untrusted=page.content or "")


def on_post_template(output: str, template_name: str, config) -> str:
    """The theme's own pages (404.html) get the same protection; sitemap.xml is left alone."""
    if not template_name.endswith(".html"):
        return output
    return add_policy(add_external_rel(output), tile_hosts(site_settings(config).tiles))


def on_serve(server, config, builder):
    """Rebuild when an event or the gazetteer changes, not only when docs/ does."""
    root = project_root(config)
    for path in (root / "events", root / "places.yml", root / "periods.yml"):
        if path.exists():
            server.watch(str(path))
    return server
