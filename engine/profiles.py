"""The other kinds of case file: a potential migrant, and a community or programme.

A file names its kind in a top-level `kind` field; without one it is a survivor case
(engine/case.py), so every existing file keeps working:

  survivor_case      a person who has been, or may have been, trafficked (the default)
  potential_migrant  a person thinking about migrating, or about to leave: counselled on
                     safe migration before any harm (the first half of the matrix)
  community          a district, or the area of a programme: planning prevention and
                     legal action

As in a survivor case, every answer is optional: None means "not known yet", an empty list
is the answer "none", and unknown keys or values are refused with the allowed values. A
dotted path means the same thing in every kind that has it (``migration.needs`` holds the
person's own needs in a survivor case and in a potential migrant's file); a community's
answers describe the district as a whole, so they live under paths of their own.
"""

from enum import StrEnum
from typing import Literal

from pydantic import Field

from engine.assessment import CLASSIFIED
from engine.case import KINDS, Case, CaseFile, Factor, Influencer, Need, PersonBasics, Sector, Tri, _Section, fields_of

# ------------------------------------------------------------------ potential migrant ----
PlanStage = StrEnum("PlanStage", "considering decided")  # decided = a departure is being prepared
Channel = StrEnum("Channel", "licensed_agency informal_broker relative none")  # none = no go-between
Passport = StrEnum("Passport", "holds_own held_by_recruiter none")
Contract = StrEnum("Contract", "written verbal none")


class Plan(_Section):
    stage: PlanStage | None = None
    destination: str | None = Field(None, max_length=200)  # a country or district, never an address
    cross_border: bool | None = None


class Motives(_Section):
    """The person's needs and motivations, who takes part in the decision, and the wider
    facilitating or hindering factors: the same values as in a survivor case."""

    needs: list[Need] | None = None
    influencers: list[Influencer] | None = None
    factors: list[Factor] | None = None


class Recruitment(_Section):
    channel: Channel | None = None
    debt_for_fees: bool | None = None  # borrowed, or owes future wages, to pay recruitment or travel costs


class Documents(_Section):
    passport: Passport | None = None
    work_permit: bool | None = None  # a work visa or permit for the destination country
    contract: Contract | None = None
    contract_understood: bool | None = None  # read, or read out, in a language the person understands


class Preparation(_Section):
    predeparture_training: bool | None = None
    speaks_language: bool | None = None  # the language of the destination
    job_skills: bool | None = None  # the skills the promised job needs
    knows_where_to_get_help: bool | None = None  # the embassy's labour wing, a hotline, an NGO there


class PotentialMigrant(CaseFile):
    kind: Literal["potential_migrant"] = "potential_migrant"
    person: PersonBasics = Field(default_factory=PersonBasics)
    plan: Plan = Field(default_factory=Plan)
    migration: Motives = Field(default_factory=Motives)
    recruitment: Recruitment = Field(default_factory=Recruitment)
    documents: Documents = Field(default_factory=Documents)
    preparation: Preparation = Field(default_factory=Preparation)


# ------------------------------------------------------------------------- community ----
AreaRole = StrEnum("AreaRole", "origin transit destination")
Level = StrEnum("Level", "high moderate low")
RecruiterActivity = StrEnum("RecruiterActivity", "known suspected none_known")
Prosecutions = StrEnum("Prosecutions", "none few regular")
MediaCoverage = StrEnum("MediaCoverage", "none sensational responsible")


class District(_Section):
    roles: list[AreaRole] | None = None  # people leave from, pass through, or are brought to it
    border_district: bool | None = None  # on the border with India
    outward_migration: Level | None = None  # how many people leave to work elsewhere
    irregular_migration: bool | None = None  # leaving without work permits or by unofficial crossings is common
    registration_gaps: bool | None = None  # many lack birth, marriage or citizenship registration
    female_literacy_low: bool | None = None


class Prevalent(_Section):
    """The needs, decision influencers and factors most common in the district."""

    needs: list[Need] | None = None
    influencers: list[Influencer] | None = None
    factors: list[Factor] | None = None


class Traffickers(_Section):
    recruiters: RecruiterActivity | None = None  # recruiters or brokers linked to trafficking
    cases_reported: bool | None = None  # trafficking cases from or in the district are known


class LawEnforcement(_Section):
    officials_involved: Tri | None = None  # police, border guards or other officials took part or covered up
    police_trained: bool | None = None  # trained on trafficking and on survivors' rights
    special_unit: bool | None = None  # an anti-trafficking unit covers the district
    womens_unit: bool | None = None  # a women's unit, or women officers, are there


class Prosecution(_Section):
    cases_prosecuted: Prosecutions | None = None  # trafficking cases that reach prosecution
    legal_support: bool | None = None  # survivors can get legal support


class Employers(_Section):
    sectors: list[Sector] | None = None  # where employers are known to use trafficked or forced labour; [] = none
    worksites_monitored: bool | None = None


class Programmes(_Section):
    awareness: bool | None = None  # safe-migration and anti-trafficking awareness already reaches people
    predeparture: bool | None = None  # pre-departure training is within reach of people who leave
    livelihoods: bool | None = None  # loans, skills or livelihood programmes reach vulnerable people


class CivilSociety(_Section):
    ngos_active: bool | None = None
    anti_trafficking_in_programmes: bool | None = None
    networked: bool | None = None  # organisations are linked in a network


class Media(_Section):
    coverage: MediaCoverage | None = None  # how local media report on trafficking
    survivors_identified: bool | None = None  # names or photographs of survivors were published


class Community(CaseFile):
    kind: Literal["community"] = "community"
    district: District = Field(default_factory=District)
    prevalent: Prevalent = Field(default_factory=Prevalent)
    traffickers: Traffickers = Field(default_factory=Traffickers)
    law_enforcement: LawEnforcement = Field(default_factory=LawEnforcement)
    prosecution: Prosecution = Field(default_factory=Prosecution)
    employers: Employers = Field(default_factory=Employers)
    programmes: Programmes = Field(default_factory=Programmes)
    civil_society: CivilSociety = Field(default_factory=CivilSociety)
    media: Media = Field(default_factory=Media)


# --------------------------------------------------------------------------- the kinds ----
MODELS: dict[str, type[CaseFile]] = dict(zip(KINDS, (Case, PotentialMigrant, Community)))
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {kind: fields_of(model) for kind, model in MODELS.items()}
ALL_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for fields in FIELDS_BY_KIND.values() for f in fields))


def facts_of(kind: str) -> tuple[str, ...]:
    """What a rule for this kind may read: its answers and its derived classifications."""
    return FIELDS_BY_KIND[kind] + CLASSIFIED[kind]
