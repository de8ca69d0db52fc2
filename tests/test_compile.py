"""The experta compilation: same meaning as the plain-Python chain, logging left alone."""

import logging
import re
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import chain
from engine.compile import engine_class
from engine.samples import random_case


@given(st.randoms(use_true_random=False), st.floats(0.0, 1.0))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_experta_and_the_plain_chain_fire_the_same_rules_in_the_same_order(assessor, rng, known):
    answers = random_case(rng, known=known).answers()
    derived, firings = assessor.run(answers)
    plain_derived, plain_fired = chain.run(chain.ordered(assessor.ruleset), answers)
    assert [rule.id for rule, _ in firings] == [rule.id for rule in plain_fired]
    assert derived == plain_derived


def test_the_engine_class_is_compiled_once_per_rule_set(ruleset):
    assert engine_class(ruleset) is engine_class(ruleset)


def test_one_engine_instance_is_reused_for_every_case(assessor):
    engine = assessor.engine
    assessor.run({})
    assessor.run({"exit.route": "escape"})
    assert assessor.engine is engine and engine.running is False


def test_importing_the_engine_leaves_the_root_logger_alone():
    code = (
        "import logging; before = list(logging.getLogger().handlers); import engine.compile; "
        "import sys; sys.exit(0 if logging.getLogger().handlers == before else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_trace_is_recorded_per_instance_not_through_experta_loggers(assessor, caplog):
    with caplog.at_level(logging.DEBUG):
        assessor.run({"exit.route": "escape", "harm.status": "trafficked"})
    assert not [r for r in caplog.records if r.name.startswith("experta")]


def test_rules_are_prepared_for_the_network_exactly_as_experta_prepares_them(ruleset):
    from experta.matchers.rete.utils import prepare_rule

    from experta import AND, NOT, OR

    from engine.compile import CaseFact, CompiledRule, Derived, _prepared
    from engine.profiles import KINDS

    rules = [rule for kind in KINDS for rule in engine_class(ruleset, kind)().get_rules()]

    def action(engine):
        pass

    rules += [
        CompiledRule(lhs)(action)
        for lhs in (  # shapes the rule files do not have today
            OR(Derived(key="a"), AND(CaseFact(answers=1), NOT(Derived(key="b")))),
            NOT(Derived(key="a")),
            AND(NOT(Derived(key="a")), AND(Derived(key="b"), CaseFact(answers=1))),
        )
    ]
    for rule in rules:
        assert _prepared(rule) == prepare_rule(rule), rule


def test_each_compiled_class_prepares_its_rules_once(ruleset, monkeypatch):
    from engine import compile as compiled

    engine_class(ruleset)()  # prepared by now
    calls = []
    monkeypatch.setattr(compiled, "_prepared", lambda rule: calls.append(rule) or rule)
    second = engine_class(ruleset)()
    assert calls == [] and second.get_rules()


def _network(node) -> tuple:
    """A node and everything below it, as comparable data (children in a canonical order)."""
    rule = node.rule._wrapped.__name__ if hasattr(node, "rule") else None
    below = sorted((child.callback.__name__, _network(child.node)) for child in node.children)
    test = re.sub(r"__pattern_\d+__", "__pattern__", str(getattr(node, "matcher", "")))  # named by object id
    return (type(node).__name__, test, rule, tuple(below))


def test_the_network_is_wired_exactly_as_experta_wires_it(ruleset):
    from experta.matchers.rete import ReteMatcher

    from engine.compile import _Matcher
    from engine.profiles import KINDS

    class ExpertasWiring(_Matcher):
        build_beta_part = staticmethod(ReteMatcher.build_beta_part)

    for kind in KINDS:
        ours = engine_class(ruleset, kind)
        theirs = type("ExpertaWired", (ours,), {"__matcher__": ExpertasWiring})
        assert _network(ours().matcher.root_node) == _network(theirs().matcher.root_node), kind
