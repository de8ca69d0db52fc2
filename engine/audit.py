"""The audit: what the rules cover, and what they do in every possible case.

Coverage is read from the files (engine/coverage.py): for every matrix node, intervention
and principle, the rules that name it, the cases that exercise it, and its sources.

The analysis asks a solver (z3) about the whole decision space of each kind of case file
(engine/space.py): every combination of every answer the rules read — unknown included —
with each answer cut into the classes that the rules can tell apart. A question such as
"can this rule fire?" is decided for all combinations at once: "no" holds for every case,
"yes" comes with a case made as small as possible (fewest answered questions), which the
experta engine then assesses to confirm it. What is looked for:

  gaps             a trafficked person whose situation is at least partly known (exit route,
                   whereabouts, recovery or integration) gets no recommendation at all
  conflicts        two pieces of advice declared incompatible (knowledge/conflicts.yaml) given
                   together, or two rules deriving different values of one classification
  dead rules       no case makes the rule fire
  redundant rules  no case's assessment would change if the rule were taken out
  violations       a rights invariant (knowledge/invariants.yaml, engine/invariants.py) fails
                   for some case

The solver's model of the rules is checked against experta on random cases every run.
"""

import dataclasses
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from engine import chain, conditions
from engine.assessment import CLASSIFICATION, UNDERIVED, Assessment
from engine.case import KINDS, IntegrationSetting, parse_case
from engine.conditions import Leaf
from engine.coverage import coverage
from engine.errors import CtmError, RuleConflict
from engine.invariants import Book, ConflictSpec, Invariant, load_book
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import Rule, RuleSet
from engine.samples import random_answers
from engine.space import Chain, Space, effect_items, smallest_case, which_can_hold

SURVIVOR = "survivor_case"
CELL_KEYS = ("exit_route", "geographic_outcome", "recovery_type", "integration_outcome")
SETTINGS = tuple(s.value for s in IntegrationSetting) + ("none", "unknown")
# The heatmaps read integration settings one by one, so their classes must tell them apart.
HEATMAP_LEAVES = [Leaf("integration.settings", "contains", s.value) for s in IntegrationSetting] + [
    Leaf("integration.settings", "empty", True)
]
Progress = Callable[[float, str], object]


# ---------------------------------------------------------------------------- the analysis ----


@dataclass
class Finding:
    kind: str  # gap | conflict | dead_rule | redundant_rule | violation
    id: str  # what it is about: a matrix cell, a conflict, a rule, an invariant
    text: str  # one sentence for people
    rules: list[str] = field(default_factory=list)
    case: dict[str, Any] | None = None  # the smallest case that shows it (none: it holds of every case)
    other_case: dict[str, Any] | None = None  # for `unaffected_by`: the same case with the other answer
    confirmed: bool | None = None  # the experta engine shows it on `case` too


class Analysis:
    """The decision space of one kind of case file, with the rule chain over it as formulas."""

    def __init__(self, ruleset: RuleSet, book: Book, kind: str):
        import z3

        from engine.infer import Assessor

        self.ruleset, self.kind, self.rules = ruleset, kind, chain.ordered(ruleset, kind)
        self.invariants = [i for i in book.invariants if kind in i.spec.kinds]
        self.conflicts = book.conflicts
        leaves = [leaf for rule in self.rules for leaf in conditions.leaves(rule.when)]
        for inv in self.invariants:
            ua = inv.spec.unaffected_by
            if inv.when is not None:
                leaves += list(conditions.leaves(inv.when))
            elif ua is not None:
                leaves.append(Leaf(ua.fact, "eq", ua.value))
        self.space = Space(leaves + (HEATMAP_LEAVES if kind == SURVIVOR else []), kind)
        self.chain = Chain(self.space, ruleset)
        self.solver = z3.Solver()
        self.solver.add(*self.space.domain, *self.chain.definitions)
        self.assessor = Assessor(ruleset)  # experta, to confirm each finding

    def smallest(self, *constraints: Any) -> dict[str, Any] | None:
        return smallest_case(self.space, self.chain.definitions, list(constraints), "AUDIT")

    def assess(self, data: Any) -> Assessment:
        return self.assessor.assess(parse_case(data))

    def summary(self) -> dict[str, Any]:
        return {
            "facts": len(self.space.values),
            "combinations": self.space.size(),
            "classes": {f: [list(v) if isinstance(v, tuple) else v for v in vs] for f, vs in self.space.values.items()},
        }


def _given(assessment: Assessment) -> set[str]:
    return {f"flag:{f.id}" for f in assessment.flags} | {
        f"recommend:{r.intervention}" for r in assessment.recommendations
    }


def _rules_giving(assessment: Assessment, items: list[str]) -> list[str]:
    return [step.rule for step in assessment.trace if set(items) & set(step.asserted)]


def dead_rules(an: Analysis) -> list[Finding]:
    from engine.space import unsatisfiable

    live = which_can_hold(an.solver, an.chain.fires)
    found = []
    for rule in [r for r in an.rules if r.id not in live]:
        derived = [f for f in conditions.facts_of(rule.when) if f in CLASSIFICATION]
        why = (
            "its conditions contradict each other"
            if unsatisfiable(rule.when)
            else f"no case gives {', '.join(derived) or 'what it reads'} the values it needs together with its "
            f"other conditions"
        )
        found.append(Finding("dead_rule", rule.id, f"Rule '{rule.id}' can never fire: {why}.", [rule.id]))
    return found


def conflicts(an: Analysis) -> list[Finding]:
    """Declared pairs given together; two rules deriving different values of one key."""
    import z3

    targets: dict[str, Any] = {}
    about: dict[str, Any] = {}
    for spec in an.conflicts:
        targets[spec.id] = z3.And([an.chain.has(f"recommend:{i}") for i in spec.pair])
        about[spec.id] = spec
    for key in CLASSIFICATION:
        derivers = [r for r in an.rules if key in r.effects.derive]
        for n, first in enumerate(derivers):
            for second in [r for r in derivers[n + 1 :] if r.effects.derive[key] != first.effects.derive[key]]:
                name = f"{key}: {first.id} / {second.id}"
                targets[name] = z3.And(an.chain.fires[first.id], an.chain.fires[second.id])
                about[name] = (key, first, second)
    found = []
    for name in sorted(which_can_hold(an.solver, targets)):
        case = an.smallest(targets[name])
        if isinstance(about[name], ConflictSpec):
            spec, items = about[name], [f"recommend:{i}" for i in about[name].pair]
            assessment = an.assess(case)
            found.append(
                Finding(
                    "conflict",
                    name,
                    f"'{spec.pair[0]}' and '{spec.pair[1]}' are both recommended, "
                    f"but they are declared incompatible: {spec.because}",
                    _rules_giving(assessment, items),
                    case,
                    confirmed=set(items) <= _given(assessment),
                )
            )
            continue
        key, first, second = about[name]
        try:
            an.assess(case)
            confirmed = False
        except RuleConflict:  # what experta does when two rules disagree on a classification
            confirmed = True
        found.append(
            Finding(
                "conflict",
                name,
                f"Rules '{first.id}' and '{second.id}' both fire and derive {key} "
                f"= {first.effects.derive[key]} and {second.effects.derive[key]}.",
                [first.id, second.id],
                case,
                confirmed=confirmed,
            )
        )
    return found


def violations(an: Analysis) -> list[Finding]:
    import z3

    found = []
    for inv in an.invariants:
        if inv.spec.unaffected_by:
            found += _withdrawn(an, inv)
            continue
        assert inv.when is not None  # an invariant has `when` or `unaffected_by`
        when = an.space.condition(inv.when, an.space.var, an.chain.derived)[0]
        targets = {(item, "is not given"): z3.And(when, z3.Not(an.chain.has(item))) for item in inv.spec.require.ids()}
        targets |= {(item, "is given"): z3.And(when, an.chain.has(item)) for item in inv.spec.forbid.ids()}
        for item, what in sorted(which_can_hold(an.solver, targets)):
            case = an.smallest(targets[(item, what)])
            assessment = an.assess(case)
            answers = parse_case(case).answers()
            holds = conditions.evaluate(inv.when, {**answers, **an.assessor.run(answers, an.kind)[0]}) is True
            found.append(
                Finding(
                    "violation",
                    f"{inv.spec.id}: {item} {what}",
                    f"{inv.spec.text} But here {item.replace(':', ' ')} {what}.",
                    _rules_giving(assessment, [item]),
                    case,
                    confirmed=holds and (item in _given(assessment)) == (what == "is given"),
                )
            )
    return found


def _withdrawn(an: Analysis, inv: Invariant) -> list[Finding]:
    """`unaffected_by`: a second copy of the chain sees the same case with another answer."""
    import z3

    ua = inv.spec.unaffected_by
    assert ua is not None  # called for `unaffected_by` invariants only
    index, size = an.space.index(ua.fact, ua.value), len(an.space.values[ua.fact])
    other = {**an.space.var, ua.fact: z3.Int(ua.fact + "'")}
    changed = Chain(an.space, an.ruleset, var=other, tag="other:")
    definitions = an.chain.definitions + changed.definitions
    setting = [an.space.var[ua.fact] == index, other[ua.fact] != index, 0 <= other[ua.fact], other[ua.fact] < size]
    solver = z3.Solver()
    solver.add(*an.space.domain, *definitions, *setting)
    items = [i for i in an.chain.item if re.match(r"(flag|recommend):[^@]*$", i) and i not in ua.except_.ids()]
    targets = {i: z3.And(an.chain.has(i), z3.Not(changed.has(i))) for i in items}
    section, name = ua.fact.split(".")
    found = []
    for item in sorted(which_can_hold(solver, targets)):
        case = smallest_case(an.space, definitions, setting + [targets[item]], "AUDIT")
        assert case is not None  # the target can hold, so a smallest case shows it
        given = item in _given(an.assess(case))
        other_case: dict[str, Any] | None = None
        other_answer: Any = "another answer"
        for value in an.space.values[ua.fact]:  # the answer that withdraws it, found by experta
            answered = {k: v for k, v in {**case.get(section, {}), name: value}.items() if v is not None}
            trial = {**case, section: {k: list(v) if isinstance(v, tuple) else v for k, v in answered.items()}}
            if value != ua.value and other_case is None and item not in _given(an.assess(trial)):
                other_case, other_answer = trial, "unknown" if value is None else value
        found.append(
            Finding(
                "violation",
                f"{inv.spec.id}: {item}",
                f"{inv.spec.text} But {item.replace(':', ' ')} is given when {ua.fact} is {ua.value} "
                f"and withdrawn when it is {other_answer}.",
                _rules_giving(an.assess(case), [item]),
                case,
                other_case,
                confirmed=given and other_case is not None,
            )
        )
    return found


def redundant_rules(an: Analysis) -> list[Finding]:
    """Rules whose every effect another firing rule always gives too, and whose removal
    changes no case's assessment (dead rules are reported as dead)."""
    import z3

    ch, cat, order = an.chain, an.ruleset.catalogue, ("high", "medium", "low")

    def also_given(rule: Rule, item: str) -> Any:
        flag, _, severity = item.partition("@")  # a flag counts if raised at least as high
        wanted = {f"{flag}@{s}" for s in order[: order.index(severity) + 1]} if severity else {item}
        return z3.Or(
            [ch.fires[r.id] for r in an.rules if r.id != rule.id and wanted & set(effect_items(r, cat))]
            + [z3.BoolVal(False)]
        )

    live = which_can_hold(an.solver, ch.fires)
    targets = {}
    for rule in [r for r in an.rules if r.id in live]:
        covered = [also_given(rule, i) for i in effect_items(rule, cat)]
        covered += [
            z3.Or(
                [ch.fires[r.id] for r in an.rules if r.id != rule.id and r.effects.derive.get(k) == v]
                + [z3.BoolVal(False)]
            )
            for k, v in rule.effects.derive.items()
        ]
        targets[rule.id] = z3.And(ch.fires[rule.id], z3.Not(z3.And(covered)))
    uncovered = which_can_hold(an.solver, targets)
    found = []
    for rid in [r for r in targets if r not in uncovered]:  # confirm: the set without it is the same
        rest = Chain(
            an.space,
            dataclasses.replace(an.ruleset, rules=tuple(r for r in an.ruleset.rules if r.id != rid)),
            tag=f"without {rid}:",
        )
        differs = [ch.has(i) != rest.has(i) for i in sorted(set(ch.item) | set(rest.item))]
        differs += [ch.classified(k, v) != rest.classified(k, v) for k in CLASSIFICATION for v in CLASSIFICATION[k]]
        solver = z3.Solver()
        solver.add(*an.space.domain, *ch.definitions, *rest.definitions, z3.Or(differs))
        if solver.check() == z3.unsat:
            mine = set(effect_items(an.ruleset.by_id(rid), cat))
            always = [
                r.id
                for r in an.rules
                if r.id != rid
                and mine & set(effect_items(r, cat))
                and an.solver.check(ch.fires[rid], z3.Not(ch.fires[r.id])) == z3.unsat
            ]
            found.append(
                Finding(
                    "redundant_rule",
                    rid,
                    f"Rule '{rid}' adds nothing: whenever it fires, other rules "
                    f"give all it gives" + (f" ({', '.join(always)} always fire with it)." if always else "."),
                    [rid] + always,
                )
            )
    return found


def gaps(an: Analysis) -> list[Finding]:
    """A trafficked person, the situation partly known, and not one recommendation: per cell."""
    import z3

    ch = an.chain
    advice = [f for i, f in ch.item.items() if i.startswith("recommend:")] + [z3.BoolVal(False)]
    silent = [
        ch.classified("harm_status", "trafficked"),
        z3.Not(z3.Or(advice)),
        z3.Not(z3.And([ch.classified(k, UNDERIVED[k]) for k in CELL_KEYS])),
    ]
    an.solver.push()
    an.solver.add(*silent)
    cells = []
    while an.solver.check() == z3.sat:  # each cell once: the next must differ from those found
        model = an.solver.model()
        cells.append(
            tuple(
                next(v for v in CLASSIFICATION[k] if z3.is_true(model.eval(ch.classified(k, v), model_completion=True)))
                for k in CELL_KEYS
            )
        )
        an.solver.add(z3.Not(z3.And([ch.classified(k, v) for k, v in zip(CELL_KEYS, cells[-1])])))
    an.solver.pop()
    found = []
    for cell in sorted(cells):
        case = an.smallest(*silent, *[ch.classified(k, v) for k, v in zip(CELL_KEYS, cell)])
        shown = an.assess(case)
        confirmed = (
            not shown.recommendations
            and shown.classification["harm_status"] == "trafficked"
            and tuple(shown.classification[k] for k in CELL_KEYS) == cell
        )
        where = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in zip(CELL_KEYS, cell))
        found.append(
            Finding(
                "gap",
                " / ".join(map(str, cell)),
                f"A trafficked person ({where}) gets no recommendation, only the general principles.",
                [],
                case,
                confirmed=confirmed,
            )
        )
    return found


def heat_row(an: Analysis, table: str, row: str) -> dict[str, list[str]]:
    """The advice-giving rules (flags or recommendations) that can fire in each cell of a row."""
    import z3

    ch = an.chain
    advice = {r.id: ch.fires[r.id] for r in an.rules if r.effects.recommend or r.effects.flags}
    if table == "exit_geography":
        here = ch.classified("exit_route", row)
        cols = {g: ch.classified("geographic_outcome", g) for g in CLASSIFICATION["geographic_outcome"]}
    else:
        here = ch.classified("recovery_type", row)
        var, values = an.space.var["integration.settings"], an.space.values["integration.settings"]
        cols = {
            s: z3.Or(
                [
                    var == i
                    for i, v in enumerate(values)
                    if (v is None if s == "unknown" else v == () if s == "none" else v is not None and s in v)
                ]
                + [z3.BoolVal(False)]
            )
            for s in SETTINGS
        }
    result = {}
    for col, formula in cols.items():
        an.solver.push()
        an.solver.add(here, formula)
        result[col] = sorted(which_can_hold(an.solver, advice))
        an.solver.pop()
    return result


def cross_check(an: Analysis, seed: int, count: int, known: float) -> tuple[int, list[str]]:
    """The solver's model against experta and the plain chain: fired rules and classifications."""
    import z3

    rng, checked, disagreements = random.Random(seed), 0, []
    is_ = {f: [an.space.var[f] == i for i in range(len(vs))] for f, vs in an.space.values.items()}
    # read a model in one call, not one per rule: which rules fire, and each key's derived value
    keys = {k: (None,) + tuple(vs) for k, vs in CLASSIFICATION.items()}
    packed = z3.Sum([z3.If(an.chain.fires[r.id], 2**n, 0) for n, r in enumerate(an.rules)] + [0])
    codes = z3.Sum(
        [
            z3.If(equals[v], keys[k].index(v) * 16**n, 0)
            for n, (k, (_, equals)) in enumerate(an.chain.derived.items())
            for v in equals
        ]
        + [0]
    )
    for index in range(count):
        data: dict[str, Any] = {
            "case_id": f"SIM-{seed}-{index}",
            "kind": an.kind,
            **random_answers(rng, an.kind, known),
        }
        try:
            answers = parse_case(data).answers()
        except CtmError:
            continue  # a random number outside the field's range: not a case
        try:
            derived, firings = an.assessor.run(answers, an.kind)
        except RuleConflict:
            continue  # two rules disagree on a classification: `conflicts` reports it, with its smallest case
        checked += 1
        plain_derived, plain_fired = chain.run(an.rules, answers)
        if an.solver.check([is_[f][an.space.index(f, answers[f])] for f in an.space.values]) != z3.sat:
            disagreements.append(data["case_id"])
            continue
        model = an.solver.model()
        bits, code = (model.eval(x, model_completion=True).as_long() for x in (packed, codes))
        solved = {r.id for n, r in enumerate(an.rules) if bits >> n & 1}
        solved_derived = {k: keys[k][code // 16**n % 16] for n, k in enumerate(an.chain.derived) if code // 16**n % 16}
        if not (
            solved == {r.id for r, _ in firings} == {r.id for r in plain_fired}
            and solved_derived == derived == plain_derived
        ):
            disagreements.append(data["case_id"])
    return checked, disagreements


# ------------------------------------------------------------------- running it on two cores ----

CHECKS = {
    "gaps": gaps,
    "conflicts": conflicts,
    "dead_rules": dead_rules,
    "redundant_rules": redundant_rules,
    "violations": violations,
}
_STATE: dict[str, Any] = {}


def _start(ruleset: RuleSet, book: Book) -> None:
    _STATE.clear()
    _STATE.update(ruleset=ruleset, book=book, analyses={})


def _task(task: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """One piece of the work, in whichever process runs it (each builds its own Analysis)."""
    name, kind, *args = task
    if kind not in _STATE["analyses"]:
        _STATE["analyses"][kind] = Analysis(_STATE["ruleset"], _STATE["book"], kind)
    an = _STATE["analyses"][kind]
    if name in CHECKS:
        return task, [dataclasses.asdict(f) for f in CHECKS[name](an)]
    if name == "coverage":
        return task, coverage(an.ruleset, an.assessor, Path(*args))
    runs: dict[str, Callable[..., Any]] = {"heat": heat_row, "cross_check": cross_check, "space": Analysis.summary}
    return task, runs[name](an, *args)


def _execute(
    tasks: list[tuple[Any, ...]], ruleset: RuleSet, book: Book, workers: int, progress: Progress
) -> dict[tuple[Any, ...], Any]:
    results: dict[tuple[Any, ...], Any] = {}

    def done(task: tuple[Any, ...], result: Any) -> None:
        results[task] = result
        progress(len(results) / len(tasks), f"{task[0].replace('_', ' ')} ({task[1].replace('_', ' ')})")

    if workers <= 1:
        _start(ruleset, book)
        for task in tasks:
            done(*_task(task))
        return results
    # spawn, not fork: a fork of a threaded process (the UI's server) can hang
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_start, initargs=(ruleset, book)
    ) as pool:
        for future in as_completed([pool.submit(_task, t) for t in tasks]):
            done(*future.result())
    return results


def analyse(
    ruleset: RuleSet,
    book: Book,
    samples: int = 2000,
    workers: int = 2,
    progress: Progress | None = None,
    knowledge_dir: Path | None = None,
) -> dict[str, Any]:
    """Every finding, the heatmaps' rule counts, the cross-check and the size of each space
    (and the coverage, with the cases of `knowledge_dir`, when it is given)."""
    kinds = [k for k in KINDS if ruleset.for_kind(k)]
    chunks = 8  # the cross-check in pieces, so that both processes share it
    tasks: list[tuple[Any, ...]] = [
        (
            "cross_check",
            k,
            1000 * i + KINDS.index(k),
            (samples if k == SURVIVOR else samples // 8) // chunks,
            (0.2, 0.5, 0.8, 1.0)[i % 4],
        )
        for k in kinds
        for i in range(chunks)
    ]
    tasks += [(name, k) for k in kinds for name in [*CHECKS, "space"] if k == SURVIVOR or name != "gaps"]
    if knowledge_dir is not None:
        tasks += [("coverage", kinds[0], str(knowledge_dir))]
    if SURVIVOR in kinds:
        tasks += [("heat", SURVIVOR, "exit_geography", r) for r in CLASSIFICATION["exit_route"]]
        tasks += [("heat", SURVIVOR, "recovery_integration", r) for r in CLASSIFICATION["recovery_type"]]
    started = time.perf_counter()
    results = _execute(tasks, ruleset, book, workers, progress or (lambda done, what: None))
    findings = {name: [f for t in tasks if t[0] == name for f in results[t]] for name in CHECKS}
    for name, items in findings.items():
        for n, item in enumerate(items, start=1):
            for key, suffix in (("case", ""), ("other_case", "-OTHER")):
                if item[key]:
                    item[key]["case_id"] = f"AUDIT-{name.upper().replace('_', '-')}-{n:02d}{suffix}"
    heat: dict[str, dict[str, Any]] = {"exit_geography": {}, "recovery_integration": {}}
    for task in [t for t in tasks if t[0] == "heat"]:
        heat[task[2]][task[3]] = results[task]
    checks = [results[t] for t in tasks if t[0] == "cross_check"]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "workers": workers,
        "space": {t[1]: results[t] for t in tasks if t[0] == "space"},
        "cross_check": {"cases": sum(n for n, _ in checks), "disagreements": [c for _, d in checks for c in d]},
        "findings": findings,
        "rule_heat": heat,
        "coverage": next((results[t] for t in tasks if t[0] == "coverage"), None),
    }


# ------------------------------------------------------------------------------ the report ----

_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}


def run(
    ruleset: RuleSet,
    knowledge_dir: Path = KNOWLEDGE_DIR,
    samples: int = 2000,
    workers: int = 2,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole audit of a rule set, as plain data (kept per rule-set digest in this process)."""
    key = (ruleset.digest, str(knowledge_dir), samples)
    if key not in _CACHE:
        book = load_book(ruleset.catalogue, knowledge_dir)
        result = analyse(ruleset, book, samples, workers, progress, knowledge_dir)
        dead = {f["id"] for f in result["findings"]["dead_rules"]}
        for section in ("nodes", "interventions", "principles"):
            for entry in result["coverage"][section].values():
                entry["dead_rules"] = [r for r in entry["rules"] if r in dead]
        result["ruleset"] = {"version": ruleset.version, "digest": ruleset.digest, "rules": len(ruleset.rules)}
        result["checked_against"] = {
            "invariants": [i.spec.id for i in book.invariants],
            "conflicts": [c.id for c in book.conflicts],
        }
        _CACHE[key] = result
    elif progress:
        progress(1.0, "done")
    return _CACHE[key]


def counts(report: dict[str, Any]) -> dict[str, int]:
    return {name: len(items) for name, items in report["findings"].items()}
