"""The practice scenario library: it covers the whole matrix, and broken files are refused.

Coverage is read from the engine's assessment of each scenario, against every value of the
vocabulary, so a new exit route, flag or recovery type fails here until a scenario teaches it.
"""

import re
import shutil
from pathlib import Path

import pytest

from engine.assessment import CLASSIFICATION
from engine.case import IntegrationSetting, RemainReason
from engine.errors import CtmError
from engine.scenarios import SCENARIOS_DIR, coverage, load_scenarios

FEATURE = Path(__file__).resolve().parent.parent / "features" / "scenarios.feature"


@pytest.fixture(scope="module")
def scenarios(ruleset):
    return load_scenarios(ruleset.catalogue)


@pytest.fixture(scope="module")
def table(scenarios, assessor):
    return coverage(scenarios, assessor)


def test_the_library_has_at_least_thirty_scenarios_at_every_difficulty(scenarios):
    assert len(scenarios) >= 30
    assert {s.difficulty for s in scenarios} == {"introductory", "intermediate", "advanced"}


def test_every_scenario_is_an_example_row_of_the_feature_and_every_row_a_scenario(scenarios):
    header, *rows = re.findall(r"^\s*\|\s*([a-z0-9-]+)\s*\|\s*$", FEATURE.read_text(encoding="utf-8"), re.M)
    assert header == "scenario"
    assert sorted(rows) == sorted(s.id for s in scenarios)


def _values() -> list[tuple[str, str]]:
    keys = ("harm_status", "exit_route", "geographic_outcome", "recovery_type", "integration_outcome")
    pairs = [(key, str(value)) for key in keys for value in CLASSIFICATION[key]]
    pairs += [("remain_reason", m.value) for m in RemainReason]
    pairs += [("integration_setting", m.value) for m in IntegrationSetting]
    return pairs


@pytest.mark.parametrize(("dimension", "value"), _values(), ids=[f"{d}={v}" for d, v in _values()])
def test_some_scenario_exercises_every_value_of_the_matrix(table, dimension, value):
    assert table[dimension][value], f"no scenario where the engine finds {dimension} = {value}"


# The flags of case-vocabulary.md §3 (public, stable ids) — the ones a survivor's case can raise.
SURVIVOR_FLAGS = (
    "non_punishment",
    "reverse_trafficking",
    "stranded_in_custody",
    "consent_not_respected",
    "confidentiality_risk",
    "reprisal_risk",
    "official_misconduct",
    "child_protection_referral",
    "not_trafficking",
    "screening_needed",
    "urgent_health",
    "remains_in_harm",
)


@pytest.mark.parametrize("flag", SURVIVOR_FLAGS)
def test_some_scenario_raises_every_flag_of_the_vocabulary(table, flag):
    assert table["flag"].get(flag), f"no scenario raises the flag {flag}"


def _flags(assessment) -> dict:
    return {flag.id: flag for flag in assessment.flags}


def _recommended(assessment) -> set:
    return {r.intervention for r in assessment.recommendations}


HARD_ONES = {
    "a safe-migration case that is not trafficking": lambda s, a: (
        a.classification["harm_status"] == "safe_migration"
        and "not_trafficking" in _flags(a)
        and "safe_migration_support" in _recommended(a)
    ),
    "an involuntary repatriation": lambda s, a: (
        a.classification["geographic_outcome"] == "repatriated_involuntary" and "reverse_trafficking" in _flags(a)
    ),
    "months stranded in judicial custody": lambda s, a: (
        (s.case.recovery.months_in_custody or 0) >= 2
        and s.case.recovery.setting in ("safe_custody", "jail")
        and _flags(a).get("stranded_in_custody") is not None
        and _flags(a)["stranded_in_custody"].severity == "high"
    ),
    "a person who chooses to remain": lambda s, a: (
        a.classification["remains_in_harm"] is True and s.case.exit.remain_reason in ("free_agent", "agency_granted")
    ),
    "a death": lambda s, a: (
        a.classification["exit_route"] == "death" and {"funeral_rites", "repatriate_remains"} <= _recommended(a)
    ),
    "a third country": lambda s, a: a.classification["geographic_outcome"] == "third_country",
    "an unknown link between charges and trafficking": lambda s, a: (
        bool(s.case.legal.charges)
        and s.case.legal.charges_linked_to_trafficking == "unknown"
        and "non_punishment" in _flags(a)
    ),
}


@pytest.mark.parametrize("situation", HARD_ONES)
def test_the_library_includes_the_hard_situation(scenarios, assessor, situation):
    found = [s.id for s in scenarios if HARD_ONES[situation](s, assessor.assess(s.case))]
    assert found, f"no scenario with {situation}"


def test_every_person_is_an_adult_except_where_the_scenario_teaches_the_child_referral(scenarios):
    minors = [s.id for s in scenarios if s.case.person.age is not None and s.case.person.age < 18]
    teaching = [s.id for s in scenarios if s.expected.classification.harm_status == "out_of_scope_child"]
    assert minors == teaching


def test_scenarios_speak_of_people_not_victims_and_name_no_one(scenarios):
    for s in scenarios:
        text = " ".join([s.title, s.narrative, *s.learning_points]).lower()
        assert "victim" not in text, s.id
        assert s.case.case_id == s.id  # a pseudonymous reference, never a name


# ---------------------------------------------------------------- broken scenario files ----------

GOOD = SCENARIOS_DIR / "escape-domestic-work.yaml"

BROKEN = {  # name: (edit of the good file, text the message must contain, the line of the mapping that holds it)
    "unknown top-level key": (
        lambda t: t.replace("difficulty:", "level: easy\ndifficulty:"),
        "level: unknown field (allowed: id, title, difficulty, narrative, case, learning_points, expected)",
        1,
    ),
    "difficulty outside the list": (
        lambda t: t.replace("difficulty: introductory", "difficulty: easy"),
        "difficulty: Input should be 'introductory', 'intermediate' or 'advanced'",
        1,
    ),
    "unknown case field": (
        lambda t: t.replace("  exit: {route: escape", "  exit: {route: escape, speed: 3"),
        "case: exit.speed: unknown field (allowed: route, remain_reason",
        22,
    ),
    "case value outside the vocabulary": (
        lambda t: t.replace("{route: escape", "{route: flew_away"),
        "case: exit.route: 'flew_away' is not allowed (allowed: not_exited",
        22,
    ),
    "unknown flag in expected": (
        lambda t: t.replace("  flags: []", "  flags: [non_punishmen]"),
        "expected.flags[0]: unknown id 'non_punishmen' (allowed: non_punishment",
        39,
    ),
    "classification value outside the vocabulary": (
        lambda t: t.replace("    exit_route: escape", "    exit_route: ran"),
        "expected.classification.exit_route: Input should be",
        40,
    ),
    "id that is not the file name": (
        lambda t: t.replace("id: escape-domestic-work", "id: another-id"),
        "id: 'another-id' must match the file name",
        1,
    ),
    "no learning points": (
        lambda t: re.sub(r"learning_points:\n(  - .*\n)+", "learning_points: []\n", t),
        "learning_points: List should have at least 1 item",
        1,
    ),
    "code in YAML": (
        lambda t: t.replace("title: A woman", "title: !!python/object:os.system A woman"),
        "is not allowed: ctm reads plain data only",
        2,
    ),
    "another kind of case file": (
        lambda t: re.sub(r"^case:\n(  .*\n)+", "case: {kind: community}\n", t, flags=re.M),
        "case: a practice scenario is a survivor's case",
        16,
    ),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_scenario_is_refused_with_file_line_and_field(ruleset, tmp_path, kind):
    edit, message, line = BROKEN[kind]
    broken = edit(GOOD.read_text(encoding="utf-8"))
    assert broken != GOOD.read_text(encoding="utf-8"), "the edit did not apply"
    (tmp_path / GOOD.name).write_text(broken, encoding="utf-8")
    with pytest.raises(CtmError) as error:
        load_scenarios(ruleset.catalogue, tmp_path)
    assert message in str(error.value)
    assert str(error.value).startswith(f"{tmp_path / GOOD.name}:{line}: ")


def test_two_scenarios_with_one_case_id_are_refused(ruleset, tmp_path):
    shutil.copy(GOOD, tmp_path / GOOD.name)
    text = GOOD.read_text(encoding="utf-8").replace("id: escape-domestic-work", "id: a-copy")
    (tmp_path / "a-copy.yaml").write_text(
        text.replace("case:\n", "case:\n  case_id: escape-domestic-work\n"), encoding="utf-8"
    )
    with pytest.raises(CtmError, match="case_id 'escape-domestic-work' is also used by"):
        load_scenarios(ruleset.catalogue, tmp_path)


def test_an_empty_scenario_directory_is_refused(ruleset, tmp_path):
    with pytest.raises(CtmError, match="no scenario files"):
        load_scenarios(ruleset.catalogue, tmp_path)
