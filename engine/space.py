"""The values a fact can take that a condition can tell apart.

For each fact a condition reads, a small list of representative values — unknown (None)
and one value per region its leaves distinguish — so that trying every combination
decides a question over *all* cases exactly: can this rule ever fire?
"""

from enum import Enum
from itertools import combinations, product
from typing import Any, Iterable, Iterator

from engine import conditions
from engine.assessment import CLASSIFICATION
from engine.case import FIELDS, field_info
from engine.conditions import Condition, Leaf

MAX_COMBINATIONS = 500_000


def _mentioned(leaves: Iterable[Leaf]) -> list[Any]:
    found: list[Any] = []
    for leaf in leaves:
        if leaf.op in ("known", "empty") or leaf.op in conditions.ORDER_OPS:
            continue
        for value in leaf.arg if isinstance(leaf.arg, tuple) else (leaf.arg,):
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
    is_list = fact in FIELDS and field_info(fact)[1]
    if is_list:
        others = [v for v in (universe or ["other"]) if v not in mentioned]
        values = [tuple(c) for n in range(len(mentioned) + 1) for c in combinations(mentioned, n)]
        if others:
            values.append((others[0],))  # non-empty, yet none of the mentioned items
        return [None] + values
    if fact in FIELDS and field_info(fact)[0] is int:
        points = {0}
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
