"""What to do first (issue 15, case-vocabulary.md §4): level and urgency of every recommendation,
the do_first list, the reports that open with it, and knowledge/urgency.yaml's checks."""

import json
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import conditions
from engine.case import load_case, parse_case
from engine.knowledge import KNOWLEDGE_DIR
from engine.report import to_html, to_json, to_markdown
from engine.rules import RULES_DIR, load_rules
from engine.samples import random_case
from engine.urgency import DO_FIRST_MAX, URGENCIES, do_first_key

ANY_CASE = st.builds(random_case, st.randoms(use_true_random=False), st.just(0), st.floats(0.0, 1.0))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ROOT = Path(__file__).resolve().parent.parent
SATKHIRA = ROOT / "examples" / "satkhira-shelter.yaml"


@given(ANY_CASE)
@SETTINGS
def test_the_do_first_contract_holds_for_every_case(assessor, case):
    assessment = assessor.assess(case)
    {r.intervention: r for r in assessment.recommendations}
    for rec in assessment.recommendations:
        assert rec.level == assessor.ruleset.catalogue.interventions[rec.intervention].level
        assert rec.urgency in URGENCIES
    now = [r.intervention for r in assessment.recommendations if r.level == "case" and r.urgency == "now"]
    assert len(assessment.do_first) == len(set(assessment.do_first)) <= DO_FIRST_MAX
    assert set(assessment.do_first) <= set(now)
    assert len(assessment.do_first) == min(len(now), DO_FIRST_MAX)  # nothing urgent left out while room remains
    ranks = [_rank(assessor, case, assessment, iid) for iid in assessment.do_first]
    assert ranks == sorted(ranks)  # most protective first


def _rank(assessor, case, assessment, iid) -> tuple[int, int, int]:
    """The stated order (engine/urgency.py do_first_key), worked out again from the holding rules:
    the severity of the raised flags a situation answers, then each situation's first step before
    any second, situations in the file's order."""
    answers = case.answers()
    facts = {**answers, **assessor.run(answers)[0]}
    raised = {f.id: f.severity for f in assessment.flags}
    recommended = {r.intervention for r in assessment.recommendations}
    keys = [
        do_first_key(rule, index, [i for i in rule.interventions if i in recommended].index(iid), raised)
        for index, rule in enumerate(assessor.ruleset.urgency.rules)
        if rule.urgency == "now" and iid in rule.interventions and conditions.evaluate(rule.when, facts)
    ]
    return min(keys)


@given(ANY_CASE)
@SETTINGS
def test_the_markdown_report_of_any_case_opens_with_do_first(assessor, case):
    report = to_markdown(assessor.assess(case), assessor.ruleset, "2026-12-08", case=case)
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Do first", "## Flags"]
    if any(r.level == "programme" for r in assessor.assess(case).recommendations):
        assert headings[-2:] == ["## For the organisation / for policy", "## Sources"]


def test_the_satkhira_case_does_the_protective_steps_first(assessor):
    """A woman in a shelter she may not leave, a return planned that she fears, charged with
    illegal entry, sold by her husband: stop the return, a lawyer on her fear of return, defend
    the charge, release from the closed shelter first — never posters, hotlines or loans."""
    assessment = assessor.assess(load_case(SATKHIRA))
    first = assessment.do_first
    assert first[0] in ("confirm_return_wishes", "review_repatriation_decision")  # stop the return, first
    assert {"review_repatriation_decision", "non_refoulement_review", "non_punishment_defence"} <= set(first)
    assert {"informed_consent_placement", "release_from_immigration_detention"} & set(first)  # release
    assert not {"info_where_to_go", "micro_credit", "access_to_loans", "job_training", "referral_network"} & set(first)
    for iid in first:
        assert next(r for r in assessment.recommendations if r.intervention == iid).urgency == "now"


def test_urgency_follows_the_situation_not_the_item(assessor):
    """The same advice is `now` while the person is charged, and not once the charge is gone."""
    charged = {
        "case_id": "T-1",
        "harm": {"status": "trafficked"},
        "legal": {"charges": ["illegal_entry"], "charges_linked_to_trafficking": "yes"},
    }
    urgency = {r.intervention: r.urgency for r in assessor.assess(parse_case(charged)).recommendations}
    assert urgency["non_punishment_defence"] == "now"
    detained = {**charged, "legal": {"detained": True, "charges": [], "charges_linked_to_trafficking": "yes"}}
    assert {r.intervention: r for r in assessor.assess(parse_case(detained)).recommendations}[
        "non_punishment_defence"
    ].urgency == "now"
    assert urgency.get("micro_credit") in (None, "later")


def test_a_case_with_nothing_urgent_has_an_empty_do_first(assessor):
    calm = {
        "case_id": "T-2",
        "person": {"age": 30},
        "harm": {"status": "trafficked"},
        "exit": {"route": "escape", "health": []},
        "location": {"current": "repatriated_voluntary", "wishes": "return_home"},
        "legal": {"detained": False, "charges": [], "fears_reprisal": False, "media_exposure": False},
    }
    assessment = assessor.assess(parse_case(calm))
    assert assessment.recommendations and assessment.do_first == []
    report = to_markdown(assessment, assessor.ruleset)
    assert "## Do first\n\nNothing is urgent" in report


def test_the_json_contract_only_gains_fields(assessor):
    data = json.loads(to_json(assessor.assess(load_case(SATKHIRA))))
    assert {
        "case_id",
        "ruleset",
        "classification",
        "flags",
        "recommendations",
        "principles",
        "trace",
        "missing",
        "do_first",
    } <= set(data)
    rec = data["recommendations"][0]
    assert {"intervention", "label", "actor", "rule", "because", "sources", "level", "urgency"} <= set(rec)


def test_posters_hotlines_and_policy_are_programme_level(assessor):
    interventions = assessor.ruleset.catalogue.interventions
    for iid in (
        "info_where_to_go",
        "referral_network",
        "awareness_posters",
        "police_training",
        "research_harm_environment",
        "rescue_policy_procedure",
        "strengthen_laws",
    ):
        assert interventions[iid].level == "programme", iid
    for iid in ("non_punishment_defence", "review_repatriation_decision", "safety_planning", "health_care"):
        assert interventions[iid].level == "case", iid


def test_the_export_first_page_a_supervisor_reads(assessor):
    case = load_case(SATKHIRA)
    declined = {"exit.health": "not_safe_now", "legal.fears_reprisal": "prefers_not_to_say"}
    report = to_markdown(assessor.assess(case), assessor.ruleset, "2026-12-08", case=case, declined=declined)
    top = report.split("## Advice for this person")[0]
    assert "Case reference: EX-0006" in top and "Date: 2026-12-08" in top and "sha256:" in top
    assert "How old is the person? — **22**" in top  # the question's words and the answer's label
    assert "— **Not safe to ask now**" in top and "— **Prefers not to say**" in top
    assert not re.search(r"\b(legal|harm|recovery|location)\.[a-z_]+\b", top)  # no ids
    assert re.search(r"\[\d+(, \d+)*\]", top)  # short references ...
    sources = report.split("## Sources")[1]
    assert "1. " in sources and report.count("## Sources") == 1  # ... listed once at the end
    html = to_html(assessor.assess(case), assessor.ruleset, "2026-12-08", "bn", case, declined)
    assert "@page{" in html and "margin:18mm" in html and "<ol>" in html


def test_the_legal_check_export_has_the_same_header_and_answers(assessor):
    from engine import legal
    from engine.i18n import Texts

    case = load_case(SATKHIRA)
    t = Texts(assessor.ruleset, "bn")
    text = legal.to_markdown(
        legal.report(assessor, case, t),
        assessor.ruleset.catalogue.questions,
        t,
        "2026-12-08",
        case,
        {"exit.health": "not_safe_now"},
    )
    assert t.message("report.case_ref", case_id="EX-0006") in text
    assert t.message("report.heading.answers") in text and t.message("decline.not_safe_now") in text


def _urgency_copy(tmp_path: Path, text: str) -> list[str]:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge, dirs_exist_ok=True)
    (knowledge / "urgency.yaml").write_text(text, encoding="utf-8")
    _, problems = load_rules(RULES_DIR, knowledge, deep=False)
    return [str(p) for p in problems]


def test_ctm_validate_names_what_is_wrong_in_urgency_yaml(tmp_path):
    bad = """default: {case: soon, programme: later}
urgency:
  - id: urgency.x
    when: {fact: legal.detaind, eq: true}
    urgency: now
    interventions: [awareness_posters, no_such_thing]
    flags: [no_such_flag]
    because: "A reason long enough to read."
    sources: [seed.overview]
"""
    problems = "\n".join(_urgency_copy(tmp_path, bad))
    assert "urgency.yaml:3" in problems and "unknown fact 'legal.detaind'" in problems
    assert "'awareness_posters', a programme-level intervention" in problems
    assert "unknown intervention 'no_such_thing'" in problems and "unknown flag 'no_such_flag'" in problems
    wrong_value = bad.replace("urgency: now", "urgency: asap").replace("legal.detaind", "legal.detained")
    assert any("allowed urgency: now, soon, later" in p for p in _urgency_copy(tmp_path, wrong_value))


def test_the_interview_shows_do_first_at_the_top_and_keeps_programme_advice_collapsed(assessor):
    from streamlit.testing.v1 import AppTest

    from engine.i18n import Texts

    case = load_case(SATKHIRA)
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=60).run()
    at.session_state["answers"] = {
        f: list(v) if isinstance(v, tuple) else v for f, v in case.answers().items() if v is not None
    }
    at = at.run()
    assessment = assessor.assess(case)
    for lang in ("en", "bn"):
        t = Texts(assessor.ruleset, lang)
        if lang == "bn":
            at = at.radio(key="lang_choice").set_value("bn").run()
        texts = [m.value for m in at.markdown]
        heading = texts.index(f"#### {t.message('report.heading.do_first')}")
        steps = texts[heading + 1]
        assert all(t.label("interventions", iid) in steps for iid in assessment.do_first)
        assert steps.index(t.label("interventions", "review_repatriation_decision")) == steps.index("**") + 2
        programme = [r for r in assessment.recommendations if r.level == "programme"]
        label = t.message("advice.programme", count=len(programme))
        assert [e for e in at.expander if e.label == label]  # there, and closed: its items are not drawn
        assert not any(t.label("interventions", r.intervention) in " ".join(texts) for r in programme)
