"""What the preview shows while the timeline has problems (`serve` never stops for them).

Every page carries a banner listing each problem as `validate` prints it (the diagnostic line, the
offending line, the fix), and a broken event's own address shows its problems instead of a 404,
so the page an editor is looking at says what is wrong. `build` and CI still refuse to build.
Pure: the diagnostics and their excerpts (report.context) in, HTML out.
"""
from __future__ import annotations

import html

from .check import event_id
from .diagnostics import Diagnostic
from .kinds import RESERVED_IDS, SLUG
from .markup import esc
from .pages import HtmlPage
from .urls import event_uri

BANNER_AT_MOST = 50  # problems listed in full; past that, a count (validate lists them all)


def _item(problem: Diagnostic, detail: str) -> str:
    extra = f'<pre class="tl-problem-detail">{esc_lines(detail)}</pre>' if detail else ""
    return f'<li class="tl-problem-{problem.severity}"><code>{esc(problem.format())}</code>{extra}</li>'


def esc_lines(text: str) -> str:
    """Escaped, keeping its lines and indentation (esc() makes one line of a text). The excerpt is
    already printable (report.context)."""
    return html.escape(text, quote=False)


def problem_list(problems: list[Diagnostic], details: dict[Diagnostic, str]) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    out = ['<ul class="tl-problem-list">']
    out += [_item(p, details.get(p, "")) for p in errors[:BANNER_AT_MOST]]
    out.append("</ul>")
    if len(errors) > BANNER_AT_MOST:
        out.append(f"<p>And {len(errors) - BANNER_AT_MOST:,} more: run <code>python build_timeline.py validate</code> "
                   "for the whole list.</p>")
    if warnings:
        out.append(f"<details><summary>{len(warnings):,} warning{'s' if len(warnings) != 1 else ''}</summary>"
                   '<ul class="tl-problem-list">'
                   + "".join(_item(p, details.get(p, "")) for p in warnings[:BANNER_AT_MOST]) + "</ul></details>")
    return "".join(out)


def banner(problems: list[Diagnostic], details: dict[Diagnostic, str]) -> str:
    """The notice every preview page carries while any file has an error ("" when none has)."""
    errors = sum(p.is_error for p in problems)
    if not errors:
        return ""
    files = len({p.path for p in problems if p.is_error})
    return ('<div class="admonition failure tl-problems" role="alert"><p class="admonition-title">'
            f"{errors} problem{'s' if errors != 1 else ''} in {files} file{'s' if files != 1 else ''}: this preview "
            "leaves those events out; a build would stop</p>" + problem_list(problems, details) + "</div>")


def problem_pages(problems: list[Diagnostic], details: dict[Diagnostic, str], ok: set[str]) -> dict[str, HtmlPage]:
    """A page at the address of each event file that has errors, listing them (`ok`: the ids of the
    events that made it, whose pages are theirs)."""
    by_file: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        if problem.path.startswith("events/") and problem.path.endswith(".md"):
            by_file.setdefault(problem.path, []).append(problem)
    pages = {}
    for path, found in sorted(by_file.items()):
        stem = event_id(path)
        if not any(p.is_error for p in found) or stem in ok or not SLUG.fullmatch(stem) or stem in RESERVED_IDS:
            continue
        pages[event_uri(stem)] = HtmlPage(f"Problems in {path}", f"<h1>Problems in {esc(path)}</h1>\n"
                                          "<p>This event is left out of the preview until they are fixed. Each line "
                                          "is what <code>python build_timeline.py validate</code> says.</p>\n"
                                          + problem_list(found, details) + "\n")
    return pages
