"""The weight of the signs of harm is data (knowledge/indicators.yaml, ILO/EC 2009); the
screening's combination (rules/screening.yaml) counts exactly the signs that data names."""

from engine import conditions
from engine.case import allowed_values


def _counted(ruleset) -> list[tuple]:
    rule = ruleset.by_id("screening.coercion_signs")
    return [leaf.arg for leaf in conditions.leaves(rule.when) if leaf.op == "at_least"]


def test_every_sign_has_a_strength_and_a_dimension(ruleset):
    assert sorted(ruleset.catalogue.indicators) == sorted(allowed_values("harm.indicators"))


def test_the_screening_counts_the_signs_as_the_knowledge_weighs_them(ruleset):
    weight = {i.id: i.strength for i in ruleset.catalogue.indicators.values()}
    of = lambda *strengths: {s for s, w in weight.items() if w in strengths}  # noqa: E731
    counted = [(n, set(items)) for n, items in _counted(ruleset)]
    assert counted == [
        (1, of("strong")),
        (2, of("strong", "medium", "weak")),
        (2, of("medium")),
        (3, of("medium", "weak")),
    ]
