"""A case over time: the timeline of a case history's visits, and when to see the person again
(knowledge/followup.yaml)."""

import datetime
from typing import Any

from engine import conditions
from engine.assessment import Assessment, Changes, NextVisit, TimelineEntry
from engine.knowledge import Catalogue


def timeline(dated: list[tuple[str, Assessment]]) -> list[TimelineEntry]:
    """One entry per visit, in date order: its classification and what changed since the one before."""
    entries, before = [], None
    for date, now in dated:
        entries.append(
            TimelineEntry(
                date=date,
                classification=dict(now.classification),
                gained=_difference(now, before),
                lost=_difference(before, now),
            )
        )
        before = now
    return entries


def _difference(a: Assessment | None, b: Assessment | None) -> Changes:
    """What `a` gives that `b` does not, in `a`'s order."""

    def ids(x: Assessment | None) -> tuple[list[str], list[str], list[str]]:
        if x is None:
            return [], [], []
        return [f.id for f in x.flags], [r.intervention for r in x.recommendations], list(x.do_first)

    mine, theirs = ids(a), ids(b)
    flags, recs, first = ([i for i in m if i not in set(t)] for m, t in zip(mine, theirs))
    return Changes(flags=flags, recommendations=recs, do_first=first)


def next_visit(catalogue: Catalogue, classification: dict[str, Any], after: str | None) -> NextVisit:
    """The first follow-up entry that holds for this classification; `due` counts from `after`."""
    for entry in catalogue.followup.values():
        if entry.when is None or conditions.evaluate(conditions.parse(entry.when), classification):
            due = _add_months(datetime.date.fromisoformat(after), entry.months).isoformat() if after else None
            return NextVisit(
                due=due, months=entry.months, because=entry.id, text=entry.text, sources=list(entry.sources)
            )
    raise LookupError("knowledge/followup.yaml: no entry holds (ctm validate requires a last entry without `when`)")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # the same day of the month, or that month's last day
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
