"""The knowledge base (knowledge/*.yaml): sources, matrix nodes, interventions, principles,
flags, interview questions and the weight of the signs of harm (indicators), loaded into closed
models and cross-checked."""

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine import yamlio
from engine.errors import CtmError


def shipped(name: str) -> Path:
    """A directory of data ctm ships ("rules", "knowledge", "features"). An installed ctm has it
    inside the package, where the wheel puts it (engine/data/NAME, see pyproject.toml); a source
    checkout (`uv run`, an editable install) has it at the top, beside engine/."""
    package = resources.files("engine")
    packaged = package / "data" / name
    return Path(str(packaged if packaged.is_dir() else package / ".." / name)).resolve()


KNOWLEDGE_DIR = shipped("knowledge")
Id = Field(pattern=r"^[a-z0-9][a-z0-9_.]*$", max_length=80)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Entry):
    id: str = Id
    kind: Literal["seed", "international", "national"]
    instrument: str
    provision: str
    year: int | None = None
    text: str
    verified: bool
    # Where the text was read (document and section or page): required when `verified` is
    # true, except for the seed, whose `provision` is where. ctm validate checks it.
    read_in: str | None = None
    # The first and last day (or year) a national provision governed events, and the source
    # that took its place (the law in time, engine/legal.py).
    in_force_from: date | int | None = None
    in_force_until: date | int | None = None
    successor: str | None = None

    def citation(self) -> str:
        year = f" ({self.year})" if self.year else ""
        mark = "" if self.verified else " [not verified]"
        return f"{self.instrument}{year}, {self.provision}{mark}"


class Node(_Entry):
    id: str = Id
    label: str
    area: str
    parent: str | None = None
    source: str
    description: str = ""


# Where a knowledge entry comes from: the seed matrix itself, a cited standard or law where the
# seed is silent, or the authors' own reading of practice (shown as such to the reader).
Basis = Literal["seed", "standard", "practice"]


class Intervention(_Entry):
    id: str = Id
    basis: Basis
    label: str
    actor: Literal[
        "caseworker",
        "ngo",
        "health_services",
        "legal_aid",
        "police",
        "border_guards",
        "judiciary",
        "government",
        "community",
        "media",
        "employers",
        "family",
        "international_partners",
    ]
    nodes: list[str] = Field(min_length=1)
    level: Literal["case", "programme"]
    sources: list[str] = Field(min_length=1)


class Principle(_Entry):
    id: str = Id
    basis: Basis
    text: str
    sources: list[str] = Field(min_length=1)


class FlagKind(_Entry):
    id: str = Id
    basis: Basis
    label: str
    severity: Literal["high", "medium", "low"]
    description: str
    sources: list[str] = Field(min_length=1)


class Question(_Entry):
    field: str
    stage: str
    prompt: str  # about "the person", third person: what the caseworker and the reports read
    help: str = ""
    say: str = ""  # optional: gentle words the caseworker may read aloud to the person
    # Asked before every question of a lower priority, whenever it can still change the advice
    # (default 0: most decisive first). For the few questions whose answer keeps the person safe.
    priority: int = 0


class FollowUp(_Entry):
    """When to see the person again: the first entry whose `when` holds for the assessment's
    classification gives the months from the latest visit (knowledge/followup.yaml)."""

    id: str = Id
    when: Any = None  # a condition on classification keys (engine/conditions.py); none = every case
    months: int = Field(ge=1, le=24)
    text: str
    sources: list[str] = Field(min_length=1)


class Indicator(_Entry):
    """How one sign of trafficking harm (a value of harm.indicators) weighs in the screening."""

    id: str = Id
    dimension: Literal[
        "deceptive_recruitment",
        "coercive_recruitment",
        "vulnerability_recruitment",
        "exploitation",
        "coercion_destination",
        "vulnerability_destination",
    ]
    strength: Literal["strong", "medium", "weak"]
    ilo_ec: str
    note: str = ""
    sources: list[str] = Field(min_length=1)


SECTIONS: dict[str, type[_Entry]] = {
    "sources": Source,
    "nodes": Node,
    "interventions": Intervention,
    "principles": Principle,
    "flags": FlagKind,
    "questions": Question,
    "followup": FollowUp,
    "indicators": Indicator,
}


@dataclass
class Problem:
    path: str
    line: int | None
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: " + (f"rule '{self.rule}' " if self.rule else "") + self.message


@dataclass
class Catalogue:
    sources: dict[str, Source] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    interventions: dict[str, Intervention] = field(default_factory=dict)
    principles: dict[str, Principle] = field(default_factory=dict)
    flags: dict[str, FlagKind] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    followup: dict[str, FollowUp] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    lines: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)  # (section, id) -> where


def _entries(data: Any, section: str, path: str, problems: list[Problem]) -> list[Any]:
    if not isinstance(data, dict) or set(data) != {section}:
        problems.append(
            Problem(path, getattr(data, "line", None), f"expected one top-level key '{section}:' holding a list")
        )
        return []
    items = data[section]
    if not isinstance(items, list):
        problems.append(Problem(path, getattr(data, "line", None), f"'{section}' must be a list"))
        return []
    return items


def load_catalogue(directory: Path = KNOWLEDGE_DIR) -> tuple[Catalogue, list[Problem]]:
    """Load every knowledge file; return the catalogue and every problem found (none = valid)."""
    catalogue, problems = Catalogue(), []
    for section, model in SECTIONS.items():
        path = directory / f"{section}.yaml"
        try:
            data = yamlio.load(path)
        except CtmError as error:
            problems.append(Problem(str(path), error.line, error.message))
            continue
        target = getattr(catalogue, section)
        for index, item in enumerate(_entries(data, section, str(path), problems)):
            line = getattr(item, "line", None)
            try:
                entry = model.model_validate(item)
            except ValidationError as error:
                first = error.errors(include_url=False)[0]
                where = ".".join(map(str, first["loc"]))
                problems.append(Problem(str(path), line, f"{section}[{index}].{where}: {first['msg']}"))
                continue
            key = getattr(entry, "field" if section == "questions" else "id")
            if key in target:
                problems.append(Problem(str(path), line, f"duplicate {section} id '{key}'"))
                continue
            target[key] = entry
            catalogue.lines[(section, key)] = (str(path), line)
    problems += _cross_check(catalogue)
    return catalogue, problems


def _check_followup(cat: Catalogue) -> list[Problem]:
    """Each `when` reads classification keys only, and the last entry holds for every case."""
    from engine import conditions
    from engine.assessment import CLASSIFICATION

    problems = []
    for index, entry in enumerate(cat.followup.values()):
        path, line = cat.lines[("followup", entry.id)]
        last = index == len(cat.followup) - 1
        if entry.when is None:
            if not last:
                problems.append(Problem(path, line, f"followup '{entry.id}' has no `when`: only the last entry may"))
            continue
        if last:
            problems.append(
                Problem(path, line, f"followup '{entry.id}' is last: it must hold for every case (no `when`)")
            )
        try:
            facts = conditions.facts_of(conditions.parse(entry.when))
        except ValueError as error:
            problems.append(Problem(path, line, f"followup '{entry.id}': {error}"))
            continue
        for fact in facts:
            if fact not in CLASSIFICATION:
                problems.append(
                    Problem(path, line, f"followup '{entry.id}' reads '{fact}' (allowed: {', '.join(CLASSIFICATION)})")
                )
    return problems


def _cross_check(cat: Catalogue) -> list[Problem]:
    from engine.profiles import ALL_FIELDS  # the other kinds' models: not needed to assess a case

    problems = []

    def need(section: str, key: str, kind: str, ref: str, known: dict[str, Any]) -> None:
        if ref not in known:
            path, line = cat.lines[(section, key)]
            problems.append(Problem(path, line, f"{section} '{key}' names unknown {kind} '{ref}'"))

    for source in cat.sources.values():
        if source.verified and source.kind != "seed" and not source.read_in:
            path, line = cat.lines[("sources", source.id)]
            problems.append(
                Problem(
                    path,
                    line,
                    f"source '{source.id}' is marked verified but does not say where it "
                    "was read: add read_in (document and section or page), "
                    "or mark it verified: false",
                )
            )
        if source.successor is not None:
            need("sources", source.id, "successor source", source.successor, cat.sources)
    for node in cat.nodes.values():
        need("nodes", node.id, "source", node.source, cat.sources)
        if node.parent is not None:
            need("nodes", node.id, "parent node", node.parent, cat.nodes)
    problems += _check_followup(cat)
    for section in ("interventions", "principles", "flags", "followup", "indicators"):
        for entry in getattr(cat, section).values():
            for ref in entry.sources:
                need(section, entry.id, "source", ref, cat.sources)
    for entry in cat.interventions.values():
        for ref in entry.nodes:
            need("interventions", entry.id, "node", ref, cat.nodes)
    for question in cat.questions.values():
        if question.field not in ALL_FIELDS:
            path, line = cat.lines[("questions", question.field)]
            problems.append(Problem(path, line, f"question for unknown case field '{question.field}'"))
        need("questions", question.field, "node", question.stage, cat.nodes)
    from engine.case import allowed_values

    signs = allowed_values("harm.indicators") or []
    for entry in cat.indicators.values():
        if entry.id not in signs:
            path, line = cat.lines[("indicators", entry.id)]
            problems.append(
                Problem(
                    path,
                    line,
                    f"indicators '{entry.id}' is not a value of harm.indicators (allowed: {', '.join(signs)})",
                )
            )
    for sign in signs:
        if cat.indicators and sign not in cat.indicators:
            problems.append(
                Problem(
                    str(KNOWLEDGE_DIR / "indicators.yaml"),
                    None,
                    f"harm.indicators value '{sign}' has no strength and dimension",
                )
            )
    return problems
