"""A case over time (case-vocabulary.md §4): visits applied in date order, `null` withdraws an
answer, the timeline says what each visit changed, and a file without visits is as before."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import yamlio
from engine.case import load_case, parse_case
from engine.errors import CtmError
from engine.followup import next_visit
from engine.report import to_html, to_json, to_markdown
from engine.rules import load_rules

HISTORY = Path(__file__).parent.parent / "examples" / "history-three-visits.yaml"


def _history(text: str):
    return parse_case(yamlio.loads(text, "history.yaml"), "history.yaml")


def test_three_visits_give_a_timeline_of_three_whose_last_classification_is_the_case(assessor):
    assessment = assessor.assess(load_case(HISTORY))
    assert [e.date for e in assessment.timeline] == ["2026-01-10", "2026-03-02", "2026-09-15"]
    assert assessment.timeline[-1].classification == assessment.classification
    first, second, third = assessment.timeline
    assert first.classification["geographic_outcome"] == "jail_remand_home"
    assert "stranded_in_custody" in first.gained.flags and not first.lost.flags
    assert "stranded_in_custody" in second.lost.flags
    assert third.classification["integration_outcome"] == "successful"


def test_visits_apply_in_date_order_whatever_the_file_order(assessor):
    case = _history("""
case_id: BD-H-0002
visits:
  - {date: 2026-05-01, location: {current: repatriated_voluntary}}
  - {date: 2026-02-01, harm: {status: trafficked}, location: {current: third_country}}
""")
    assert [v.date for v, _ in case.visits] == ["2026-02-01", "2026-05-01"]
    assert case.answers()["location.current"] == "repatriated_voluntary"
    assert case.answers()["harm.status"] == "trafficked"


def test_an_answer_written_null_at_a_visit_is_unknown_again(assessor):
    case = _history("""
case_id: BD-H-0003
visits:
  - {date: 2026-01-10, legal: {detained: true, charges: [illegal_entry]}}
  - {date: 2026-02-10, legal: {charges: null}}
""")
    assert case.answers()["legal.charges"] is None  # not known again, not "none"
    assert case.answers()["legal.detained"] is True
    assert "legal.charges" in assessor.assess(case).missing


def test_a_file_without_visits_gives_the_json_it_gave_before(assessor):
    """No `timeline` or `next_visit` key, and the same JSON as a one-visit history's latest state."""
    flat = load_case(Path(__file__).parent.parent / "examples" / "escape-destination.yaml")
    data = json.loads(to_json(assessor.assess(flat)))
    assert "timeline" not in data and "next_visit" not in data
    answers = {k: v for k, v in flat.to_file_dict().items() if k not in ("case_id", "kind")}
    history = parse_case({"case_id": flat.case_id, "visits": [{"date": "2026-01-01", **answers}]})
    as_history = json.loads(to_json(assessor.assess(history)))
    assert len(as_history.pop("timeline")) == 1 and as_history.pop("next_visit")["months"] >= 1
    assert as_history == data


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("visits: []", ["visits: expected a list"]),
        ("visits:\n  - {harm: {status: trafficked}}", ["visits.0", "date"]),
        ("visits:\n  - {date: 10/01/2026}", ["visits.0.date", "YYYY-MM-DD", "history.yaml:3"]),
        ("visits:\n  - {date: 2026-13-40}", ["2026-13-40", "history.yaml:3"]),
        ("visits:\n  - date: 2026-01-01\n    case_id: X", ["visits.0.case_id", "top of the file"]),
        (
            "visits:\n  - date: 2026-01-01\n    legal: {detained: maybe}",
            ["visit of 2026-01-01", "legal.detained", "history.yaml:4"],
        ),
        ("visits:\n  - date: 2026-01-01\n    harm: {status: lost}", ["visit of 2026-01-01", "allowed: trafficked"]),
    ],
)
def test_a_bad_history_is_refused_naming_the_visit_field_and_line(text, words):
    with pytest.raises(CtmError) as error:
        _history("case_id: BD-H-0004\n" + text + "\n")
    for word in words:
        assert word in str(error.value)


def test_fragile_integration_brings_the_next_visit_forward(ruleset):
    cat = ruleset.catalogue
    grey = next_visit(cat, {"integration_outcome": "grey_area", "recovery_type": "unknown"}, "2026-01-31")
    well = next_visit(
        cat, {"integration_outcome": "successful", "recovery_type": "self_recovery_outside_harm"}, "2026-01-31"
    )
    assert grey.months < well.months
    assert grey.due == "2026-02-28"  # a month on, at the month's end
    assert next_visit(cat, {"integration_outcome": "successful"}, None).due is None


def test_the_history_json_says_when_the_next_visit_is_due(assessor):
    data = json.loads(to_json(assessor.assess(load_case(HISTORY))))
    assert data["next_visit"]["due"] > data["timeline"][-1]["date"]


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_the_reports_show_the_timeline_as_a_table_and_a_chart(assessor, lang):
    assessment = assessor.assess(load_case(HISTORY))
    markdown = to_markdown(assessment, assessor.ruleset, "2026-12-08", lang)
    heading = {"en": "Visits over time", "bn": "সময়ের সঙ্গে সাক্ষাৎগুলো"}[lang]
    assert f"## {heading}" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 3  # the header and one row per visit
    assert "data:image/svg+xml;base64," in markdown
    html = to_html(assessment, assessor.ruleset, "2026-12-08", lang)
    assert html.count("<tr>") == 1 + 3 and '<img alt="' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html


def test_a_report_of_one_visit_says_when_to_see_the_person_again(assessor):
    markdown = to_markdown(
        assessor.assess(load_case(Path(__file__).parent.parent / "examples" / "escape-destination.yaml")),
        assessor.ruleset,
        "2026-12-08",
    )
    assert "## Next visit" in markdown and "## Visits over time" not in markdown


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda s: s.replace(
                "  - id: routine\n", "  - id: routine\n    when: {fact: harm_status, eq: trafficked}\n"
            ),
            ["followup 'routine' is last"],
        ),
        (
            lambda s: s.replace("{fact: integration_outcome, in:", "{fact: legal.detained, in:"),
            ["followup 'fragile_integration' reads 'legal.detained'"],
        ),
        (lambda s: s.replace("months: 1\n", "months: 0\n"), ["followup[0].months"]),
    ],
)
def test_ctm_validate_checks_the_follow_up_schedule(copies, edit, words):
    rules, knowledge = copies
    path = knowledge / "followup.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    _, problems = load_rules(rules, knowledge, deep=False)
    text = "\n".join(map(str, problems))
    for word in words:
        assert word in text


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.sampled_from(["trafficked", "yes", "x", ""]),
    st.lists(st.sampled_from(["illegal_entry", "community", 3]), max_size=2),
)
_sections = st.dictionaries(
    st.sampled_from(["harm", "legal", "integration", "person", "bogus"]),
    st.one_of(
        st.dictionaries(
            st.sampled_from(["status", "detained", "charges", "age", "support", "nope"]), _values, max_size=3
        ),
        _values,
    ),
    max_size=3,
)
_visit = st.one_of(
    _values,
    _sections,
    st.fixed_dictionaries(
        {"date": st.one_of(st.dates().map(str), st.dates(), st.text(max_size=5), st.integers())}
    ).flatmap(lambda d: _sections.map(lambda rest: {**rest, **d})),
)


@settings(max_examples=150, deadline=None)
@given(base=_sections, visits=st.one_of(_values, st.lists(_visit, max_size=4)))
def test_any_history_is_a_case_or_one_clear_error(base, visits):
    try:
        case = parse_case({"case_id": "BD-H-FUZZ", **base, "visits": visits})
    except CtmError as error:
        assert str(error) and "Traceback" not in str(error)
    else:
        assert [v.date for v, _ in case.visits] == sorted(v.date for v, _ in case.visits)
