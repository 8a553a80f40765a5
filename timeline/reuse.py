"""Pages a build takes from the one before: the manifest that says what each page showed, the
reused pages' files (hard links into the new build) and their entries in sitemap.xml and the search
index. timeline/incremental.py decides which pages are reused; this puts them in place."""
from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urljoin

from . import buildcache
from .incremental import Manifest, PageInfo
from .site import Incremental, SitePlan
from .urls import Urls

MANIFEST = "pages.pickle"  # in .timeline-cache/


def dest_of(url: str) -> str:
    """The file of a page, relative to the site: events/x/ → events/x/index.html."""
    return url + "index.html" if url.endswith("/") or url == "" else url


def all_there(plan: SitePlan, incremental: Incremental, config) -> bool:
    """Whether every page to reuse is in the folder the manifest names (a preview's own folder)."""
    manifest = incremental.previous
    if manifest is None:
        return False
    urls = Urls(config.use_directory_urls)
    return all(os.path.isfile(os.path.join(manifest.folder, dest_of(urls.url(uri)))) for uri in plan.reused or ())


def read_manifest(root: Path, folder: str) -> Manifest | None:
    """The last build's manifest, if its pages are in `folder` (the site this build replaces)."""
    if not folder or not buildcache.enabled():
        return None
    manifest = buildcache.read_value(root / buildcache.FOLDER / MANIFEST, Manifest)
    return manifest if manifest is not None and manifest.folder == folder else None


def keep_manifest(plan: SitePlan, config, index: dict, root: Path, in_memory: bool) -> Manifest:
    """This build's manifest, with the timeline pages' search entries, for the next build: kept in
    the build cache, or (`in_memory`: a preview) only returned."""
    manifest = plan.manifest
    assert manifest is not None
    urls = Urls(config.use_directory_urls)
    listed = {doc.get("location"): doc for doc in index.get("docs", [])}
    reused = plan.reused or {}
    for uri in plan.order:  # (the hook lets go of each planned page once it is written)
        if uri not in reused and urls.url(uri) in plan.markdown_pages:
            manifest.pages[uri] = PageInfo(True, listed.get(urls.url(uri)))
    manifest.folder = os.path.realpath(config.site_dir)
    if not in_memory and buildcache.enabled():
        buildcache.write_value(root / buildcache.FOLDER / MANIFEST, manifest)
    return manifest


def reused_listings(plan: SitePlan, urls: Urls) -> tuple[dict[str, dict], list[str]]:
    """The search entries of the timeline pages reused from the last build (the theme did not index
    them), and the URLs of all timeline pages in the site's order."""
    reused = {urls.url(uri): info.search for uri, info in (plan.reused or {}).items() if info.markdown and info.search}
    return reused, [url for url in map(urls.url, plan.order) if url in plan.markdown_pages]


def link_reused(plan: SitePlan, folder: str, config, there: set[str] | frozenset[str] = frozenset()) -> None:
    """The reused pages' files, from the site this build replaces: hard links (a finished build is
    never written to again), or copies where links cannot be made. `there`: those already in place
    (sitedir.refill kept them)."""
    urls = Urls(config.use_directory_urls)
    made: set[str] = set()
    for uri in plan.reused or ():
        rel = dest_of(urls.url(uri))
        if rel in there:
            continue
        target = os.path.join(config.site_dir, rel)
        parent = os.path.dirname(target)
        if parent not in made:
            try:
                os.mkdir(parent)  # (most pages have a folder of their own: one call, not makedirs' several)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(os.path.join(folder, rel), target)
        except FileExistsError:  # moved in by a refill cut short: the same file, or one to replace
            if not os.path.samefile(os.path.join(folder, rel), target):
                os.unlink(target)
                os.link(os.path.join(folder, rel), target)
        except OSError:
            shutil.copyfile(os.path.join(folder, rel), target)


_LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")
_ENTRY = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)


def absolute(base: str | None, path: str) -> str:
    """urljoin(base, path) for a quoted site path, without urljoin's parsing where it would only append
    (a base that ends in "/" with no query, neither with a dot or empty segment): 10,000 pages'
    addresses take 0.3 s through it."""
    after_scheme = (base or "").partition("://")[2]
    plain_base = base and base.endswith("/") and not any(c in base for c in "?#") \
        and after_scheme and "/." not in after_scheme and "//" not in after_scheme
    if plain_base and not path.startswith(("/", ".")) and "/." not in path and "//" not in path:
        return f"{base}{path}"
    return urljoin(base or "", path)


def with_reused(sitemap: str, plan: SitePlan | None, config, unlisted: bool = False, date: str | None = None) -> str:
    """sitemap.xml with the entries of the pages MkDocs does not list (the reused ones, and with
    `unlisted` those the hook writes itself), every generated page in the site's order. `date`: the
    build's date, as MkDocs gives the pages it builds (else the first entry's, which a preview's
    rebuild may not have built)."""
    if plan is None or not plan.reused and not unlisted:
        return sitemap
    entries = list(_ENTRY.finditer(sitemap))
    if not entries:
        return sitemap
    urls = Urls(config.use_directory_urls)
    listed = set(plan.order)
    order = [*plan.order, *(uri for uri in plan.pages if uri not in listed)]  # a preview's pages of problems
    locs = {uri: html.escape(absolute(config.site_url, quote(urls.url(uri)))) for uri in order}
    generated = set(locs.values())
    sample = entries[0]
    head = sample.group(0)[:sample.start(1) - sample.start()]
    tail = sample.group(0)[sample.end(1) - sample.start():]
    if date:
        tail = _LASTMOD.sub(f"<lastmod>{html.escape(date)}</lastmod>", tail, count=1)
    made = {m.group(1): m.group(0) for m in entries}
    kept = [m.group(0) for m in entries if m.group(1) not in generated]
    for uri in order:
        loc = locs[uri]
        kept.append(made.get(loc) or head + loc + tail)
    return sitemap[:entries[0].start()] + "".join(kept) + sitemap[entries[-1].end():]
