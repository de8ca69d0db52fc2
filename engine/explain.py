"""Why was a flag raised or an intervention recommended? The chain of rules and facts.

`why` walks back from the rule that produced an item through the rules that derived the
classifications it matched on, down to the case answers — the same explanation for the
CLI, the UI and the reports.
"""

from dataclasses import dataclass, field
from typing import Any

from engine.assessment import CLASSIFICATION, Assessment, Firing


@dataclass
class Step:
    rule: str
    because: str
    sources: list[str]
    matched: dict[str, Any]
    asserted: list[str]
    derived_from: list["Step"] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"rule": self.rule, "because": self.because, "sources": self.sources,
                "matched": self.matched, "asserted": self.asserted,
                "derived_from": [s.to_dict() for s in self.derived_from]}


def _producers(assessment: Assessment, item: str) -> list[Firing]:
    """Firings that asserted `item` ('flag:x', 'recommend:y', 'harm_status=trafficked')."""
    return [f for f in assessment.trace if item in f.asserted]


def chain(assessment: Assessment, ruleset, firing: Firing, seen: frozenset = frozenset()) -> Step:
    rule = ruleset.by_id(firing.rule)
    step = Step(firing.rule, rule.because, list(rule.sources), dict(firing.matched), list(firing.asserted))
    for fact, value in firing.matched.items():
        if fact in CLASSIFICATION and value is not None:
            for producer in _producers(assessment, f"{fact}={value}")[:1]:
                if producer.rule not in seen:
                    step.derived_from.append(chain(assessment, ruleset, producer, seen | {firing.rule}))
    return step


def why(assessment: Assessment, ruleset, item_id: str) -> list[Step]:
    """Every chain that produced the flag or intervention `item_id` (empty if none did)."""
    firings = _producers(assessment, f"flag:{item_id}") or _producers(assessment, f"recommend:{item_id}")
    return [chain(assessment, ruleset, f) for f in firings]


def why_text(steps: list[Step], ruleset, indent: str = "") -> list[str]:
    lines = []
    for step in steps:
        facts = ", ".join(f"{k} = {_show(v)}" for k, v in step.matched.items())
        lines.append(f"{indent}- rule `{step.rule}`: {step.because}")
        lines.append(f"{indent}  matched: {facts}")
        sources = ruleset.catalogue.sources
        lines.append(f"{indent}  sources: " + "; ".join(
            sources[s].citation() if s in sources else s for s in step.sources))
        lines += why_text(step.derived_from, ruleset, indent + "  ")
    return lines


def _show(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]" if value else "none"
    return str(value)
