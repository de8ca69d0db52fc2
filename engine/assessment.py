"""The assessment (case-vocabulary.md §2): what every command and screen shows."""

from dataclasses import dataclass, field
from typing import Any

from engine.case import ExitRoute, Location

# Derived classification facts: the keys rules may `derive`, with their allowed values.
CLASSIFICATION: dict[str, tuple[Any, ...]] = {
    "harm_status": ("trafficked", "safe_migration", "unclear", "out_of_scope_child"),
    "exit_route": tuple(m.value for m in ExitRoute) + ("unknown",),
    "remains_in_harm": (True, False, "unknown"),
    # held: in jail, a remand home, safe custody, police or immigration detention, or a shelter the
    # person may not leave — derived once (rules/rights.yaml, rights.held*) from every answer that
    # records it, and read by every rule about detention
    "held": (True, False, "unknown"),
    "geographic_outcome": tuple(m.value for m in Location) + ("unknown",),
    "recovery_type": (
        "self_recovery_in_harm",
        "self_recovery_outside_harm",
        "facilitated",
        "regressive_facilitated",
        "not_applicable",
        "unknown",
    ),
    "integration_outcome": ("successful", "unsuccessful", "grey_area", "not_started", "not_applicable", "unknown"),
}
# What the report shows when no rule derived a key.
UNDERIVED: dict[str, Any] = {
    "harm_status": "unclear",
    "exit_route": "unknown",
    "remains_in_harm": "unknown",
    "held": "unknown",
    "geographic_outcome": "unknown",
    "recovery_type": "unknown",
    "integration_outcome": "unknown",
}
# The classifications each kind of case file is assessed on (the kinds: engine/case.py). A key
# added to CLASSIFICATION for another kind must be left out of the survivor case's tuple.
CLASSIFIED: dict[str, tuple[str, ...]] = {
    "survivor_case": tuple(CLASSIFICATION),
    "potential_migrant": (),
    "community": (),
}
SEVERITIES = ("high", "medium", "low")


# Plain dataclasses: the engine builds these itself from validated rules and cases, so
# validating them again would only cost time (they are made for every case assessed).


@dataclass(frozen=True)
class RuleSetId:
    version: str
    digest: str


@dataclass(frozen=True)
class Flag:
    id: str
    severity: str
    rule: str
    because: str
    sources: list[str]


@dataclass(frozen=True)
class Recommendation:
    intervention: str
    label: str
    actor: str
    rule: str
    because: str
    sources: list[str]
    level: str = "case"  # case | programme (knowledge/interventions.yaml)
    urgency: str = "soon"  # now | soon | later, derived from the situation (knowledge/urgency.yaml)
    urgency_rule: str | None = None  # the urgency rule that set it; None = the default for its level


@dataclass(frozen=True)
class Principle:
    id: str
    text: str
    sources: list[str]


@dataclass(frozen=True)
class Firing:
    step: int
    rule: str
    matched: dict[str, Any]
    asserted: list[str]


@dataclass(frozen=True)
class Changes:
    """What one visit's assessment has that the previous visit's has not (or the reverse)."""

    flags: list[str]
    recommendations: list[str]
    do_first: list[str]


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    classification: dict[str, Any]
    gained: Changes
    lost: Changes


@dataclass(frozen=True)
class NextVisit:
    due: str | None  # YYYY-MM-DD: the latest visit's date plus `months`; None when no visit is dated
    months: int
    because: str  # the id of the knowledge/followup.yaml entry that decided it
    text: str
    sources: list[str]


@dataclass(frozen=True)
class Assessment:
    case_id: str
    ruleset: RuleSetId
    classification: dict[str, Any]
    flags: list[Flag]
    recommendations: list[Recommendation]
    principles: list[Principle]
    trace: list[Firing]
    missing: list[str]
    do_first: list[str] = field(
        default_factory=list
    )  # at most 5 case-level recommendations of urgency now, most protective first (§4)
    # A case history only (case-vocabulary.md §4); absent from the JSON of a one-visit file.
    timeline: list[TimelineEntry] | None = None
    next_visit: NextVisit | None = None

    HISTORY_ONLY = ("timeline", "next_visit")
