"""The site's timeline settings (`extra: timeline:` in mkdocs.yml), read once into a typed object.

Pure: a mapping in, Settings or a SettingsError with a sentence for the editor out. Every other
part reads the Settings object, never the raw mapping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

PAGE_SIZE = 500  # events listed on one page at most (about 400 KB of HTML); beyond, lists split by year, then month
WHERE = "extra: timeline:"


class SettingsError(ValueError):
    """A setting in mkdocs.yml that cannot be used; the message names it and says what to write."""


@dataclass(frozen=True)
class Settings:
    tiles: str = ""  # map tile URL template; empty: no tile server, outlines of countries only
    attribution: str = ""  # the tile server's required credit (HTML from the site's own config)
    page_size: int = PAGE_SIZE
    offline: bool = False  # built to be opened from disk (file://): .html links, search without a server
    archives: str = ""  # sources without an archived copy: "" not reported, "warn", "require" (an error)

    @property
    def tile_hosts(self) -> list[str]:
        """The origin the map tiles load from, for the Content-Security-Policy: none by default."""
        return tile_hosts(self.tiles)


KNOWN = tuple(f.name for f in fields(Settings))


def read_settings(options: object) -> Settings:
    if options is None:
        return Settings()
    if not isinstance(options, dict):
        raise SettingsError(f"{WHERE} in mkdocs.yml must be a set of 'key: value' lines, not {options!r}")
    unknown = sorted(set(options) - set(KNOWN))
    if unknown:
        raise SettingsError(f"{WHERE} {unknown[0]} in mkdocs.yml is not a setting; the settings are: "
                            + ", ".join(KNOWN))
    tiles = _text(options, "tiles")
    if tiles and not tile_hosts(tiles):
        raise SettingsError(f"{WHERE} tiles in mkdocs.yml must be an http(s) URL template, not {tiles!r}")
    page_size = options.get("page_size")
    if page_size is None or page_size == "":
        page_size = PAGE_SIZE
    elif isinstance(page_size, bool) or not isinstance(page_size, int):
        try:
            page_size = int(str(page_size))
        except ValueError:
            raise SettingsError(f"{WHERE} page_size in mkdocs.yml must be a number, not {page_size!r}") from None
    if page_size < 1:
        raise SettingsError(f"{WHERE} page_size in mkdocs.yml must be 1 or more, not {page_size!r}")
    archives = _text(options, "archives").lower()
    if archives not in ARCHIVES:
        raise SettingsError(f"{WHERE} archives in mkdocs.yml must be one of {', '.join(a for a in ARCHIVES if a)} "
                            f"(or left out), not {archives!r}")
    return Settings(tiles, _text(options, "attribution"), page_size, _flag(options, "offline"), archives)


ARCHIVES = ("", "warn", "require")


def _flag(options: dict, key: str) -> bool:
    """true or false; as text too, since `!ENV [TIMELINE_OFFLINE, false]` gives what the variable holds."""
    value = options.get(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "false", "0", "no", ""):
        return value.strip().lower() in ("true", "1", "yes")
    raise SettingsError(f"{WHERE} {key} in mkdocs.yml must be true or false, not {value!r}")


# What an address in mkdocs.yml may hold: themes print these values into pages unescaped.
_ADDRESS = re.compile(r"https?://[^\s\"'<>\\`]+", re.I)


def check_addresses(addresses: dict[str, str | None]) -> None:
    """site_url and repo_url must be plain http(s) addresses: the theme writes them into attributes and
    scripts as they are, so a quote or an angle bracket would break out into the page."""
    for key, value in addresses.items():
        if value and not _ADDRESS.fullmatch(value):
            raise SettingsError(f"{key} in mkdocs.yml must be an http(s) address without quotes, spaces or "
                                f"angle brackets, not {value!r}")


def _text(options: dict, key: str) -> str:
    value = options.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SettingsError(f"{WHERE} {key} in mkdocs.yml must be text, not {value!r}")
    return value


def tile_hosts(tiles: str) -> list[str]:
    """The origin a tile URL template loads from: https://{s}.tile.example.org/{z}/{x}/{y}.png → https://*.tile.example.org"""
    if not tiles:
        return []
    parts = urlsplit(tiles.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not re.fullmatch(r"[A-Za-z0-9*.-]+(:[0-9]{1,5})?", parts.netloc):
        return []  # anything else could smuggle directives (";") or markup ('"') into the policy
    return [f"{parts.scheme}://{parts.netloc}"]
