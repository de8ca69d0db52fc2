"""The practice page, driven through streamlit's AppTest: choose, answer, submit, read the feedback."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine.i18n import Texts
from engine.practice import GRADED

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
SCENARIO = "involuntary-repatriation-fisher"
KEY = f"practice_{SCENARIO}"


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("practice.py").run()
    assert not at.exception
    return at.selectbox(key="practice_scenario").set_value(SCENARIO).run()


def _answer(at: AppTest, exit_route=None, flags=(), interventions=()) -> AppTest:
    if exit_route:
        at.selectbox(key=f"{KEY}_exit_route").set_value(exit_route)
    at.multiselect(key=f"{KEY}_flags").set_value(list(flags))
    at.multiselect(key=f"{KEY}_interventions").set_value(list(interventions))
    return at.button(key=f"{KEY}_submit").click().run()


def _boxes(elements) -> str:
    return "\n".join(e.value for e in elements)


def test_the_page_shows_the_narrative_and_the_questions_before_any_feedback(page, library_scenario):
    assert not page.exception
    assert " ".join(library_scenario.narrative.split()[:10]) in _boxes(page.markdown)
    assert {f"{KEY}_{name}" for name in GRADED} <= {s.key for s in page.selectbox}
    assert not page.metric  # no score before the trainee commits


def test_submitting_shows_right_missed_and_over_items_side_by_side(page, assessor, library_scenario):
    found = assessor.assess(library_scenario.case)
    raised = [f.id for f in found.flags]
    page = _answer(page, exit_route="rescue_raid", flags=[raised[0], "reprisal_risk"],
                   interventions=["review_repatriation_decision", "quick_repatriation_on_request"])
    assert not page.exception
    right, missed, over = _boxes(page.success), _boxes(page.error), _boxes(page.warning)
    assert f"`{raised[0]}`" in right and "`review_repatriation_decision` · key" in right
    assert all(f"`{flag}`" in missed for flag in raised[1:])
    assert "`reprisal_risk`" in over and "`quick_repatriation_on_request`" in over
    captions = _boxes(page.caption)
    assert "rule `geography.return_requested`" in captions and "Not given here, because this did not hold" in captions
    markdown = _boxes(page.markdown)
    words = Texts(assessor.ruleset).option  # the two answers, side by side, as the page words them
    assert words("classification.exit_route", "rescue_raid") in markdown
    assert words("classification.exit_route", "escape") in markdown
    assert library_scenario.learning_points[0] in markdown
    assert page.metric[0].value.endswith("%")


def test_a_perfect_answer_scores_100_and_the_session_summary_has_nothing_to_revise(page, assessor, library_scenario):
    found = assessor.assess(library_scenario.case)
    for name in GRADED:
        page.selectbox(key=f"{KEY}_{name}").set_value(found.classification[name])
    page = _answer(page, flags=[f.id for f in found.flags],
                   interventions=[r.intervention for r in found.recommendations])
    assert page.metric[0].value == "100%"
    assert "Matrix areas to revise:** none" in _boxes(page.markdown)


def test_the_session_summary_counts_attempts_and_names_the_areas_to_revise(page):
    page = _answer(page, exit_route="rescue_raid")
    page = _answer(page, exit_route="escape")  # the answers stay on the form; the exit route put right
    assert len(page.session_state["practice_attempts"]) == 2
    summary = _boxes(page.markdown)
    assert "2 attempt(s)" in summary and "Matrix areas to revise:** " in summary and "exit (1)" in summary


@pytest.fixture
def library_scenario(ruleset):
    from engine.scenarios import load_scenarios

    return next(s for s in load_scenarios(ruleset.catalogue) if s.id == SCENARIO)
