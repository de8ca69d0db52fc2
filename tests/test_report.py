"""Reports and exports: what they carry, and that an exported case loads again unchanged."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import yamlio
from engine.case import parse_case
from engine.report import case_file_text, to_html, to_json, to_markdown
from engine.samples import random_case

DATE = "2026-11-28"


@given(st.randoms(use_true_random=False), st.floats(0.0, 1.0))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_exported_case_file_loads_again_with_identical_advice(assessor, rng, known):
    case = random_case(rng, known=known)
    text = case_file_text(case, assessor.ruleset, DATE)
    again = parse_case(yamlio.loads(text, "export.yaml"))
    assert again == case
    assert to_json(assessor.assess(again)) == to_json(assessor.assess(case))


def test_the_case_file_export_carries_the_reference_digest_and_date_only(assessor):
    case = parse_case({"case_id": "EXP-1", "person": {"age": 30}, "exit": {"route": "escape"}})
    text = case_file_text(case, assessor.ruleset, DATE)
    assert DATE in text and assessor.ruleset.digest in text and "case_id: EXP-1" in text
    assert "name:" not in text


def test_the_reports_carry_the_case_reference_digest_and_date(assessor):
    case = parse_case({"case_id": "EXP-2", "legal": {"detained": True}})
    assessment = assessor.assess(case)
    markdown = to_markdown(assessment, assessor.ruleset, DATE)
    html = to_html(assessment, assessor.ruleset, DATE)
    for report in (markdown, html):
        assert "EXP-2" in report and DATE in report and assessor.ruleset.digest in report
    assert "<script" not in html and "http" not in html  # self-contained and printable


def test_the_html_report_escapes_what_it_shows(assessor):
    case = parse_case({"case_id": "EXP-3", "person": {"origin": "<b>x</b>"}})
    html = to_html(assessor.assess(case), assessor.ruleset, DATE)
    assert "<b>x</b>" not in html
