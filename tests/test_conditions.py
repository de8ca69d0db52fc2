"""The condition language: parsing, three-valued evaluation and negation normal form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.conditions import All, Any_, Leaf, Not, evaluate, failed_leaves, parse, push_not, undecided_facts


def test_a_leaf_on_an_unknown_fact_is_unknown_not_false():
    assert evaluate(parse({"fact": "legal.detained", "eq": True}), {}) is None


def test_known_is_decided_even_when_the_answer_is_missing():
    assert evaluate(parse({"fact": "legal.detained", "known": False}), {}) is True
    assert evaluate(parse({"fact": "legal.detained", "known": True}), {"legal.detained": False}) is True


def test_not_of_unknown_stays_unknown_so_a_rule_never_fires_on_a_missing_answer():
    assert evaluate(parse({"not": {"fact": "legal.detained", "eq": True}}), {}) is None


def test_any_is_true_as_soon_as_one_part_is_true_even_with_unknowns():
    cond = parse({"any": [{"fact": "a", "eq": 1}, {"fact": "b", "eq": 2}]})
    assert evaluate(cond, {"a": 1}) is True
    assert evaluate(cond, {"a": 0}) is None
    assert evaluate(cond, {"a": 0, "b": 0}) is False


def test_all_is_false_as_soon_as_one_part_is_false_even_with_unknowns():
    cond = parse({"all": [{"fact": "a", "eq": 1}, {"fact": "b", "eq": 2}]})
    assert evaluate(cond, {"a": 0}) is False
    assert evaluate(cond, {"a": 1}) is None
    assert evaluate(cond, {"a": 1, "b": 2}) is True


@pytest.mark.parametrize(
    "op, arg, value, expected",
    [
        ("eq", "x", "x", True),
        ("ne", "x", "x", False),
        ("in", ["x", "y"], "y", True),
        ("not_in", ["x"], "y", True),
        ("contains", "x", ("x", "z"), True),
        ("lacks", "x", ("z",), True),
        ("contains_any", ["a", "b"], ("b",), True),
        ("contains_any", ["a"], (), False),
        ("contains_none", ["a"], ("b",), True),
        ("contains_all", ["a", "b"], ("a",), False),
        ("lacks_some", ["a", "b"], ("a",), True),
        ("empty", True, (), True),
        ("empty", False, (), False),
        ("gt", 1, 1, False),
        ("gte", 1, 1, True),
        ("lt", 1, 0, True),
        ("lte", 1, 2, False),
    ],
)
def test_each_operator_on_both_sides(op, arg, value, expected):
    assert evaluate(parse({"fact": "f", op: arg}), {"f": value}) is expected


@pytest.mark.parametrize(
    "bad, message",
    [
        ({}, "a condition is a mapping"),
        ({"fact": "a"}, "exactly one operator"),
        ({"fact": "a", "eq": 1, "ne": 2}, "exactly one operator"),
        ({"fact": "a", "matches": ".*"}, "unknown operator 'matches'"),
        ({"fact": "a", "in": "x"}, "takes a non-empty list"),
        ({"fact": "a", "known": "yes"}, "takes true or false"),
        ({"fact": "a", "gt": "3"}, "takes a number"),
        ({"all": []}, "non-empty list"),
        ({"eval": "__import__('os')"}, "unknown condition keys"),
    ],
)
def test_malformed_conditions_are_refused_with_the_reason(bad, message):
    with pytest.raises(ValueError, match=message):
        parse(bad)


def test_undecided_facts_names_only_what_keeps_the_condition_open():
    cond = parse({"all": [{"fact": "a", "eq": 1}, {"any": [{"fact": "b", "eq": 1}, {"fact": "c", "eq": 1}]}]})
    assert undecided_facts(cond, {"a": 1}) == ["b", "c"]
    assert undecided_facts(cond, {"a": 0}) == []


def test_failed_leaves_separates_false_from_unknown():
    cond = parse({"all": [{"fact": "a", "eq": 1}, {"fact": "b", "eq": 1}]})
    false, unknown = failed_leaves(cond, {"a": 2})
    assert [str(leaf) for leaf in false] == ["a eq 1"]
    assert [str(leaf) for leaf in unknown] == ["b eq 1"]


LEAVES = st.builds(
    Leaf, st.sampled_from(["a", "b", "c"]), st.sampled_from(["eq", "ne", "known"]), st.sampled_from([True, False])
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: Any_(tuple(xs))),
        inner.map(Not),
    ),
    max_leaves=8,
)
FACTS = st.fixed_dictionaries({}, optional={k: st.booleans() for k in "abc"})


@given(CONDITIONS, FACTS)
def test_negation_normal_form_keeps_the_three_valued_meaning(cond, facts):
    assert evaluate(push_not(cond), facts) == evaluate(cond, facts)


@given(CONDITIONS, FACTS)
def test_pushing_a_negation_in_gives_the_negated_value(cond, facts):
    value = evaluate(cond, facts)
    assert evaluate(push_not(cond, negate=True), facts) == (None if value is None else not value)


def test_a_condition_naming_numbers_with_in_or_eq_is_not_taken_for_a_contradiction():
    """The brute-force candidates of an integer field include the numbers `eq`/`in` name (they
    gave only 0 and the order operators' neighbours, so `in: [2025, 2026]` read as never true)."""
    from engine.space import unsatisfiable

    assert not unsatisfiable(parse({"fact": "legal.events_year", "in": [2025, 2026]}))
    assert not unsatisfiable(parse({"all": [{"fact": "person.age", "eq": 30}, {"fact": "person.age", "gte": 18}]}))
    assert unsatisfiable(parse({"all": [{"fact": "person.age", "eq": 12}, {"fact": "person.age", "gte": 18}]}))
