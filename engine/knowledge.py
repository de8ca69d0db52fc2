"""The knowledge base (knowledge/*.yaml): sources, matrix nodes, interventions, principles,
flags and interview questions, loaded into closed models and cross-checked."""

from dataclasses import dataclass, field
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
    in_force_from: int | None = None
    in_force_until: int | None = None

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


class Intervention(_Entry):
    id: str = Id
    label: str
    actor: Literal["caseworker", "ngo", "health_services", "legal_aid", "police", "border_guards",
                   "judiciary", "government", "community", "media", "employers", "family",
                   "international_partners"]
    nodes: list[str] = Field(min_length=1)
    level: Literal["case", "programme"]
    sources: list[str] = Field(min_length=1)


class Principle(_Entry):
    id: str = Id
    text: str
    sources: list[str] = Field(min_length=1)


class FlagKind(_Entry):
    id: str = Id
    label: str
    severity: Literal["high", "medium", "low"]
    description: str
    sources: list[str] = Field(min_length=1)


class Question(_Entry):
    field: str
    stage: str
    prompt: str
    help: str = ""


SECTIONS: dict[str, type[_Entry]] = {
    "sources": Source, "nodes": Node, "interventions": Intervention,
    "principles": Principle, "flags": FlagKind, "questions": Question,
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
    lines: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)  # (section, id) -> where


def _entries(data: Any, section: str, path: str, problems: list[Problem]) -> list[Any]:
    if not isinstance(data, dict) or set(data) != {section}:
        problems.append(Problem(path, getattr(data, "line", None),
                                f"expected one top-level key '{section}:' holding a list"))
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


def _cross_check(cat: Catalogue) -> list[Problem]:
    from engine.profiles import ALL_FIELDS  # the other kinds' models: not needed to assess a case

    problems = []

    def need(section: str, key: str, kind: str, ref: str, known: dict[str, Any]) -> None:
        if ref not in known:
            path, line = cat.lines[(section, key)]
            problems.append(Problem(path, line, f"{section} '{key}' names unknown {kind} '{ref}'"))

    for node in cat.nodes.values():
        need("nodes", node.id, "source", node.source, cat.sources)
        if node.parent is not None:
            need("nodes", node.id, "parent node", node.parent, cat.nodes)
    for section in ("interventions", "principles", "flags"):
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
    return problems
