"""The MkDocs glue: check the timeline before MkDocs writes anything, then hand it the generated
pages and files as virtual files. Each event calls one function of the core.

`build_timeline.py` makes one TimelineHook when MkDocs loads it as a hook module. MkDocs keeps that
module for the whole process (serve's rebuilds reuse it), so the hook's caches are the process's:
the check cache is keyed by the files' contents, and what the last build wrote is kept only for
the same site folder and settings.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
import jinja2.bccache

from . import benchreport, buildcache, engine, shells, sitedir
from .diagnostics import Diagnostic
from .guide import fill
from .history import History, git_head, read_history
from .incremental import Manifest
from .markup import Renderer
from .model import Timeline
from .problems import banner, problem_pages
from .progress import Progress
from .project import outside
from .report import context
from .reuse import all_there, dest_of, keep_manifest, link_reused, read_manifest, reused_listings, with_reused
from .search import merge_index
from .security import Policy, add_external_rel, known_scripts
from .settings import Settings, SettingsError, check_addresses, read_settings
from .shells import Shape, Shell
from .site import NAV_PAGES, DeferredPage, HtmlPage, Incremental, MarkdownPage, PackedPage, SitePlan, plan_site
from .sitedir import prune_theme_files, search_languages
from .urls import ASSETS, CHANGES, FILTER_INDEX, HOME, MAP_PLACES, WORLD, Urls
from .watching import use_file_events

ASSET_FILES = Path(__file__).parent / "assets"  # served under assets/timeline/
OFFLINE_FILES = Path(__file__).parent / "offline"  # the same, only in a site built to be opened from disk
ARTICLE = '<article class="md-content__inner md-typeset">'  # where the preview's notice of problems goes

# The build date. MkDocs dates the sitemap and its gzip header by each page's update_date, which
# it takes from SOURCE_DATE_EPOCH or the clock. Unless the user set SOURCE_DATE_EPOCH, every page
# is dated by the timeline's latest day instead, so the bytes change only with the data; clamped
# to what a gzip header can hold (1970 to 2106), so that any year `validate` accepts builds.
GZIP_FIRST, GZIP_LAST = dt.date(1970, 1, 1), dt.date(2106, 2, 6)


POLL = "TIMELINE_POLL"  # set: serve watches files by polling them, as MkDocs does
NO_SITE_URL = ("site_url is not set in mkdocs.yml (nor SITE_URL when building): sitemap.xml lists no pages, and "
               "events.ics and feed.xml cannot link to the events; set it to the address the site is published at")


def build_date(timeline: Timeline) -> str | None:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return None
    latest = timeline.latest_day() or GZIP_FIRST
    return min(max(latest, GZIP_FIRST), GZIP_LAST).isoformat()


@dataclass
class Written:
    """What the last successful build wrote into one site folder under one site key (settings,
    templates, hand-written pages): each generated file's content hash, and the hand-written pages'
    search entries. A dirty rebuild (serve) rewrites only what changed; another folder or key starts
    afresh."""

    site_dir: str = ""
    key: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    theme_docs: dict[str, list[dict]] = field(default_factory=dict)
    dests: dict[str, str] = field(default_factory=dict)  # uri → the file written for it


@dataclass
class Build:
    """What one build has worked out, from on_config to on_post_build."""

    settings: Settings
    policy: Policy
    timeline: Timeline | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    date: str | None = None
    plan: SitePlan | None = None
    hashes: dict[str, str] = field(default_factory=dict)  # uri → content hash, as this build writes it
    dests: dict[str, str] = field(default_factory=dict)  # uri → the file it writes
    banner: str = ""  # the preview's notice of problems, on every page
    shaped: dict[str, Shape] = field(default_factory=dict)  # uri → its shape, for the pages filled into a shell
    stand_ins: dict[str, Shape] = field(default_factory=dict)  # uri of each shape's stand-in page
    shells: dict[Shape, Shell | None] = field(default_factory=dict)  # cut from the stand-ins (None: could not be)
    unchanged: set[str] = field(default_factory=set)  # shaped pages a preview's last build wrote the same
    # For a shaped page whose shell could not be cut, rendered by the theme after all (write_shaped):
    themed: Callable[[str], object] | None = None  # its MkDocs Page, made when needed
    files: object = None  # MkDocs' files, navigation and template environment, as on_env and on_page_context get them
    nav: object = None
    env: object = None
    contents: dict[str, str] = field(default_factory=dict)  # timeline pages' Markdown as rendered, while search indexes


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in memory: a bucket holds its template's checksum, and jinja
    compiles again any template whose source changed."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


class TimelineHook:
    def __init__(self) -> None:
        self.kept: buildcache.Kept | None = None  # checks and bodies kept between runs (serve: between rebuilds)
        self.checked: tuple[Timeline, list[Diagnostic]] | None = None  # the CLI's check, for this build
        self.renderer = Renderer()
        self.build: Build | None = None
        self.last = Written()
        self.failure = ""  # why the last build failed, in the hook's or MkDocs' own words
        self.serving = False  # a preview: problems are shown in the pages instead of stopping the build
        self.dirty = False  # MkDocs rewrites only what changed (serve's rebuilds)
        self.offline = False  # `build --offline`: as if mkdocs.yml said `offline: true`
        # MkDocs makes a new template environment for every build; serve's rebuilds reuse the compiled
        # templates (jinja checks each template's source, so an edited override is compiled again).
        self.templates = CompiledTemplates()
        self.history = History()  # read again only when HEAD moves (serve rebuilds on every save)
        self.manifest: Manifest | None = None  # what the last build planned (serve: of its own folder)
        self.previous_site = ""  # `build`: the folder of the site it replaces, whose pages it may reuse
        self.recycled: Path | None = None  # `build`: an older build to make this one from (sitedir.refill)
        self.refilled: tuple[set[str], set[str]] = (set(), set())  # the files refill kept, the folders it emptied
        self.progress: Progress | None = None  # `build`: what it is doing, on a terminal
        self.after: threading.Thread | None = None  # a preview's build, finishing after its pages are served
        self.scripts: tuple | None = None  # the theme's inline scripts, by what they were read from

    def use(self, kept: buildcache.Kept, checked: tuple[Timeline, list[Diagnostic]]) -> None:
        """The build cache and the check the command line has just made (`build`)."""
        self.kept, self.checked = kept, checked
        self.renderer.remember(kept.bodies, kept.fragments)

    def on_startup(self, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        self.renderer.keep = self.serving

    # ---------------------------------------------------------------- events

    def on_config(self, config):
        try:
            settings = read_settings((config.extra or {}).get("timeline"))
            check_addresses({"site_url": config.site_url, "repo_url": config.repo_url})
        except SettingsError as exc:
            raise engine.running(config).exceptions.PluginError(str(exc)) from None
        if self.offline:
            settings = replace(settings, offline=True)
        policy = Policy(settings.tile_hosts, self.theme_scripts(config))
        self.build, self.failure = Build(settings, policy), ""
        config.extra_css.append(f"{ASSETS}/timeline.css")
        config.extra_javascript.append(f"{ASSETS}/timeline.js")
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), f"{ASSETS}/lazy-search.js"]
        if settings.offline:  # from disk, a link to a folder opens a listing, and workers cannot start
            config.use_directory_urls = False
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), f"{ASSETS}/file-worker.js"]
        elif not config.site_url and not self.serving:
            log = engine.running(config).plugins.get_plugin_logger("build_timeline")
            log.info(NO_SITE_URL)
        return config

    def theme_scripts(self, config):
        """The theme's inline scripts (security.known_scripts), read again only when a template
        folder's files change (serve loads the configuration again on every save)."""
        dirs = [Path(d) for d in config.theme.dirs]
        key: tuple = tuple((str(d), tuple(sorted((str(p), p.stat().st_mtime_ns) for p in d.rglob("*.html"))))
                           for d in dirs if d.is_dir() and not str(d).startswith(sys.prefix))
        key += tuple(str(d) for d in dirs if str(d).startswith(sys.prefix))  # installed themes change with the code
        if self.scripts is None or self.scripts[0] != key:
            self.scripts = (key, known_scripts(dirs))
        return self.scripts[1]

    def on_env(self, env, config, files):
        env.bytecode_cache = self.templates
        self.current().files, self.current().env = files, env
        if not self.serving and buildcache.enabled():  # compiled once for all builds (jinja checks each source)
            folder = project_root(config) / buildcache.FOLDER / "jinja"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
            except OSError:
                pass
        return env

    def on_pre_build(self, config) -> None:
        """Before MkDocs empties site/: an invalid timeline stops the build with the old site intact."""
        self.wait()
        if self.serving:
            # A preview holds millions of objects (the timeline, its pages, the exports' pieces): one
            # full collection in the middle of a rebuild costs a third of a second, and a rebuild at
            # 10,000 events met two. None until the page is served: `finish` collects after.
            gc.disable()
        build = self.current()
        build.timeline, build.problems = self.check(config)
        build.date = build_date(build.timeline)
        report(config, build.problems, stop=not self.serving)

    def on_files(self, files, config):
        build = self.current()
        refuse_outside_links(files, config)
        if self.serving and build.timeline is not None:  # a file saved since then starts another rebuild
            timeline, problems = build.timeline, build.problems
        else:
            timeline, problems = self.check(config)
            if any(p.is_error for p in problems):  # a file changed since on_pre_build
                report(config, problems)
        key = site_key(config)
        if (self.last.site_dir, self.last.key) != (config.site_dir, key):
            self.last = Written(config.site_dir, key)
        history = self.read_history(config)
        intro, urls = take_intro(files), Urls(config.use_directory_urls)
        # The exports' pieces by event, for the next run: a cache switched off keeps none (serve, in memory).
        kept = self.kept if buildcache.enabled() or self.serving else None
        self.renderer.tokens = buildcache.event_tokens(kept) if kept is not None else None
        broken = self.serving and any(p.is_error for p in problems)  # every page gets the problems' banner
        incremental = self.incremental(config, key, history, fresh=broken)
        defer = shells_on()  # the events' pages are written by write_shaped, made again then
        build.plan = plan_site(timeline, intro, build.settings, urls, self.renderer, config.site_url or None,
                               config.site_name, history, incremental, defer)
        if build.plan.reused and incremental is not None and not all_there(build.plan, incremental, config):
            build.plan = plan_site(timeline, intro, build.settings, urls, self.renderer, config.site_url or None,
                                   config.site_name, history, replace(incremental, previous=None), defer)
        if broken:
            details = {p: context(project_root(config), p, {}) for p in problems}
            build.banner = banner(problems, details)
            shown = problem_pages(problems, details, {e.id for e in timeline.events})
            build.plan = replace(build.plan, pages={**build.plan.pages, **shown})
        self.renderer.pack()  # the events' search entries
        self.refill(build.plan, urls, config)
        add_generated(self, build.plan, files, config)
        self.renderer.forget({e.body for e in timeline.events})
        if self.progress is not None:
            self.progress.planned(len(build.plan.order), len(build.plan.reused or ()))
        return files

    def refill(self, plan: SitePlan, urls: Urls, config) -> None:
        """Before MkDocs writes anything: the older build's folders moved into this one, with the files
        of the pages it reuses that are already the site's (sitedir.refill); link_reused adds the rest."""
        recycled, self.recycled = self.recycled, None
        if recycled is None:
            return
        keep = {dest_of(urls.url(uri)) for uri in plan.reused or ()}
        try:
            self.refilled = sitedir.refill(recycled, Path(config.site_dir), keep, Path(self.previous_site))
        except OSError:  # a slower build, not a failed one: link_reused makes what is missing, and the
            self.refilled = (set(), set())  # command line removes what is left of the older build

    def incremental(self, config, site: str, history: History, fresh: bool) -> Incremental | None:
        """What this build may take from the last one: its manifest, if its pages are where it says."""
        if self.kept is None:
            return None
        whole = self.kept.summary.whole
        build = self.current()
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.kept.summary.version, site, repr(build.settings), config.use_directory_urls,
                     config.site_url, config.site_name, config.repo_url, history.head, history.available,
                     history.shallow, os.environ.get(SHELL_SWITCH, ""), os.environ.get("SOURCE_DATE_EPOCH", ""),
                     fresh,  # a preview with problems: every page has the banner, which the next build drops
                     *(whole[i] if whole else b"" for i in (1, 2, 6))):
            digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
        if self.serving:
            previous = self.manifest if self.manifest and self.manifest.folder == os.path.realpath(config.site_dir) \
                else None
        else:
            previous = read_manifest(project_root(config), self.previous_site)
        digests = {path: d for path, (_, d) in self.kept.summary.files.items()}
        return Incremental(None if fresh else previous, digest.hexdigest(), digests)

    def on_pre_page(self, page, config, files):
        if self.current().date:
            page.update_date = self.current().date  # see build_date
        return page

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        planned = self.planned(page)
        if isinstance(planned, HtmlPage | PackedPage):
            page.meta.update(planned.meta())
            return markdown
        if planned is None and HISTORY_MARKER in markdown:
            markdown = markdown.replace(HISTORY_MARKER, history_note(self.history))
        return markdown if planned is not None else hand_written(markdown, config)

    def read_history(self, config) -> History:
        """The events' history from git, unless TIMELINE_HISTORY=off (the golden files: a commit
        must not change them). A shallow clone has none, and CI is told."""
        if os.environ.get(HISTORY_SWITCH, "").lower() in ("off", "0", "false", "no"):
            self.history = History()
            return self.history
        root = project_root(config)
        if not self.history.head or self.history.head != git_head(root):
            self.history = read_history(root)
            if self.history.shallow:
                print(SHALLOW, file=sys.stderr)
        self.history.repo_url = config.repo_url or ""
        return self.history

    def on_page_content(self, html: str, page, config, files) -> str:
        """The generated pages' content. The theme's search indexer (next, in on_page_context) sees
        none of a page filled into a shell (the search index has ours) and of a timeline page only
        what comes up to the end of its first heading: search.merge_index keeps the page's entry
        alone, without its text. on_page_context below puts the rest back before the theme renders
        the page. (MkDocs reads every page before it renders the first: a timeline page's whole
        content meanwhile was 10 MB at 10,000 events.)"""
        planned = self.planned(page)
        build = self.current()
        if isinstance(planned, HtmlPage | PackedPage):
            return "" if page.file.src_uri in build.shaped else planned.html
        if isinstance(planned, MarkdownPage):
            full = planned.fill(html)
            first = _FIRST_HEADING.search(full)
            if first is None:
                return full
            build.contents[page.file.src_uri] = html  # filled again when the page is rendered
            return full[:first.end()]
        return html

    def on_page_context(self, context, page, config, nav):
        """A generated page's whole content, before the theme renders it (after its indexer)."""
        build = self.current()
        build.nav = nav
        uri = page.file.src_uri
        if uri in build.shaped:  # a shaped page whose shell could not be cut (write_shaped)
            page.content = self.planned(page).html
        elif uri in build.contents:  # a timeline page, whole again (as the theme's indexer leaves a page)
            full = self.planned(page).fill(build.contents.pop(uri))
            page.content = _SEARCH_ATTRIBUTE.sub("", full) if "data-search-" in full else full
        return context

    def on_post_page(self, output: str, page, config) -> str:
        """Every page MkDocs renders, generated or hand-written: a Content-Security-Policy and safe
        external links. Only the theme's inline scripts are allowed, never one inside the page's own
        content. (A page filled into a shell has them from its stand-in, which went through here.)"""
        build = self.current()
        uri = page.file.src_uri
        if self.progress is not None:
            self.progress.page_written()
        # A generated page is written: let go of its plan, and of a timeline page's content, which
        # MkDocs would hold to the end of the build (12 MB of them at 10,000 events).
        if build.plan is not None and isinstance(build.plan.pages.pop(uri, None), MarkdownPage):
            page.content = ""
        if build.banner:
            output = output.replace(ARTICLE, ARTICLE + build.banner, 1)
        output = build.policy.add(add_external_rel(output), untrusted=page.content or "")
        if uri in build.stand_ins:
            key = build.stand_ins[uri]
            build.shells[key] = shells.cut(output, key, Urls(config.use_directory_urls))
        return output

    def on_post_template(self, output: str, template_name: str, config) -> str:
        """The theme's own pages (404.html) get the same protection; sitemap.xml loses the stand-ins."""
        if template_name == "sitemap.xml":
            build = self.current()
            return with_reused(shells.without_stand_ins(output), build.plan, config, unlisted=bool(build.shaped),
                               date=build.date)
        if not template_name.endswith(".html"):
            return output
        return self.current().policy.add(add_external_rel(output))

    def on_post_build(self, config) -> None:
        build = self.current()
        self.write_shaped(build, config)
        prune_theme_files(Path(config.site_dir), search_languages(config))
        shells.remove_stand_ins(Path(config.site_dir), list(build.stand_ins), Urls(config.use_directory_urls))
        for gone in self.last.dests.keys() - build.dests.keys():  # a deleted or renamed event, in a preview
            if self.last.site_dir == config.site_dir and os.path.isfile(self.last.dests[gone]):
                os.remove(self.last.dests[gone])
        if build.plan is not None and build.plan.reused and not self.serving:
            link_reused(build.plan, self.previous_site or "", config, self.refilled[0])
        self.last = Written(config.site_dir, self.last.key, build.hashes, self.last.theme_docs, build.dests)
        if self.serving:  # the page is served now; the rest follows (the next build waits for it)
            self.after = threading.Thread(target=self.finish, args=(build, config), name="timeline-after-build")
            self.after.start()
        else:
            self.finish(build, config)

    def write_shaped(self, build: Build, config) -> None:
        """The pages filled into a shell, each written as MkDocs writes a page (MkDocs has rendered the
        stand-ins, and cut their shells). A page whose shape has no shell (cut refused it) is rendered
        by the theme now, through MkDocs' own page building, as it would have been among the others.
        Other plugins' page events do not run on the shaped pages, and their on_post_build runs
        before these are written (MkDocs runs hooks after plugins)."""
        urls, left = Urls(config.use_directory_urls), []
        planned = build.plan.pages if build.plan is not None else {}
        for uri, key in build.shaped.items():
            shell = build.shells.get(key)
            if shell is None:
                left.append(uri)
                continue
            page = planned.pop(uri, None)
            if page is None or isinstance(page, MarkdownPage):
                continue
            if self.progress is not None:
                self.progress.page_written()
            if uri not in build.unchanged:
                if isinstance(page, DeferredPage):
                    page = page.remake()
                output = shell.fill(page, uri, urls, add_external_rel(page.html))
                os.makedirs(os.path.dirname(build.dests[uri]), exist_ok=True)
                with open(build.dests[uri], "wb") as out:
                    out.write(output.encode("utf-8", errors="xmlcharrefreplace"))
        if left and build.themed is not None:
            mkdocs_build = engine.running(config).module("commands.build")
            pages = build.files.documentation_pages()  # type: ignore[attr-defined]
            for uri in left:
                if isinstance(page := planned.get(uri), DeferredPage):
                    planned[uri] = page.remake()
                themed = build.themed(uri)
                mkdocs_build._populate_page(themed, config, build.files, self.dirty)
                mkdocs_build._build_page(themed, config, pages, build.nav, build.env, self.dirty)
        # A preview keeps its Build until the next: not MkDocs' objects.
        build.themed = build.files = build.nav = build.env = None

    def finish(self, build: Build, config) -> None:
        """What a reader's page does not wait for: the search index, the manifest, the data files and
        the build cache. (A manifest kept for a build that then fails names a folder that never
        becomes the site: read_manifest ignores it.)"""
        try:
            index = merged_index(self, build, config)
            if build.plan is not None and build.plan.manifest is not None and index is not None:
                manifest = keep_manifest(build.plan, config, index, project_root(config), self.serving)
                if self.serving:
                    self.manifest = manifest
                del manifest
            del index
            if build.plan is not None:
                # What is written goes before the data files are made: the pages MkDocs did not write (a
                # preview's unchanged ones), the search entries, the manifest (a build's: 20 MB at 10,000 events).
                build.plan.pages.clear()
                build.plan = replace(build.plan, search=[], manifest=None, reused=None, order=())
                # Each file's pieces packed once it is written: one kind of them is unpacked at a time.
                write_data(build.plan.data, build.settings, config, written=self.renderer.pack)
            if self.kept is not None:
                self.kept.bodies, self.kept.fragments = self.renderer.bodies(), self.renderer.lasting_made()
                buildcache.write(project_root(config), self.kept)
        except Exception as exc:  # noqa: BLE001 — in a preview's thread: say it, and let the next build try again
            if not self.serving:
                raise
            self.manifest, self.last = None, Written()
            print(f"error: finishing the preview's build: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            if self.serving:  # the page has long been served: now the garbage of the build
                gc.enable()
                gc.collect()

    def on_shutdown(self) -> None:
        """serve stops (MkDocs then removes its folder): the last build's rest first."""
        self.wait()

    def wait(self) -> None:
        """For the last preview build's rest to be done."""
        if self.after is not None:
            self.after.join()
            self.after = None

    def on_build_error(self, error) -> None:
        if self.serving:  # no `finish` after a failed build
            gc.enable()
        self.last = Written()  # the site folder holds an unknown mix: write everything next time
        self.failure = str(error)  # MkDocs itself only says "Aborted with a BuildError!"

    def on_serve(self, server, config, builder):
        """Rebuild when an event or the gazetteer changes, not only when docs/ does; hear of it from
        the system's file events, unless TIMELINE_POLL is set (`serve --poll`)."""
        if not os.environ.get(POLL):
            use_file_events(server)
        root = project_root(config)
        for path in (root / "events", root / "places.yml", root / "periods.yml", root / "publishers.yml"):
            if path.exists():
                server.watch(str(path))
        return server

    # ---------------------------------------------------------------- state

    def current(self) -> Build:
        if self.build is None:
            raise RuntimeError("the timeline hook got an event before on_config")
        return self.build

    def planned(self, page):
        build = self.current()
        uri = page.file.src_uri
        if uri in build.stand_ins:
            return shells.stand_in(build.stand_ins[uri])
        return build.plan.pages.get(uri) if build.plan is not None else None

    def check(self, config) -> tuple[Timeline, list[Diagnostic]]:
        if self.checked is not None:  # `build` checked the files a moment ago
            checked, self.checked = self.checked, None
            return checked
        root = project_root(config)
        if self.kept is None:
            self.kept = buildcache.read(root, buildcache.code_version())
            buildcache.load_build(root, self.kept)
            self.renderer.remember(self.kept.bodies, self.kept.fragments)
        timeline, _, problems = buildcache.check_project(root, self.kept)
        assert timeline is not None  # asked for
        return timeline, problems

    def keep(self, uri: str, page: HtmlPage | PackedPage | MarkdownPage | DeferredPage, dest: str) -> bool:
        """Record the hash of what this build writes for the page `uri`; whether the last build wrote
        the same into the same folder, so that a dirty rebuild may leave the file as it is. (A packed
        page by its packed HTML: zlib packs the same HTML the same way, and the hashes never leave
        the process.)"""
        self.current().dests[uri] = dest
        if not self.serving:  # a build writes into an empty folder: nothing to compare with
            return False
        digest = page.digest()
        self.current().hashes[uri] = digest
        return self.last.hashes.get(uri) == digest and os.path.exists(dest)


def find_hook(config) -> TimelineHook | None:
    """The TimelineHook of the hook module a loaded config lists (build_timeline.py), if any."""
    for plugin in config.plugins.values():
        hook = getattr(plugin, "_hook", None)
        if isinstance(hook, TimelineHook):
            return hook
    return None


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def report(config, problems: list[Diagnostic], stop: bool = True) -> None:
    """The problems in the engine's log; stop the build if any is an error (`stop`: not in a preview)."""
    eng = engine.running(config)
    log = eng.plugins.get_plugin_logger("build_timeline")
    for problem in problems:
        # Editorial warnings are reported by `validate`; they must not fail a --strict build.
        (log.error if problem.is_error else log.info)(problem.format())
    errors = sum(p.is_error for p in problems)
    if errors and stop:
        raise eng.exceptions.PluginError(f"{errors} error{'s' if errors != 1 else ''} in the timeline's files; "
                                         "fix them (see above, or run: python build_timeline.py validate)")


_FIRST_HEADING = re.compile(r"<h([1-6])[\s>].*?</h\1>", re.S)
_SEARCH_ATTRIBUTE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # what the theme's indexer removes from a page
HISTORY_SWITCH = "TIMELINE_HISTORY"
SHELL_SWITCH = "TIMELINE_SHELLS"  # off: MkDocs renders every page with the theme (the shells' tests compare)

HISTORY_MARKER = "<!-- timeline:history -->"
SHALLOW = ("warning: this is a shallow clone (git clone --depth): the events' history is unavailable, and the site "
           "says so; clone with full history (actions/checkout: fetch-depth: 0)")


def history_note(history: History) -> str:
    """What the About page says of the history (docs/about.md holds the marker)."""
    if history.available:
        return (f"Every event page shows its history, read from the project's git history: when it was first "
                f"published, each revision with what changed, and corrections. [What changed]({CHANGES}) lists "
                "them all, newest first (also as an Atom feed, `changes.xml`).")
    why = "a shallow clone" if history.shallow else "no git history"
    return (f"The history of the events is unavailable in this copy of the site ({why}): it was built without "
            f"the project's git history, so event pages show no revisions. See [Changes]({CHANGES}).")


def hand_written(markdown: str, config) -> str:
    """A hand-written page gets its generated parts: the editing guide's reference tables (from
    the field tables), the Performance page's figures (from the benchmark's JSON)."""
    markdown = fill(markdown, markers=False)
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


def refuse_outside_links(files, config) -> None:
    """Hand-written pages and theme overrides come from the repository, so from pull requests too: a
    link in them to a file elsewhere on the machine would publish that file."""
    root = project_root(config)
    docs = os.path.abspath(config.docs_dir)
    sources = [f.abs_src_path for f in files if f.abs_src_path and f.src_dir and os.path.abspath(f.src_dir) == docs]
    if config.theme.custom_dir:
        sources += [str(p) for p in Path(config.theme.custom_dir).rglob("*")] + [config.theme.custom_dir]
    if bad := outside(root, sources):
        raise engine.running(config).exceptions.PluginError(
            f"{bad[0]} is a symbolic link to something outside the project: replace the link with the file itself")


def take_intro(files) -> str | None:
    """The hand-written home page's text, if any: the timeline goes into it, so MkDocs must not build it."""
    home = files.get_file_from_path(HOME)
    if home is None:
        return None
    files.remove(home)
    return home.content_string


def add_generated(hook: TimelineHook, plan: SitePlan, files, config) -> None:
    """The generated pages, data files and assets, as virtual files MkDocs builds with the rest."""
    add_assets(hook.current().settings, files, config)
    add_pages(hook, plan, files, config)
    api = engine.running(config)

    class DataFile(api.files.File):  # type: ignore[name-defined]  # the running engine's File, found at run time
        """Known to MkDocs (a page may link to it), written after the pages by write_data, not here."""

        def copy_file(self, dirty: bool = False) -> None:
            pass

    for path in data_paths(plan.data, hook.current().settings):
        if files.get_file_from_path(path) is not None:
            raise api.exceptions.PluginError(f"docs/{path} has the same path as a generated file; rename or remove it")
        files.append(DataFile.generated(config, path, content=""))


def add_assets(settings: Settings, files, config) -> None:
    File = engine.running(config).files.File
    for folder in (ASSET_FILES, OFFLINE_FILES) if settings.offline else (ASSET_FILES,):
        for asset in sorted(folder.rglob("*")):
            if asset.is_file():
                files.append(File.generated(config, f"{ASSETS}/{asset.relative_to(folder).as_posix()}",
                                            abs_src_path=str(asset)))
    if settings.offline:  # what map.js reads from disk, where it cannot fetch the JSON
        world = ASSET_FILES / WORLD
        files.append(File.generated(config, f"{ASSETS}/{WORLD[:-5]}.js",
                                    content=f"window.tlWorld = {world.read_text(encoding='utf-8')};\n"))


def add_pages(hook: TimelineHook, plan: SitePlan, files, config) -> None:
    """The generated pages: MkDocs renders the stand-ins, the timeline and navigation pages and any
    it must (shells.py); the rest, filled into a shell, are files it knows of and the hook writes."""
    api = engine.running(config)
    File, InclusionLevel, Page = api.files.File, api.files.InclusionLevel, api.module("structure.pages").Page
    get_toc = api.module("structure.toc").get_toc

    class GeneratedFile(File):  # type: ignore[misc, valid-type]
        """Written again by a dirty rebuild only when its content changed since the last build."""

        keep = False

        def is_modified(self) -> bool:
            return not self.keep and super().is_modified()

    class HtmlDocPage(Page):  # type: ignore[misc, valid-type]
        """A generated HTML page: nothing for Markdown to convert (on_page_content puts the HTML in place)."""

        def render(self, config, files) -> None:
            self.content, self.toc, self.present_anchor_ids = "", get_toc([]), set[str]()

    class ShapedFile(File):  # type: ignore[misc, valid-type]
        """A page filled into a shell, which the hook writes (write_shaped): known to MkDocs, so that a
        hand-written page may link to it, but not one of its pages. MkDocs' Page of each, and what
        its building reads and keeps, took more memory than all the events' pages packed."""

        def is_documentation_page(self) -> bool:
            return False

        def copy_file(self, dirty: bool = False) -> None:
            pass

    def themed(uri: str):
        """The Page MkDocs renders for a shaped page whose shell could not be cut."""
        file = GeneratedFile.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        file.keep = uri in build.unchanged
        return HtmlDocPage(None, file, config)

    build, urls = hook.current(), Urls(config.use_directory_urls)
    shape_pages(build, plan, files, urls, nav_paths(config.nav))
    build.themed, build.unchanged = themed, set()
    pages = [(uri, shells.stand_in(key)) for uri, key in build.stand_ins.items()] + list(plan.pages.items())
    for uri, page in pages:
        if files.get_file_from_path(uri) is not None:
            raise api.exceptions.PluginError(f"docs/{uri} has the same path as a generated page; rename or remove it")
        inclusion = InclusionLevel.UNDEFINED if uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        if uri in build.shaped:
            file = ShapedFile.generated(config, uri, content="", inclusion=inclusion)
            file.dest_uri = dest_of(urls.url(uri))
            if hook.keep(uri, page, file.abs_dest_path):
                build.unchanged.add(uri)
        else:
            if isinstance(page, DeferredPage):  # an event's page the theme renders after all
                page = plan.pages[uri] = page.remake().packed()
            # An HTML page gets an empty Markdown source: on_page_markdown sets its meta (no YAML to parse
            # for each of thousands of pages) and on_page_content puts the HTML in place.
            source = page.markdown if isinstance(page, MarkdownPage) else ""
            file = GeneratedFile.generated(config, uri, content=source, inclusion=inclusion)
            file.keep = hook.keep(uri, page, file.abs_dest_path) and uri not in build.stand_ins
            if isinstance(page, HtmlPage | PackedPage) and uri not in NAV_PAGES:
                HtmlDocPage(None, file, config)
        files.append(file)
    for uri in plan.reused or ():  # already in the site folder (a preview), or linked there at the end
        build.dests[uri] = os.path.join(config.site_dir, dest_of(urls.url(uri)))
        build.hashes[uri] = hook.last.hashes.get(uri, "")


def shape_pages(build: Build, plan: SitePlan, files, urls: Urls, listed: frozenset[str] = frozenset()) -> None:
    """Which generated pages are filled into a shell (timeline/shells.py), and each shape's stand-in.
    `listed`: the pages mkdocs.yml's nav names, left to the theme (the nav shows their titles)."""
    build.shaped, build.stand_ins, build.shells = {}, {}, {}
    if not shells_on():
        return
    keys: dict[Shape, Shape] = {}  # one tuple of each shape, not one per page
    for uri, page in plan.pages.items():
        if isinstance(page, HtmlPage | PackedPage | DeferredPage) and uri not in NAV_PAGES and uri not in listed \
                and (key := shells.shape(page, uri, urls)):
            build.shaped[uri] = keys.setdefault(key, key)
    # A page with others under its address is left to the theme: its links to them are relative to it.
    by_url = {urls.url(uri): uri for uri in build.shaped}
    others = [f.src_uri for f in files.documentation_pages()] + [u for u in plan.pages if u not in build.shaped]
    for url in map(urls.url, others):
        for end in range(len(url) - 1):
            if url[end] == "/" and url[:end + 1] in by_url:
                build.shaped.pop(by_url[url[:end + 1]], None)
    # The stand-ins first: MkDocs renders pages in this order, and every other page needs its shell.
    build.stand_ins = {shells.stand_in_uri(key, urls): key for key in sorted(set(build.shaped.values()))}


def shells_on() -> bool:
    return os.environ.get(SHELL_SWITCH, "").lower() not in ("off", "0", "false", "no")


def nav_paths(nav: object) -> frozenset[str]:
    """The paths of the pages mkdocs.yml's nav names (entries are titled or not, sections nest)."""
    if isinstance(nav, str):
        return frozenset({nav.lstrip("/")})
    if isinstance(nav, dict):
        return frozenset().union(*map(nav_paths, nav.values()))
    if isinstance(nav, list):
        return frozenset().union(*map(nav_paths, nav))
    return frozenset()


# The data files the site's scripts read, and the global each reads its copy as a script under.
AS_SCRIPTS = {FILTER_INDEX: "tlIndex", MAP_PLACES: "tlMapPlaces"}


def data_paths(data: dict, settings: Settings) -> list[str]:
    """The data files' paths in the site, with their copies as scripts in a site opened from disk."""
    return [*data, *(offline_copy(path) for path in AS_SCRIPTS if settings.offline and path in data)]


def offline_copy(path: str) -> str:
    return f"{path[:-5]}.js"


def write_data(data: dict[str, Callable[[], Iterable[str]]], settings: Settings, config,
               written: Callable[[], None] = lambda: None) -> None:
    """The data files, made one at a time and written as their pieces come, each replaced in one
    rename (MkDocs has written the pages); `written` is called after each. In a site opened from
    disk, the filter index and the map's places also as scripts (timeline.js and map.js read them
    so, where they cannot fetch)."""
    for path, make in data.items():
        if settings.offline and path in AS_SCRIPTS:
            text = "".join(make())
            _replace(Path(config.site_dir) / path, (text,))
            _replace(Path(config.site_dir) / offline_copy(path), (f"window.{AS_SCRIPTS[path]} = {text.rstrip()};\n",))
        else:
            _replace(Path(config.site_dir) / path, make())
        written()


def _replace(target: Path, pieces: Iterable[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.writelines(pieces)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def merged_index(hook: TimelineHook, build: Build, config) -> dict | None:
    """The theme's search index (hand-written pages) merged with ours (from the data)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists() or build.plan is None:
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    merged, hook.last.theme_docs = merge_index(index, build.plan.search, set(build.plan.markdown_pages),
                                               hook.last.theme_docs,
                                               *reused_listings(build.plan, Urls(config.use_directory_urls)))
    _replace(path, index_pieces(merged))
    if build.settings.offline:  # from disk the theme loads the index as a script, not with fetch
        _replace(path.with_suffix(".js"), itertools.chain(("var __index = ",), index_pieces(merged)))
    return merged


def index_pieces(index: dict) -> Iterator[str]:
    """json.dumps(index, ensure_ascii=False, separators=(",", ":")), the theme's way, an entry of
    "docs" at a time (the whole text is 8 MB at 10,000 events). Its keys are strings, as json.loads
    and merge_index leave them (json.dumps would quote others; this would not)."""
    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for number, (key, value) in enumerate(index.items()):
        yield ("," if number else "{") + dumps(key) + ":"
        if key == "docs" and isinstance(value, list):
            yield "["
            for n, doc in enumerate(value):
                yield ("," if n else "") + dumps(doc)
            yield "]"
        else:
            yield dumps(value)
    yield "}" if index else "{}"
