"""The case file (case-vocabulary.md §1) as closed pydantic models.

Every answer is optional and ``None`` means "not known yet" — never "no". An empty list
is an answer ("none"). Unknown keys and values are refused with the allowed values.
"""

from datetime import date
from enum import Enum
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from engine import history, yamlio
from engine.errors import CtmError


Gender = StrEnum("Gender", "female male other undisclosed")
Movement = StrEnum("Movement", "voluntary kidnapped")
Need = StrEnum(
    "Need",
    "lack_of_basic_needs lack_of_economic_security lack_of_income_status "
    "social_considerations escape_from_stigma_violence aspirations_adventure "
    "seeking_emotional_stability opportunities_abroad involuntary_movement lack_of_human_security",
)
Influencer = StrEnum("Influencer", "family self community_leaders recruiter migrant_networks_media law_enforcement")
Factor = StrEnum(
    "Factor",
    "organized_crime family_involvement law_enforcement physical_emotional_security "
    "social_cultural_practices employment_policies development_policies conflict_disaster "
    "economic_factors education_policies global_economic_arrangements migration_traditions "
    "migration_myth gender_inequality social_inequality migration_policies ethnicity_religion",
)
HarmStatus = StrEnum("HarmStatus", "trafficked safe_migration unclear")
Indicator = StrEnum(
    "Indicator",
    "perceived_lack_of_options threat_of_reprisals isolation family_obligation "
    "debt_bondage deception documents_withheld movement_restricted wages_withheld "
    "physical_violence sexual_violence excessive_working_hours abusive_working_living_conditions "
    "threats_against_family forced_illicit_activities",
)
Sector = StrEnum(
    "Sector",
    "sex_industry domestic_servitude industrial_work hard_labour bonded_labour "
    "begging bar_work fishing other agriculture forced_criminality armed_conflict",
)
ExitRoute = StrEnum("ExitRoute", "not_exited opportunity_to_leave thrown_out contract_over escape rescue_raid death")
RemainReason = StrEnum("RemainReason", "adaptation free_agent agency_granted subjugation no_opportunity_yet")
Perpetrator = StrEnum(
    "Perpetrator", "spouse_partner family_member acquaintance recruiter_agent employer official stranger"
)
HealthNeed = StrEnum("HealthNeed", "injury hiv_sti pregnancy mental_health drug_dependence other")
Location = StrEnum(
    "Location",
    "harm_location destination_outside_harm third_country repatriated_voluntary "
    "repatriated_involuntary jail_remand_home",
)
Wish = StrEnum("Wish", "return_home stay third_country undecided")
Setting = StrEnum("Setting", "none drop_in_centre short_term_stay long_term_stay safe_custody jail")
Service = StrEnum(
    "Service",
    "stable_environment psychosocial_assessment counselling food_shelter_medical peer_environment legal_representation",
)
Support = StrEnum("Support", "facilitated self not_started")
IntegrationSetting = StrEnum("IntegrationSetting", "extended_family community workplace")
StigmaSource = StrEnum("StigmaSource", "family community workplace")
Charge = StrEnum("Charge", "illegal_entry illegal_stay document_fraud prostitution_related theft drug_offence other")
TriState = StrEnum("TriState", "yes no unknown")
Decision = StrEnum("Decision", "yes no undecided")


def _yes_no(value: Any) -> Any:
    """PyYAML reads a bare yes/no as a boolean: give the caseworker what they typed."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


Tri = Annotated[TriState, BeforeValidator(_yes_no)]
Dec = Annotated[Decision, BeforeValidator(_yes_no)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True, defer_build=True)


class PersonBasics(_Section):
    """Who the person is; a potential migrant's file has these (engine/profiles.py)."""

    age: int | None = Field(None, ge=0, le=130)
    gender: Gender | None = None
    has_children: bool | None = None
    origin: str | None = Field(None, max_length=200)


class Person(PersonBasics):
    destination: str | None = Field(None, max_length=200)
    cross_border: bool | None = None


class Migration(_Section):
    movement: Movement | None = None
    needs: list[Need] | None = None
    influencers: list[Influencer] | None = None
    factors: list[Factor] | None = None


class Harm(_Section):
    status: HarmStatus | None = None
    indicators: list[Indicator] | None = None
    sectors: list[Sector] | None = None
    perpetrators: list[Perpetrator] | None = None  # who took part in the trafficking (§4)


class Exit(_Section):
    route: ExitRoute | None = None
    remain_reason: RemainReason | None = None
    health: list[HealthNeed] | None = None
    religion: str | None = Field(None, max_length=200)


class Whereabouts(_Section):
    current: Location | None = None
    wishes: Wish | None = None
    return_planned: bool | None = None  # added to §1: authorities plan to return the person


class Recovery(_Section):
    setting: Setting | None = None
    consent: bool | None = None
    free_movement: bool | None = None
    months_in_custody: int | None = Field(None, ge=0, le=600)
    services: list[Service] | None = None


class Integration(_Section):
    support: Support | None = None
    settings: list[IntegrationSetting] | None = None
    stigma: list[StigmaSource] | None = None
    livelihood: bool | None = None
    # a safety assessment with the person found contact with / return to the family safe (§4)
    family_safe: Tri | None = None


class Legal(_Section):
    detained: bool | None = None
    charges: list[Charge] | None = None
    charges_linked_to_trafficking: Tri | None = None
    wants_prosecution: Dec | None = None
    fears_reprisal: bool | None = None
    has_legal_support: bool | None = None
    media_exposure: bool | None = None
    officials_complicit: bool | None = None
    # Added to §1 for the legal check (README, "Case fields added to the vocabulary"):
    # the year the trafficking took place (the latest, if it went on over several years),
    # which decides whether the 2012 Act or its successor Ordinance applies;
    events_year: int | None = Field(None, ge=1950, le=2100)
    # the date of the events (the latest), where the year alone does not decide the law: the
    # 2012 Act governs events up to 5 January 2026, the Ordinance No. 5 of 2026 from 6 January;
    events_date: date | None = None
    # shelter, care or other help was offered only on condition of testifying or cooperating;
    assistance_conditional_on_cooperation: bool | None = None
    # the person fears persecution or serious harm if sent back to their country.
    fears_return: bool | None = None

    @model_validator(mode="after")
    def _date_in_year(self) -> "Legal":
        if self.events_date and self.events_year and self.events_date.year != self.events_year:
            raise ValueError(
                f"legal.events_date {self.events_date.isoformat()} is not in legal.events_year "
                f"{self.events_year}: give the same year in both, or leave one out"
            )
        return self

    @property
    def events_when(self) -> "date | int | None":
        """The date of the events where known, else their year (None when neither is)."""
        return self.events_date or self.events_year


class CaseFile(_Section):
    """What every kind of case file shares: a pseudonymous id, its `kind`, and sections of
    answers. A survivor case is the default kind; the others are in engine/profiles.py."""

    if TYPE_CHECKING:
        kind: str  # each kind's model declares it, as a Literal with its own name as the default

    case_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    # A case history (a file with `visits:`): the visits as written, and the case as it stood
    # after each; the case itself is the last of them. Empty for a one-visit file.
    _visits: tuple[history.Visit, ...] = PrivateAttr(default=())
    _states: tuple["CaseFile", ...] = PrivateAttr(default=())

    @property
    def visits(self) -> tuple[tuple[history.Visit, "CaseFile"], ...]:
        """Each visit with the case as it stood after it, in date order (empty without `visits`)."""
        return tuple(zip(self._visits, self._states))

    def with_visits(self, visits: tuple[history.Visit, ...], states: tuple["CaseFile", ...]) -> "CaseFile":
        self._visits, self._states = visits, states
        return self

    @classmethod
    def sections(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.model_fields if name not in ("case_id", "kind"))

    def answers(self) -> dict[str, Any]:
        """Every answer by dotted path (``legal.detained``); lists as tuples, unknown as None."""
        flat: dict[str, Any] = {}
        for section in self.sections():
            for name, value in getattr(self, section):
                flat[f"{section}.{name}"] = tuple(value) if isinstance(value, list) else value
        return flat

    def to_file_dict(self) -> dict[str, Any]:
        """The answers as a case file: only what is known, so unknown stays unknown on reload."""
        data = self.model_dump(mode="json", exclude_none=True)
        return {k: v for k, v in data.items() if v != {}}


class Case(CaseFile):
    kind: Literal["survivor_case"] = "survivor_case"
    person: Person = Field(default_factory=Person)
    migration: Migration = Field(default_factory=Migration)
    harm: Harm = Field(default_factory=Harm)
    exit: Exit = Field(default_factory=Exit)
    location: Whereabouts = Field(default_factory=Whereabouts)
    recovery: Recovery = Field(default_factory=Recovery)
    integration: Integration = Field(default_factory=Integration)
    legal: Legal = Field(default_factory=Legal)


SECTIONS = Case.sections()


def section_model(model: type[BaseModel], section: str) -> type[BaseModel]:
    """The model of one section of a case file (or of any field holding a model)."""
    return cast(type[BaseModel], model.model_fields[section].annotation)


def fields_of(model: type[CaseFile]) -> tuple[str, ...]:
    """The dotted answer paths of one kind of case file, in file order."""
    return tuple(
        f"{section}.{name}" for section in model.sections() for name in section_model(model, section).model_fields
    )


# The kinds of case file, told apart by their `kind` field; a survivor case's model is here,
# the others' are in engine/profiles.py (imported only when such a file is read: they build
# on this module, and a survivor case does not need them).
Kind = Literal["survivor_case", "potential_migrant", "community"]
KINDS: tuple[str, ...] = get_args(Kind)


def _models() -> dict[str, type[CaseFile]]:
    from engine.profiles import MODELS

    return MODELS


@lru_cache(maxsize=None)
def field_info(path: str) -> tuple[Any, bool]:
    """(the value type, is_list) of a dotted field of any kind of case file, e.g. ``legal.charges``.

    A path means the same in every kind that has it (tests/test_profiles.py checks this).
    """
    section, name = path.split(".", 1)
    sections = [section_model(m, section) for m in _models().values() if section in m.sections()]
    owner = next((s for s in sections if name in s.model_fields), None)
    if owner is None:
        raise KeyError(path)
    annotation: Any = owner.model_fields[name].annotation
    args = [a for a in getattr(annotation, "__args__", (annotation,)) if a is not type(None)]
    inner = args[0]
    is_list = getattr(inner, "__origin__", None) is list
    if is_list:
        inner = inner.__args__[0]
    inner = getattr(inner, "__origin__", inner)  # Annotated[TriState, ...] -> TriState
    if hasattr(inner, "__metadata__"):
        inner = inner.__args__[0]
    return inner, is_list


def field_bounds(path: str) -> tuple[int | None, int | None]:
    """The number range (ge, le) a kind's model allows for a dotted field, None where open."""
    section, name = path.split(".", 1)
    for model in _models().values():
        fields = section_model(model, section).model_fields if section in model.sections() else {}
        if name in fields:
            metadata = fields[name].metadata
            return (
                next((m.ge for m in metadata if hasattr(m, "ge")), None),
                next((m.le for m in metadata if hasattr(m, "le")), None),
            )
    raise KeyError(path)


def allowed_values(path: str) -> list[str] | None:
    kind, _ = field_info(path)
    return [m.value for m in kind] if isinstance(kind, type) and issubclass(kind, Enum) else None


FIELDS: tuple[str, ...] = fields_of(Case)


def _describe(error: Mapping[str, Any], data: Any, model: type[CaseFile] = Case) -> str:
    loc = tuple(error["loc"])
    field = ".".join(str(part) for part in loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent, holder = loc[:-1], cast(type[BaseModel], model)
        for part in parent:
            if isinstance(part, int) or part not in holder.model_fields:
                break
            holder = section_model(holder, part)
        allowed = ", ".join(holder.model_fields) if hasattr(holder, "model_fields") else ""
        others = [k for k, m in _models().items() if len(loc) == 1 and loc[0] in m.sections()]
        hint = f"; `{field}` belongs in a file with `kind: {others[0]}`" if others else ""
        return f"{field}: unknown field (allowed: {allowed}){hint}"
    if kind == "missing":
        return f"{field}: required"
    value = error.get("input")
    if kind == "enum" or "expected" in error.get("ctx", {}):
        path = ".".join(str(p) for p in loc if not isinstance(p, int))
        values = allowed_values(path) if path in fields_of(model) else None
        if values:
            return f"{field}: {value!r} is not allowed (allowed: {', '.join(values)})"
    return f"{field}: {error['msg']} (got {_short(value)})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_case(data: Any, path: str | None = None) -> CaseFile:
    """Validate loaded data as a case file of its `kind` (a survivor case unless it says
    otherwise); the first problem becomes a CtmError with field and line."""
    if not isinstance(data, dict):
        raise CtmError(f"a case file must be a mapping of sections, got {type(data).__name__}", path=path)
    kind = data.get("kind", "survivor_case")
    if not isinstance(kind, str) or kind not in KINDS:
        raise CtmError(
            f"kind: {_short(kind)} is not allowed (allowed: {', '.join(KINDS)})",
            path=path,
            line=yamlio.line_of(data, ("kind",)),
        )
    model = Case if kind == "survivor_case" else _models()[kind]
    if "visits" not in data:
        return _validated(model, data, data, path)
    base, visits = history.split_visits(data, path)
    _validated(model, base, base, path)  # what stands before the first visit
    states = []
    for visit, state in zip(visits, history.states(base, visits)):
        states.append(_validated(model, state, visit.answers, path, f"visit of {visit.date}: "))
    return states[-1].with_visits(tuple(visits), tuple(states))


def _validated(
    model: type[CaseFile], data: dict[str, Any], written: Any, path: str | None, where: str = ""
) -> CaseFile:
    """`data` as a case of `model`; a problem names the field and its line in `written`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = error.errors(include_url=False)
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        loc = tuple(first["loc"])
        line = yamlio.line_of(written, loc) if loc and loc[0] in written else yamlio.line_of(data, loc)
        raise CtmError(where + _describe(first, data, model) + more, path=path, line=line) from None


def case_from_answers(case_id: str, answers: dict[str, Any], kind: str = "survivor_case") -> CaseFile:
    """The case file holding these answers by dotted path (the reverse of `answers()`), validated."""
    data: dict[str, Any] = {"case_id": case_id, "kind": kind}
    for path, value in answers.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return parse_case(data)


def load_case(path: Path | str) -> CaseFile:
    data = yamlio.load_plain_json(path)
    if data is not None:
        try:
            return parse_case(data, str(path))
        except CtmError:
            pass  # read again by the YAML loader, so that the message names the line
    return parse_case(yamlio.load(path), str(path))
