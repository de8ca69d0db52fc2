"""The order of the interview (issue 15 §2, knowledge/interview.yaml): follow-ups straight after
the answer that opens them, who the person is and who took part early; a question set aside
stays visible as set aside."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine.case import parse_case
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import RULES_DIR, load_rules

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
BASE = {"case_id": "T", "person": {"age": 30}, "harm": {"status": "trafficked"}}


def _missing(assessor, **sections) -> list[str]:
    return assessor.assess(parse_case({**BASE, **sections})).missing


@pytest.mark.parametrize(
    "sections, next_questions",
    [
        (
            {"exit": {"route": "escape"}, "location": {"current": "destination_outside_harm", "return_planned": True}},
            ["location.wishes", "legal.fears_return"],
        ),
        ({"recovery": {"setting": "short_term_stay", "consent": False}}, ["recovery.free_movement"]),
        ({"legal": {"detained": True}}, ["legal.charges", "legal.has_legal_support"]),
        ({"legal": {"charges": ["illegal_entry"]}}, ["legal.charges_linked_to_trafficking", "legal.has_legal_support"]),
    ],
)
def test_a_follow_up_comes_straight_after_the_answer_that_opens_it(assessor, sections, next_questions):
    assert _missing(assessor, **sections)[: len(next_questions)] == next_questions


def test_a_follow_up_is_not_asked_when_the_answer_does_not_open_it(assessor):
    missing = _missing(
        assessor, exit={"route": "escape"}, location={"current": "destination_outside_harm", "return_planned": False}
    )
    assert missing[:2] != ["location.wishes", "legal.fears_return"]


def test_her_wish_then_age_harm_status_and_who_took_part_are_asked_first(assessor):
    missing = assessor.assess(parse_case({"case_id": "T"})).missing
    assert missing[:4] == ["location.wishes", "person.age", "harm.status", "harm.perpetrators"]


def test_an_answered_follow_up_is_not_asked_again(assessor):
    missing = _missing(
        assessor,
        location={"current": "destination_outside_harm", "return_planned": True, "wishes": "stay"},
        legal={"fears_return": True},
    )
    assert "location.wishes" not in missing and "legal.fears_return" not in missing


def test_ctm_validate_names_a_wrong_follow_up(tmp_path):
    import shutil

    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    (knowledge / "interview.yaml").write_text(
        "early: [person.agee]\nfollow_ups:\n  - when: {fact: location.return_planned, eq: maybe}\n"
        "    ask: [location.wish]\n",
        encoding="utf-8",
    )
    problems = "\n".join(map(str, load_rules(RULES_DIR, knowledge, deep=False)[1]))
    assert "early names 'person.agee'" in problems
    assert "interview.yaml:3" in problems and "unknown value 'maybe'" in problems
    assert "asks 'location.wish', which is not an interview question" in problems


def test_a_question_set_aside_stays_visible_as_set_aside_in_the_review():
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.button(key="decline_not_safe_now").click().run()
    app.session_state["review"] = True
    app = app.run()
    assert any("Not safe to ask now" in m.value for m in app.markdown)
