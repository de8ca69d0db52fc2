"""Unknown stays unknown (issue 14 §10): a classification nothing decides reads "not known",
in the JSON and in the reports of both languages, never "no"."""

from engine.case import parse_case
from engine.report import to_markdown


def test_an_empty_case_does_not_read_remains_in_harm_no(assessor, ruleset):
    assessment = assessor.assess(parse_case({"case_id": "EMPTY"}))
    assert assessment.classification["remains_in_harm"] == "unknown"
    assert assessment.classification["held"] == "unknown"
    english = to_markdown(assessment, ruleset, lang="en")
    lines = english.splitlines()
    assert "- Remains in harm: Not known" in lines and "- Remains in harm: No" not in lines
    bengali = to_markdown(assessment, ruleset, lang="bn")
    assert "- এখনো শোষণের পরিবেশে আছেন: জানা নেই" in bengali.splitlines()


def test_a_known_answer_still_reads_yes_or_no(assessor, ruleset):
    case = parse_case(
        {"case_id": "HOME", "exit": {"route": "escape"}, "location": {"current": "repatriated_voluntary"}}
    )
    assessment = assessor.assess(case)
    assert assessment.classification["remains_in_harm"] is False
    assert "- Remains in harm: No" in to_markdown(assessment, ruleset, lang="en").splitlines()


def test_the_answers_that_were_never_used_are_used_now(ruleset):
    """Seed data the interview collects is read by a rule: the voluntary services, the needs."""
    from engine import conditions

    read = {fact for rule in ruleset.rules for fact in conditions.facts_of(rule.when)}
    assert {"recovery.services", "migration.needs"} <= read


def test_why_not_non_punishment_names_every_answer_that_records_being_held(assessor):
    """Held is derived once (issue 14 §3): why-not follows it to each answer that can record it."""
    from engine.explain import why_not

    case = parse_case({"case_id": "WHY", "harm": {"status": "trafficked"}, "legal": {"detained": False, "charges": []}})
    result = why_not(assessor, case, "non_punishment")
    offered = [change.answers for change in result.changes]
    assert {"location.current": "jail_remand_home"} in offered
    assert {"recovery.free_movement": False} in offered
