"""Prevention, legal action and safe migration: the first half of the matrix (issue 7).

Every prevention and legal-action bullet of the seed — the catalogue entries whose nodes lie
under prevention.* or legal_action.* — is recommended by at least one rule, and really comes
out of an assessment: the case on which that rule fires (tests/rule_examples.yaml) gets it.
The same holds for the safe-migration factors (safe_migration.*).
"""

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import yamlio
from engine.case import parse_case
from engine.knowledge import load_catalogue
from engine.samples import random_case

CATALOGUE, _ = load_catalogue()
EXAMPLES = yamlio.load(Path(__file__).with_name("rule_examples.yaml"))["examples"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _under(node: str, *roots: str) -> bool:
    return any(node == root or node.startswith(root + ".") for root in roots)


def _bullets(*roots: str) -> list[str]:
    return [i.id for i in CATALOGUE.interventions.values() if any(_under(n, *roots) for n in i.nodes)]


PREVENTION_AND_LEGAL_ACTION = _bullets("prevention", "legal_action")
SAFE_MIGRATION = _bullets("safe_migration")


def test_every_audience_of_prevention_and_legal_action_has_its_bullets_in_the_catalogue():
    audiences = [
        n.id
        for n in CATALOGUE.nodes.values()
        if _under(n.id, "prevention", "legal_action")
        and not any(other.parent == n.id for other in CATALOGUE.nodes.values())
    ]
    assert len(audiences) == 9 + 5  # the seed's prevention audiences and its legal-action targets
    bulleted = {node for i in PREVENTION_AND_LEGAL_ACTION for node in CATALOGUE.interventions[i].nodes}
    empty = [a for a in audiences if a not in bulleted]
    assert empty == []


def _recommended_on_an_example(assessor, ruleset, intervention: str) -> list[str]:
    """The rules that recommend `intervention` and do so on the case where they fire."""
    found = []
    for rule in ruleset.rules:
        if intervention in rule.effects.recommend and rule.id in EXAMPLES:
            case = parse_case({"case_id": "COVERAGE", **EXAMPLES[rule.id]["fires"]})
            if intervention in {r.intervention for r in assessor.assess(case).recommendations}:
                found.append(rule.id)
    return found


@pytest.mark.parametrize("intervention", PREVENTION_AND_LEGAL_ACTION)
def test_every_prevention_and_legal_action_bullet_is_recommended_by_a_rule(assessor, ruleset, intervention):
    assert _recommended_on_an_example(assessor, ruleset, intervention), f"no rule recommends {intervention}"


@pytest.mark.parametrize("intervention", SAFE_MIGRATION)
def test_every_safe_migration_factor_is_recommended_by_a_rule(assessor, ruleset, intervention):
    assert _recommended_on_an_example(assessor, ruleset, intervention), f"no rule recommends {intervention}"


POTENTIAL_MIGRANT = st.builds(
    random_case, st.randoms(use_true_random=False), st.just(0), st.floats(0.0, 1.0), st.just("potential_migrant")
)


@given(POTENTIAL_MIGRANT)
@SETTINGS
def test_a_broker_and_a_debt_for_the_fees_always_mean_a_high_risk(assessor, migrant):
    adult = migrant.person.age is None or migrant.person.age >= 18
    flags = {f.id: f.severity for f in assessor.assess(migrant).flags}
    if adult and migrant.recruitment.channel == "informal_broker" and migrant.recruitment.debt_for_fees:
        assert flags.get("risk_of_harm") == "high"


@given(POTENTIAL_MIGRANT)
@SETTINGS
def test_every_risk_comes_with_its_reasons_and_sources(assessor, migrant):
    assessment = assessor.assess(migrant)
    reasons = [step for step in assessment.trace if "flag:risk_of_harm" in step.asserted]
    assert bool(reasons) == ("risk_of_harm" in {f.id for f in assessment.flags})
    for step in reasons:
        rule = assessor.ruleset.by_id(step.rule)
        assert rule.because and rule.sources[0].startswith("seed.")


@given(POTENTIAL_MIGRANT)
@SETTINGS
def test_a_child_gets_a_child_protection_referral_and_no_advice_on_migrating_for_work(assessor, migrant):
    assessment = assessor.assess(migrant)
    if migrant.person.age is not None and migrant.person.age < 18:
        assert {f.id for f in assessment.flags} == {"child_protection_referral"}
        assert [r.intervention for r in assessment.recommendations] == ["child_protection_services"]


@pytest.mark.parametrize("kind", ["potential_migrant", "community"])
def test_advice_before_harm_comes_only_from_the_first_half_of_the_matrix(assessor, kind):
    rng = random.Random(2026)
    for index in range(300):
        assessment = assessor.assess(random_case(rng, index, 0.8, kind))
        for rec in assessment.recommendations:
            nodes = CATALOGUE.interventions[rec.intervention].nodes
            assert rec.intervention == "child_protection_services" or any(
                _under(n, "prevention", "legal_action", "safe_migration") for n in nodes
            ), rec.intervention
