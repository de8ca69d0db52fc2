"""The practice scenarios (knowledge/scenarios/<id>.yaml): closed models, loading, checking.

A scenario file::

    id: escape-domestic-work            # the file name without .yaml
    title: "A sentence"
    difficulty: introductory            # introductory | intermediate | advanced
    narrative: >                        # what the person says and the caseworker observes
      ...
    case: {...}                         # a case file (case-vocabulary.md §1); case_id defaults to id
    learning_points: ["...", ...]
    expected:                           # what the engine answers, and what the scenario teaches
      classification: {harm_status: ..., exit_route: ..., remains_in_harm: ...,
                       geographic_outcome: ..., recovery_type: ..., integration_outcome: ...}
      flags: [...]                      # exactly the flags the engine raises
      recommendations: [...]            # the key recommendations (a subset of the engine's)
      not_recommended: [...]            # advice the engine must not give here (optional)

`expected` is asserted against the engine in features/scenarios.feature, so a rule change
that changes a scenario's answer fails until the scenario is reviewed.
"""

from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from engine import yamlio
from engine.assessment import CLASSIFICATION
from engine.case import Case, parse_case
from engine.errors import CtmError
from engine.knowledge import KNOWLEDGE_DIR, Catalogue

if TYPE_CHECKING:
    from engine.infer import Assessor

SCENARIOS_DIR = KNOWLEDGE_DIR / "scenarios"
Difficulty = Literal["introductory", "intermediate", "advanced"]
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# One required field per classification key, typed with its allowed values.
_EXPECTED: dict[str, Any] = {key: (Literal[values], ...) for key, values in CLASSIFICATION.items()}
ExpectedClassification: type[_Closed] = create_model("ExpectedClassification", __base__=_Closed, **_EXPECTED)


class Expected(_Closed):
    classification: ExpectedClassification
    flags: list[str]
    recommendations: list[str] = Field(min_length=1)
    not_recommended: list[str] = []


class Scenario(_Closed):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    title: str = Field(min_length=5, max_length=120)
    difficulty: Difficulty
    narrative: str = Field(min_length=200)
    case: Case | None = None  # validated apart by engine.case.parse_case, for its field-and-line messages
    learning_points: list[str] = Field(min_length=1)
    expected: Expected
    path: str = ""  # where it was loaded from; not a key of the file


FILE_KEYS = tuple(name for name in Scenario.model_fields if name != "path")


def _fail(message: str, path: str, data: Any, loc: tuple[Any, ...] = ()) -> CtmError:
    return CtmError(message, path=path, line=yamlio.line_of(data, loc) or getattr(data, "line", None))


def parse_scenario(data: Any, path: str, catalogue: Catalogue) -> Scenario:
    """Validate one loaded scenario file; the first problem becomes a CtmError with its line."""
    if not isinstance(data, dict):
        raise CtmError(f"a scenario file must be a mapping, got {type(data).__name__}", path=path)
    unknown = [key for key in data if key not in FILE_KEYS]
    if unknown:
        raise _fail(f"{unknown[0]}: unknown field (allowed: {', '.join(FILE_KEYS)})", path, data)
    try:
        scenario = Scenario.model_validate({**data, "case": None, "path": path})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        raise _fail(f"{'.'.join(map(str, loc))}: {first['msg']}", path, data, loc) from None
    if "case" not in data:
        raise _fail("case: required (the case file of the scenario)", path, data)
    stem = Path(path).stem
    if scenario.id != stem:
        raise _fail(f"id: '{scenario.id}' must match the file name '{stem}.yaml'", path, data, ("id",))
    case_data = data["case"]
    if isinstance(case_data, dict) and "case_id" not in case_data:
        case_data = yamlio.LineDict(case_id=scenario.id, **case_data)
        case_data.line = data["case"].line
    try:
        case = parse_case(case_data, path)
    except CtmError as error:
        error.message = f"case: {error.message}"
        error.line = error.line or getattr(data, "line", None)
        raise
    if not isinstance(case, Case):
        raise _fail("case: a practice scenario is a survivor's case (kind: survivor_case)", path, data, ("case",))
    expected = scenario.expected
    known: dict[str, dict[str, Any]] = {
        "flags": catalogue.flags,
        "recommendations": catalogue.interventions,
        "not_recommended": catalogue.interventions,
    }
    for name, ids in (
        ("flags", expected.flags),
        ("recommendations", expected.recommendations),
        ("not_recommended", expected.not_recommended),
    ):
        for index, item in enumerate(ids):
            if item not in known[name]:
                allowed = ", ".join(known[name]) if name == "flags" else "the ids of `ctm catalogue`"
                raise _fail(
                    f"expected.{name}[{index}]: unknown id '{item}' (allowed: {allowed})",
                    path,
                    data,
                    ("expected", name),
                )
    clash = set(expected.recommendations) & set(expected.not_recommended)
    if clash:
        raise _fail(f"expected: {sorted(clash)} both recommended and not recommended", path, data, ("expected",))
    return scenario.model_copy(update={"case": case})


def load_scenarios(catalogue: Catalogue, directory: Path = SCENARIOS_DIR) -> list[Scenario]:
    """Every scenario in the directory, in file-name order; the first bad file raises CtmError."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise CtmError("no scenario files (*.yaml) found", path=str(directory))
    scenarios = [parse_scenario(yamlio.load(path), str(path), catalogue) for path in files]
    seen: dict[str, str] = {}
    for scenario in scenarios:
        assert scenario.case is not None  # parse_scenario gives every scenario its case
        case_id = scenario.case.case_id
        if case_id in seen:
            raise CtmError(f"case_id '{case_id}' is also used by {seen[case_id]}", path=scenario.path)
        seen[case_id] = scenario.path
    return scenarios


def in_teaching_order(scenarios: Iterable[Scenario]) -> list[Scenario]:
    """Introductory first, then intermediate, then advanced; by title within each."""
    return sorted(scenarios, key=lambda s: (DIFFICULTIES.index(s.difficulty), s.title))


def by_id(scenarios: list[Scenario], scenario_id: str) -> Scenario:
    for scenario in scenarios:
        if scenario.id == scenario_id:
            return scenario
    raise CtmError(f"unknown scenario '{scenario_id}' (known: {', '.join(s.id for s in scenarios)})")


def coverage(scenarios: list[Scenario], assessor: "Assessor") -> dict[str, dict[str, list[str]]]:
    """Matrix value -> ids of the scenarios that exercise it, for every value of the vocabulary.

    Classifications and flags are read from the engine's assessment of each scenario (not
    from `expected`); a way of remaining counts only where the engine sees the person in
    the harm environment, an integration setting only where the integration rules apply.
    """
    from engine.case import IntegrationSetting, RemainReason

    keys = ("harm_status", "exit_route", "geographic_outcome", "recovery_type", "integration_outcome")
    table: dict[str, dict[str, list[str]]] = {key: {str(v): [] for v in CLASSIFICATION[key]} for key in keys}
    table["remain_reason"] = {m.value: [] for m in RemainReason}
    table["integration_setting"] = {m.value: [] for m in IntegrationSetting}
    table["flag"] = {flag: [] for flag in assessor.ruleset.catalogue.flags}
    for scenario in scenarios:
        assert scenario.case is not None  # parse_scenario gives every scenario its case
        assessment = assessor.assess(scenario.case)
        found = assessment.classification
        for key in keys:
            table[key][str(found[key])].append(scenario.id)
        for flag in assessment.flags:
            table["flag"][flag.id].append(scenario.id)
        reason = scenario.case.exit.remain_reason
        if reason and found["remains_in_harm"] is True:
            table["remain_reason"][reason].append(scenario.id)
        if found["harm_status"] in ("trafficked", "unclear") and found["exit_route"] != "death":
            for setting in scenario.case.integration.settings or ():
                table["integration_setting"][setting].append(scenario.id)
    return table
