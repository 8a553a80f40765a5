"""What keeps a published page inert, applied to each page MkDocs writes. Pure string work.

- A Content-Security-Policy in a <meta> tag (static hosts cannot all set headers): scripts only
  from the site itself, plus the theme's own inline scripts by their SHA-256 hash, so that an
  injected script would not run even if it got past escaping and sanitising. "The theme's own"
  means a script its templates write (known_scripts): not whatever inline script a page happens
  to hold, since a value from mkdocs.yml printed unescaped by a template could be one.
- rel="noopener noreferrer" on every link to another site, so a linked page can neither script
  this one nor learn which page the reader came from.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_EXTERNAL_A = re.compile(r"<a\s(?P<attrs>[^>]*?\bhref=\"(?:https?:)?//[^\"]*\"[^>]*)>", re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# What a template expression inside a theme script may become: a relative path or a URL, never a
# quote, an angle bracket or a backslash that could end the string it stands in.
_VALUE = r"[^\"'<>\\\s]*"


def _runs(attrs: str) -> bool:
    """Whether a <script> with these attributes is inline code (not a src, not a JSON data block)."""
    return not (re.search(r"\bsrc\s*=", attrs, re.I) or re.search(r"type=[\"']?application/(ld\+)?json", attrs, re.I))


def known_scripts(template_dirs: Iterable[Path]) -> re.Pattern | None:
    """One pattern matching exactly the inline scripts the theme's templates can write, each
    template expression standing for a plain value (_VALUE)."""
    shapes = set()
    for folder in template_dirs:
        for template in sorted(Path(folder).rglob("*.html")):
            for match in _INLINE_SCRIPT.finditer(template.read_text(encoding="utf-8", errors="replace")):
                if _runs(match.group("attrs") or "") and match.group("body").strip():
                    parts = _JINJA.split(match.group("body"))
                    shapes.add(_VALUE.join(re.escape(part) for part in parts))
    return re.compile("|".join(f"(?:{shape})" for shape in sorted(shapes)), re.S) if shapes else None


def _hash_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class Policy:
    """The Content-Security-Policy of one build: images from the site (and the map's tile host, if
    any), scripts from the site and the theme's own inline scripts. The hashes of the scripts seen
    are kept: the theme's few scripts recur on every page."""

    def __init__(self, image_hosts: Sequence[str] = (), known: re.Pattern | None = None):
        self.image_hosts = sorted(set(image_hosts))
        self.known = known  # None: every inline script outside the page's content counts as the theme's
        self._hashes: dict[str, str] = {}

    def hashes(self, html: str) -> list[str]:
        found = set()
        for match in _INLINE_SCRIPT.finditer(html):
            body = match.group("body")
            if not _runs(match.group("attrs") or "") or (self.known is not None and not self.known.fullmatch(body)):
                continue
            if body not in self._hashes:
                self._hashes[body] = _hash_source(body)
            found.add(self._hashes[body])
        return sorted(found)

    def text(self, html: str) -> str:
        """`html`: the page without its own content, so that no script of the content is hashed."""
        scripts = " ".join(["'self'", *self.hashes(html)])
        images = " ".join(["'self'", "data:", *self.image_hosts])
        return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src {images}; "
                "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
                "form-action 'self'")

    def add(self, html: str, untrusted: str = "") -> str:
        """Insert the CSP <meta> right after <meta charset>, before any script it must govern. Inline
        scripts inside `untrusted` (the page's own content) are never allowed to run."""
        trusted = html.replace(untrusted, "", 1) if untrusted else html
        tag = f'<meta http-equiv="Content-Security-Policy" content="{self.text(trusted)}">'
        match = _CHARSET.search(html)
        if match is None:
            return html.replace("<head>", "<head>\n" + tag, 1)
        return html[:match.end()] + "\n    " + tag + html[match.end():]


def inline_script_hashes(html: str) -> list[str]:
    """The CSP hash sources of every inline script of `html` that runs."""
    return Policy().hashes(html)


def add_external_rel(html: str) -> str:
    """rel="noopener noreferrer" on links to other sites that do not say it already."""
    def fix(match: re.Match) -> str:
        attrs = match.group("attrs")
        rel = re.search(r"\brel=\"([^\"]*)\"", attrs)
        if rel is None:
            return f'<a {attrs} rel="noopener noreferrer">'
        words = rel.group(1).split()
        words += [w for w in ("noopener", "noreferrer") if w not in words]
        return "<a " + attrs[:rel.start()] + f'rel="{" ".join(words)}"' + attrs[rel.end():] + ">"
    return _EXTERNAL_A.sub(fix, html)
