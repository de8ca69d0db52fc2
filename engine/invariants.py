"""What the audit checks the rules against: the rights invariants (knowledge/invariants.yaml)
and the pairs of advice that must not be given together (knowledge/conflicts.yaml).

Both are data, checked like the rules: every fact, value, flag, intervention and source they
name must exist; a problem is a CtmError with file and line.
"""

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine import conditions, yamlio
from engine.conditions import All, Condition, Leaf
from engine.errors import CtmError
from engine.knowledge import KNOWLEDGE_DIR, Catalogue, Problem
from engine.case import KINDS, Kind
from engine.rules import Effects, Rule, check_rule

ID = r"^[a-z0-9][a-z0-9_.]*$"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)


class Items(_Closed):
    flags: list[str] = []
    recommend: list[str] = []

    def ids(self) -> list[str]:
        return [f"flag:{f}" for f in self.flags] + [f"recommend:{r}" for r in self.recommend]


class Unaffected(_Closed):
    fact: str
    value: Any
    except_: Items = Field(Items(), alias="except")


class InvariantSpec(_Closed):
    id: str = Field(pattern=ID, max_length=80)
    text: str = Field(min_length=10)
    kinds: list[Kind] = ["survivor_case"]
    when: Any = None
    require: Items = Items()
    forbid: Items = Items()
    unaffected_by: Unaffected | None = None
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_kind_of_check(self) -> "InvariantSpec":
        plain = self.when is not None or self.require.ids() or self.forbid.ids()
        if self.unaffected_by is not None and plain:
            raise ValueError("`unaffected_by` stands alone: no `when`, `require` or `forbid` beside it")
        if self.unaffected_by is None and (self.when is None or not (self.require.ids() or self.forbid.ids())):
            raise ValueError("give `when` with `require` and/or `forbid`, or else `unaffected_by`")
        return self


class ConflictSpec(_Closed):
    id: str = Field(pattern=ID, max_length=80)
    pair: list[str] = Field(min_length=2, max_length=2)
    because: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Invariant:
    spec: InvariantSpec
    when: Condition | None  # parsed from spec.when (None for `unaffected_by`)


@dataclass(frozen=True)
class Book:
    """What the audit checks the rules against (knowledge/invariants.yaml, conflicts.yaml)."""

    invariants: tuple[Invariant, ...]
    conflicts: tuple[ConflictSpec, ...]


def _entries(path: Path, section: str, problems: list[Problem]) -> list[Any]:
    if not path.exists():
        return []
    try:
        data = yamlio.load(path)
    except CtmError as error:
        problems.append(Problem(str(path), error.line, error.message))
        return []
    if not isinstance(data, dict) or set(data) != {section} or not isinstance(data[section], list):
        problems.append(
            Problem(str(path), getattr(data, "line", None), f"expected one top-level key '{section}:' holding a list")
        )
        return []
    return list(data[section])


def _spec(model: type[BaseModel], item: Any, path: Path, where: str, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(item)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        keys = ", ".join(f.alias or name for name, f in model.model_fields.items())
        problems.append(
            Problem(
                str(path),
                yamlio.line_of(item, loc) or getattr(item, "line", None),
                f"{'.'.join(map(str, (where, *loc)))}: {first['msg']} (allowed keys: {keys})",
            )
        )
        return None


def _refs(
    what: str,
    ident: str,
    when: Condition,
    items: list[str],
    sources: list[str],
    kinds: Iterable[str],
    path: Path | str,
    line: int | None,
    cat: Catalogue,
) -> list[Problem]:
    """The cross-reference checks of a rule (facts, values, flags, interventions, sources)."""
    effects = Effects(
        flags=[i.split(":", 1)[1] for i in items if i.startswith("flag:")],
        recommend=[i.split(":", 1)[1] for i in items if i.startswith("recommend:")],
    )
    probe = Rule(
        id=ident,
        area="audit",
        stage=0,
        nodes=(),
        when=when,
        effects=effects,
        because=what,
        sources=tuple(sources),
        path=str(path),
        line=line or 0,
        kinds=tuple(kinds),
    )
    return [
        Problem(str(path), line, f"{what} '{ident}' {message}")
        for message in check_rule(probe, cat)
        if not message.startswith("has no effect")
    ]


def load_book(catalogue: Catalogue, directory: Path = KNOWLEDGE_DIR) -> Book:
    """Load and check the invariants and conflicts; a problem is a CtmError with file and line."""
    problems: list[Problem] = []
    invariants, conflicts = [], []
    path = Path(directory) / "invariants.yaml"
    for index, item in enumerate(_entries(path, "invariants", problems)):
        spec = _spec(InvariantSpec, item, path, f"invariants[{index}]", problems)
        if spec is None:
            continue
        line = getattr(item, "line", None)
        try:
            if spec.unaffected_by:
                when: Condition = Leaf(spec.unaffected_by.fact, "eq", spec.unaffected_by.value)
                items = spec.unaffected_by.except_.ids()
            else:
                when, items = conditions.parse(spec.when), spec.require.ids() + spec.forbid.ids()
        except ValueError as error:
            problems.append(Problem(str(path), line, f"invariant '{spec.id}' {error}"))
            continue
        problems += _refs("invariant", spec.id, when, items, spec.sources, spec.kinds, path, line, catalogue)
        invariants.append(Invariant(spec, None if spec.unaffected_by else when))
    path = Path(directory) / "conflicts.yaml"
    for index, item in enumerate(_entries(path, "conflicts", problems)):
        spec = _spec(ConflictSpec, item, path, f"conflicts[{index}]", problems)
        if spec is not None:
            problems += _refs(
                "conflict",
                spec.id,
                All(()),
                [f"recommend:{i}" for i in spec.pair],
                spec.sources,
                KINDS,
                path,
                getattr(item, "line", None),
                catalogue,
            )
            conflicts.append(spec)
    for kind, specs in (("invariant", [i.spec for i in invariants]), ("conflict", conflicts)):
        ids = [s.id for s in specs]
        problems += [
            Problem(str(directory), None, f"duplicate {kind} id '{i}'") for i in sorted(set(ids)) if ids.count(i) > 1
        ]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CtmError(str(problems[0]) + more)
    return Book(tuple(invariants), tuple(conflicts))
