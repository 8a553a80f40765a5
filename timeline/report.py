"""How the command line shows diagnostics: one `PATH:LINE: severity: MESSAGE [code]` line each on
standard output (the contract other tools parse), or GitHub Actions annotations; for a person on
a terminal, each followed on standard error by the offending line and the fix, then a summary."""
from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import Diagnostic
from .load import printable  # editor text on a terminal: no escape sequences, no bells
from .project import read_file

# Codes whose line 1 is not where the problem is (the file as a whole), so no excerpt.
NO_EXCERPT = {"missing-key", "bad-id", "duplicate-id", "file-too-large", "not-utf8", "binary-file", "symlink", "special-file",
              "publisher-spelling", "missing-places", "not-markdown", "import-unreadable"}


def github_line(d: Diagnostic) -> str:
    """A GitHub Actions workflow command: shows the problem inline on the pull request."""
    def prop(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    code = f" [{d.code}]" if d.code else ""
    return f"::{d.severity} file={prop(d.path)},line={d.line}::{data(d.message + code)}"


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


def context(root: Path, problem: Diagnostic, cache: dict[str, list[str]]) -> str:
    """The offending line and the suggested fix, shown under a diagnostic for a human reader."""
    out = []
    if problem.code not in NO_EXCERPT:
        if problem.path not in cache:
            data = read_file(root, root / problem.path, problem.path)  # never outside the project, nor a device
            text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else ""
            cache[problem.path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        lines = cache[problem.path]
        if 0 < problem.line <= len(lines) and lines[problem.line - 1].strip():
            out.append(f"  {problem.line:>4} | {printable(lines[problem.line - 1][:160].expandtabs(4))}")
    if problem.hint:
        out.append(f"       = fix: {printable(problem.hint)}")
    return "\n".join(out)


def show(problems: list[Diagnostic], fmt: str, root: Path | None = None) -> None:
    """Each diagnostic on standard output; for people, its excerpt and fix on standard error."""
    cache: dict[str, list[str]] = {}
    for problem in problems:
        print(github_line(problem) if fmt == "github" else problem.format(), flush=True)
        if fmt == "text" and root is not None:
            extra = context(root, problem, cache)
            if extra:
                print(extra, file=sys.stderr, flush=True)


def report(problems: list[Diagnostic], fmt: str, events: int, root: Path | None = None) -> None:
    """`validate`'s report: the diagnostics, then a summary line on standard error."""
    show(problems, fmt, root)
    print(summary(problems, events), file=sys.stderr)
