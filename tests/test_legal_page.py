"""The "Legal check" page (ui/legal.py), driven through streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import legal
from engine.case import parse_case

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
HELD_FOR_ILLEGAL_ENTRY = """\
case_id: PAGE-1
harm: {status: trafficked}
legal: {detained: true, charges: [illegal_entry], events_year: 2027}
"""


def legal_page(answers: dict | None = None) -> AppTest:
    """The page, opened from the navigation after the interview (whose state it reads) was shown."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.session_state["case_id"] = "PAGE-INTERVIEW"
    at.session_state["answers"] = answers or {}
    return at.switch_page("legal.py").run()


def shown_statuses(at: AppTest) -> dict[str, str]:
    boxes = [*at.error, *at.warning, *at.info]
    found = {}
    for box in boxes:
        for standard in legal.STANDARDS:
            if box.value.startswith(f"**{standard.title}** — "):
                found[standard.id] = box.value.split(" — ", 1)[1]
    return found


def expected_statuses(assessor, data: dict) -> dict[str, str]:
    return {f.standard.id: legal.STATUS_WORDS[f.status] for f in legal.check(assessor, parse_case(data))}


def test_the_page_checks_the_case_of_the_interview(assessor):
    answers = {"harm.status": "trafficked", "legal.detained": True, "legal.charges": ["illegal_stay"]}
    at = legal_page(answers)
    assert not at.exception and at.title[0].value == "Legal check"
    data = {
        "case_id": "PAGE-INTERVIEW",
        "harm": {"status": "trafficked"},
        "legal": {"detained": True, "charges": ["illegal_stay"]},
    }
    assert shown_statuses(at) == expected_statuses(assessor, data)
    assert shown_statuses(at)["non_punishment"] == "engaged"


def test_with_no_answers_yet_every_finding_waits(assessor):
    at = legal_page()
    statuses = shown_statuses(at)
    assert len(statuses) == len(legal.STANDARDS)
    assert statuses == expected_statuses(assessor, {"case_id": "PAGE-INTERVIEW"})
    # The law in time waits for the year, asked for in words, not by its id.
    assert "which year the events happened" in at.info[0].value and "events_year" not in at.info[0].value


def test_a_pasted_case_file_is_checked_with_the_law_that_applies(assessor):
    at = legal_page()
    at.radio(key="legal_source").set_value("A case file").run()
    at.text_area(key="legal_paste").set_value(HELD_FOR_ILLEGAL_ENTRY).run()
    assert not at.exception
    assert shown_statuses(at)["immigration_detention"] == "engaged"
    law = next(box.value for box in at.info if box.value.startswith("Law at the time of the events (2027)"))
    assert "Ordinance, 2026" in law


def test_a_bad_case_file_is_refused_with_the_field_and_nothing_else_is_shown():
    at = legal_page()
    at.radio(key="legal_source").set_value("A case file").run()
    at.text_area(key="legal_paste").set_value("case_id: X\nlegal: {detained: perhaps}\n").run()
    assert not at.exception
    assert "legal.detained" in at.error[0].value
    assert shown_statuses(at) == {}


@pytest.mark.parametrize(
    "item_id, heading",
    [
        ("non_punishment", "Why flag"),
        ("reverse_trafficking", "Why not flag"),
        ("police_training", "Why not intervention"),
    ],
)
def test_why_or_why_not_can_be_asked_of_any_catalogue_item(item_id, heading):
    at = legal_page()
    at.radio(key="legal_source").set_value("A case file").run()
    at.text_area(key="legal_paste").set_value(HELD_FOR_ILLEGAL_ENTRY).run()
    at.selectbox(key="legal_ask").set_value(item_id).run()
    answer = at.markdown[-1].value
    assert answer.startswith(f"{heading} `{item_id}`")


def test_a_file_of_another_kind_is_not_checked():
    at = legal_page()
    at.radio(key="legal_source").set_value("A case file").run()
    at.text_area(key="legal_paste").set_value("case_id: DISTRICT-1\nkind: community\n").run()
    assert "survivor case" in at.error[0].value and shown_statuses(at) == {}


def test_the_legal_check_can_be_exported_for_the_legal_advisors_file():
    at = legal_page({"harm.status": "trafficked", "legal.detained": True, "legal.charges": ["illegal_entry"]})
    assert not at.exception
    buttons = {b.key for b in at.get("download_button")}
    assert {"legal_download_md", "legal_download_html"} <= buttons
