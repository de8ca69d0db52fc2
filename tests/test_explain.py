"""Why and why-not (engine/explain.py, `ctm explain`)."""

import json
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.case import FIELDS, allowed_values, field_info, parse_case
from engine.cli import main
from engine.errors import CtmError
from engine.explain import (
    MAX_CHANGE,
    changed_case,
    find_item,
    produced,
    why,
    why_not,
    why_not_text,
    why_report,
    why_report_text,
)
from engine.samples import random_case


def case(**sections):
    return parse_case({"case_id": "EXPLAIN-TEST", **sections})


UNRELATED_THEFT = case(
    harm={"status": "trafficked"},
    legal={"detained": False, "charges": ["theft"], "charges_linked_to_trafficking": "no"},
)


def _single_answers(path: str, current) -> list:
    """Every single answer a caseworker could give to `path` (lists: the current list plus one item)."""
    kind, is_list = field_info(path)
    if is_list:
        have = list(current or [])
        return [have + [v] for v in allowed_values(path) if v not in have] + ([[]] if have else [])
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [v for v in allowed_values(path) if v != current]
    if kind is bool:
        return [v for v in (True, False) if v != current]
    if path == "legal.events_year":
        return [2011, 2012, 2020, 2025, 2026, 2030]
    if path == "legal.events_date":
        return ["2026-01-05", "2026-01-06"]
    if kind is int:
        return [0, 1, 2, 17, 18, 30]
    return ["Bangladesh", "India"]


# ---------------------------------------------------------------------------- why ----


def test_why_walks_back_through_the_derived_classification_to_the_answer(assessor, ruleset):
    assessment = assessor.assess(case(harm={"status": "safe_migration"}, person={"age": 30}))
    (chain,) = why(assessment, ruleset, "not_trafficking")
    assert chain.rule == "screening.flag_not_trafficking"
    assert chain.matched == {"harm_status": "safe_migration"}
    assert [step.rule for step in chain.derived_from] == ["screening.stated_safe_migration"]
    assert chain.derived_from[0].matched["harm.status"] == "safe_migration"


def test_the_why_report_cites_every_source_of_the_chain(assessor, ruleset):
    report = why_report(assessor.assess(case(harm={"status": "safe_migration"})), ruleset, "not_trafficking")
    assert report["produced"] is True and report["item"]["kind"] == "flag"
    cited = [s for step in (report["chains"][0], report["chains"][0]["derived_from"][0]) for s in step["sources"]]
    assert set(report["citations"]) == set(cited)
    assert all(ruleset.catalogue.sources[s].citation() == text for s, text in report["citations"].items())
    assert "screening.stated_safe_migration" in why_report_text(report)


def test_why_of_something_not_produced_says_so_and_points_to_why_not(assessor, ruleset):
    report = why_report(assessor.assess(UNRELATED_THEFT), ruleset, "non_punishment")
    assert report["produced"] is False and report["chains"] == []
    assert "--why-not non_punishment" in why_report_text(report)


def test_an_unknown_id_is_refused_with_the_nearest_ids(ruleset):
    with pytest.raises(CtmError, match="did you mean: non_punishment"):
        find_item(ruleset, "non_punishmnt")


# ------------------------------------------------------------------------ why not ----


def test_why_not_something_that_was_produced_says_it_was(assessor):
    held = case(harm={"status": "trafficked"}, legal={"detained": True, "charges": ["illegal_stay"]})
    result = why_not(assessor, held, "non_punishment")
    assert result.produced and not result.rules and not result.changes
    assert "It was raised" in why_not_text(result)


def test_why_not_lists_the_conditions_that_failed_with_their_answers(assessor):
    result = why_not(assessor, UNRELATED_THEFT, "non_punishment")
    (check,) = result.rules
    assert check.rule == "rights.non_punishment" and check.status == "does_not_apply"
    failed = {b.fact: b.value for b in check.failed}
    assert failed == {"legal.charges_linked_to_trafficking": "no"}
    assert check.unknown == []


def test_a_branch_that_already_holds_is_not_blamed(assessor):
    # held without charge: "detained" decides the `any`, so the empty charge list is no reason
    held = case(
        harm={"status": "trafficked"}, legal={"detained": True, "charges": [], "charges_linked_to_trafficking": "no"}
    )
    (check,) = why_not(assessor, held, "non_punishment").rules
    assert {b.fact for b in check.failed} == {"legal.charges_linked_to_trafficking"}


def test_unknown_conditions_name_the_unanswered_questions_behind_them(assessor):
    result = why_not(assessor, case(harm={"status": "trafficked"}), "remains_in_harm")
    (check,) = result.rules
    assert check.status == "cannot_tell_yet"
    (blocker,) = check.unknown
    assert blocker.fact == "remains_in_harm" and blocker.value is None
    assert set(blocker.answers) == {"exit.route", "location.current"}


def test_what_would_change_is_confirmed_by_assessing_the_changed_case(assessor):
    result = why_not(assessor, UNRELATED_THEFT, "non_punishment")
    assert result.changes
    for change in result.changes:
        assessment = assessor.assess(changed_case(UNRELATED_THEFT, change.answers))
        assert produced(assessment, result.item)
        assert change.rule in [f.rule for f in assessment.trace if "flag:non_punishment" in f.asserted]


def test_what_would_change_is_the_smallest_set_of_answers(assessor):
    item = "release_from_immigration_detention"
    result = why_not(assessor, UNRELATED_THEFT, item)
    assert result.changes and all(len(c.answers) == 2 for c in result.changes)
    answers = UNRELATED_THEFT.answers()
    for path in FIELDS:  # no single answer, whatever it is, makes it appear
        for value in _single_answers(path, answers[path]):
            assert not produced(assessor.assess(changed_case(UNRELATED_THEFT, {path: value})), result.item), (
                path,
                value,
            )
    for change in result.changes:  # and no part of a change is enough on its own
        for path in change.answers:
            part = {k: v for k, v in change.answers.items() if k != path}
            assert not produced(assessor.assess(changed_case(UNRELATED_THEFT, part)), result.item)


def test_what_would_change_fills_in_unknown_answers_before_changing_given_ones(assessor):
    escaped = case(harm={"status": "trafficked"}, exit={"route": "escape"})
    changed = [list(c.answers) for c in why_not(assessor, escaped, "urgent_health").changes]
    # health needs are not asked yet; the exit route is answered (escape): both are one answer away
    assert ["exit.health"] in changed and ["exit.route"] in changed
    assert changed.index(["exit.route"]) > max(i for i, c in enumerate(changed) if c == ["exit.health"])


def test_an_item_no_rule_produces_has_no_rules_and_no_change(assessor):
    result = why_not(assessor, UNRELATED_THEFT, "police_training")
    assert result.rules == [] and result.changes == []
    assert "No rule for a survivor case file produces it" in why_not_text(result)


def test_the_text_and_the_json_tell_the_same_story(assessor):
    result = why_not(assessor, UNRELATED_THEFT, "urgent_health")
    data, text = result.to_dict(), why_not_text(result)
    json.dumps(data)  # plain data
    for check in data["rules"]:
        assert f"`{check['rule']}`" in text
    for change in data["what_would_change"]:
        assert change["confirmed"] is True and f"`{change['rule']}`" in text


ANY_CASE = st.builds(random_case, st.randoms(use_true_random=False), st.just(0), st.floats(0.0, 1.0))


@given(
    ANY_CASE,
    st.sampled_from(
        [
            "non_punishment",
            "reverse_trafficking",
            "stranded_in_custody",
            "consent_not_respected",
            "confidentiality_risk",
            "reprisal_risk",
            "urgent_health",
            "compensation_claim",
            "non_refoulement_review",
        ]
    ),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_change_offered_is_confirmed_and_never_takes_an_answer_back(assessor, any_case, item_id):
    result = why_not(assessor, any_case, item_id)
    if result.produced:
        return
    assert all(check.failed or check.unknown for check in result.rules)
    for change in result.changes:
        assert 0 < len(change.answers) <= MAX_CHANGE
        assert all(value is not None for value in change.answers.values())
        assert produced(assessor.assess(changed_case(any_case, change.answers)), result.item)


# ---------------------------------------------------------------------------- CLI ----


@pytest.fixture
def theft_file(tmp_path) -> Path:
    path = tmp_path / "theft.yaml"
    path.write_text(
        "case_id: CLI-1\nharm: {status: trafficked}\n"
        "legal: {detained: false, charges: [theft], charges_linked_to_trafficking: 'no'}\n"
    )
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(map(str, args)))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_explain_why_not_as_json(capsys, theft_file):
    code, out, _ = run(capsys, "explain", theft_file, "--why-not", "non_punishment", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["produced"] is False
    assert data["rules"][0]["rule"] == "rights.non_punishment"
    assert {"legal.charges_linked_to_trafficking": "yes"} in [c["answers"] for c in data["what_would_change"]]


def test_explain_why_as_text(capsys, theft_file):
    code, out, _ = run(capsys, "explain", theft_file, "--why", "screening_needed")
    assert code == 0 and "It was not raised" in out


def test_explain_refuses_an_unknown_id_with_status_2(capsys, theft_file):
    code, out, err = run(capsys, "explain", theft_file, "--why-not", "no_such_thing")
    assert code == 2 and out == "" and "neither a flag nor an intervention" in err


def test_explain_needs_exactly_one_question(capsys, theft_file):
    with pytest.raises(SystemExit) as exit_:
        main(["explain", str(theft_file), "--why", "x", "--why-not", "y"])
    assert exit_.value.code == 2


def test_explain_refuses_a_bad_case_file_naming_the_field(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: X\nlegal: {events_year: 12}\n")
    code, out, err = run(capsys, "explain", bad, "--why", "non_punishment")
    assert code == 2 and "legal.events_year" in err and out == ""


def test_a_condition_reads_as_a_sentence_in_the_readers_language(ruleset):
    """Not `legal.detained eq true`: the question's words and the answer's label, in English and Bengali."""
    from engine.i18n import Texts

    english, bengali = Texts(ruleset), Texts(ruleset, "bn")
    detained = english.condition("legal.detained", "eq", True)
    assert detained == f"The answer to “{english.question('legal.detained')}” is Yes"
    assert english.condition("legal.charges", "empty", False).endswith("names at least one")
    assert english.condition("legal.charges_linked_to_trafficking", "known", False).endswith("is not known yet")
    assert "Rescued in a raid" in english.condition("exit_route", "in", ("rescue_raid", "escape"))
    assert "worked out from the answers" in english.condition("exit_route", "eq", "rescue_raid")
    shown = bengali.condition("legal.detained", "eq", True)
    assert bengali.question("legal.detained") in shown and bengali.message("value.yes") in shown
    for text in (detained, shown):
        assert "legal.detained" not in text and " eq " not in text


def test_why_not_for_people_names_questions_not_ids(assessor, ruleset):
    from engine.i18n import Texts

    case = parse_case({"case_id": "T-WHY", "harm": {"status": "trafficked"}})  # held not known yet
    for lang in ("en", "bn"):
        text = why_not_text(why_not(assessor, case, "non_punishment"), Texts(ruleset, lang))
        assert "legal.detained" not in text and Texts(ruleset, lang).question("legal.detained") in text
