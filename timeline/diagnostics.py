"""Errors as data: a Diagnostic is one problem at one line of one file, with a documented code.

Every check appends diagnostics and carries on, so an editor sees every problem at once. CODES is
the documentation of what can go wrong (the editing guide prints it); `error` and `warning` refuse
a code that is not in it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file. Sorting orders them by file, then line."""

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str
    code: str = ""
    hint: str = ""  # a suggested fix, shown to editors on a terminal

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return f"{text} [{self.code}]" if self.code else text


# Every diagnostic code, with one sentence each: printed in the editing guide.
CODES = {
    # the file itself
    "unreadable": ("error", "The file could not be read (permissions, or it vanished)."),
    "file-too-large": ("error", "The file is over 1 MB; an event is a page of text."),
    "not-utf8": ("error", "The file is not saved as UTF-8 (for example UTF-16 or Windows-1252)."),
    "binary-file": ("error", "The file contains NUL bytes: it is not a text file."),
    "empty-file": ("error", "The file is empty."),
    "symlink": ("error", "Event files and folders must be real files, not symbolic links; nothing may link outside the project."),
    "special-file": ("error", "A file the timeline reads is a pipe, a socket or a device, not a regular file."),
    "not-markdown": ("warning", "A file in events/ that does not end in .md is ignored."),
    "no-front-matter": ("error", "The file does not start with a '---' line."),
    "unclosed-front-matter": ("error", "The front matter has no closing '---' line."),
    "empty-front-matter": ("error", "There is nothing between the two '---' lines."),
    "front-matter-not-mapping": ("error", "The front matter is a list or a single value instead of 'key: value' lines."),
    # YAML
    "yaml-syntax": ("error", "The front matter is not valid YAML; the message says where the parser gave up."),
    "yaml-too-deep": ("error", "Lists or mappings are nested too deeply."),
    "yaml-alias": ("error", "YAML anchors and aliases (&name, *name) are not allowed."),
    "yaml-tag": ("error", "YAML tags such as !!python/object are not allowed: only plain data."),
    "bad-key": ("error", "A key is not a plain word (for example a list or a number)."),
    "duplicate-key": ("error", "The same key appears twice; only the first would count."),
    "unknown-key": ("error", "A key the format does not know, usually a typo; the message suggests the closest."),
    "missing-key": ("error", "A required key is missing."),
    # values
    "wrong-type": ("error", "A value has the wrong type: a number where text is expected, a single value where a list is."),
    "empty-value": ("error", "A required value is empty."),
    "control-character": ("error", "A text holds an invisible control character (from a \\x or \\u escape, or a PDF)."),
    "body-too-deep": ("error", "The text below the front matter nests lists or quotes too deeply to be shown."),
    "body-too-large": ("error", "The text below the front matter is over 20,000 bytes (about 3,000 words): split the event."),
    "bad-date": ("error", "A date that does not exist or is not in one of the accepted forms."),
    "end-before-start": ("error", "`end` is before `date`."),
    "bad-url": ("error", "A source url or archive that is not an absolute http or https address."),
    "bad-sha256": ("error", "A source's sha256 that is not 64 hexadecimal digits."),
    "bad-id": ("error", "An event file name, place or period id that is not a lowercase slug, or is too long."),
    "bad-slug": ("error", "A tag or related id that is not a lowercase slug, or is too long."),
    "too-many": ("error", "A list is longer than its key allows (the key tables above give each limit)."),
    "unknown-place": ("error", "A place that is not an id, name or alias in places.yml; the message suggests the closest."),
    "unknown-related": ("error", "A related event id that no event file has."),
    "bad-related": ("error", "An event lists itself as related."),
    "duplicate-id": ("error", "Two event files have the same name, or names differing only in case or accents."),
    "unsafe-html": ("error", "The body contains HTML or a link that could run script in a reader's browser."),
    "duplicate-place": ("warning", "The same place is listed twice for one event."),
    "duplicate-entry": ("warning", "The same tag or related id is listed twice."),
    "date-form": ("warning", "A date written without its zeros (2020-2-3): it is read as meant, but write 2020-02-03."),
    "name-date-mismatch": ("warning", "The date a file name starts with is not the event's `date`."),
    "future-date": ("warning", "An event or a source dated after today: usually a mistyped year."),
    "published-before-event": ("warning", "A source is dated before the event it reports: one of the dates is wrong."),
    "duplicate-url": ("warning", "The same URL is cited twice in one event."),
    "publisher-spelling": ("warning", "One publisher is spelled in two ways; its events would be split."),
    # archived copies (the site asks for them with `archives:` in mkdocs.yml)
    "archive-mismatch": ("warning", "A Wayback Machine snapshot whose address does not contain the source's own url."),
    "no-archive": ("warning", "A source with a url and no archive, where mkdocs.yml asks for archives "
                   "(an error with `archives: require`)."),
    "gone-without-archive": ("warning", "A source marked gone (offline) with no archived copy: readers have nothing to read."),
    # check-links (at the line of the url it checked)
    "link-gone": ("error", "An original url answers 404 or 410 and the source has no archive (a warning when it has one)."),
    "link-moved": ("warning", "A url redirects permanently (301 or 308): the fix gives the new address."),
    "link-unreachable": ("warning", "A url could not be checked: no answer, a timeout or a server error after retries."),
    "link-private": ("error", "A url whose host is a private, loopback or link-local address: it is never requested."),
    "archive-gone": ("warning", "An archived copy's address answers 404 or 410."),
    "bad-choice": ("error", "A value that is not one of its key's words (a status, a kind of publisher, a grade)."),
    "bad-figure": ("error", "A figure that is not a whole number or a range [low, high] from low to high."),
    "status-unsupported": ("error", "A status its event does not meet: corroborated and verified need two independent "
                           "sources, verified a verification note and archives, disputed a dispute, retracted a "
                           "correction."),
    "unknown-publisher": ("error", "With publishers.yml, a publisher (or an origin) it does not name; the message "
                          "suggests the closest."),
    "publishers-not-mapping": ("error", "publishers.yml is not a mapping from publisher ids to their fields."),
    "correction-changed": ("error", "In a pull request, a published correction was removed or edited "
                           "(check-corrections compares with the target branch)."),
    # places.yml
    "missing-places": ("error", "There are events but no places.yml."),
    "places-not-mapping": ("error", "places.yml is not a mapping from place ids to their fields."),
    "bad-coordinate": ("error", "A latitude or longitude is out of range, or only one of the two is given."),
    "duplicate-alias": ("error", "Two places share a name or alias, so events could not say which one they mean."),
    # periods.yml
    "periods-bad-shape": ("error", "periods.yml is not a list of periods (or a mapping from period ids to their fields)."),
    # import timelinejs (at lines of the file being imported)
    "import-unreadable": ("error", "The file to import is neither TimelineJS JSON nor a TimelineJS Google Sheets CSV."),
    "import-skipped": ("error", "A slide or row was not imported; the message says why."),
    "import-note": ("warning", "Something in a slide or row could not be carried over (media, eras, display dates)."),
}


def error(path: str, line: int, message: str, code: str, hint: str = "") -> Diagnostic:
    assert code in CODES, f"undocumented diagnostic code {code!r}"
    return Diagnostic(path, line, "error", message, code, hint=hint)


def warning(path: str, line: int, message: str, code: str, hint: str = "") -> Diagnostic:
    assert code in CODES, f"undocumented diagnostic code {code!r}"
    return Diagnostic(path, line, "warning", message, code, hint=hint)


def report_order(d: Diagnostic) -> tuple:
    """How reports list diagnostics: by file, then line, errors before warnings."""
    return (d.path, d.line, d.severity != "error", d.message)


def sorted_unique(problems) -> list[Diagnostic]:
    return sorted(set(problems), key=report_order)
