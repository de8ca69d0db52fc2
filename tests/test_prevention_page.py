"""The prevention planner page (ui/prevention.py), driven through streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine.case import field_info, parse_case

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture
def planner() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("prevention.py")
    return at.run()


def _question(at: AppTest) -> str:
    return at.header[0].value


def _prompt(ruleset, field: str) -> str:
    return ruleset.catalogue.questions[field].prompt


def _expected_next(assessor, kind: str, **sections) -> str:
    return assessor.assess(parse_case({"case_id": "X", "kind": kind, **sections})).missing[0]


def _inputs(at: AppTest) -> list:
    return [*at.radio, *at.multiselect, *at.number_input, *at.text_input]


def _widget(at: AppTest, field: str):
    return next(w for w in _inputs(at) if w.key == f"planner_q_{field}")


def _answer(at: AppTest, field: str, value) -> AppTest:
    _widget(at, field).set_value(value)  # choosing does not run the page: Save sends it
    return at.button(key="planner_save").click().run()


def _asked(at: AppTest) -> str | None:
    """The field of the question on screen (its widget's key is planner_q_<field>)."""
    return next((w.key.removeprefix("planner_q_") for w in _inputs(at) if (w.key or "").startswith("planner_q_")), None)


def _tell(at: AppTest, known: dict) -> AppTest:
    """Answer the questions in the order the planner asks them: what is known, and "Not known"
    to the rest, until everything known has been told."""
    for _ in range(40):
        field = _asked(at)
        if field is None or set(known) <= set(at.session_state["planner_answers"][at.session_state["planner_kind"]]):
            return at
        at = (
            _answer(at, field, known[field])
            if field in known
            else at.button(key="planner_decline_not_known").click().run()
        )
    raise AssertionError("the planner never asked for " + ", ".join(known))


def test_the_planner_starts_with_the_most_decisive_question_about_a_potential_migrant(planner, assessor, ruleset):
    assert not planner.exception
    assert planner.title[0].value == "Prevention planner"
    assert _question(planner) == _prompt(ruleset, _expected_next(assessor, "potential_migrant"))


def test_an_answer_moves_to_the_next_most_decisive_question(planner, assessor, ruleset):
    first = _asked(planner)
    options = getattr(_widget(planner, first), "options", None)
    value = ([options[0]] if field_info(first)[1] else options[0]) if options else 30
    at = _answer(planner, first, value)
    answered = at.session_state["planner_answers"]["potential_migrant"]
    assert list(answered) == [first]
    section, name = first.split(".")
    assert _question(at) == _prompt(
        ruleset, _expected_next(assessor, "potential_migrant", **{section: {name: answered[first]}})
    )


def test_a_broker_and_a_loan_show_a_high_risk_with_every_reason(planner, ruleset):
    at = _tell(planner, {"recruitment.channel": "informal_broker"})
    assert any("Risk of trafficking harm: medium" in w.value for w in at.warning)
    at = _tell(at, {"recruitment.channel": "informal_broker", "recruitment.debt_for_fees": True})
    assert not at.exception
    assert any("Risk of trafficking harm: high" in e.value for e in at.error)
    reasons = [m.value for m in at.markdown if m.value.startswith("- ")]
    for rule_id in ("safe_migration.broker_and_debt", "safe_migration.informal_broker", "safe_migration.debt_for_fees"):
        assert f"- {ruleset.by_id(rule_id).because}" in reasons


def test_not_known_sets_a_question_aside_and_the_next_one_is_asked(planner):
    first = _question(planner)
    at = planner.button(key="planner_decline_not_known").click().run()
    assert _question(at) != first
    assert list(at.session_state["planner_declined"]["potential_migrant"].values()) == ["not_known"]
    assert at.session_state["planner_answers"]["potential_migrant"] == {}


def test_an_answer_can_be_reviewed_and_changed(planner, ruleset):
    at = _tell(planner, {"recruitment.channel": "informal_broker"})
    at.session_state["planner_review"] = True  # the list of answers, opened
    at = at.run().button(key="planner_change_recruitment.channel").click().run()
    assert _question(at) == _prompt(ruleset, "recruitment.channel")
    at = _answer(at, "recruitment.channel", "licensed_agency")
    assert at.session_state["planner_answers"]["potential_migrant"] == {"recruitment.channel": "licensed_agency"}
    assert _question(at) != _prompt(ruleset, "recruitment.channel")
    assert not any("Risk of trafficking harm" in e.value for e in [*at.error, *at.warning])


def test_a_district_is_planned_with_its_own_questions_and_answers_kept_apart(planner, assessor, ruleset):
    at = _tell(planner, {"recruitment.channel": "informal_broker"})
    migrant = dict(at.session_state["planner_answers"]["potential_migrant"])
    at = at.radio(key="planner_kind").set_value("community").run()
    assert _question(at) == _prompt(ruleset, _expected_next(assessor, "community"))
    at = _tell(at, {"traffickers.cases_reported": True})
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert ruleset.catalogue.interventions["prosecute_related_crimes"].label in labels
    assert at.session_state["planner_answers"] == {
        "potential_migrant": migrant,
        "community": {"traffickers.cases_reported": True},
    }
    assert [b.label for b in at.button if b.key and b.key.startswith("planner_decline_")] == ["Not known"]


def test_the_planner_keeps_out_of_the_interviews_answers(planner):
    at = _tell(planner, {"recruitment.channel": "relative"})
    assert "answers" not in at.session_state or at.session_state["answers"] == {}
