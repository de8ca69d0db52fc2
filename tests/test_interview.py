"""The caseworker's interview, driven through streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine.case import parse_case

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _prompt(ruleset, field: str) -> str:
    return ruleset.catalogue.questions[field].prompt


def _question(at: AppTest) -> str:
    return at.subheader[0].value


def _answer_radio(at: AppTest, field: str, value) -> AppTest:
    """Answer `field` when the interview asks it, setting aside ("not known") what comes before."""
    for _ in range(40):
        if [r for r in at.radio if r.key == f"q_{field}"]:
            at = at.radio(key=f"q_{field}").set_value(value).run()  # the browser reruns on every change
            return at.button(key="save").click().run()
        at = at.button(key="decline_not_known").click().run()
    raise AssertionError(f"{field} was never asked")


def test_the_first_question_is_the_most_decisive_one_for_an_empty_case(app, assessor, ruleset):
    first = assessor.assess(parse_case({"case_id": "X"})).missing[0]
    assert not app.exception
    assert _question(app) == _prompt(ruleset, first)


def test_an_answer_moves_to_the_next_most_decisive_question_and_updates_the_advice(app, assessor, ruleset):
    first = assessor.assess(parse_case({"case_id": "X"})).missing[0]
    assert first == "exit.route"
    app = _answer_radio(app, "exit.route", "rescue_raid")
    assert not app.exception
    assert app.session_state["answers"] == {"exit.route": "rescue_raid"}
    expected_next = assessor.assess(parse_case({"case_id": "X", "exit": {"route": "rescue_raid"}}))
    assert _question(app) == _prompt(ruleset, expected_next.missing[0])
    app = _answer_radio(app, "location.current", "repatriated_involuntary")
    assert any("reverse trafficking" in e.value.lower() for e in app.error)  # the high flag is shown


def test_not_known_sets_the_question_aside_and_it_is_not_asked_again(app, ruleset):
    first = _question(app)
    app = app.button(key="decline_not_known").click().run()
    assert _question(app) != first
    assert list(app.session_state["declined"].values()) == ["not_known"]
    assert app.session_state["answers"] == {}


@pytest.mark.parametrize("reason", ["prefers_not_to_say", "not_safe_now"])
def test_the_other_ways_of_not_answering_are_recorded_as_such(app, reason):
    app = app.button(key=f"decline_{reason}").click().run()
    assert list(app.session_state["declined"].values()) == [reason]


def test_advice_still_holds_for_what_is_known_when_questions_are_set_aside(app):
    app = _answer_radio(app, "location.current", "jail_remand_home")
    app = app.button(key="decline_not_safe_now").click().run()
    assert any("custody" in w.value.lower() for w in [*app.warning, *app.error])


def test_an_answer_can_be_reviewed_and_changed_without_losing_the_others(app):
    app = _answer_radio(app, "location.current", "jail_remand_home")
    app = app.button(key="decline_not_known").click().run()
    declined = dict(app.session_state["declined"])
    app = app.button(key="change_location.current").click().run()
    assert app.radio(key="q_location.current").value == "jail_remand_home"
    app = _answer_radio(app, "location.current", "destination_outside_harm")
    assert app.session_state["answers"]["location.current"] == "destination_outside_harm"
    assert app.session_state["declined"] == declined and len(declined) >= 1
    assert "location.current" in app.info[0].value  # what the change did to the advice


def test_clear_all_answers_forgets_the_case(app):
    app = _answer_radio(app, "location.current", "third_country")
    app = app.button(key="clear").click().run()
    assert app.session_state["answers"] == {} and app.session_state["declined"] == {}


def test_quick_exit_clears_the_session_and_shows_a_neutral_page(app):
    app = _answer_radio(app, "location.current", "third_country")
    app = app.button(key="quick_exit").click().run()
    assert app.title[0].value == "Notes"
    assert "answers" not in app.session_state and "assessor" not in app.session_state
    text = " ".join(m.value for m in app.markdown).lower()
    assert "traffick" not in text and "third country" not in text


def test_the_exports_are_offered_for_download(app):
    keys = {element.proto.id for element in app.get("download_button")}
    assert len(keys) == 3


def test_two_sessions_never_see_each_others_case():
    one = AppTest.from_file(APP, default_timeout=60).run()
    two = AppTest.from_file(APP, default_timeout=60).run()
    one = _answer_radio(one, "location.current", "jail_remand_home")
    two.run()
    assert two.session_state["answers"] == {}
    assert one.session_state["case_id"] != two.session_state["case_id"]


def test_a_case_reference_that_is_not_allowed_is_refused_and_the_old_one_kept(app):
    before = app.session_state["case_id"]
    app = app.text_input(key="case_ref").set_value("given name family name").run()
    assert app.session_state["case_id"] == before and not app.exception
    assert "cannot be a case reference" in app.error[0].value
    app = app.text_input(key="case_ref").set_value("CASE-77").run()
    assert app.session_state["case_id"] == "CASE-77"


def test_why_not_answers_for_an_intervention_that_is_not_in_the_advice(app):
    app = app.selectbox(key="why_not_item").set_value("funeral_rites").run()
    text = " ".join(m.value for m in app.markdown)
    assert not app.exception and "exit.route" in text and "death" in text


def test_a_year_can_be_entered_within_the_bounds_the_case_model_allows():
    from ui.interview import _bounds
    assert _bounds("person.age") == (0, 130)
    assert _bounds("legal.events_year")[0] >= 1900
