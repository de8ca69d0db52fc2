"""How urgent each recommendation is, and what to do first (case-vocabulary.md §4).

Urgency is knowledge, not code: knowledge/urgency.yaml holds situations (conditions in the rule
files' language) and the interventions that answer them, with a default per level. This module
loads and checks that file and applies it to one assessment.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from engine import conditions, yamlio
from engine.conditions import Condition
from engine.errors import CtmError
from engine.knowledge import Catalogue, Problem

URGENCIES = ("now", "soon", "later")  # most urgent first
DO_FIRST_MAX = 5
Urgent = Literal["now", "soon", "later"]


@dataclass(frozen=True)
class UrgencyRule:
    id: str
    when: Condition
    urgency: str
    interventions: tuple[str, ...]
    flags: tuple[str, ...]
    because: str
    sources: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class Urgency:
    default: dict[str, str]
    rules: tuple[UrgencyRule, ...]
    path: str = ""

    def to_data(self) -> dict[str, Any]:
        return {
            "default": self.default,
            "path": self.path,
            "rules": [
                {
                    "id": r.id,
                    "when": conditions.to_data(r.when),
                    "urgency": r.urgency,
                    "interventions": list(r.interventions),
                    "flags": list(r.flags),
                    "because": r.because,
                    "sources": list(r.sources),
                    "line": r.line,
                }
                for r in self.rules
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Urgency":
        return cls(
            dict(data["default"]),
            tuple(
                UrgencyRule(
                    r["id"],
                    conditions.parse(r["when"]),
                    r["urgency"],
                    tuple(r["interventions"]),
                    tuple(r["flags"]),
                    r["because"],
                    tuple(r["sources"]),
                    r["line"],
                )
                for r in data["rules"]
            ),
            data["path"],
        )


NO_URGENCY = Urgency({"case": "soon", "programme": "later"}, ())


@lru_cache(maxsize=1)
def _models() -> Any:
    """The file's closed models, built when a file is first loaded (assessing from the start-up
    cache needs none: engine/cache.py)."""
    from pydantic import BaseModel, ConfigDict, Field

    class _Closed(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    class _RuleSpec(_Closed):
        id: str = Field(pattern=r"^urgency\.[a-z0-9_]+$", max_length=80)
        when: Any
        urgency: Urgent
        interventions: list[str] = Field(min_length=1)
        flags: list[str] = []
        because: str = Field(min_length=10)
        sources: list[str] = Field(min_length=1)

    class _Default(_Closed):
        case: Urgent
        programme: Urgent

    class _File(_Closed):
        default: _Default
        urgency: list[Any]

    return _File, _RuleSpec


def load(path: Path, problems: list[Problem]) -> Urgency:
    """The urgency rules of `path`; a missing file means the defaults only."""
    if not path.exists():
        return NO_URGENCY
    from pydantic import ValidationError

    _File, _RuleSpec = _models()
    try:
        data = yamlio.load(path)
        spec = _File.model_validate(data)
    except CtmError as error:
        problems.append(Problem(str(path), error.line, error.message))
        return NO_URGENCY
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        problems.append(
            Problem(
                str(path),
                getattr(data, "line", None),
                f"{'.'.join(map(str, first['loc']))}: {first['msg']} "
                "(the file has: default {case, programme}, urgency)",
            )
        )
        return NO_URGENCY
    rules = []
    for index, item in enumerate(spec.urgency):
        line = getattr(item, "line", None) or 0
        try:
            rs = _RuleSpec.model_validate(item)
            when = conditions.parse(rs.when)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            loc = tuple(first["loc"])
            problems.append(
                Problem(
                    str(path),
                    yamlio.line_of(item, loc) or line,
                    f"urgency[{index}].{'.'.join(map(str, loc))}: {first['msg']} (allowed urgency: "
                    f"{', '.join(URGENCIES)})",
                )
            )
            continue
        except ValueError as error:
            problems.append(Problem(str(path), line, f"urgency[{index}]: {error}"))
            continue
        rules.append(
            UrgencyRule(
                rs.id,
                when,
                rs.urgency,
                tuple(rs.interventions),
                tuple(rs.flags),
                rs.because.strip(),
                tuple(rs.sources),
                line,
            )
        )
    return Urgency(spec.default.model_dump(), tuple(rules), str(path))


def check(urgency: Urgency, catalogue: Catalogue, rule_ids: set[str]) -> list[Problem]:
    """Every cross-reference of the urgency rules: facts, values, interventions (case level only),
    flags, sources, and ids that no rule also uses."""
    from engine.rules import check_condition

    problems = []
    seen: set[str] = set()
    for rule in urgency.rules:
        found = check_condition(rule.when, ("survivor_case",))
        if rule.id in seen or rule.id in rule_ids:
            found.append("duplicate id")
        seen.add(rule.id)
        for iid in rule.interventions:
            entry = catalogue.interventions.get(iid)
            if entry is None:
                found.append(f"names unknown intervention '{iid}'")
            elif entry.level != "case":
                found.append(
                    f"names '{iid}', a programme-level intervention: urgency is for case-level advice "
                    f"(programme-level advice is '{urgency.default['programme']}')"
                )
        found += [f"names unknown flag '{f}'" for f in rule.flags if f not in catalogue.flags]
        found += [f"names unknown source '{s}'" for s in rule.sources if s not in catalogue.sources]
        problems += [Problem(urgency.path, rule.line, message, rule.id) for message in found]
    return problems


def assign(
    urgency: Urgency, facts: dict[str, Any], levels: dict[str, str], raised: dict[str, str]
) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """Urgency of each recommended intervention (`levels`: id -> level) given the facts, and the
    do-first list. `raised`: flag id -> severity, as the assessment raised them.
    Returns ({id: (urgency, urgency rule id or None for the default)}, do_first).

    Do first is ordered by `do_first_key`: the severity of the raised flags a situation answers,
    then the stated order — each urgent situation's first step before any situation's second
    (a rule lists its steps most protective first), situations in the order of the file."""
    result: dict[str, tuple[str, str | None]] = {iid: (urgency.default[level], None) for iid, level in levels.items()}
    keys: dict[str, tuple[int, int, int]] = {}
    for index, rule in enumerate(urgency.rules):
        named = [iid for iid in rule.interventions if iid in result]
        if not named or conditions.evaluate(rule.when, facts) is not True:
            continue
        for rank, iid in enumerate(named):
            if URGENCIES.index(rule.urgency) < URGENCIES.index(result[iid][0]):
                result[iid] = (rule.urgency, rule.id)
            if rule.urgency == "now":
                keys[iid] = min(keys.get(iid, (9, 9, 9)), do_first_key(rule, index, rank, raised))
    now = [iid for iid in levels if levels[iid] == "case" and result[iid][0] == "now"]
    return result, sorted(now, key=keys.__getitem__)[:DO_FIRST_MAX]


def do_first_key(rule: UrgencyRule, index: int, rank: int, raised: dict[str, str]) -> tuple[int, int, int]:
    """Where a step of a holding urgency rule goes in do_first: (the severity of the most severe
    raised flag the rule answers, none raised last; its rank among the rule's recommended steps;
    the rule's place in the file)."""
    from engine.assessment import SEVERITIES

    severity = min((SEVERITIES.index(raised[f]) for f in rule.flags if f in raised), default=len(SEVERITIES))
    return severity, rank, index
