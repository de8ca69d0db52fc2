"""The legal advisor's check (engine/legal.py, `ctm legal`) and the justice rules behind it."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import legal
from engine.case import allowed_values, parse_case
from engine.conditions import leaves
from engine.cli import main
from engine.errors import CtmError
from engine.explain import changed_case, find_item, producing_rules
from engine.samples import random_case

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ANY_CASE = st.builds(random_case, st.randoms(use_true_random=False), st.just(0), st.floats(0.0, 1.0))


def case(**sections):
    return parse_case({"case_id": "LEGAL-TEST", **sections})


def status(assessor, standard_id: str, **sections) -> str:
    return legal.finding(assessor, case(**sections), standard_id).status


# --------------------------------------------------------------- the findings table ----


def test_every_finding_can_be_engaged_by_some_rule(ruleset):
    for standard in legal.STANDARDS:
        rules = [r for item in standard.engaged_by for r in producing_rules(ruleset, find_item(ruleset, item))]
        assert rules, f"nothing can ever engage '{standard.id}'"


def test_every_finding_cites_known_sources_and_an_international_standard(ruleset):
    sources = ruleset.catalogue.sources
    for standard in legal.STANDARDS:
        assert set(standard.sources) <= set(sources), standard.id
        assert any(sources[s].kind == "international" for s in standard.sources), standard.id


def test_the_check_covers_what_a_legal_advisor_asks_about():
    assert [s.id for s in legal.STANDARDS] == [
        "non_punishment",
        "immigration_detention",
        "custody",
        "assistance_not_conditional",
        "legal_assistance",
        "reflection_period",
        "voluntary_return",
        "non_refoulement",
        "privacy",
        "compensation",
        "retaliation",
        "officials",
    ]


def test_an_unknown_finding_is_a_clear_error(assessor):
    with pytest.raises(CtmError, match="known: non_punishment"):
        legal.finding(assessor, case(), "non_punishmnt")


# ------------------------------------------------ engaged / not engaged / cannot tell ----


def test_non_punishment_is_engaged_for_a_person_held_for_illegal_entry(assessor):
    found = legal.finding(assessor, case(legal={"detained": True, "charges": ["illegal_entry"]}), "non_punishment")
    assert found.status == legal.ENGAGED
    assert [b["rule"] for b in found.because] == ["rights.non_punishment"]


def test_non_punishment_is_not_engaged_for_an_unrelated_charge_and_says_what_would_change(assessor):
    found = legal.finding(
        assessor,
        case(legal={"detained": False, "charges": ["theft"], "charges_linked_to_trafficking": "no"}),
        "non_punishment",
    )
    assert found.status == legal.NOT_ENGAGED and found.missing == []
    assert {"legal.charges_linked_to_trafficking": "yes"} in [c.answers for c in found.changes]


def test_non_punishment_cannot_tell_names_the_answers_it_waits_for(assessor):
    found = legal.finding(assessor, case(harm={"status": "trafficked"}), "non_punishment")
    assert found.status == legal.CANNOT_TELL
    # held is read from every answer that can record it (issue 14 §3), not from legal.detained alone
    assert set(found.missing) == {
        "legal.detained",
        "legal.charges",
        "location.current",
        "recovery.setting",
        "recovery.free_movement",
    }


@pytest.mark.parametrize(
    "standard_id, sections, expected",
    [
        (
            "immigration_detention",
            {"harm": {"status": "trafficked"}, "legal": {"detained": True, "charges": ["illegal_stay"]}},
            legal.ENGAGED,
        ),
        (
            "immigration_detention",
            {
                "harm": {"status": "trafficked"},
                "person": {"cross_border": False},
                "legal": {"detained": True, "charges": ["theft"]},
            },
            legal.NOT_ENGAGED,
        ),
        ("assistance_not_conditional", {"legal": {"assistance_conditional_on_cooperation": True}}, legal.ENGAGED),
        (
            "assistance_not_conditional",
            {"legal": {"assistance_conditional_on_cooperation": False, "wants_prosecution": "yes"}},
            legal.NOT_ENGAGED,
        ),
        (
            "assistance_not_conditional",
            {
                "harm": {"status": "trafficked"},  # she declines legal action (issue 14 §4)
                "legal": {"assistance_conditional_on_cooperation": False, "wants_prosecution": "no"},
            },
            legal.ENGAGED,
        ),
        ("assistance_not_conditional", {}, legal.CANNOT_TELL),
        (
            "non_refoulement",
            {
                "harm": {"status": "trafficked"},
                "person": {"cross_border": True},
                "location": {"current": "destination_outside_harm"},
                "legal": {"fears_return": True},
            },
            legal.ENGAGED,
        ),
        (
            "non_refoulement",
            {
                "harm": {"status": "trafficked"},
                "person": {"cross_border": True},
                "location": {"current": "repatriated_voluntary"},
                "legal": {"fears_return": True},
            },
            legal.NOT_ENGAGED,
        ),
        ("privacy", {"legal": {"media_exposure": True}}, legal.ENGAGED),
        ("privacy", {"legal": {"media_exposure": False}}, legal.NOT_ENGAGED),
        (
            "retaliation",
            {"legal": {"wants_prosecution": "yes"}, "harm": {"indicators": ["threat_of_reprisals"]}},
            legal.ENGAGED,
        ),
        ("officials", {"legal": {"officials_complicit": True}}, legal.ENGAGED),
        ("custody", {"recovery": {"setting": "safe_custody"}}, legal.ENGAGED),
        (
            "compensation",
            {"harm": {"status": "trafficked", "indicators": ["wages_withheld"]}, "legal": {"wants_prosecution": "no"}},
            legal.ENGAGED,
        ),
        (
            "reflection_period",
            {"harm": {"status": "trafficked"}, "legal": {"wants_prosecution": "undecided"}},
            legal.ENGAGED,
        ),
        ("voluntary_return", {"location": {"current": "repatriated_involuntary"}}, legal.ENGAGED),
    ],
)
def test_each_finding_follows_the_case(assessor, standard_id, sections, expected):
    assert status(assessor, standard_id, **sections) == expected


def test_a_finding_that_cannot_tell_offers_answers_the_engine_confirms(assessor):
    unknown = case(harm={"status": "trafficked"}, person={"cross_border": True})
    found = legal.finding(assessor, unknown, "non_refoulement")
    assert found.status == legal.CANNOT_TELL and "legal.fears_return" in found.missing
    for change in found.changes:
        assert legal.finding(assessor, changed_case(unknown, change.answers), "non_refoulement").status == legal.ENGAGED


# ---------------------------------------------------- the property of the issue ----

CHARGES = allowed_values("legal.charges")


@st.composite
def held_or_charged_answers(draw):
    base = draw(ANY_CASE)
    legal_answers = {
        "detained": draw(st.sampled_from([True, False, None])),
        "charges": draw(st.one_of(st.none(), st.lists(st.sampled_from(CHARGES), unique=True, max_size=3))),
        "charges_linked_to_trafficking": draw(st.sampled_from(["yes", "no", "unknown", None])),
    }
    return changed_case(base, {f"legal.{k}": v for k, v in legal_answers.items()})


@given(held_or_charged_answers())
@SETTINGS
def test_non_punishment_is_raised_for_every_detained_or_charged_person_whose_link_may_exist(assessor, any_case):
    if any_case.exit.route == "death":  # the dead are not the living (issue 14 §8)
        any_case = changed_case(any_case, {"exit.route": None})
    answers, recovery, where = any_case.legal, any_case.recovery, any_case.location.current
    # held, whatever question recorded it: detained, in jail, in safe custody or a shelter they may not leave
    held = (
        answers.detained is True
        or where == "jail_remand_home"
        or recovery.setting in ("safe_custody", "jail")
        or recovery.free_movement is False
    )
    not_held = (
        answers.detained is False
        and where not in (None, "jail_remand_home")
        and recovery.setting not in (None, "safe_custody", "jail")
        and (recovery.free_movement is True or (recovery.setting == "none" and recovery.free_movement is None))
    )
    held_or_charged = held or bool(answers.charges)
    link_possible = answers.charges_linked_to_trafficking in ("yes", "unknown", None)
    found = legal.finding(assessor, any_case, "non_punishment")
    raised = "non_punishment" in {f.id for f in assessor.assess(any_case).flags}
    if held_or_charged and link_possible:
        assert raised and found.status == legal.ENGAGED
    elif answers.charges_linked_to_trafficking == "no" or (not_held and answers.charges == []):
        assert not raised and found.status == legal.NOT_ENGAGED
    else:  # neither held nor charged is known yet
        assert not raised and found.status == legal.CANNOT_TELL
        assert (
            set(found.missing)
            <= {"legal.detained", "legal.charges", "location.current", "recovery.setting", "recovery.free_movement"}
            and found.missing
        )


# -------------------------------------------------------- cooperation is never a condition ----

# The only advice that may follow the person's decision about a prosecution: help with that
# prosecution itself (in her case, also against officials who took part), time to decide, safety
# before it, and — when she declines — the assurance that help goes on (issue 14 §4).
JUSTICE_STEPS = {
    "legal_assistance_throughout",
    "compensation_claim",
    "reflection_period",
    "safety_planning",
    "protection_before_proceedings",
    "prosecute_complicit_officials",
    "disciplinary_action_officials",
    "unconditional_assistance",
}


def test_no_rule_that_reads_the_decision_to_prosecute_gives_anything_but_justice_steps(ruleset):
    for rule in ruleset.rules:
        reads = {leaf.fact for leaf in leaves(rule.when)}
        if "legal.wants_prosecution" in reads:
            assert set(rule.effects.recommend) <= JUSTICE_STEPS, rule.id


@given(ANY_CASE)
@SETTINGS
def test_care_and_protection_never_depend_on_cooperating_with_a_prosecution(assessor, any_case):
    def care(decision):
        changed = changed_case(any_case, {"legal.wants_prosecution": decision})
        return {r.intervention for r in assessor.assess(changed).recommendations} - JUSTICE_STEPS

    assert care("yes") == care("no") == care("undecided") == care(None)


def test_help_tied_to_testifying_is_challenged_and_the_principle_stated(assessor):
    assessment = assessor.assess(case(legal={"assistance_conditional_on_cooperation": True, "wants_prosecution": "no"}))
    assert "unconditional_assistance" in {r.intervention for r in assessment.recommendations}
    assert "assistance_not_conditional_on_cooperation" in {p.id for p in assessment.principles}


def test_wanting_prosecution_while_fearing_reprisal_puts_safety_first(assessor):
    assessment = assessor.assess(case(legal={"wants_prosecution": "yes", "fears_reprisal": True}))
    recommended = {r.intervention for r in assessment.recommendations}
    assert {"safety_planning", "protection_before_proceedings"} <= recommended
    assert "reprisal_risk" in {f.id for f in assessment.flags}
    assert "safety_before_legal_steps" in {p.id for p in assessment.principles}


# ------------------------------------------------------------------------ law in time ----


@pytest.mark.parametrize(
    "when, act_2012, ordinance",
    [
        (None, "unknown_year", "unknown_year"),
        (2010, "not_in_force", "not_in_force"),  # before the Act
        (2012, "applies", "not_in_force"),  # the Act's first year (in force from 2012)
        (2024, "applies", "not_in_force"),
        (2025, "applies", "not_in_force"),
        (2026, "check", "check"),  # the law changed on 6 January 2026: the date decides
        (date(2026, 1, 5), "applies", "not_in_force"),  # the Act's last day
        (date(2026, 1, 6), "not_in_force", "applies"),  # the Ordinance's first day
        (2030, "not_in_force", "applies"),
    ],
)
def test_which_bangladeshi_law_applies_to_the_date_of_the_events(ruleset, when, act_2012, ordinance):
    sources = ruleset.catalogue.sources
    assert legal.law_in_time(sources["bd.pshta_2012"], when, sources)["status"] == act_2012
    assert legal.law_in_time(sources["bd.ordinance_2026"], when, sources)["status"] == ordinance


def test_a_repealed_provision_names_its_equivalent_in_the_ordinance(ruleset):
    sources = ruleset.catalogue.sources
    note = legal.law_in_time(sources["bd.pshta_2012.s28"], 2027, sources)["note"]
    assert "Repealed after 2026-01-05" in note and "Section 46" in note


def test_the_ordinance_governs_proceedings_now_for_events_under_the_act(ruleset):
    sources = ruleset.catalogue.sources
    later = legal.law_in_time(sources["bd.ordinance_2026.s54_1"], 2024, sources, today=date(2026, 12, 8))
    assert later["status"] == "not_in_force" and "governs proceedings now, as far as possible" in later["note"]
    before = legal.law_in_time(sources["bd.ordinance_2026.s54_1"], 2024, sources, today=date(2025, 12, 8))
    assert "proceedings now" not in before["note"]
    law = legal.applicable_law(2024, sources, today=date(2026, 12, 8))
    assert sources["bd.ordinance_2026"].instrument in law["proceedings"]


def test_an_unverified_provision_in_force_is_still_to_be_checked(ruleset):
    sources = ruleset.catalogue.sources
    unverified = sources["bd.pshta_2012.s34"].model_copy(update={"verified": False})
    assert legal.law_in_time(unverified, 2020, sources)["status"] == "check"
    assert legal.law_in_time(sources["bd.pshta_2012.s34"], 2020, sources)["status"] == "applies"


def test_international_standards_and_undated_national_sources_carry_no_period(ruleset):
    sources = ruleset.catalogue.sources
    assert legal.law_in_time(sources["ohchr.p7"], 2020, sources) is None
    assert legal.law_in_time(sources["bd.bsehr_v_bangladesh"], 2020, sources) is None


def test_the_report_lists_the_advice_that_rests_on_bangladeshi_law_with_its_period(assessor):
    data = legal.report(
        assessor, case(harm={"status": "trafficked"}, legal={"wants_prosecution": "yes", "events_year": 2026})
    )
    advice = {(a["item"], a["source"]): a["status"] for a in data["law_in_time"]["advice"]}
    assert advice[("compensation_claim", "bd.pshta_2012.s28")] == "check"
    assert advice[("check_current_law", "bd.ordinance_2026")] == "check"
    assert "date of the events" in data["law_in_time"]["summary"]


def test_the_legal_check_is_for_a_survivor_case(assessor):
    community = parse_case({"case_id": "DISTRICT-1", "kind": "community"})
    with pytest.raises(CtmError, match="survivor case"):
        legal.report(assessor, community)


# ------------------------------------------------------------------------------- CLI ----


def test_ctm_legal_prints_the_findings_as_markdown_and_as_json(capsys, tmp_path):
    path = tmp_path / "held.yaml"
    path.write_text(
        "case_id: CLI-LEGAL\nharm: {status: trafficked}\n"
        "legal: {detained: true, charges: [illegal_entry], events_year: 2020}\n"
    )
    assert main(["legal", str(path)]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Legal check for case CLI-LEGAL")
    assert "| Non-punishment | engaged |" in markdown and "## Law in time" in markdown
    assert main(["legal", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in data["findings"]] == [s.id for s in legal.STANDARDS]
    assert data["law_in_time"]["events_year"] == 2020


def test_ctm_legal_refuses_a_bad_case_with_status_2(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("case_id: X\nlegal: {fears_return: perhaps}\n")
    assert main(["legal", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "legal.fears_return" in out.err
