"""Matching what editors type against known names: a place by its id, name or any alias, in any
letter case or Unicode composition, with the closest known spellings when nothing matches."""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field


def fold(text: str) -> str:
    """The form in which names, aliases and ids are compared: any case, any Unicode composition."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def closest(word: str, candidates: list[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, candidates, n=n, cutoff=0.6)


@dataclass(frozen=True)
class Names:
    """Every spelling of a set of named things → its id; `shown`: each folded spelling as readers
    know it, names before aliases before ids, for suggestions."""

    ids: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[tuple[str, str, tuple[str, ...]]]) -> Names:
        """From (id, name, aliases), in a fixed order: the first thing to claim a spelling keeps it."""
        items = sorted(items)
        ids: dict[str, str] = {}
        shown: dict[str, str] = {}
        for ident, name, aliases in items:
            for spelling in (ident, name, *aliases):
                ids.setdefault(fold(spelling), ident)
            shown.setdefault(fold(name), name)
        for ident, _, aliases in items:
            for spelling in (*aliases, ident):
                shown.setdefault(fold(spelling), spelling)
        return cls(ids, shown)

    def find(self, spelling: str) -> str | None:
        return self.ids.get(fold(spelling))

    def suggest(self, spelling: str) -> list[str]:
        """The known spellings closest to a misspelt one."""
        return [self.shown[key] for key in closest(fold(spelling), sorted(self.shown))]
