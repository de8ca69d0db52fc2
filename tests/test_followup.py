"""A follow-up visit in the interview (issue 19 point 3), driven through streamlit's AppTest:
the likely-to-change questions first with last visit's answer beside them, and the visit saved
into the history file, which loads again with the same answers."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from engine import yamlio
from engine.case import load_case, parse_case
from ui import followup

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "ui" / "app.py")
HISTORY = ROOT / "examples" / "history-three-visits.yaml"


class Session(dict):
    """The session's values, read as the page reads them (s.get(...) and s.name)."""

    __getattr__ = dict.__getitem__


def _session(at: AppTest) -> Session:
    state = at.session_state
    return Session({k: state[k] for k in ("answers", "case_id", "visits", "baseline", "followup") if k in state})


def _loaded(path: Path, lang: str = "en") -> AppTest:
    """A session that has just loaded this file, as the interview's "Load" leaves it, with
    "Save, resume, export" open."""
    case = load_case(path)
    answers = {p: list(v) if isinstance(v, tuple) else v for p, v in case.answers().items() if v is not None}
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "answers": answers,
        "declined": {},
        "case_id": case.case_id,
        "files": True,
        "lang": lang,
        "visits": tuple(v for v, _ in case.visits),
        "baseline": dict(answers),
    }.items():
        at.session_state[key] = value
    return at.run()


def _begin(at: AppTest, day: str) -> AppTest:
    import datetime

    at.date_input(key="followup_date").set_value(datetime.date.fromisoformat(day))
    return at.button(key="followup_begin").click().run()


def test_a_follow_up_visit_asks_the_likely_to_change_questions_first_with_last_answers(ruleset):
    at = _begin(_loaded(HISTORY), "2027-01-20")
    assert not at.exception
    first = at.header[0].value
    assert first == ruleset.catalogue.questions["integration.support"].prompt
    assert any(i.value == "Last visit: Getting help" for i in at.info)
    at = at.button(key="unchanged_integration.support").click().run()
    assert at.header[0].value == ruleset.catalogue.questions["integration.settings"].prompt
    assert at.session_state["answers"]["integration.support"] == "facilitated"  # kept as it was


def test_a_visit_saved_from_the_interview_loads_again_as_the_history_plus_that_visit(assessor):
    at = _begin(_loaded(HISTORY), "2027-01-20")
    for _ in range(10):  # keep the answers as they were until the livelihood question comes
        if [r for r in at.radio if r.key == "q_integration.livelihood"]:
            break
        at = at.button(key=f"unchanged_{at.session_state['ask_key'][2:]}").click().run()
    at.radio(key="q_integration.livelihood").set_value(False)
    at = at.button(key="save").click().run()
    assert not at.exception
    session = _session(at)
    text = followup.history_text(session, assessor.ruleset, "2027-01-20")
    again = parse_case(yamlio.loads(text, "saved.yaml"), "saved.yaml")
    dates = [visit.date for visit, _ in again.visits]
    assert dates == ["2026-01-10", "2026-03-02", "2026-09-15", "2027-01-20"]
    assert again.visits[-1][0].answers == {"integration": {"livelihood": False}}  # only what changed
    assert {p: v for p, v in again.answers().items() if v is not None} == {
        p: tuple(v) if isinstance(v, list) else v for p, v in session["answers"].items()
    }
    assert len(assessor.assess(again).timeline) == 4


def test_a_case_without_history_becomes_one_at_its_first_follow_up(assessor):
    at = _loaded(ROOT / "examples" / "escape-destination.yaml")
    import datetime

    at = at.date_input(key="followup_previous").set_value(datetime.date(2026, 6, 1)).run()  # as the browser does
    at = _begin(at, "2026-12-01")
    assert not at.exception
    session = _session(at)
    again = parse_case(yamlio.loads(followup.history_text(session, assessor.ruleset, "2026-12-01"), "h.yaml"))
    assert [visit.date for visit, _ in again.visits] == ["2026-06-01", "2026-12-01"]
    assert again.answers() == load_case(ROOT / "examples" / "escape-destination.yaml").answers()


def test_outside_a_follow_up_visit_nothing_changes_in_the_interview():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and "followup" not in at.session_state
    assert not [b for b in at.button if b.key and b.key.startswith("unchanged_")]


def test_a_follow_up_visit_speaks_the_chosen_language():
    at = _begin(_loaded(HISTORY, "bn"), "2027-01-20")
    assert not at.exception
    assert any(i.value.startswith("আগের সাক্ষাতে:") for i in at.info)
