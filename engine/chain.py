"""The rule set's meaning without experta: stratified forward chaining in plain Python.

Rules run stage by stage, in file order within a stage; a rule fires when its condition is
true (three-valued: unknown does not fire). Validation guarantees a rule never reads a key
derived at its own stage or later (except a fallback's own "not derived yet"), so one pass
per stage reaches the same fixpoint — and the same firing order — as the experta engine.
The audit uses it to sweep the decision space; the tests check it against experta.
"""

from typing import Any

from engine import conditions
from engine.rules import Rule, RuleSet


def ordered(ruleset: RuleSet, kind: str = "survivor_case") -> list[Rule]:
    """The rules for one kind of case file, in firing order."""
    return sorted(ruleset.for_kind(kind), key=lambda r: r.stage)  # sorted() is stable: file order within a stage


def run(rules: list[Rule], answers: dict[str, Any]) -> tuple[dict[str, Any], list[Rule]]:
    """(derived facts, rules fired in order) for one case's answers; `rules` as from `ordered`."""
    facts = dict(answers)
    derived: dict[str, Any] = {}
    fired: list[Rule] = []
    for rule in rules:
        if conditions.evaluate(rule.when, facts) is True:
            fired.append(rule)
            for key, value in rule.effects.derive.items():
                if key not in derived:
                    derived[key] = facts[key] = value
    return derived, fired
