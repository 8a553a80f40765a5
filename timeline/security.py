"""What keeps a published page inert, applied to each page MkDocs writes. Pure string work.

- A Content-Security-Policy in a <meta> tag (static hosts cannot all set headers): scripts only
  from the site itself, plus the theme's few inline scripts by their SHA-256 hash, so an
  injected script would not run even if it got past escaping and sanitising.
- rel="noopener noreferrer" on every link to another site, so a linked page can neither script
  this one nor learn which page the reader came from.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_EXTERNAL_A = re.compile(r"<a\s(?P<attrs>[^>]*?\bhref=\"(?:https?:)?//[^\"]*\"[^>]*)>", re.I)


def inline_script_hashes(html: str) -> list[str]:
    """CSP hash sources for every inline script that runs (JSON data blocks do not)."""
    hashes = set()
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if re.search(r"\bsrc\s*=", attrs, re.I) or re.search(r"type=[\"']?application/(ld\+)?json", attrs, re.I):
            continue
        hashes.add(_hash_source(match.group("body")))
    return sorted(hashes)


@functools.lru_cache(maxsize=1024)  # the theme's few inline scripts are the same on every page
def _hash_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(html: str, image_hosts: Sequence[str] = ()) -> str:
    """`html`: the page without its own content, so that only the theme's scripts are hashed."""
    """The page's policy: everything from the site itself; images also from the map's tile host."""
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    images = " ".join(["'self'", "data:", *sorted(set(image_hosts))])
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src {images}; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")


def add_policy(html: str, image_hosts: Sequence[str] = (), untrusted: str = "") -> str:
    """Insert the CSP <meta> right after <meta charset>, before any script it must govern. Inline
    scripts inside `untrusted` (the page's own content) are not allowed to run."""
    trusted = html.replace(untrusted, "", 1) if untrusted else html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(trusted, image_hosts)}">'
    match = _CHARSET.search(html)
    if match is None:
        return html.replace("<head>", "<head>\n" + tag, 1)
    return html[:match.end()] + "\n    " + tag + html[match.end():]


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
