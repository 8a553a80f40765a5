"""The command line: validate, build, serve. Thin: the work is done elsewhere."""
from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from . import buildcache, sitedir
from .check import event_id
from .diagnostics import Diagnostic, error, report_order
from .model import Timeline
from .progress import Progress
from .report import report, show


def find_root(fallback: Path) -> Path:
    """The project is the current folder if it looks like one, else the folder of build_timeline.py."""
    here = Path.cwd()
    if (here / "mkdocs.yml").exists() or (here / "events").is_dir():
        return here
    return fallback


def report_only(root: Path, paths: list[str]) -> set[str] | None:
    """The files `validate PATH…` reports on (a folder means every file in it); None for all."""
    if not paths:
        return None
    only = set()
    for given in paths:
        path = locate(root, given)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else given
        only.add(rel)
        if path.is_dir():
            only.update(p.relative_to(root).as_posix() for p in path.rglob("*") if p.is_relative_to(root))
    return only


def locate(root: Path, given: str) -> Path:
    """A path as typed: from the current folder, or else from the project folder."""
    for path in (Path(os.path.abspath(given)), root / given):
        if path.exists():
            return path
    raise UsageError(f"no such file: {given}")


class UsageError(Exception):
    """A mistake in the command itself: exit 2, as argparse does."""


def site_engine():
    from .engine import installed
    eng = installed()
    if eng is None:
        from .venv import run_in_project_venv
        run_in_project_venv(Path(sys.argv[0]).resolve(), "MkDocs")
    return eng


def cmd_check_links(root: Path, args) -> int:
    from .links import Options, run
    options = Options(concurrency=args.concurrency, per_host=args.per_host, timeout=args.timeout,
                      retries=args.retries, max_wait=args.max_wait, allow_private=args.allow_private,
                      recheck_after=args.recheck_days * 86400)
    service = args.save_service if args.save_missing else ""
    problems, _ = run(root, options, fix=args.fix, use_cache=not args.no_cache,
                      out=lambda line: print(line, file=sys.stderr), save_service=service)
    show(sorted(problems, key=report_order), args.format, root)
    errors = sum(p.is_error for p in problems)
    print(f"{errors} error{'s' if errors != 1 else ''}, {len(problems) - errors} warning"
          f"{'s' if len(problems) - errors != 1 else ''}", file=sys.stderr)
    return 1 if errors else 0


def cmd_check_corrections(root: Path, args) -> int:
    from .history import check_corrections
    from .project import load_project
    current = {event_id(f.path): (f.path, f.data) for f in load_project(root).events}
    problems = check_corrections(root, args.base, current)
    show(sorted(problems, key=report_order), args.format, root)
    return 1 if problems else 0


def cached_check(root: Path, need_timeline: bool = True) -> tuple[buildcache.Kept, Timeline | None, int,
                                                                   list[Diagnostic]]:
    """Check the project with what the last run kept (.timeline-cache/), and keep this run's results."""
    kept = buildcache.read(root, buildcache.code_version())
    timeline, count, problems = buildcache.check_project(root, kept, need_timeline)
    buildcache.write(root, kept)
    return kept, timeline, count, problems


def cmd_validate(root: Path, args) -> int:
    _, _, count, problems = cached_check(root, need_timeline=False)
    only = report_only(root, args.paths)
    if only is not None:
        problems = [p for p in problems if p.path in only]
    report(problems, args.format, count, root)
    return 1 if any(p.is_error for p in problems) else 0


class _LinesAfterProgress(logging.StreamHandler):
    def __init__(self, progress: Progress | None) -> None:
        super().__init__(sys.stderr)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if self.progress is not None:
            self.progress.done()
        super().emit(record)


@contextmanager
def engine_logging(name: str, level: int, progress: Progress | None = None):
    """Show the engine's own messages the way its command does (each on a line of its own, not
    after the progress line)."""
    handler = _LinesAfterProgress(progress)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger(name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextmanager
def terminate_as_interrupt():
    """SIGTERM (what CI sends a cancelled job) handled as Ctrl-C is: the build cleans up after itself."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_build(root: Path, args) -> int:
    # Absolute, but not resolved: site/ is a link to the last build, and resolving it would build
    # into that build's folder.
    site = Path(os.path.abspath(args.site_dir)) if args.site_dir else None
    return _build(root, args, site)


def _build(root: Path, args, site: Path | None) -> int:
    progress = Progress(live=None if not args.quiet else False)
    progress.step("checking the events")
    kept, timeline, count, problems = cached_check(root)  # handed to the hook: the build checks the files once
    progress.step(f"checked {count:,} events")
    if args.script:
        # The timeline and the cache live until the process ends: the collector need not walk them in
        # each of a build's full collections (in a rebuild of 10,000 events, 0.6 s of those became 0.3 s).
        gc.freeze()
    errors = [p for p in problems if p.is_error]
    if errors or timeline is None:
        report(problems, args.format, count, root)
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    from .mkdocs_hook import find_hook
    eng = site_engine()
    load_config, build = eng.module("config").load_config, eng.module("commands.build").build
    MkDocsException = eng.exceptions.MkDocsException  # noqa: N806 (a class)

    config_file = root / "mkdocs.yml"
    hook = None
    try:
        with engine_logging(eng.name, logging.WARNING if args.quiet else logging.INFO, progress), \
                terminate_as_interrupt():
            config = load_config(str(config_file))
            site = site or Path(config.site_dir)
            with sitedir.Lock(site):
                sitedir.recover(site)
                previous = sitedir.current(site)  # its pages are reused where nothing changed them
                folder, recycled, tidying = None, None, None
                try:
                    folder = sitedir.new_build(site)
                    # The builds before the site's own are finished and no longer served. The newest
                    # becomes this build's folder (sitedir.recycle); any older ones are removed
                    # meanwhile (thousands of folders take seconds, mostly the disk's).
                    recycled = sitedir.recycle(site)
                    tidying = threading.Thread(target=sitedir.remove, args=(sitedir.superseded(site),))
                    tidying.start()
                    config = load_config(str(config_file), site_dir=str(folder), strict=not args.no_strict)
                    hook = find_hook(config)
                    if hook is None:
                        raise UsageError(f"{config_file} does not list build_timeline.py under hooks: "
                                         "the timeline's pages would be missing")
                    hook.use(kept, (timeline, problems))
                    hook.previous_site = str(previous) if previous else ""
                    hook.recycled = recycled
                    hook.offline = args.offline
                    hook.progress = progress
                    build(config)
                    sitedir.prune(folder, hook.refilled[1])
                except BaseException:
                    if folder is not None:
                        sitedir.discard(folder)
                    if recycled is not None:
                        sitedir.discard(recycled)
                    raise
                finally:
                    if tidying is not None:
                        tidying.join()
                if recycled is not None and recycled.exists():  # not used after all (the build never planned)
                    sitedir.discard(recycled)
                sitedir.publish(site, folder)
    except sitedir.SiteBusy as exc:
        progress.done()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.done()
        print("interrupted: the previous site was left as it was", file=sys.stderr)
        return 130
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 — whatever went wrong, the editor gets one line, not a traceback
        message = str(exc) if isinstance(exc, MkDocsException) else f"{type(exc).__name__}: {exc}"
        if hook is not None and hook.failure:
            message = hook.failure
        progress.done()
        print(f"error: build failed: {message}", file=sys.stderr)
        print("build stopped: the previous site was left as it was", file=sys.stderr)
        return 1
    progress.done()
    print(f"built {len(timeline.events)} events into {site}: {progress.summary()}", file=sys.stderr)
    return 0


def event_files(root: Path, paths: list[str]) -> list[Path]:
    if paths:
        return [locate(root, p).resolve() for p in paths if p.endswith(".md")]
    from .project import scan_event_files
    return [Path(path) for path, _ in scan_event_files(root, root / "events")[0]]


def cmd_fmt(root: Path, args) -> int:
    from .fmt import format_files
    from .load import relative
    changed, skipped = format_files(root, event_files(root, args.paths), check=args.check)
    for file, reason in skipped:
        print(f"{relative(root, file)}: skipped: {reason} (run validate)", file=sys.stderr)
    for file in changed:
        print(f"{relative(root, file)}: {'would be reformatted' if args.check else 'reformatted'}")
    if args.check and changed:
        print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} not formatted; "
              "run: python build_timeline.py fmt", file=sys.stderr)
        return 1
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} "
          f"{'would be ' if args.check else ''}reformatted", file=sys.stderr)
    return 0


def cmd_schema(root: Path, args) -> int:
    """Write what is generated from the field tables and kept in the repository: the JSON Schemas
    editors' tools use (the site publishes the same files) and the editing guide's tables."""
    from .guide import fill
    from .schema import json_schema_files
    out = Path(args.out) if args.out else root / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in json_schema_files().items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}", file=sys.stderr)
    guide = root / "docs" / "editing.md"
    if guide.is_file() and not args.out:
        text = guide.read_text(encoding="utf-8")
        if fill(text) != text:
            guide.write_text(fill(text), encoding="utf-8")
            print(f"wrote the tables of {guide}", file=sys.stderr)
    return 0


def cmd_new(root: Path, args) -> int:
    from .newevent import create_event
    return create_event(root, args)


def cmd_import(root: Path, args) -> int:
    from .importers import Unreadable, import_timelinejs
    from .load import printable
    try:
        result = import_timelinejs(root, Path(args.file), place=args.place, source_title=args.source_title,
                                   source_publisher=args.source_publisher, source_url=args.source_url,
                                   dry_run=args.dry_run)
    except Unreadable as exc:
        show([error(printable(args.file), exc.line, exc.reason, "import-unreadable")], args.format)
        return 1
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except RecursionError:
        print(f"error: {args.file}: nested too deeply to read", file=sys.stderr)
        return 1
    for path in result.written:
        print(f"{'would write' if args.dry_run else 'wrote'} {path}")
    show(sorted(result.diagnostics, key=lambda d: d.line), args.format)
    print(f"{len(result.written)} event{'s' if len(result.written) != 1 else ''} "
          f"{'to import' if args.dry_run else 'imported'}, {len(result.skipped)} skipped, "
          f"{len(result.report)} note{'s' if len(result.report) != 1 else ''}", file=sys.stderr)
    return 1 if result.skipped and not result.written else 0


class _NotTheEditorsBusiness(logging.Filter):
    """MkDocs warns on every dirty rebuild that navigation may be inaccurate. Ours is not: the hook
    rewrites every page when the navigation changes (mkdocs_hook.site_key)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "dirty' build" not in record.getMessage()


def cmd_serve(root: Path, args) -> int:
    eng = site_engine()
    serve = eng.module("commands.serve").serve
    host, _, port = args.dev_addr.rpartition(":")
    quiet = _NotTheEditorsBusiness()
    build_log = logging.getLogger(f"{eng.name}.commands.build")
    build_log.addFilter(quiet)
    if args.poll:
        from .mkdocs_hook import POLL
        os.environ[POLL] = "1"
    try:
        with engine_logging(eng.name, logging.INFO):
            # "dirty": after the first build, rewrite only what changed (see mkdocs_hook.Written)
            serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True,
                  build_type=None if args.full else "dirty")
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        following = f"{host or '127.0.0.1'}:{int(port) + 1}" if port.isdigit() else "127.0.0.1:8001"
        print(f"error: port {port or args.dev_addr} is in use: stop the other preview or use --dev-addr {following}",
              file=sys.stderr)
        return 1
    except eng.exceptions.MkDocsException as exc:  # the site's settings, not the timeline's files
        print(f"error: the preview stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        build_log.removeFilter(quiet)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build_timeline.py",
                                description="Validate, build and preview the timeline site.")
    p.add_argument("--root", help="the project folder (default: the current folder)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser("validate", help="check every event file and places.yml; exit 1 on any error")
    v.add_argument("paths", nargs="*", metavar="PATH", help="report only on these files (all are still checked)")
    v.add_argument("--format", choices=["text", "github"], default="text",
                   help="text: PATH:LINE: error: MESSAGE; github: GitHub Actions annotations")
    b = sub.add_parser("build", help="validate, then build the site into site/ (left untouched on failure)")
    b.add_argument("--site-dir", help="where to write the site (default: mkdocs.yml's site_dir)")
    b.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings such as dead links")
    b.add_argument("--format", choices=["text", "github"], default="text", help="how to print validation problems")
    b.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument("--offline", action="store_true",
                   help="build for opening from disk (file://), as the pull-request preview is: .html links, "
                        "search without a server")
    s = sub.add_parser("serve", help="preview the site at http://127.0.0.1:8000, rebuilding on every change")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    s.add_argument("--full", action="store_true", help="rebuild every page on each change (slower)")
    s.add_argument("--poll", action="store_true",
                   help="notice saves by looking at the files twice a second, for folders where the system's "
                        "file events do not arrive (some network drives and shared folders)")
    n = sub.add_parser("new", help="create a new event file (asks for what is missing when run in a terminal)")
    from .newevent import add_options
    add_options(n)
    f = sub.add_parser("fmt", help="put front matter into the canonical key order; --check only reports")
    f.add_argument("paths", nargs="*", metavar="PATH", help="event files (default: all of them)")
    f.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    sc = sub.add_parser("schema", help="write the JSON Schemas for editors' tools into schemas/")
    sc.add_argument("--out", help="folder to write them into (default: schemas/)")
    k = sub.add_parser("check-links", help="ask every source url and archive over HTTP; exit 1 if one is gone "
                                           "with no archived copy")
    k.add_argument("--format", choices=["text", "github"], default="text",
                   help="text: PATH:LINE: error: MESSAGE; github: GitHub Actions annotations")
    k.add_argument("--fix", action="store_true",
                   help="write moved addresses, and 'gone:' for originals that are gone, into the event files")
    k.add_argument("--concurrency", type=int, default=16, help="requests at once, in all (default 16)")
    k.add_argument("--per-host", type=int, default=2, help="requests at once to one host (default 2)")
    k.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a server (default 10)")
    k.add_argument("--retries", type=int, default=2, help="tries again after a timeout or a server error (default 2)")
    k.add_argument("--max-wait", type=float, default=60.0, help="the longest Retry-After to honour, in seconds")
    k.add_argument("--recheck-days", type=float, default=7.0,
                   help="an address found fine is not asked again for this many days (default 7)")
    k.add_argument("--no-cache", action="store_true", help="ask every address, and keep nothing")
    k.add_argument("--save-missing", action="store_true",
                   help="ask the Wayback Machine to save each source that has no archive, and write the "
                        "snapshot's address into the event file (off by default: it tells a third party what you cite)")
    k.add_argument("--save-service", default="https://web.archive.org/save/",
                   help="the save endpoint, followed by the address to save (default: the Wayback Machine's)")
    k.add_argument("--allow-private", action="store_true",
                   help="allow private and loopback addresses (for tests against a local server; never in CI)")
    cc = sub.add_parser("check-corrections", help="in a pull request: exit 1 if a published correction was removed "
                                                  "or edited, compared with the target branch")
    cc.add_argument("--base", required=True, help="the target branch as git names it (origin/main)")
    cc.add_argument("--format", choices=["text", "github"], default="text",
                    help="text: PATH:LINE: error: MESSAGE; github: GitHub Actions annotations")
    i = sub.add_parser("import", help="bring events in from another format")
    i.add_argument("format", choices=["timelinejs"], help="timelinejs: TimelineJS3 JSON, or its Google Sheet as CSV")
    i.add_argument("file", help="the file to import")
    i.add_argument("--place", help="the place for events that name none (a place in places.yml)")
    i.add_argument("--source-title", help="the source to cite for events that cite none")
    i.add_argument("--source-publisher", help="its publisher")
    i.add_argument("--source-url", help="its address")
    i.add_argument("--dry-run", action="store_true", help="write nothing; say what would be written")
    i.add_argument("--format", choices=["text", "github"], default="text",
                   help="text: FILE:LINE: error: MESSAGE; github: GitHub Actions annotations")
    return p


COMMANDS = {"validate": cmd_validate, "build": cmd_build, "serve": cmd_serve, "new": cmd_new, "fmt": cmd_fmt,
            "schema": cmd_schema, "import": cmd_import, "check-links": cmd_check_links,
            "check-corrections": cmd_check_corrections}


def main(argv: list[str] | None = None, fallback_root: Path | None = None, script: bool = False) -> int:
    """`script`: the process ends after the command (hard_exit), so what a build holds until then is
    never freed; tests call `main` in their own process, which goes on."""
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets \u escapes, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parser().parse_args(argv)
    args.script = script
    root = Path(args.root).resolve() if args.root else find_root(fallback_root or Path.cwd())
    try:
        if not root.is_dir():
            raise UsageError(f"no such project folder: {root}")
        return COMMANDS[args.command](root, args)
    except UsageError as exc:
        print(f"{parser().prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — a bug of ours: one line for the editor, not a traceback
        print(f"error: {type(exc).__name__}: {exc} (this is a bug in the timeline tool: please report it "
              "with the command you ran)", file=sys.stderr)
        return 1


def hard_exit(code: int) -> None:
    """End the process without freeing its objects one by one: after a build of 10,000 events that
    takes longer than a second, and by now every file is written and closed and every thread joined
    (mypy ends so too). Only for the script: tests call `main` in their own process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    logging.shutdown()
    os._exit(code)
