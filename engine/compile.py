"""Compile a RuleSet into an experta KnowledgeEngine class, once per rule-set digest.

The case is declared as one wide ``CaseFact`` (one field per answer: experta matches one
wide fact far faster than one fact per answer); each derived classification is a
``Derived(key=…, value=…)`` fact that later rules match on. Conditions are put in
negation normal form first, so a `not` never matches an unknown answer; only
"this key was never derived" becomes an experta ``NOT``.
"""

import logging
import sys
from functools import lru_cache
from collections.abc import Callable
from typing import Any


def _lend_collections_mapping() -> None:
    """experta 1.9.4 requires frozendict==1.2, and pip, uv and every other installer honour that pin.
    frozendict 1.2 subclasses `collections.Mapping`, a name Python 3.10 left only in collections.abc:
    lend the name while frozendict is imported (it reads it once, to define its class), then take it
    back. A later frozendict (2.x) imports as it is. See README, "Install"."""
    import collections
    import collections.abc

    if hasattr(collections, "Mapping") or "frozendict" in sys.modules:
        return
    setattr(collections, "Mapping", collections.abc.Mapping)  # noqa: B010
    try:
        import frozendict  # noqa: F401
    finally:
        delattr(collections, "Mapping")  # noqa: B010


_lend_collections_mapping()
# experta calls logging.basicConfig() when imported: give the root logger a handler first
# so that call changes nothing, then take the handler away again. Users' logs stay theirs.
_root = logging.getLogger()
_had_handlers = bool(_root.handlers)
_guard = logging.NullHandler()
if not _had_handlers:
    _root.addHandler(_guard)
import experta  # noqa: E402
from experta import AND, NOT, OR, Fact, KnowledgeEngine, P  # noqa: E402
from experta import Rule as ExpertaRule  # noqa: E402
from experta.fact import InitialFact  # noqa: E402
from experta.matchers import ReteMatcher  # noqa: E402
from experta.matchers.rete.check import FactCapture, SameContextCheck  # noqa: E402
from experta.matchers.rete.nodes import ConflictSetNode, NotNode, OrdinaryMatchNode  # noqa: E402
from experta.matchers.rete.utils import prepare_rule  # noqa: E402
from experta.strategies import DepthStrategy  # noqa: E402

_root.removeHandler(_guard)
logging.getLogger("experta").setLevel(logging.CRITICAL)
logging.getLogger("experta").propagate = False

from engine import conditions  # noqa: E402
from engine.assessment import CLASSIFICATION  # noqa: E402
from engine.conditions import All, Any_, Condition, Leaf  # noqa: E402
from engine.errors import RuleConflict  # noqa: E402
from engine.rules import Rule, RuleSet  # noqa: E402

__all__ = ["engine_class", "CaseFact", "Derived", "fact_key", "experta"]


class CaseFact(Fact):
    """All answers of one case; keys are dotted paths with '_' for '.'."""


class Derived(Fact):
    """A classification derived by a rule: Derived(key='harm_status', value='trafficked')."""


def fact_key(path: str) -> str:
    return path.replace(".", "_")


@lru_cache(maxsize=None)
def _holds(cond: Condition) -> Any:
    """One field constraint per distinct condition: rules that test the same thing share the
    Rete node that tests it (experta shares a node only for the very same constraint)."""
    return P(lambda value: conditions.evaluate(cond, value) is True)


@lru_cache(maxsize=None)
def _value_holds(leaf: Leaf) -> Any:
    """The same, for the value of one derived classification."""
    return P(lambda value: leaf.test(value) is True)


def _on_case(cond: Condition) -> bool:
    return all(leaf.fact not in CLASSIFICATION for leaf in conditions.leaves(cond))


def _pattern(cond: Condition) -> Any:
    """Rete patterns for a condition in negation normal form.

    Every part that reads only the case becomes one test on the one case fact (joining the
    case with itself buys nothing); derived classifications are patterns of their own, so
    that rules chain on them.
    """
    if _on_case(cond):
        return CaseFact(answers=_holds(cond))
    if isinstance(cond, Leaf):
        if cond.op == "known":
            return Derived(key=cond.fact) if cond.arg else NOT(Derived(key=cond.fact))
        return Derived(key=cond.fact, value=_value_holds(cond))
    if isinstance(cond, Any_):
        return OR(*[_pattern(part) for part in cond.parts])
    assert isinstance(cond, All)  # negation normal form: a `not` is on a leaf, and on the case
    case_parts = [p for p in cond.parts if _on_case(p)]
    parts = [_pattern(p) for p in cond.parts if not _on_case(p)]
    if case_parts:
        parts.insert(0, CaseFact(answers=_holds(All(tuple(case_parts)))))
    return parts[0] if len(parts) == 1 else AND(*parts)


class CompiledRule(ExpertaRule):
    """experta's Rule, copied cheaply: while putting a rule in normal form experta copies it
    again and again through `new_conditions`, which re-inspects the action's signature each
    time — most of the cost of building an engine."""

    def new_conditions(self, *args: Any) -> "CompiledRule":
        copy = self.__class__(*args, salience=self.salience)
        copy.__dict__.update(self.__dict__)
        copy._wrapped_self = None  # as experta's own copy: the engine is passed when it fires
        return copy


def _conjuncts(pattern: Any) -> list[Any] | None:
    """The facts (and NOTs) of a pattern with no OR in it, flattened; None if it has an OR."""
    if isinstance(pattern, OR):
        return None
    if not isinstance(pattern, AND):
        return [pattern]
    parts = []
    for part in pattern:
        inner = _conjuncts(part)
        if inner is None:
            return None
        parts.extend(inner)
    return parts


def _prepared(rule: CompiledRule) -> CompiledRule:
    """The rule in the form experta's Rete network is built from (experta's `prepare_rule`).

    Most rules are a plain conjunction of patterns, and for those the form is known: the
    patterns in order, behind an InitialFact when the first is a NOT. experta reaches it by
    rewriting to a fixpoint, copying every fact on each pass; rules with an OR still go that
    way. tests/test_compile.py checks both give the same rule for every rule of the set.
    """
    parts = _conjuncts(rule[0]) if len(rule) == 1 else None
    if parts is None:
        prepared: CompiledRule = prepare_rule(rule)
        return prepared
    if isinstance(parts[0], NOT):
        parts.insert(0, InitialFact())
    return rule.new_conditions(*parts)


def _is_conjunction(rule: Any) -> bool:
    return all(isinstance(part, Fact) or isinstance(part, NOT) and isinstance(part[0], Fact) for part in rule)


def _wire(rule: Any, alpha_terminals: dict[Any, Any]) -> None:
    """experta's `wire_rule` for a prepared rule that is a conjunction of facts and NOTs:
    join the patterns left to right and end in the rule's conflict-set node. experta builds
    a fresh single-dispatch function for every rule it wires, which costs more than the
    wiring; tests/test_compile.py checks both build the same network."""

    def alpha(part: Any) -> Any:
        return alpha_terminals[part[0] if isinstance(part, NOT) else part]

    last = alpha(rule[0])
    for part in rule[1:]:
        join = (NotNode if isinstance(part, NOT) else OrdinaryMatchNode)(SameContextCheck())
        last.add_child(join, join.activate_left)
        alpha(part).add_child(join, join.activate_right)
        last = join
    conflict_set = ConflictSetNode(rule)
    last.add_child(conflict_set, conflict_set.activate)


class _Matcher(ReteMatcher):
    """experta's Rete matcher, with each compiled class's rules prepared once per process
    instead of once per engine instance (one instance is built per browser session), and
    conjunctions wired directly."""

    _rules_by_class: dict[type, set[Any]] = {}

    @staticmethod
    def prepare_ruleset(engine: Any) -> set[Any]:
        cls = type(engine)
        if cls not in _Matcher._rules_by_class:
            _Matcher._rules_by_class[cls] = {_prepared(rule) for rule in engine.get_rules()}
        return _Matcher._rules_by_class[cls]

    @staticmethod
    def build_beta_part(ruleset: Any, alpha_terminals: dict[Any, Any]) -> None:
        for rule in ruleset:
            if _is_conjunction(rule):
                _wire(rule, alpha_terminals)
            else:
                ReteMatcher.build_beta_part([rule], alpha_terminals)


class StageStrategy(DepthStrategy):
    """Conflict resolution: higher salience (earlier stage) first, then rule-file order.

    experta's DepthStrategy caches keys across runs (lru_cache on activations that compare
    by fact content), which is slow and can carry one run's fact ids into the next.
    """

    def get_key(self, activation: Any) -> tuple[int, int]:
        return (activation.rule.salience, -activation.rule._wrapped.order)


class MatrixEngine(KnowledgeEngine):
    """Runs one case at a time and records its own trace (not experta's global logger)."""

    __strategy__ = StageStrategy
    __matcher__ = _Matcher

    def assess_answers(self, answers: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Rule, dict[str, Any]]]]:
        """Reset, declare the case, run to quiescence; return (derived facts, firings in order)."""
        self.answers = answers
        self.derived: dict[str, Any] = {}
        self.firings: list[tuple[Rule, dict[str, Any]]] = []
        try:
            self.reset()
            self.declare(CaseFact(answers=answers))
            self.run()
        finally:
            self.running = False  # experta leaves this set when an action raises
        return self.derived, self.firings

    def fire(self, rule: Rule) -> None:
        if any(fired.id == rule.id for fired, _ in self.firings):
            return  # an `any` can match the same case along two branches
        known = {**self.answers, **self.derived}
        matched = {fact: known.get(fact) for fact in conditions.facts_of(rule.when)}
        self.firings.append((rule, matched))
        for key, value in rule.effects.derive.items():
            if key in self.derived and self.derived[key] != value:
                raise RuleConflict(
                    f"rule '{rule.id}' derives {key}={value!r}, but {key}={self.derived[key]!r} was derived already"
                )
            if key not in self.derived:
                self.derived[key] = value
                self.declare(Derived(key=key, value=value))


def _action(rule: Rule, order: int) -> Callable[[Any], None]:
    def action(engine: Any) -> None:
        engine.fire(rule)

    action.__name__ = rule.id
    action.order = order  # type: ignore[attr-defined]
    return action


_compiled: dict[tuple[str, str], type[MatrixEngine]] = {}


def engine_class(ruleset: RuleSet, kind: str = "survivor_case") -> type[MatrixEngine]:
    """The compiled engine class for one kind of case file: only that kind's rules (built
    once per process, rule-set digest and kind)."""
    if (ruleset.digest, kind) not in _compiled:
        members: dict[str, Any] = {}
        for index, rule in enumerate(ruleset.for_kind(kind)):
            lhs = _pattern(conditions.push_not(rule.when))
            members[f"rule_{index:04d}"] = CompiledRule(lhs, salience=rule.salience)(_action(rule, index))
        _compiled[(ruleset.digest, kind)] = type("CompiledMatrixEngine", (MatrixEngine,), members)
    return _compiled[(ruleset.digest, kind)]


def new_engine(ruleset: RuleSet, kind: str = "survivor_case") -> MatrixEngine:
    """A fresh engine instance of the compiled class.

    experta interns a FactCapture per rule pattern of every instance it builds, in a
    class-level dict it never empties; the network keeps its own references, so the interned
    entries of this build are dropped again — else each browser session would leak them.
    """
    interned = set(FactCapture._instances)
    engine = engine_class(ruleset, kind)()
    for bind in set(FactCapture._instances) - interned:
        FactCapture._instances.pop(bind, None)  # another session may be building at the same time
    return engine
