"""The kinds of case file (engine/profiles.py): survivor case, potential migrant, community."""

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import chain, conditions, yamlio
from engine.case import FIELDS, Case, field_info, parse_case
from engine.cli import main
from engine.errors import CtmError
from engine.profiles import ALL_FIELDS, CLASSIFIED, FIELDS_BY_KIND, KINDS, MODELS, Community, PotentialMigrant, facts_of
from engine.rules import RULES_DIR
from engine.samples import random_case

EXAMPLES = Path(__file__).parent.parent / "examples"
OTHER_KINDS = [kind for kind in KINDS if kind != "survivor_case"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_a_file_without_a_kind_is_a_survivor_case_as_before():
    case = parse_case({"case_id": "K-1", "exit": {"route": "escape"}})
    assert type(case) is Case and case.kind == "survivor_case"
    assert list(case.answers()) == list(FIELDS)


@pytest.mark.parametrize("kind, model", [("potential_migrant", PotentialMigrant), ("community", Community)])
def test_the_kind_field_picks_the_model_and_unknown_stays_unknown(kind, model):
    profile = parse_case({"case_id": "K-2", "kind": kind})
    assert type(profile) is model
    assert list(profile.answers()) == list(FIELDS_BY_KIND[kind])
    assert all(value is None for value in profile.answers().values())


def test_an_unknown_kind_is_refused_with_the_allowed_kinds():
    with pytest.raises(
        CtmError, match="kind: 'refugee' is not allowed .allowed: survivor_case, potential_migrant, community."
    ):
        parse_case({"case_id": "K-3", "kind": "refugee"})


def test_a_section_of_another_kind_says_which_kind_it_belongs_to():
    with pytest.raises(CtmError, match="`district` belongs in a file with `kind: community`"):
        parse_case({"case_id": "K-4", "kind": "potential_migrant", "district": {"border_district": True}})


def test_a_wrong_value_in_a_profile_names_the_field_and_the_allowed_values():
    with pytest.raises(
        CtmError,
        match=r"recruitment.channel: 'agent' is not allowed \(allowed: licensed_agency, "
        r"informal_broker, relative, none\)",
    ):
        parse_case({"case_id": "K-5", "kind": "potential_migrant", "recruitment": {"channel": "agent"}})


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_a_profile_round_trips_through_its_file_with_its_kind(kind):
    profile = random_case(random.Random(7), 0, 0.7, kind)
    again = parse_case(profile.to_file_dict())
    assert again == profile and again.to_file_dict()["kind"] == kind


def test_a_path_means_the_same_in_every_kind_that_has_it():
    for path in ALL_FIELDS:
        section, name = path.split(".")
        types = {
            str(model.model_fields[section].annotation.model_fields[name].annotation)
            for model in MODELS.values()
            if section in model.sections() and name in model.model_fields[section].annotation.model_fields
        }
        assert len(types) == 1, f"{path} has different types in different kinds: {types}"


def test_a_community_file_describes_a_district_never_a_person():
    assert not [path for path in FIELDS_BY_KIND["community"] if path.startswith("person.") or "name" in path]


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_every_answer_of_a_potential_migrant_or_a_community_has_an_interview_question(ruleset, kind):
    questions = ruleset.catalogue.questions
    assert [path for path in FIELDS_BY_KIND[kind] if path not in questions] == []


def test_every_rule_reads_only_the_facts_of_its_kinds(ruleset):
    for rule in ruleset.rules:
        for kind in rule.kinds:
            assert set(conditions.facts_of(rule.when)) <= set(facts_of(kind)), rule.id


def test_a_rule_file_that_names_no_kinds_is_for_survivor_cases(ruleset):
    silent = {str(path) for path in RULES_DIR.glob("*.yaml") if "kinds" not in yamlio.load(path)}
    assert silent, "the survivor rule files name no kinds"
    assert all(rule.kinds == ("survivor_case",) for rule in ruleset.rules if rule.path in silent)
    assert {kind for rule in ruleset.rules for kind in rule.kinds} == set(KINDS)


@pytest.mark.parametrize("kind", OTHER_KINDS)
@given(rng=st.randoms(use_true_random=False), known=st.floats(0.0, 1.0))
@SETTINGS
def test_experta_and_the_plain_chain_agree_for_every_kind(assessor, kind, rng, known):
    answers = random_case(rng, 0, known, kind).answers()
    derived, firings = assessor.run(answers, kind)
    plain_derived, plain_fired = chain.run(chain.ordered(assessor.ruleset, kind), answers)
    assert [rule.id for rule, _ in firings] == [rule.id for rule in plain_fired]
    assert derived == plain_derived


@pytest.mark.parametrize("kind", KINDS)
@given(rng=st.randoms(use_true_random=False), known=st.floats(0.0, 1.0))
@SETTINGS
def test_a_file_is_assessed_only_by_the_rules_of_its_kind(assessor, kind, rng, known):
    profile = random_case(rng, 0, known, kind)
    assessment = assessor.assess(profile)
    assert all(kind in assessor.ruleset.by_id(step.rule).kinds for step in assessment.trace)
    assert set(assessment.classification) == set(CLASSIFIED[kind])
    assert set(assessment.missing) <= set(FIELDS_BY_KIND[kind])
    assert all(profile.answers()[field] is None for field in assessment.missing)


def test_the_assessor_keeps_one_engine_per_kind_and_the_survivor_engine_as_before(assessor):
    engine = assessor.engine
    assessor.assess(parse_case({"case_id": "K-6", "kind": "community", "district": {"border_district": True}}))
    assessor.assess(parse_case({"case_id": "K-7", "exit": {"route": "escape"}}))
    assert assessor.engine is engine and engine.running is False


def test_ctm_assess_takes_all_three_kinds_in_one_run(capsys):
    files = [EXAMPLES / name for name in ("escape-destination.yaml", "potential-migrant.yaml", "community.yaml")]
    assert main(["assess", *map(str, files)]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [r["case_id"] for r in results] == ["EX-0001", "EX-PM-0001", "EX-CM-0001"]
    survivor, migrant, community = results
    assert "harm_status" in survivor["classification"]
    assert migrant["classification"] == {} == community["classification"]
    assert {"id": "risk_of_harm", "severity": "high"}.items() <= migrant["flags"][0].items()
    assert {r["intervention"] for r in community["recommendations"]} >= {"joint_border_activities", "police_training"}


@pytest.mark.parametrize("kind", KINDS)
def test_ctm_schema_prints_the_schema_of_each_kind(capsys, kind):
    assert main(["schema", "--kind", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["kind"]["const"] == kind and schema["additionalProperties"] is False


def test_field_info_knows_the_fields_of_every_kind():
    assert field_info("employers.sectors")[1] is True
    assert field_info("recruitment.debt_for_fees") == (bool, False)
    with pytest.raises(KeyError):
        field_info("recruitment.salary")


def test_the_start_up_cache_keeps_each_rules_kinds(ruleset, tmp_path, monkeypatch):
    from engine import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("CTM_NO_CACHE", "0")
    cache.write(ruleset)
    cached = cache.read(ruleset.digest)
    assert cached is not None
    assert [(r.id, r.kinds) for r in cached.rules] == [(r.id, r.kinds) for r in ruleset.rules]


def test_the_kinds_named_by_engine_case_are_the_kinds_with_a_model():
    assert tuple(MODELS) == KINDS and MODELS["survivor_case"] is Case
