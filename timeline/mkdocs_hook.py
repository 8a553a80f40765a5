"""The MkDocs glue: check the timeline before MkDocs writes anything, then hand it the generated
pages and files as virtual files. Each event calls one function of the core; `build_timeline.py`
makes one TimelineHook when MkDocs loads it as a hook, so its state lives as long as that hook
module (a plugin instance, in effect): across the rebuilds of one `serve`, never longer."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import benchreport, engine
from .check import CheckCache, check_project
from .diagnostics import Diagnostic
from .exports import plan_exports
from .guide import fill
from .markup import Renderer
from .model import Timeline
from .pages import HtmlPage, MarkdownPage, Page, make_plan, plan_pages
from .schema import json_schema_files
from .search import generated_docs, merge_index
from .security import add_external_rel, add_policy
from .settings import Settings, SettingsError, read_settings
from .urls import ASSETS, HOME, MAP, PLACES_INDEX, SOURCES_INDEX, TAGS_INDEX, Urls

# Generated pages a site's nav may list; every other generated page stays out of the sidebar,
# because each page embeds the whole navigation (1,000 pages in the nav take 37 s, out of it 6 s).
NAV_PAGES = {HOME, MAP, PLACES_INDEX, TAGS_INDEX, SOURCES_INDEX}
ASSET_FILES = Path(__file__).parent / "assets"  # served under assets/timeline/

# The build date. MkDocs dates the sitemap and its gzip header by each page's update_date, which
# it takes from SOURCE_DATE_EPOCH or the clock. Unless the user set SOURCE_DATE_EPOCH, every page
# is dated by the timeline's latest day instead, so the bytes change only with the data; clamped
# to what a gzip header can hold (1970 to 2106), so that any year `validate` accepts builds.
GZIP_FIRST, GZIP_LAST = dt.date(1970, 1, 1), dt.date(2106, 2, 6)


def build_date(timeline: Timeline) -> str | None:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return None
    latest = timeline.latest_day() or GZIP_FIRST
    return min(max(latest, GZIP_FIRST), GZIP_LAST).isoformat()


@dataclass
class Build:
    """What one build has worked out, from on_config to on_post_build."""

    settings: Settings
    timeline: Timeline | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)  # generated page uri → page
    written: dict[str, str] = field(default_factory=dict)  # uri → content hash, as this build writes it
    search_docs: list[dict] = field(default_factory=list)
    markdown_pages: set[str] = field(default_factory=set)


class TimelineHook:
    def __init__(self) -> None:
        self.cache = CheckCache()  # serve re-checks only the files that changed
        self.renderer = Renderer()
        self.build: Build | None = None
        self.site_dir = ""  # the folder the last successful build wrote, and what it wrote there
        self.last_written: dict[str, str] = {}
        self.key = ""
        self.theme_docs: dict[str, list[dict]] = {}  # the hand-written pages' search entries, last build
        self.failure = ""  # why the last build failed, in the hook's or MkDocs' own words

    # ---------------------------------------------------------------- events

    def on_config(self, config):
        try:
            settings = read_settings((config.extra or {}).get("timeline"))
        except SettingsError as exc:
            raise engine.running(config).exceptions.PluginError(str(exc)) from None
        self.build, self.failure = Build(settings), ""
        config.extra_css.append(f"{ASSETS}/timeline.css")
        config.extra_javascript.append(f"{ASSETS}/timeline.js")
        return config

    def on_pre_build(self, config) -> None:
        """Before MkDocs empties site/: an invalid timeline stops the build with the old site intact."""
        build = self.current(config)
        build.timeline, build.problems = self.check(config)
        report(config, build.problems)

    def on_files(self, files, config):
        build = self.current(config)
        timeline, problems = self.check(config)
        if problems != build.problems:  # a file changed between on_pre_build and now
            raise engine.running(config).exceptions.PluginError("the timeline's files changed during the build; "
                                                                 "run it again")
        assert timeline is not None
        return add_generated(self, build, files, config, timeline)

    def on_pre_page(self, page, config, files):
        date = build_date(self.current(config).timeline or Timeline(()))
        if date:
            page.update_date = date  # see build_date
        return page

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        planned = self.current(config).pages.get(page.file.src_uri)
        if isinstance(planned, HtmlPage):
            page.meta.update(planned.meta())
            return markdown
        if planned is not None:
            return markdown
        return hand_written(markdown, config)

    def on_page_content(self, html: str, page, config, files) -> str:
        planned = self.current(config).pages.get(page.file.src_uri)
        if isinstance(planned, HtmlPage):
            return planned.html
        return planned.fill(html) if isinstance(planned, MarkdownPage) else html

    def on_post_page(self, output: str, page, config) -> str:
        """Every page, generated or hand-written: a Content-Security-Policy and safe external links.
        Only the theme's inline scripts are allowed, never one inside the page's own content."""
        hosts = self.current(config).settings.tile_hosts
        return add_policy(add_external_rel(output), hosts, untrusted=page.content or "")

    def on_post_template(self, output: str, template_name: str, config) -> str:
        """The theme's own pages (404.html) get the same protection; sitemap.xml is left alone."""
        if not template_name.endswith(".html"):
            return output
        return add_policy(add_external_rel(output), self.current(config).settings.tile_hosts)

    def on_post_build(self, config) -> None:
        build = self.current(config)
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.exists():  # the theme indexed the hand-written pages; ours come from the data
            index = json.loads(path.read_text(encoding="utf-8"))
            merged, self.theme_docs = merge_index(index, build.search_docs, build.markdown_pages, self.theme_docs)
            path.write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.site_dir, self.last_written = config.site_dir, build.written

    def on_build_error(self, error) -> None:
        self.last_written = {}  # the site folder holds an unknown mix: write everything next time
        self.failure = str(error)  # MkDocs itself only says "Aborted with a BuildError!"

    def on_serve(self, server, config, builder):
        """Rebuild when an event or the gazetteer changes, not only when docs/ does."""
        root = project_root(config)
        for path in (root / "events", root / "places.yml", root / "periods.yml"):
            if path.exists():
                server.watch(str(path))
        return server

    # ---------------------------------------------------------------- state

    def current(self, config) -> Build:
        if self.build is None:  # an event before on_config: only when a test calls one directly
            self.on_config(config)
        assert self.build is not None
        return self.build

    def check(self, config) -> tuple[Timeline, list[Diagnostic]]:
        return check_project(project_root(config), self.cache)

    def unchanged(self, config, uri: str, content: str) -> bool:
        """Whether a dirty rebuild (serve) may keep the file the last build wrote for `uri`."""
        digest = hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()
        self.current(config).written[uri] = digest
        return self.site_dir == config.site_dir and self.last_written.get(uri) == digest


def find_hook(config) -> TimelineHook | None:
    """The TimelineHook of the hook module a loaded config lists (build_timeline.py), if any."""
    for plugin in config.plugins.values():
        hook = getattr(plugin, "_hook", None)
        if isinstance(hook, TimelineHook):
            return hook
    return None


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def report(config, problems: list[Diagnostic]) -> None:
    eng = engine.running(config)
    log = eng.plugins.get_plugin_logger("build_timeline")
    for problem in problems:
        # Editorial warnings are reported by `validate`; they must not fail a --strict build.
        (log.error if problem.is_error else log.info)(problem.format())
    errors = sum(p.is_error for p in problems)
    if errors:
        raise eng.exceptions.PluginError(f"{errors} error{'s' if errors != 1 else ''} in the timeline's files; "
                                         "fix them (see above, or run: python build_timeline.py validate)")


def hand_written(markdown: str, config) -> str:
    """A hand-written page gets its generated parts: the editing guide's reference tables (from
    the field tables), the Performance page's figures (from the benchmark's JSON)."""
    markdown = fill(markdown)
    if benchreport.MARKER in markdown:
        results = project_root(config) / "benchmarks" / "results.json"
        data = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
        markdown = markdown.replace(benchreport.MARKER, benchreport.report(data))
    return markdown


def site_key(config) -> str:
    """What every page depends on besides its own content: mkdocs.yml, the hand-written pages (their
    titles are in every page's navigation) and the theme overrides."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(Path(config.config_file_path).read_bytes())
    folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    for folder in folders:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                info = file.stat()
                digest.update(f"{file}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def add_generated(hook: TimelineHook, build: Build, files, config, timeline: Timeline):
    """The generated pages, data files and assets, as virtual files MkDocs builds with the rest."""
    api = engine.running(config)
    File, InclusionLevel, PluginError = api.files.File, api.files.InclusionLevel, api.exceptions.PluginError

    class GeneratedFile(File):  # type: ignore[misc, valid-type]  # the running engine's File, found at run time
        """Written again by a dirty rebuild only when its content changed since the last build."""

        keep = False

        def is_modified(self) -> bool:
            return not self.keep and super().is_modified()

    key = site_key(config)
    if key != hook.key:  # settings, templates or hand-written pages changed: every page changes
        hook.key, hook.last_written = key, {}
    intro = None
    home = files.get_file_from_path(HOME)
    if home is not None:
        intro = home.content_string
        files.remove(home)
    for asset in sorted(ASSET_FILES.rglob("*")):
        if asset.is_file():
            files.append(File.generated(config, f"{ASSETS}/{asset.relative_to(ASSET_FILES).as_posix()}",
                                        abs_src_path=str(asset)))
    plan = make_plan(timeline, build.settings, Urls(config.use_directory_urls), hook.renderer)
    build.pages = plan_pages(plan, intro)
    for uri, page in build.pages.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} has the same path as a generated page; rename or remove it")
        inclusion = InclusionLevel.UNDEFINED if uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        # An HTML page gets an empty Markdown source: on_page_markdown sets its meta (no YAML to parse
        # for each of thousands of pages) and on_page_content puts the HTML in place.
        source, content = ("", page.title + "\0" + page.description + "\0" + page.html) if isinstance(page, HtmlPage) \
            else (page.markdown, page.expanded())
        file = GeneratedFile.generated(config, uri, content=source, inclusion=inclusion)
        file.keep = hook.unchanged(config, uri, content) and os.path.exists(file.abs_dest_path)
        files.append(file)
    data_files = {f"schemas/{name}": text for name, text in json_schema_files().items()}
    data_files.update(plan_exports(plan, site_url=config.site_url or None, title=config.site_name))
    for path, data in data_files.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} has the same path as a generated file; rename or remove it")
        file = GeneratedFile.generated(config, path, content=data)
        file.keep = hook.unchanged(config, path, data) and os.path.exists(file.abs_dest_path)
        files.append(file)
    build.search_docs = generated_docs(timeline, plan.urls, build.pages)
    build.markdown_pages = {plan.urls.url(uri) for uri, page in build.pages.items() if isinstance(page, MarkdownPage)}
    hook.renderer.forget({e.body for e in timeline.events})
    return files
