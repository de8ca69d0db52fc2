"""The condition language of rule files, evaluated in three-valued (Kleene) logic.

A condition is a tree of ``all`` / ``any`` / ``not`` over leaves such as
``{fact: legal.detained, eq: true}``. A fact is a case field (``section.name``) or a
derived classification key (``harm_status``). A leaf on an unknown fact is *unknown*
(None), except ``known``, which is always decided; ``not`` of unknown stays unknown, so
a rule never fires on a missing answer. The same trees are compiled to experta patterns
(engine/compile.py) after ``not`` has been pushed down to the leaves.
"""

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Union

Value = Any
Truth = bool | None  # True, False, or None = unknown


def _member(v: Any, arg: Any) -> bool:
    return v in arg


def _contains(v: Any, arg: Any) -> bool:
    return arg in v


def _contains_any(v: Any, arg: Any) -> bool:
    return any(x in v for x in arg)


def _contains_all(v: Any, arg: Any) -> bool:
    return all(x in v for x in arg)


def _count(v: Any, arg: Any) -> int:
    """How many of the items of a count argument `(n, items)` the list holds."""
    return sum(x in v for x in arg[1])


# op -> (test on a known value, the op that is its negation, argument shape)
OPERATORS: dict[str, tuple[Callable[[Value, Any], bool], str, str]] = {
    "eq": (lambda v, a: v == a, "ne", "scalar"),
    "ne": (lambda v, a: v != a, "eq", "scalar"),
    "in": (_member, "not_in", "list"),
    "not_in": (lambda v, a: v not in a, "in", "list"),
    "contains": (_contains, "lacks", "scalar"),
    "lacks": (lambda v, a: a not in v, "contains", "scalar"),
    "contains_any": (_contains_any, "contains_none", "list"),
    "contains_none": (lambda v, a: not _contains_any(v, a), "contains_any", "list"),
    "contains_all": (_contains_all, "lacks_some", "list"),
    "lacks_some": (lambda v, a: not _contains_all(v, a), "contains_all", "list"),
    "empty": (lambda v, a: (len(v) == 0) == a, "empty", "bool"),
    # {at_least: {n: 2, of: [a, b, c]}}: the list holds at least n of these items
    "at_least": (lambda v, a: _count(v, a) >= a[0], "fewer_than", "count"),
    "fewer_than": (lambda v, a: _count(v, a) < a[0], "at_least", "count"),
    "gt": (lambda v, a: v > a, "lte", "number"),
    "lte": (lambda v, a: v <= a, "gt", "number"),
    "gte": (lambda v, a: v >= a, "lt", "number"),
    "lt": (lambda v, a: v < a, "gte", "number"),
    "known": (lambda v, a: True, "known", "bool"),  # handled specially: decided even when unknown
}
LIST_OPS = {
    "contains",
    "lacks",
    "contains_any",
    "contains_none",
    "contains_all",
    "lacks_some",
    "empty",
    "at_least",
    "fewer_than",
}
COUNT_OPS = {"at_least", "fewer_than"}
ORDER_OPS = {"gt", "lte", "gte", "lt"}


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    arg: Any

    def test(self, value: Value) -> Truth:
        if self.op == "known":
            return bool((value is not None) == self.arg)
        if value is None:
            return None
        return bool(OPERATORS[self.op][0](value, self.arg))

    def negated(self) -> "Leaf":
        if self.op in ("known", "empty"):
            return Leaf(self.fact, self.op, not self.arg)
        return Leaf(self.fact, OPERATORS[self.op][1], self.arg)

    @property
    def values(self) -> tuple[Any, ...]:
        """The values the leaf names (for a count: its items; for known/empty: its true/false)."""
        if self.op in COUNT_OPS:
            return tuple(self.arg[1])
        return self.arg if isinstance(self.arg, tuple) else (self.arg,)

    def __str__(self) -> str:
        if self.op in COUNT_OPS:
            return f"{self.fact} {self.op} {self.arg[0]} of {', '.join(map(str, self.arg[1]))}"
        arg = ", ".join(map(str, self.arg)) if isinstance(self.arg, (list, tuple)) else self.arg
        return f"{self.fact} {self.op} {arg}"


@dataclass(frozen=True)
class All:
    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    part: "Condition"


Condition = Union[Leaf, All, Any_, Not]


def evaluate(cond: Condition, facts: dict[str, Value]) -> Truth:
    """Kleene logic: True, False or None (unknown). Missing facts are unknown."""
    if isinstance(cond, Leaf):
        return cond.test(facts.get(cond.fact))
    if isinstance(cond, Not):
        value = evaluate(cond.part, facts)
        return None if value is None else not value
    results = [evaluate(part, facts) for part in cond.parts]
    decisive = isinstance(cond, Any_)  # True decides an `any`, False decides an `all`
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def push_not(cond: Condition, negate: bool = False) -> Condition:
    """Negation normal form: `not` only survives inside leaves (as the opposite operator)."""
    if isinstance(cond, Leaf):
        return cond.negated() if negate else cond
    if isinstance(cond, Not):
        return push_not(cond.part, not negate)
    parts = tuple(push_not(p, negate) for p in cond.parts)
    flip = isinstance(cond, All) == negate  # De Morgan
    return Any_(parts) if flip else All(parts)


def leaves(cond: Condition) -> Iterator[Leaf]:
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.part)
    else:
        for part in cond.parts:
            yield from leaves(part)


def facts_of(cond: Condition) -> list[str]:
    """The facts a condition reads, in order of first mention."""
    return list(dict.fromkeys(leaf.fact for leaf in leaves(cond)))


def undecided_facts(cond: Condition, facts: dict[str, Value]) -> list[str]:
    """Facts whose unknown value keeps this condition undecided (empty when it is decided)."""
    if evaluate(cond, facts) is not None:
        return []
    if isinstance(cond, Leaf):
        return [cond.fact]
    if isinstance(cond, Not):
        return undecided_facts(cond.part, facts)
    found: list[str] = []
    for part in cond.parts:
        for fact in undecided_facts(part, facts):
            if fact not in found:
                found.append(fact)
    return found


def failed_leaves(cond: Condition, facts: dict[str, Value]) -> tuple[list[Leaf], list[Leaf]]:
    """(leaves that are false, leaves that are unknown) — what stands between a rule and firing."""
    nnf = push_not(cond)
    false, unknown = [], []
    for leaf in leaves(nnf):
        result = leaf.test(facts.get(leaf.fact))
        if result is False:
            false.append(leaf)
        elif result is None:
            unknown.append(leaf)
    return false, unknown


def to_data(cond: Condition) -> Any:
    """The inverse of `parse`: plain data as written in a rule file."""
    if isinstance(cond, Leaf):
        if cond.op in COUNT_OPS:
            return {"fact": cond.fact, cond.op: {"n": cond.arg[0], "of": list(cond.arg[1])}}
        return {"fact": cond.fact, cond.op: list(cond.arg) if isinstance(cond.arg, tuple) else cond.arg}
    if isinstance(cond, Not):
        return {"not": to_data(cond.part)}
    return {"all" if isinstance(cond, All) else "any": [to_data(p) for p in cond.parts]}


def describe(cond: Condition) -> str:
    """A readable one-line rendering, for reports and error messages."""
    if isinstance(cond, Leaf):
        return str(cond)
    if isinstance(cond, Not):
        return f"not ({describe(cond.part)})"
    word = " and " if isinstance(cond, All) else " or "
    return "(" + word.join(describe(p) for p in cond.parts) + ")"


def parse(data: Any, where: str = "when") -> Condition:
    """Build a condition tree from YAML data; a ValueError names what is wrong and where."""
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{where}: a condition is a mapping with all/any/not or a fact leaf, got {data!r}")
    keys = set(data)
    if keys == {"all"} or keys == {"any"}:
        (word,) = keys
        items = data[word]
        if not isinstance(items, list) or not items:
            raise ValueError(f"{where}.{word}: expected a non-empty list of conditions")
        parts = tuple(parse(item, f"{where}.{word}[{i}]") for i, item in enumerate(items))
        return All(parts) if word == "all" else Any_(parts)
    if keys == {"not"}:
        return Not(parse(data["not"], f"{where}.not"))
    if "fact" not in data:
        raise ValueError(
            f"{where}: unknown condition keys {sorted(map(str, keys))} "
            f"(use all, any, not, or fact with one of: {', '.join(OPERATORS)})"
        )
    ops = keys - {"fact"}
    if len(ops) != 1:
        raise ValueError(
            f"{where}: a leaf needs exactly one operator besides 'fact' "
            f"(one of: {', '.join(OPERATORS)}), got {sorted(map(str, ops))}"
        )
    (op,) = ops
    if op not in OPERATORS:
        raise ValueError(f"{where}: unknown operator '{op}' (known: {', '.join(OPERATORS)})")
    arg = data[op]
    shape = OPERATORS[op][2]
    if shape == "count":
        if (
            not isinstance(arg, dict)
            or set(arg) != {"n", "of"}
            or isinstance(arg["n"], bool)
            or not isinstance(arg["n"], int)
            or arg["n"] < 1
            or not isinstance(arg["of"], list)
            or not arg["of"]
        ):
            raise ValueError(f"{where}: '{op}' takes {{n: <a whole number from 1>, of: [<values>]}}, got {arg!r}")
        arg = (arg["n"], tuple(arg["of"]))
    elif shape == "list":
        if not isinstance(arg, list) or not arg:
            raise ValueError(f"{where}: '{op}' takes a non-empty list, got {arg!r}")
        arg = tuple(arg)
    elif shape == "bool" and not isinstance(arg, bool):
        raise ValueError(f"{where}: '{op}' takes true or false, got {arg!r}")
    elif shape == "number" and (isinstance(arg, bool) or not isinstance(arg, (int, float))):
        raise ValueError(f"{where}: '{op}' takes a number, got {arg!r}")
    elif shape == "scalar" and isinstance(arg, (list, dict)):
        raise ValueError(f"{where}: '{op}' takes a single value, got {arg!r}")
    return Leaf(str(data["fact"]), op, arg)
