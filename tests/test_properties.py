"""Properties of the engine over any valid case (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.report import to_json
from engine.samples import random_case

ANY_CASE = st.builds(random_case, st.randoms(use_true_random=False), st.just(0), st.floats(0.0, 1.0))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(ANY_CASE)
@SETTINGS
def test_any_valid_case_is_assessed_without_error(assessor, case):
    assessment = assessor.assess(case)  # a RuleConflict or any other exception fails here
    assert assessment.case_id == case.case_id
    assert assessor.engine.running is False


@given(ANY_CASE)
@SETTINGS
def test_the_same_case_gives_the_same_assessment_byte_for_byte(assessor, case):
    assert to_json(assessor.assess(case)) == to_json(assessor.assess(case))


@given(ANY_CASE)
@SETTINGS
def test_every_flag_and_recommendation_carries_its_reason_and_sources(assessor, case):
    assessment = assessor.assess(case)
    for item in [*assessment.flags, *assessment.recommendations]:
        assert item.because.strip() and item.sources and item.rule
    for principle in assessment.principles:
        assert principle.text and principle.sources


@given(ANY_CASE)
@SETTINGS
def test_missing_lists_only_unanswered_questions_and_none_twice(assessor, case):
    answers = case.answers()
    missing = assessor.assess(case).missing
    assert len(missing) == len(set(missing))
    assert all(answers[field] is None for field in missing)


@given(ANY_CASE)
@SETTINGS
def test_return_is_recommended_only_when_the_person_asked_for_it(assessor, case):
    ids = {r.intervention for r in assessor.assess(case).recommendations}
    if "quick_repatriation_on_request" in ids:
        assert case.location.wishes == "return_home"


@given(ANY_CASE)
@SETTINGS
def test_nothing_but_funeral_and_rights_advice_after_a_death(assessor, case):
    assessment = assessor.assess(case)
    if case.exit.route == "death":
        assert assessment.classification["integration_outcome"] in ("not_applicable",)
        assert not any(
            r.rule.startswith(("integration.", "recovery.self", "recovery.facilitated"))
            for r in assessment.recommendations
        )


@given(ANY_CASE)
@SETTINGS
def test_non_punishment_is_raised_whenever_a_detained_or_charged_person_may_be_trafficked(assessor, case):
    legal = case.legal
    held_or_charged = legal.detained is True or bool(legal.charges)
    link_possible = legal.charges_linked_to_trafficking in ("yes", "unknown", None)
    living = case.exit.route != "death"  # the dead are not the living (issue 14 §8)
    flags = {f.id for f in assessor.assess(case).flags}
    if held_or_charged and link_possible and living:
        assert "non_punishment" in flags
    if not living:
        assert "non_punishment" not in flags
