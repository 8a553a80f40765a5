"""Matching what editors type against known names: a place by its id, name or any alias, in any
letter case or Unicode composition, with the closest known spellings when nothing matches."""
from __future__ import annotations

import difflib
import heapq
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process


def fold(text: str) -> str:
    """The form in which names, aliases and ids are compared: any case, any Unicode composition."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


CUTOFF = 0.6
PREFILTER_FROM = 50  # candidates: below this many, difflib alone is quick enough


def closest(word: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    """difflib.get_close_matches(word, candidates, n, 0.6), in about linear time.

    difflib alone compares the word with every candidate in Python (300 misspelt ids against 3,000
    took 39 s). rapidfuzz's InDel ratio (2·LCS/length, computed in C++) is never below difflib's
    ratio (difflib's matching blocks are a common subsequence), so candidates are taken in falling
    InDel order and difflib's ratio computed only until the InDel ratio drops below the n-th best
    difflib ratio found: no later candidate can beat it. The result is difflib's, exactly."""
    if len(candidates) < PREFILTER_FROM:
        return difflib.get_close_matches(word, candidates, n=n, cutoff=CUTOFF)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: list[tuple[float, str]] = []
    for candidate, score, _ in process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=CUTOFF * 100,
                                               limit=None):
        if len(best) >= n and score / 100 < best[0][0] - 1e-9:
            break
        matcher.set_seq1(candidate)
        ratio = matcher.ratio()
        if ratio >= CUTOFF:
            heapq.heappush(best, (ratio, candidate))
            if len(best) > n:
                heapq.heappop(best)
    return [candidate for _, candidate in sorted(best, reverse=True)]


@dataclass(frozen=True)
class Names:
    """Every spelling of a set of named things → its id; `shown`: each folded spelling as readers
    know it, names before aliases before ids, for suggestions."""

    ids: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)
    spellings: tuple[str, ...] = ()  # the keys of `shown`, sorted: what suggestions are chosen from

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
        return cls(ids, shown, tuple(sorted(shown)))

    def find(self, spelling: str) -> str | None:
        return self.ids.get(fold(spelling))

    def suggest(self, spelling: str) -> list[str]:
        """The known spellings closest to a misspelt one."""
        return [self.shown[key] for key in closest(fold(spelling), self.spellings)]
