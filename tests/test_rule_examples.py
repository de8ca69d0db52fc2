"""Every rule has a case where it fires and a case where it does not (tests/rule_examples.yaml).

The examples are written by hand from the rule's meaning, not generated from its condition,
so a rule that is changed by mistake fails here.
"""

from pathlib import Path

import pytest

from engine import yamlio
from engine.case import parse_case
from engine.rules import load_valid_rules

EXAMPLES = yamlio.load(Path(__file__).with_name("rule_examples.yaml"))["examples"]
RULE_IDS = [rule.id for rule in load_valid_rules().rules]


def _fired(assessor, case_data: dict, rule_id: str) -> bool:
    case = parse_case({"case_id": "RULE-EXAMPLE", **case_data})
    return rule_id in [step.rule for step in assessor.assess(case).trace]


def test_every_rule_has_examples_and_every_example_a_rule():
    assert sorted(set(RULE_IDS) - set(EXAMPLES)) == [], "rules without examples"
    assert sorted(set(EXAMPLES) - set(RULE_IDS)) == [], "examples for rules that do not exist"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_rule_fires_on_its_example(assessor, rule_id):
    assert _fired(assessor, EXAMPLES[rule_id]["fires"], rule_id)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_rule_stays_quiet_on_its_counter_example(assessor, rule_id):
    assert not _fired(assessor, EXAMPLES[rule_id]["quiet"], rule_id)
