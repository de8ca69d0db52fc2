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
    page = _answer(
        page,
        exit_route="rescue_raid",
        flags=[raised[0], "reprisal_risk"],
        interventions=["review_repatriation_decision", "children_outside_brothel"],
    )
    assert not page.exception
    right, missed, over = _boxes(page.success), _boxes(page.error), _boxes(page.warning)
    label = Texts(assessor.ruleset).label  # each item by its words, not its id
    assert label("flags", raised[0]) in right
    assert f"{label('interventions', 'review_repatriation_decision')} (key)" in right
    assert all(label("flags", flag) in missed for flag in raised[1:])
    assert label("flags", "reprisal_risk") in over and label("interventions", "children_outside_brothel") in over
    assert "`reprisal_risk`" not in over + right + missed
    captions = _boxes(page.caption)
    assert "rule `remaining.children`" in captions and "Not given here, because this did not hold" in captions
    assert "The answer to “" in captions and " eq " not in captions  # conditions as sentences
    markdown = _boxes(page.markdown)
    words = Texts(assessor.ruleset).option  # the two answers, side by side, as the page words them
    assert words("classification.exit_route", "rescue_raid") in markdown
    assert words("classification.exit_route", "escape") in markdown
    assert library_scenario.learning_points[0] in markdown
    assert page.metric[0].value.endswith("%")
    # The score says what counted and what cost: here the two choices the engine did not make.
    assert "Chosen but not given by the engine: 2 point(s) that could not be won" in markdown
    assert "Classification: 0 of 4 points" in markdown


def test_an_intervention_the_matrix_lists_for_the_situation_is_not_over_recommended(page, assessor, library_scenario):
    """The matrix lists it at a node this person reached, though no rule advises it for this case:
    shown as "in the matrix", neither counted nor costing a point."""
    from engine.practice import Answer, grade

    found = assessor.assess(library_scenario.case)
    given = {r.intervention for r in found.recommendations}
    nodes = {n for f in found.trace for n in assessor.ruleset.by_id(f.rule).nodes}
    listed = next(
        i for i, e in assessor.ruleset.catalogue.interventions.items() if i not in given and set(e.nodes) & nodes
    )
    feedback = grade(library_scenario, Answer(interventions=frozenset({listed})), assessor)
    [item] = [i for i in feedback.items if i.id == listed]
    assert item.verdict == "matrix" and not item.scored and item not in feedback.mistakes
    assert feedback.points == grade(library_scenario, Answer(), assessor).points
    page = _answer(page, interventions=[listed])
    assert Texts(assessor.ruleset).label("interventions", listed) in _boxes(page.info)
    assert Texts(assessor.ruleset).label("interventions", listed) not in _boxes(page.warning)


def test_a_perfect_answer_scores_100_and_the_session_summary_has_nothing_to_revise(page, assessor, library_scenario):
    found = assessor.assess(library_scenario.case)
    for name in GRADED:
        page.selectbox(key=f"{KEY}_{name}").set_value(found.classification[name])
    page = _answer(
        page, flags=[f.id for f in found.flags], interventions=[r.intervention for r in found.recommendations]
    )
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
