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
    return at.header[0].value


def _answer_radio(at: AppTest, field: str, value) -> AppTest:
    """Answer `field` when the interview asks it, setting aside ("not known") what comes before."""
    for _ in range(40):
        if [r for r in at.radio if r.key == f"q_{field}"]:
            at.radio(key=f"q_{field}").set_value(value)  # choosing does not run the page: Save sends it
            return at.button(key="save").click().run()
        at = at.button(key="decline_not_known").click().run()
    raise AssertionError(f"{field} was never asked")


def _open(at: AppTest, key: str) -> AppTest:
    """Open an expander whose content is worked out only while it is open."""
    at.session_state[key] = True
    return at.run()


def test_the_first_question_is_the_most_decisive_one_for_an_empty_case(app, assessor, ruleset):
    first = assessor.assess(parse_case({"case_id": "X"})).missing[0]
    assert not app.exception
    assert _question(app) == _prompt(ruleset, first)


def test_an_answer_moves_to_the_next_most_decisive_question_and_updates_the_advice(app, assessor, ruleset):
    missing = assessor.assess(parse_case({"case_id": "X"})).missing
    # the person's own wish first (issue 14 §7), then the early questions (knowledge/interview.yaml)
    assert missing[:3] == ["location.wishes", "person.age", "harm.status"]
    app = _answer_radio(app, "location.wishes", "undecided")
    assert not app.exception
    assert app.session_state["answers"] == {"location.wishes": "undecided"}
    expected_next = assessor.assess(parse_case({"case_id": "X", "location": {"wishes": "undecided"}}))
    assert _question(app) == _prompt(ruleset, expected_next.missing[0])
    app = _answer_radio(app, "location.current", "repatriated_involuntary")
    assert not app.exception
    assert app.session_state["answers"] == {
        "location.wishes": "undecided",
        "location.current": "repatriated_involuntary",
    }
    assert any("reverse trafficking" in e.value.lower() for e in app.error)  # the high flag is shown
    expected_next = assessor.assess(
        parse_case({"case_id": "X", "location": {"wishes": "undecided", "current": "repatriated_involuntary"}})
    )
    asked = [f for f in expected_next.missing if f not in app.session_state["declined"]]  # set aside on the way
    assert _question(app) == _prompt(ruleset, asked[0])


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
    assert not [b for b in app.button if b.key == "change_location.current"]  # drawn when the list is opened
    app = _open(app, "review")
    app = app.button(key="change_location.current").click().run()
    assert app.radio(key="q_location.current").value == "jail_remand_home"
    app = _answer_radio(app, "location.current", "destination_outside_harm")
    assert app.session_state["answers"]["location.current"] == "destination_outside_harm"
    assert app.session_state["declined"] == declined and len(declined) >= 1
    box = app.info[0].value  # what the change did to the advice, under the question's words, not its id
    assert _words().question("location.current") in box and "location.current" not in box


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
    assert not app.get("download_button")  # drawn when "Save, resume, export" is opened
    keys = {element.proto.id for element in _open(app, "files").get("download_button")}
    assert len(keys) == 3


def test_two_sessions_never_see_each_others_case():
    one = AppTest.from_file(APP, default_timeout=60).run()
    two = AppTest.from_file(APP, default_timeout=60).run()
    one = _answer_radio(one, "location.current", "jail_remand_home")
    two.run()
    assert two.session_state["answers"] == {}
    assert one.session_state["case_id"] != two.session_state["case_id"]


def test_a_case_reference_that_is_not_allowed_is_refused_and_the_old_one_kept(app):
    app = _open(app, "files")
    before = app.session_state["case_id"]
    app = app.text_input(key="case_ref").set_value("given name family name").run()
    assert app.session_state["case_id"] == before and not app.exception
    assert "cannot be a case reference" in app.error[0].value
    app = app.text_input(key="case_ref").set_value("CASE-77").run()
    assert app.session_state["case_id"] == "CASE-77"


def test_why_not_answers_for_an_intervention_that_is_not_in_the_advice(app):
    assert not app.selectbox  # worked out only when asked for
    app = _open(app, "why_not")
    app = app.selectbox(key="why_not_item").set_value("funeral_rites").run()
    text = " ".join(m.value for m in app.markdown)
    # The conditions as sentences: the question's words and the answer's label, not `exit.route eq death`.
    assert (
        not app.exception
        and f"The answer to “{_words().question('exit.route')}” is {_words().option('exit.route', 'death')}" in text
    )
    assert "exit.route" not in text


def test_save_without_an_answer_asks_for_one_and_records_nothing(app, ruleset):
    first = _question(app)
    app = app.button(key="save").click().run()
    assert not app.exception
    assert _question(app) == first
    assert app.session_state["answers"] == {} and app.session_state["declined"] == {}
    assert "Choose an answer" in app.warning[0].value


def test_what_changed_is_shown_even_when_the_advice_before_was_never_shown(app):
    app = _answer_radio(app, "location.current", "destination_outside_harm")
    before = app.session_state["assessed"][2]
    while not [r for r in app.radio if r.key == "q_exit.route"]:
        app = app.button(key="decline_not_known").click().run()  # changes nothing in the advice
    del app.session_state["assessed"]  # as if the run before this answer had been cut short
    app.radio(key="q_exit.route").set_value("rescue_raid")
    app = app.button(key="save").click().run()
    after = app.session_state["assessed"][2]
    changed = {r.label for r in after.recommendations} ^ {r.label for r in before.recommendations}
    box = app.info[0].value
    assert _words().question("exit.route") in box and changed and all(label in box for label in changed)


def test_the_costly_parts_are_drawn_only_when_asked_for(app):
    app = _answer_radio(app, "location.current", "jail_remand_home")
    assert not app.get("graphviz_chart") and not app.get("download_button") and not app.selectbox
    assert not [b for b in app.button if (b.key or "").startswith("change_")]
    app = _open(app, "map")
    assert app.get("graphviz_chart")


def test_why_shows_the_rules_answers_and_sources_behind_a_flag(app, ruleset):
    app = _answer_radio(app, "location.current", "jail_remand_home")
    flag = app.session_state["assessed"][2].flags[0]
    app = _open(app, "why").selectbox(key="why_item").set_value(flag.id).run()
    text = " ".join(m.value for m in app.markdown)
    assert not app.exception
    assert f"rule `{flag.rule}`" in text and "matched:" in text and _words().question("location.current") in text
    assert "location.current" not in text


@pytest.mark.parametrize(
    "field, low, high",
    [("person.age", 0, 130), ("recovery.months_in_custody", 0, 600), ("legal.events_year", 1950, 2100)],
)
def test_a_number_is_asked_within_the_bounds_of_the_case_model(app, field, low, high):
    app.session_state["editing"] = field  # as if reopened from the list of answers
    box = app.run().number_input(key=f"q_{field}")
    assert (box.min, box.max) == (low, high)
    box.set_value(high)
    app = app.button(key="save").click().run()
    assert app.session_state["answers"] == {field: high}


def test_saving_nothing_chosen_in_a_list_is_the_answer_none(app):
    app.session_state["editing"] = "migration.needs"  # as if reopened from the list of answers
    app = app.run().button(key="save").click().run()
    assert app.session_state["answers"] == {"migration.needs": []}
    assert not [w for w in app.warning if "Choose an answer" in w.value]


def _words():
    from engine.i18n import Texts
    from engine.rules import load_valid_rules

    return Texts(load_valid_rules())


def test_the_review_list_shows_questions_and_answers_in_words_each_change_button_named_apart(app):
    app = _answer_radio(app, "location.current", "jail_remand_home")
    app = app.button(key="decline_not_known").click().run()
    app = _open(app, "review")
    text = " ".join(m.value for m in app.markdown)
    words = _words()
    assert words.question("location.current") in text and words.option("location.current", "jail_remand_home") in text
    assert "location.current" not in text
    labels = [b.label for b in app.button if (b.key or "").startswith("change_")]
    assert len(labels) >= 2 and len(set(labels)) == len(labels)  # each its own name, as a screen reader announces it


def test_a_yes_no_not_known_question_offers_no_not_known_yet_beside_the_not_known_button(app):
    app.session_state["editing"] = "legal.charges_linked_to_trafficking"
    app = app.run()
    [radio] = [r for r in app.radio if r.key == "q_legal.charges_linked_to_trafficking"]
    assert list(radio.options) == ["Yes", "No"]
    assert [b for b in app.button if b.key == "decline_not_known"]


def test_a_list_question_offers_no_select_all(app):
    app.session_state["editing"] = "legal.charges"
    app = app.run()
    [chooser] = [m for m in app.multiselect if m.key == "q_legal.charges"]
    assert not chooser.proto.select_all  # no "Select all" and no "Select N matches"
