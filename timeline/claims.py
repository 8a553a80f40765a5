"""How sure an event is, and who says so: the rules of `status`, the publishers registry
(publishers.yml: who republishes whom, so that a wire story carried by three papers counts once),
and the figures sources give, put side by side as a range with each claimant, never one number
picked silently."""
from __future__ import annotations

from dataclasses import dataclass

from .kinds import Reading
from .load import Entry
from .model import FIGURES, Event, Figure, Publisher
from .names import Names, fold


@dataclass(frozen=True)
class Registry:
    """publishers.yml, read: each publisher by id, and every spelling of each."""

    publishers: dict[str, Publisher]
    names: Names

    @classmethod
    def of(cls, publishers: dict[str, Publisher]) -> Registry:
        return cls(publishers, Names.of((p.id, p.name, p.aliases) for p in publishers.values()))

    def root(self, publisher_id: str) -> str:
        """Whose material it is in the end: follows `origin` (a republisher's source), never in a loop."""
        seen = {publisher_id}
        while (origin := self.publishers[publisher_id].origin) in self.publishers and origin not in seen:
            seen.add(origin)
            publisher_id = origin
        return publisher_id


def independent(sources: list[tuple[str, str | None]], registry: Registry | None) -> int:
    """How many independent sources among (publisher, by) pairs: one per claimant where a source
    names one (two papers quoting the same monitor are one source), else one per publisher, a
    republished story counting as its origin's."""
    roots = set()
    for publisher, by in sources:
        if by:
            roots.add(("by", fold(by)))
            continue
        found = registry.names.find(publisher) if registry is not None and registry.publishers else None
        roots.add(("publisher", registry.root(found) if registry is not None and found else fold(publisher)))
    return len(roots)


def check_status(r: Reading, values: dict, entries: dict[str, Entry], sources: list, registry: Registry | None) -> None:
    """The rules of `status` (the editing guide explains them), reported at the status line."""
    status = values.get("status")
    if status is None or "status" not in entries:
        return
    line = entries["status"].line
    count = independent([(v.get("publisher") or "", v.get("by")) for v, _, _ in sources], registry)
    if status in ("corroborated", "verified") and count < 2:
        r.error(line, f"status {status!r} needs at least two independent sources; this event has {count}",
                "status-unsupported", "cite a second source that did its own reporting (a republished wire story "
                "counts as the wire's), or write 'status: reported'")
    if status == "verified":
        if not values.get("verification"):
            r.error(line, "status 'verified' needs a 'verification' note saying how", "status-unsupported",
                    "add a line 'verification: <how: geolocation, official confirmation, …>'")
        for source, source_entries, _ in sources:
            if source.get("url") and not source.get("archive"):
                r.error(source_entries["url"].line, "status 'verified' needs an archived copy of every source",
                        "status-unsupported", "add an 'archive:' line to this source")
    if status == "disputed" and not values.get("dispute"):
        r.error(line, "status 'disputed' needs a 'dispute' line saying what the sources disagree on",
                "status-unsupported", "add a line 'dispute: <what the sources disagree on>'")
    if status == "retracted" and not values.get("corrections"):
        r.error(line, "status 'retracted' needs a 'corrections' entry saying why it was withdrawn",
                "status-unsupported", "add 'corrections:' with '- date: YYYY-MM-DD' and 'note: <why>'")


# ---------------------------------------------------------------- figures

@dataclass(frozen=True)
class Claimed:
    """One kind of figure across an event's sources: the range, and who gives what."""

    name: str  # "killed", …
    low: int
    high: int
    by: tuple[tuple[str, Figure, str], ...]  # (claimant, figure, whom it counts)

    def text(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"


def claimed(event: Event) -> list[Claimed]:
    out = []
    for name in FIGURES:
        given = [(s.claimant, f, s.counted or "") for s in event.sources if (f := getattr(s, name)) is not None]
        if given:
            out.append(Claimed(name, min(f.low for _, f, _ in given), max(f.high for _, f, _ in given), tuple(given)))
    return out


@dataclass(frozen=True)
class Totals:
    """Figures over many events (a place, a period): the sum of each event's lowest figure and of
    its highest. Sources are never summed with each other: within an event they are alternatives."""

    events: int
    low: dict[str, int]
    high: dict[str, int]


def totals(events) -> Totals:
    """Only events of one day are added up: a count over a month or a span (the UN's displaced in
    three months) may contain other events' counts, and adding them would count people twice."""
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    counted = 0
    for event in events:
        if event.status == "retracted":
            continue  # withdrawn: its figures no longer stand
        if event.start.precision not in ("day", "minute") or (event.end and event.end.first_day != event.start.first_day):
            continue
        figures = claimed(event)
        counted += bool(figures)
        for c in figures:
            low[c.name] = low.get(c.name, 0) + c.low
            high[c.name] = high.get(c.name, 0) + c.high
    return Totals(counted, low, high)
