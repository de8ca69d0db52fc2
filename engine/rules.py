"""Rule files (rules/<area>.yaml): closed models, loading, and every cross-reference check.

A rule file::

    area: rights
    stage: 50                 # rules run in ascending stage; a rule may read a derived key
                              # only when every rule deriving it has a lower stage
    kinds: [survivor_case]    # the kinds of case file the rules are for (this is the default);
    living: true              # advice for a living person only (default false): every rule of the
                              # file also needs `exit.route` not to be `death` (LIVING below)
    rules:                    # a rule may override `stage`, `kinds` and `living`, and reads only
                              # facts of its kinds
      - id: rights.non_punishment
        nodes: [justice.non_punishment]
        when: {all: [...]}    # engine/conditions.py
        then:
          derive: {harm_status: trafficked}
          flags: [non_punishment]            # or [{id: non_punishment, severity: high}]
          recommend: [non_punishment_defence]
          principles: [non_punishment]
        because: "A sentence a caseworker can read aloud."
        sources: [seed.non_punishment, ohchr.p7]
"""

import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine import __version__, conditions, yamlio
from engine.assessment import CLASSIFICATION
from engine.asking import Asking
from engine.case import Kind, field_info
from engine.conditions import All, Any_, Condition, Leaf
from engine.errors import CtmError
from engine.knowledge import KNOWLEDGE_DIR, Catalogue, Problem, load_catalogue, shipped
from engine.urgency import NO_URGENCY, Urgency

RULES_DIR = shipped("rules")

# The guard of a rule marked `living: true`: the person is not known to have died. One place for
# what the seed's "death" branch means for all other advice: after a death, nothing meant for a
# living person (release, return, recovery, integration, non-punishment) is given or asked for;
# the funeral, the body, the family's own access to justice and confidentiality stay.
LIVING = Any_((Leaf("exit.route", "known", False), Leaf("exit.route", "ne", "death")))


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FlagEffect(_Closed):
    id: str
    severity: Literal["high", "medium", "low"] | None = None


class Effects(_Closed):
    derive: dict[str, Any] = {}
    flags: list[FlagEffect] = []
    recommend: list[str] = []
    principles: list[str] = []

    @field_validator("flags", mode="before")
    @classmethod
    def _flag_ids(cls, value: Any) -> list[Any]:
        return [{"id": v} if isinstance(v, str) else v for v in value or []]


class RuleSpec(_Closed):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.]*$", max_length=80)
    nodes: list[str] = Field(min_length=1)
    stage: int | None = None
    kinds: list[Kind] | None = Field(None, min_length=1)
    living: bool | None = None
    when: Any
    then: Effects
    because: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class ConsistencySpec(_Closed):
    """One entry of knowledge/consistency.yaml: answers that cannot all be true together."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=60)
    answers: list[str] = Field(min_length=2)  # the answers (or classifications) that clash
    nodes: list[str] = Field(min_length=1)
    when: Any
    because: str = Field(min_length=10)  # names the answers, and what each reading means
    sources: list[str] = Field(min_length=1)


# Each consistency entry becomes a rule `consistency.<id>` that raises this flag; at this stage
# (after every classification is derived) it may read the classifications too.
CONSISTENCY_FLAG, CONSISTENCY_STAGE, CONSISTENCY_AREA = "answers_inconsistent", 60, "consistency"


class RuleFile(_Closed):
    area: str
    stage: int
    kinds: list[Kind] = Field(["survivor_case"], min_length=1)
    living: bool = False
    description: str = ""
    rules: list[Any]


@dataclass(frozen=True)
class Rule:
    id: str
    area: str
    stage: int
    nodes: tuple[str, ...]
    when: Condition
    effects: Effects
    because: str
    sources: tuple[str, ...]
    path: str
    line: int
    kinds: tuple[str, ...] = ("survivor_case",)

    @property
    def salience(self) -> int:
        return -self.stage  # experta fires the highest salience first

    def asserted(self) -> list[str]:
        e = self.effects
        return (
            [f"{k}={v}" for k, v in e.derive.items()]
            + [f"flag:{f.id}" for f in e.flags]
            + [f"recommend:{i}" for i in e.recommend]
            + [f"principle:{p}" for p in e.principles]
        )


@dataclass
class RuleSet:
    rules: tuple[Rule, ...]
    catalogue: Catalogue
    version: str
    digest: str
    urgency: Urgency = NO_URGENCY  # knowledge/urgency.yaml (engine/urgency.py)
    asking: Asking = Asking()  # knowledge/interview.yaml (engine/asking.py)

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def derivers(self, key: str) -> list[Rule]:
        return [r for r in self.rules if key in r.effects.derive]

    def for_kind(self, kind: str = "survivor_case") -> tuple[Rule, ...]:
        """The rules that run on this kind of case file, in file order."""
        return tuple(r for r in self.rules if kind in r.kinds)


def _digest(*directories: Path) -> str:
    sha = hashlib.sha256()
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            sha.update(f"{directory.name}/{path.name}\0".encode())
            sha.update(path.read_bytes())
    return "sha256:" + sha.hexdigest()


def load_rules(
    rules_dir: Path = RULES_DIR, knowledge_dir: Path = KNOWLEDGE_DIR, deep: bool = True
) -> tuple[RuleSet, list[Problem]]:
    """Load and check every rule file against the knowledge base; problems empty = valid.

    `deep` adds the search for rules whose conditions contradict (an authoring check that
    `ctm validate` and the tests run; assessing a case skips it).
    """
    catalogue, problems = load_catalogue(knowledge_dir)
    rules: list[Rule] = []
    files = sorted(Path(rules_dir).glob("*.yaml"))
    if not files:
        problems.append(Problem(str(rules_dir), None, "no rule files (*.yaml) found"))
    for path in files:
        rules += _load_file(path, problems)
    rules += _load_consistency(Path(knowledge_dir) / "consistency.yaml", problems)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(
                Problem(rule.path, rule.line, f"duplicate id (first at {first.path}:{first.line})", rule.id)
            )
        seen[rule.id] = rule
        problems += [Problem(rule.path, rule.line, msg, rule.id) for msg in check_rule(rule, catalogue)]
    problems += _check_stages(rules)
    from engine import asking, urgency

    urgent = urgency.load(Path(knowledge_dir) / "urgency.yaml", problems)
    problems += urgency.check(urgent, catalogue, set(seen))
    order = asking.load(Path(knowledge_dir) / "interview.yaml", problems)
    problems += asking.check(order, catalogue)
    ruleset = RuleSet(
        tuple(rules), catalogue, __version__, _digest(Path(rules_dir), Path(knowledge_dir)), urgent, order
    )
    if deep and not problems:
        from engine.space import unsatisfiable

        problems += [
            Problem(r.path, r.line, "can never fire: its conditions contradict each other", r.id)
            for r in rules
            if unsatisfiable(r.when)
        ]
    return ruleset, problems


def load_valid_rules(rules_dir: Path = RULES_DIR, knowledge_dir: Path = KNOWLEDGE_DIR) -> RuleSet:
    """The rule set, checked; from the start-up cache when the files have not changed."""
    from engine import cache

    cached = cache.read(_digest(Path(rules_dir), Path(knowledge_dir)))
    if cached is not None:
        return cached
    ruleset, problems = load_rules(rules_dir, knowledge_dir, deep=False)
    if problems:
        more = f" (and {len(problems) - 1} more; run `ctm validate`)" if len(problems) > 1 else ""
        raise CtmError(str(problems[0]) + more)
    cache.write(ruleset)
    return ruleset


def _load_file(path: Path, problems: list[Problem]) -> list[Rule]:
    try:
        data = yamlio.load(path)
    except CtmError as error:
        problems.append(Problem(str(path), error.line, error.message))
        return []
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        problems.append(
            Problem(
                str(path),
                getattr(data, "line", None),
                f"{'.'.join(map(str, first['loc']))}: {first['msg']} "
                f"(a rule file has: area, stage, kinds, living, description, rules)",
            )
        )
        return []
    rules = []
    for index, item in enumerate(spec.rules):
        line = getattr(item, "line", None) or 0
        rule_id = item.get("id") if isinstance(item, dict) else None
        try:
            rs = RuleSpec.model_validate(item)
            when = conditions.parse(rs.when)
            if rs.living if rs.living is not None else spec.living:
                when = All((LIVING, *(when.parts if isinstance(when, All) else (when,))))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            loc = tuple(first["loc"])
            problems.append(
                Problem(
                    str(path),
                    yamlio.line_of(item, loc) or line,
                    f"rules[{index}].{'.'.join(map(str, loc))}: {first['msg']}",
                    rule_id,
                )
            )
            continue
        except ValueError as error:
            problems.append(Problem(str(path), line, str(error), rule_id))
            continue
        rules.append(
            Rule(
                rs.id,
                spec.area,
                rs.stage if rs.stage is not None else spec.stage,
                tuple(rs.nodes),
                when,
                rs.then,
                rs.because.strip(),
                tuple(rs.sources),
                str(path),
                line,
                tuple(rs.kinds or spec.kinds),
            )
        )
    return rules


def _load_consistency(path: Path, problems: list[Problem]) -> list[Rule]:
    """knowledge/consistency.yaml as rules: each entry raises `answers_inconsistent`, naming the
    answers that clash; the rules' own checks then name any unknown fact or value, with its line."""
    if not path.exists():
        return []
    try:
        data = yamlio.load(path)
    except CtmError as error:
        problems.append(Problem(str(path), error.line, error.message))
        return []
    if not isinstance(data, dict) or set(data) != {"consistency"} or not isinstance(data["consistency"], list):
        problems.append(
            Problem(str(path), getattr(data, "line", None), "expected one top-level key 'consistency:' holding a list")
        )
        return []
    rules = []
    for index, item in enumerate(data["consistency"]):
        line = getattr(item, "line", None) or 0
        try:
            spec = ConsistencySpec.model_validate(item)
            when = conditions.parse(spec.when)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            loc = tuple(first["loc"])
            problems.append(
                Problem(
                    str(path),
                    yamlio.line_of(item, loc) or line,
                    f"consistency[{index}].{'.'.join(map(str, loc))}: {first['msg']} "
                    f"(an entry has: {', '.join(ConsistencySpec.model_fields)})",
                )
            )
            continue
        except ValueError as error:
            problems.append(Problem(str(path), line, f"consistency[{index}]: {error}"))
            continue
        unread = [a for a in spec.answers if a not in conditions.facts_of(when)]
        if unread:
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"consistency '{spec.id}' names answers its `when` does not read: {', '.join(unread)}",
                )
            )
        rules.append(
            Rule(
                f"consistency.{spec.id}",
                CONSISTENCY_AREA,
                CONSISTENCY_STAGE,
                tuple(spec.nodes),
                when,
                Effects(flags=[FlagEffect(id=CONSISTENCY_FLAG)]),
                spec.because.strip(),
                tuple(spec.sources),
                str(path),
                line,
            )
        )
    return rules


def _value_ok(fact: str, value: Any) -> str | None:
    """None when `value` can be a value of `fact`, else what is allowed."""
    if fact in CLASSIFICATION:
        allowed = CLASSIFICATION[fact]
        return None if value in allowed else ", ".join(map(str, allowed))
    kind, _ = field_info(fact)
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [m.value for m in kind]
        return None if value in values else ", ".join(values)
    if kind is bool:
        return None if isinstance(value, bool) else "true, false"
    if kind is int:
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "a number"
    return None if isinstance(value, str) else "text"


def check_condition(when: Condition, kinds: tuple[str, ...]) -> list[str]:
    """What is wrong with a condition read by files of these kinds: unknown facts, values, operators."""
    from engine.profiles import ALL_FIELDS, facts_of  # the other kinds' models: not needed to assess a case

    problems = []
    for leaf in conditions.leaves(when):
        if leaf.fact not in ALL_FIELDS and leaf.fact not in CLASSIFICATION:
            problems.append(
                f"reads unknown fact '{leaf.fact}' (case fields: section.name as in "
                f"case-vocabulary.md; derived: {', '.join(CLASSIFICATION)})"
            )
            continue
        foreign = [kind for kind in kinds if leaf.fact not in facts_of(kind)]
        if foreign:
            problems.append(
                f"reads '{leaf.fact}', which a {foreign[0]} file does not have (the rule is for: {', '.join(kinds)})"
            )
            continue
        is_list = leaf.fact in ALL_FIELDS and field_info(leaf.fact)[1]
        is_number = leaf.fact in ALL_FIELDS and field_info(leaf.fact)[0] is int
        if leaf.op in conditions.LIST_OPS and not is_list:
            problems.append(f"'{leaf.op}' needs a list fact; '{leaf.fact}' is not a list")
        if leaf.op in conditions.ORDER_OPS and not is_number:
            problems.append(f"'{leaf.op}' needs a number fact; '{leaf.fact}' is not a number")
        if is_list and leaf.op in ("eq", "ne", "in", "not_in"):
            problems.append(f"'{leaf.op}' compares a single value; '{leaf.fact}' is a list (use contains…)")
        if leaf.op in ("known", "empty") or leaf.op in conditions.ORDER_OPS:
            continue
        for value in leaf.values:
            allowed = _value_ok(leaf.fact, value)
            if allowed:
                problems.append(f"compares '{leaf.fact}' with unknown value {value!r} (allowed: {allowed})")
    return problems


def check_rule(rule: Rule, cat: Catalogue) -> list[str]:
    from engine.profiles import facts_of

    problems = check_condition(rule.when, rule.kinds)
    effects = rule.effects
    for key, value in effects.derive.items():
        if key not in CLASSIFICATION:
            problems.append(f"derives unknown key '{key}' (known: {', '.join(CLASSIFICATION)})")
        elif value not in CLASSIFICATION[key]:
            problems.append(f"derives {key}={value!r} (allowed: {', '.join(map(str, CLASSIFICATION[key]))})")
        elif any(key not in facts_of(kind) for kind in rule.kinds):
            problems.append(
                f"derives '{key}', which is not a classification of every kind it is for ({', '.join(rule.kinds)})"
            )
    refs: list[tuple[str, str, dict[str, Any]]] = [("flag", f.id, cat.flags) for f in effects.flags]
    refs += [("intervention", i, cat.interventions) for i in effects.recommend]
    refs += [("principle", p, cat.principles) for p in effects.principles]
    refs += [("source", s, cat.sources) for s in rule.sources]
    refs += [("node", n, cat.nodes) for n in rule.nodes]
    for kind, ref, known in refs:
        if ref not in known:
            sample = ", ".join(list(known)[:8]) + (", …" if len(known) > 8 else "")
            problems.append(f"names unknown {kind} '{ref}' (known: {sample})")
    if not (effects.derive or effects.flags or effects.recommend or effects.principles):
        problems.append("has no effect: give it derive, flags, recommend or principles")
    return problems


def _check_stages(rules: list[Rule]) -> list[Problem]:
    """Stratification: a derived key is read only after every rule that can derive it has run."""
    problems = []
    for rule in rules:
        for fact in conditions.facts_of(rule.when):
            # A fallback may read "not derived yet" of the very key it derives (nothing else).
            fallback = all(
                leaf.op == "known" and not leaf.arg for leaf in conditions.leaves(rule.when) if leaf.fact == fact
            )
            late = [
                d
                for d in rules
                if fact in d.effects.derive
                and d.stage >= rule.stage
                and set(d.kinds) & set(rule.kinds)
                and not (d is rule and fallback)
            ]
            if fact in CLASSIFICATION and late:
                problems.append(
                    Problem(
                        rule.path,
                        rule.line,
                        f"reads '{fact}' at stage {rule.stage}, but '{late[0].id}' derives it "
                        f"at stage {late[0].stage}: give the reader a higher stage",
                        rule.id,
                    )
                )
    return problems
