"""The assessment (case-vocabulary.md §2): what every command and screen shows."""

from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.case import ExitRoute, Location

# Derived classification facts: the keys rules may `derive`, with their allowed values.
CLASSIFICATION: dict[str, tuple[Any, ...]] = {
    "harm_status": ("trafficked", "safe_migration", "unclear", "out_of_scope_child"),
    "exit_route": tuple(m.value for m in ExitRoute) + ("unknown",),
    "remains_in_harm": (True, False),
    "geographic_outcome": tuple(m.value for m in Location) + ("unknown",),
    "recovery_type": ("self_recovery_in_harm", "self_recovery_outside_harm", "facilitated",
                      "regressive_facilitated", "not_applicable", "unknown"),
    "integration_outcome": ("successful", "unsuccessful", "grey_area", "not_started", "not_applicable", "unknown"),
}
# What the report shows when no rule derived a key.
UNDERIVED: dict[str, Any] = {
    "harm_status": "unclear", "exit_route": "unknown", "remains_in_harm": False,
    "geographic_outcome": "unknown", "recovery_type": "unknown", "integration_outcome": "unknown",
}
SEVERITIES = ("high", "medium", "low")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class RuleSetId(_Out):
    version: str
    digest: str


class Flag(_Out):
    id: str
    severity: str
    rule: str
    because: str
    sources: list[str]


class Recommendation(_Out):
    intervention: str
    label: str
    actor: str
    rule: str
    because: str
    sources: list[str]


class Principle(_Out):
    id: str
    text: str
    sources: list[str]


class Firing(_Out):
    step: int
    rule: str
    matched: dict[str, Any]
    asserted: list[str]


class Assessment(_Out):
    case_id: str
    ruleset: RuleSetId
    classification: dict[str, Any]
    flags: list[Flag]
    recommendations: list[Recommendation]
    principles: list[Principle]
    trace: list[Firing]
    missing: list[str]
