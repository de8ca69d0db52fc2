"""The case file model (case-vocabulary.md §1)."""

import json

import pytest

from engine import yamlio
from engine.case import FIELDS, Case, case_from_answers, load_case, parse_case
from engine.errors import CtmError


def test_a_missing_answer_is_unknown_never_no():
    case = parse_case({"case_id": "T-1"})
    assert all(value is None for value in case.answers().values())


def test_an_empty_list_is_an_answer_none():
    case = parse_case({"case_id": "T-1", "harm": {"indicators": []}})
    assert case.answers()["harm.indicators"] == ()


@pytest.mark.parametrize("typed, meant", [("yes", "yes"), ("no", "no"), ("unknown", "unknown")])
def test_a_caseworker_who_types_bare_yes_or_no_gets_what_they_meant(typed, meant):
    data = yamlio.loads(
        f"case_id: T-1\nlegal:\n  charges_linked_to_trafficking: {typed}\n  wants_prosecution: {typed if typed != 'unknown' else 'undecided'}"
    )
    case = parse_case(data)
    assert case.legal.charges_linked_to_trafficking == meant


def test_yaml_and_json_case_files_load_the_same(tmp_path):
    data = {"case_id": "T-2", "exit": {"route": "escape"}, "legal": {"charges": ["illegal_entry"]}}
    (tmp_path / "c.json").write_text(json.dumps(data))
    (tmp_path / "c.yaml").write_text("case_id: T-2\nexit:\n  route: escape\nlegal:\n  charges: [illegal_entry]\n")
    assert load_case(tmp_path / "c.json") == load_case(tmp_path / "c.yaml")


def test_the_case_file_round_trips_with_unknown_kept_unknown():
    case = parse_case({"case_id": "T-3", "exit": {"route": "escape"}, "harm": {"indicators": []}})
    again = parse_case(case.to_file_dict())
    assert again == case and again.answers()["legal.detained"] is None


def test_every_field_of_the_vocabulary_is_there():
    assert len(FIELDS) == 43 and {"location.return_planned", "harm.perpetrators", "integration.family_safe"} <= set(
        FIELDS
    )


def test_no_field_can_hold_a_name():
    assert not [field for field in FIELDS if "name" in field]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CtmError, match="file not found"):
        load_case(tmp_path / "nowhere.yaml")


def test_the_json_schema_forbids_unknown_keys():
    schema = Case.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["case_id"]


def test_a_case_built_from_answers_holds_them_and_gives_them_back():
    answers = {"exit.route": "escape", "legal.detained": True, "person.age": 31}
    case = case_from_answers("CASE-1", answers)
    assert case.kind == "survivor_case" and case.case_id == "CASE-1"
    assert {path: value for path, value in case.answers().items() if value is not None} == answers
    with pytest.raises(CtmError, match="exit.route"):
        case_from_answers("CASE-1", {"exit.route": "flew"})
    assert case_from_answers("PLAN-1", {}, "community").kind == "community"
