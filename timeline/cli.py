"""The command line: validate, build, serve. Thin: the work is done elsewhere."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .model import Diagnostic
from .validate import validate_project


def find_root(fallback: Path) -> Path:
    """The project is the current folder if it looks like one, else the folder of build_timeline.py."""
    here = Path.cwd()
    if (here / "mkdocs.yml").exists() or (here / "events").is_dir():
        return here
    return fallback


def github_line(d: Diagnostic) -> str:
    """A GitHub Actions workflow command: shows the problem inline on the pull request."""
    def prop(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    title = f",title={prop(d.code)}" if d.code else ""
    return f"::{d.severity} file={prop(d.path)},line={d.line}{title}::{data(d.message)}"


def summary(problems: list[Diagnostic], events: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if not problems:
        return f"OK: {events} event{'s' if events != 1 else ''}, no problems"
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''}"


def report(problems: list[Diagnostic], fmt: str, events: int) -> None:
    for problem in problems:
        print(github_line(problem) if fmt == "github" else problem.format())
    print(summary(problems, events), file=sys.stderr)


def cmd_validate(root: Path, args) -> int:
    only = None
    if args.paths:
        only = {Path(os.path.abspath(p)).relative_to(root).as_posix() if Path(os.path.abspath(p)).is_relative_to(root)
                else p for p in args.paths}
    timeline, problems = validate_project(root, only=only)
    report(problems, args.format, len(timeline.events))
    return 1 if any(p.is_error for p in problems) else 0


@contextmanager
def mkdocs_logging(level: int):
    """Show MkDocs' own messages the way the mkdocs command does."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextmanager
def fixed_build_date(timeline):
    """Same input, same bytes: MkDocs stamps the sitemap with SOURCE_DATE_EPOCH when set.
    We take the timeline's latest date, so the stamp changes only when the data does."""
    import calendar
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if old is None and timeline.events:
        latest = max((e.end or e.start).last_day for e in timeline.events)
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(latest.timetuple()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def swap_in(new: Path, site: Path) -> None:
    """Replace site/ by the finished build in two renames, so site/ is never half-written."""
    if site.exists():
        old = site.with_name(f".{site.name}.old-{os.getpid()}")
        os.replace(site, old)
        os.replace(new, site)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, site)


def cmd_build(root: Path, args) -> int:
    timeline, problems = validate_project(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        report(problems, args.format, len(timeline.events))
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = root / "mkdocs.yml"
    site = Path(args.site_dir).resolve() if args.site_dir else None
    try:
        with mkdocs_logging(logging.WARNING if args.quiet else logging.INFO), fixed_build_date(timeline):
            config = load_config(str(config_file))
            site = site or Path(config.site_dir)
            site.parent.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(prefix=f".{site.name}.tmp-", dir=site.parent))
            try:
                config = load_config(str(config_file), site_dir=str(temp), strict=not args.no_strict)
                build(config)
            except BaseException:
                shutil.rmtree(temp, ignore_errors=True)
                raise
            swap_in(temp, site)
    except MkDocsException as exc:
        print(f"error: build failed: {exc}", file=sys.stderr)
        print("build stopped: the previous site was left as it was", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: build failed: {exc}", file=sys.stderr)
        return 1
    print(f"built {len(timeline.events)} events into {site}", file=sys.stderr)
    return 0


def cmd_serve(root: Path, args) -> int:
    from mkdocs.commands.serve import serve
    with mkdocs_logging(logging.INFO):
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True)
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
    s = sub.add_parser("serve", help="preview the site at http://127.0.0.1:8000, rebuilding on every change")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    return p


COMMANDS = {"validate": cmd_validate, "build": cmd_build, "serve": cmd_serve}


def main(argv: list[str] | None = None, fallback_root: Path | None = None) -> int:
    args = parser().parse_args(argv)
    root = Path(args.root).resolve() if args.root else find_root(fallback_root or Path.cwd())
    try:
        return COMMANDS[args.command](root, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
