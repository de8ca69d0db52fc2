"""The values a fact can take that a condition can tell apart.

For each fact a condition reads, a small list of representative values — unknown (None)
and one value per region its leaves distinguish — so that trying every combination
decides a question over *all* cases exactly: can this rule ever fire?
"""

import math
from enum import Enum
from itertools import combinations, product
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from engine import chain, conditions
from engine.assessment import CLASSIFICATION, UNDERIVED
from engine.case import field_bounds, field_info
from engine.profiles import ALL_FIELDS, FIELDS_BY_KIND
from engine.conditions import Condition, Leaf

if TYPE_CHECKING:
    from engine.knowledge import Catalogue
    from engine.rules import Rule, RuleSet

MAX_COMBINATIONS = 500_000


def _mentioned(leaves: Iterable[Leaf]) -> list[Any]:
    found: list[Any] = []
    for leaf in leaves:
        if leaf.op in ("known", "empty") or leaf.op in conditions.ORDER_OPS:
            continue
        for value in leaf.values:
            if value not in found:
                found.append(value)
    return found


def _all_values(fact: str) -> list[Any] | None:
    if fact in CLASSIFICATION:
        return list(CLASSIFICATION[fact])
    kind, _ = field_info(fact)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [m.value for m in kind]
    if kind is bool:
        return [True, False]
    return None


def candidates(fact: str, leaves: list[Leaf]) -> list[Any]:
    """Representative values of `fact` for the given leaves, unknown first."""
    mentioned = _mentioned(leaves)
    universe = _all_values(fact)
    is_list = fact in ALL_FIELDS and field_info(fact)[1]
    if is_list:
        others = [v for v in (universe or ["other"]) if v not in mentioned]
        values = [tuple(c) for n in range(len(mentioned) + 1) for c in combinations(mentioned, n)]
        if others:
            values.append((others[0],))  # non-empty, yet none of the mentioned items
        return [None] + values
    if fact in ALL_FIELDS and field_info(fact)[0] is int:
        points = {0} | {int(v) for v in mentioned}  # eq / ne / in name their numbers
        for leaf in leaves:
            if leaf.op in conditions.ORDER_OPS:
                points |= {max(0, int(leaf.arg) + d) for d in (-1, 0, 1)}
        return [None] + sorted(points)
    if universe is None:  # free text
        return [None] + (mentioned or []) + ["(other text)"]
    values = [v for v in universe if v in mentioned]
    values += [v for v in universe if v not in mentioned][:1]
    return [None] + values


def assignments(cond: Condition, fixed: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every combination of representative values of the facts `cond` reads."""
    fixed = fixed or {}
    facts = [f for f in conditions.facts_of(cond) if f not in fixed]
    all_leaves = list(conditions.leaves(cond))
    choices = [candidates(f, [leaf for leaf in all_leaves if leaf.fact == f]) for f in facts]
    for combo in product(*choices):
        yield {**fixed, **dict(zip(facts, combo))}


def size(cond: Condition) -> int:
    total = 1
    all_leaves = list(conditions.leaves(cond))
    for fact in conditions.facts_of(cond):
        total *= len(candidates(fact, [leaf for leaf in all_leaves if leaf.fact == fact]))
    return total


def unsatisfiable(cond: Condition) -> bool:
    """True when no case at all makes `cond` true (too large a space counts as satisfiable)."""
    if size(cond) > MAX_COMBINATIONS:
        return False
    return not any(conditions.evaluate(cond, a) is True for a in assignments(cond))


# ---------------------------------------------------------------------------------------------
# The whole decision space at once (used by the audit and the rule-set diff).
#
# Each case fact becomes one solver variable whose values are the fact's *classes*: one
# representative per set of values that every leaf of every rule treats alike (unknown is
# class 0). A question asked of the solver ("can rule X fire?", "can these two pieces of
# advice come together?") is then decided over every combination of classes at once, which
# is every case: two values of one class give every leaf, hence every rule, the same result.


def signature(value: Any, leaves: list[Leaf]) -> tuple[Any, ...]:
    """What every leaf says of `value`: values with one signature cannot be told apart."""
    return tuple(leaf.test(value) for leaf in leaves)


def _list_values(fact: str, leaves: list[Leaf]) -> list[Any]:
    """Subsets of a list fact that the leaves can tell apart: items named by exactly the same
    leaves form one group, of which a value holds none, some (one item) or all."""
    mentioned = _mentioned(leaves)
    args = [set(leaf.values) for leaf in leaves if leaf.op not in ("known", "empty")]
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for item in mentioned:
        groups.setdefault(tuple(item in arg for arg in args), []).append(item)
    # a count (at_least n) tells apart holding 0, 1, … n items of a group, so offer each of those sizes
    most = max([leaf.arg[0] for leaf in leaves if leaf.op in conditions.COUNT_OPS], default=1)
    options = [
        [tuple(items[:size]) for size in sorted({0, 1, len(items)} | set(range(min(most, len(items)) + 1)))]
        for items in groups.values()
    ]
    values = [tuple(x for part in combo for x in part) for combo in product(*options)]
    others = [v for v in (_all_values(fact) or ["other"]) if v not in mentioned]
    if others:
        values.append((others[0],))  # non-empty, yet none of the mentioned items
    return [None] + values


def _number_values(leaves: list[Leaf]) -> list[Any]:
    """0, and each number a leaf compares with together with its neighbours (`classes` keeps
    those the field allows: one in every interval between two thresholds)."""
    points = {0}
    for leaf in leaves:
        if leaf.op in conditions.ORDER_OPS or leaf.op in ("eq", "ne", "in", "not_in"):
            for arg in leaf.arg if isinstance(leaf.arg, tuple) else (leaf.arg,):
                points |= {math.floor(arg) + d for d in (-1, 0, 1, 2)}
    return sorted(points)


def classes(fact: str, leaves: list[Leaf]) -> list[Any]:
    """One representative value per class of `fact` (unknown first), exact for these leaves."""
    kind, is_list = field_info(fact) if fact in ALL_FIELDS else (None, False)
    if is_list:
        pool = _list_values(fact, leaves)
    elif kind is int:
        ge, le = field_bounds(fact)  # no class lies outside the range the model allows
        low, high = -math.inf if ge is None else ge, math.inf if le is None else le
        numbers = [n for n in _number_values(leaves) + [max(low, 0)] if low <= n <= high]
        args = [
            a
            for leaf in leaves
            for a in (leaf.arg if isinstance(leaf.arg, tuple) else (leaf.arg,))
            if leaf.op not in ("known", "empty")
        ] or [0]
        # a number close to a threshold reads better in a counterexample than 0 does
        pool = [None] + sorted(numbers, key=lambda v: (min(abs(v - a) for a in args), v))
    else:
        pool = candidates(fact, leaves)
    chosen: dict[tuple[Any, ...], Any] = {}
    for value in pool:
        chosen.setdefault(signature(value, leaves), value)
    values = list(chosen.values())
    return [None] + sorted(values[1:]) if kind is int else values


class Space:
    """The answers of one kind of case file that `leaves` read, each a solver variable over
    its classes (answers that no leaf reads cannot change anything and are left out)."""

    def __init__(self, leaves: Iterable[Leaf], kind: str = "survivor_case"):
        import z3

        self.kind, self.fields = kind, FIELDS_BY_KIND[kind]
        by_fact: dict[str, list[Leaf]] = {}
        for leaf in leaves:
            if leaf.fact in self.fields and leaf not in by_fact.setdefault(leaf.fact, []):
                by_fact[leaf.fact].append(leaf)
        self.leaves = by_fact
        self.values = {fact: classes(fact, ls) for fact, ls in by_fact.items()}
        self._index = {
            fact: {signature(v, by_fact[fact]): i for i, v in enumerate(vs)} for fact, vs in self.values.items()
        }
        self.var = {fact: z3.Int(fact) for fact in self.values}
        self.domain = [z3.And(0 <= self.var[f], self.var[f] < len(vs)) for f, vs in self.values.items()]

    def size(self) -> int:
        """How many combinations of classes there are: every case falls in exactly one."""
        total = 1
        for values in self.values.values():
            total *= len(values)
        return total

    def index(self, fact: str, value: Any) -> int:
        """The class of a concrete value (a KeyError here would mean a class was missed)."""
        value = tuple(value) if isinstance(value, list) else value
        return self._index[fact][signature(value, self.leaves[fact])]

    def answered(self, var: dict[str, Any] | None = None) -> Any:
        """How many questions a combination answers (class 0 is "unknown")."""
        import z3

        var = var or self.var
        return z3.Sum([z3.If(var[f] != 0, 1, 0) for f in self.values])

    def case_data(self, model: Any, case_id: str, var: dict[str, Any] | None = None) -> dict[str, Any]:
        """A case file (answered facts only) for a solver model."""
        var = var or self.var
        data: dict[str, Any] = {"case_id": case_id}
        if self.kind != "survivor_case":
            data["kind"] = self.kind
        for fact in self.fields:  # in case-file order
            if fact not in self.values:
                continue
            value = self.values[fact][model.eval(var[fact], model_completion=True).as_long()]
            if value is not None:
                section, name = fact.split(".")
                data.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
        return data

    def truth(self, leaf: Leaf, var: dict[str, Any], derived: dict[str, Any]) -> Any:
        """(is true, is false) of a leaf as solver formulas; neither means unknown."""
        import z3

        if leaf.fact in derived:
            known, equals = derived[leaf.fact]
            options = [(v, equals[v]) for v in equals] + [(None, z3.Not(known))]
        else:
            options = [(v, var[leaf.fact] == i) for i, v in enumerate(self.values[leaf.fact])]
        return tuple(
            z3.Or([c for v, c in options if leaf.test(v) is want] or [z3.BoolVal(False)]) for want in (True, False)
        )

    def condition(self, cond: Condition, var: dict[str, Any], derived: dict[str, Any]) -> Any:
        """(is true, is false) of a condition in three-valued logic, as `conditions.evaluate`."""
        import z3

        if isinstance(cond, Leaf):
            return self.truth(cond, var, derived)
        if isinstance(cond, conditions.Not):
            true, false = self.condition(cond.part, var, derived)
            return false, true
        parts = [self.condition(p, var, derived) for p in cond.parts]
        trues, falses = [t for t, _ in parts], [f for _, f in parts]
        if isinstance(cond, conditions.All):
            return z3.And(trues), z3.Or(falses)
        return z3.Or(trues), z3.And(falses)


class Chain:
    """`engine/chain.py`'s run over a Space: which rules fire, and what they give, as formulas.

    Rules are taken in chain order; a rule fires when its condition is true on the answers
    and on what earlier rules derived; the first rule to derive a key sets it.
    """

    def __init__(self, space: Space, ruleset: "RuleSet", var: dict[str, Any] | None = None, tag: str = ""):
        import z3

        self.space, self.var = space, var or space.var
        cat = ruleset.catalogue
        derived = {
            key: (z3.BoolVal(False), {v: z3.BoolVal(False) for v in values}) for key, values in CLASSIFICATION.items()
        }
        self.fires: dict[str, Any] = {}
        self.definitions = []
        produced: dict[str, list[Any]] = {}
        self.producers: dict[str, list[str]] = {}
        for rule in chain.ordered(ruleset, space.kind):
            fires = z3.Bool(f"{tag}fires:{rule.id}")
            self.definitions.append(fires == space.condition(rule.when, self.var, derived)[0])
            self.fires[rule.id] = fires
            for key, value in rule.effects.derive.items():
                known, equals = derived[key]
                first = z3.And(fires, z3.Not(known))
                derived[key] = (z3.Or(known, fires), {**equals, value: z3.Or(equals[value], first)})
            for item in effect_items(rule, cat):
                produced.setdefault(item, []).append(fires)
                self.producers.setdefault(item, []).append(rule.id)
        self.derived = derived
        self.item = {item: z3.Or(fs) for item, fs in produced.items()}

    def has(self, item: str) -> Any:
        """Formula: the assessment contains `item` ('recommend:x', 'flag:y', 'principle:z')."""
        import z3

        return self.item.get(item, z3.BoolVal(False))

    def classified(self, key: str, value: Any) -> Any:
        """Formula: the assessment's classification of `key` is `value` (as infer.py shows it)."""
        import z3

        known, equals = self.derived[key]
        shown = equals.get(value, z3.BoolVal(False))
        return z3.Or(shown, z3.Not(known)) if UNDERIVED[key] == value else shown


def effect_items(rule: "Rule", catalogue: "Catalogue") -> list[str]:
    """What a rule adds to an assessment: 'flag:x' (and 'flag:x@severity'), 'recommend:y', 'principle:z'."""
    items = []
    for flag in rule.effects.flags:
        items += [f"flag:{flag.id}", f"flag:{flag.id}@{flag.severity or catalogue.flags[flag.id].severity}"]
    items += [f"recommend:{i}" for i in rule.effects.recommend]
    items += [f"principle:{p}" for p in rule.effects.principles]
    return items


def which_can_hold(solver: Any, targets: dict[Any, Any]) -> set[Any]:
    """The targets that at least one combination makes true; each one decided over the whole
    space (one solver model usually settles many targets at once)."""
    import z3

    open_, found = dict(targets), set()
    while open_ and solver.check(z3.Or(list(open_.values()))) == z3.sat:
        model = solver.model()
        for name in [n for n, t in open_.items() if z3.is_true(model.eval(t, model_completion=True))]:
            found.add(name)
            del open_[name]
    return found


def smallest_case(
    space: Space, definitions: list[Any], constraints: list[Any], case_id: str, extra_domain: Sequence[Any] = ()
) -> dict[str, Any] | None:
    """A case meeting `constraints` with the fewest answered questions (ties: earliest classes),
    or None when no case does. A fresh optimiser each time, so the answer is reproducible."""
    import z3

    opt = z3.Optimize()
    opt.add(*space.domain, *extra_domain, *definitions, *constraints)
    opt.minimize(space.answered())
    opt.minimize(z3.Sum(list(space.var.values())))
    if opt.check() != z3.sat:
        return None
    return space.case_data(opt.model(), case_id)
