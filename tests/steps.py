"""The step vocabulary of the Gherkin features (features/*.feature).

A small, documented grammar — a new step is a design decision, not a convenience:

  Given a case with:                        (a YAML docstring: the case file; case_id optional)
  When the case is assessed
  Then the <key> is "<value>"               (key: harm status, exit route, geographic outcome,
                                             recovery type, integration outcome)
  Then the person is [not] in the harm environment
  Then the flag "<id>" is raised
  Then the flag "<id>" is raised with severity "<high|medium|low>"
  Then the flag "<id>" is not raised
  Then no flag is raised
  Then "<intervention>" is recommended
  Then "<intervention>" is recommended because of rule "<rule>"
  Then "<intervention>" is not recommended
  Then the principle "<id>" applies
  Then the question "<field>" is asked next
  Then the question "<field>" is among the missing
"""

import pytest
from pytest_bdd import given, parsers, then, when

from engine import yamlio
from engine.case import parse_case

KEYS = {"harm status": "harm_status", "exit route": "exit_route", "geographic outcome": "geographic_outcome",
        "recovery type": "recovery_type", "integration outcome": "integration_outcome"}


@pytest.fixture
def context() -> dict:
    return {}


@given("a case with:")
def a_case_with(context, docstring):
    data = yamlio.loads(docstring) or {}
    data.setdefault("case_id", "FEATURE-CASE")
    context["case"] = parse_case(data)


@when("the case is assessed")
def the_case_is_assessed(context, assessor):
    context["assessment"] = assessor.assess(context["case"])


def _flags(context) -> dict:
    return {flag.id: flag for flag in context["assessment"].flags}


def _recommendations(context) -> dict:
    return {rec.intervention: rec for rec in context["assessment"].recommendations}


@then(parsers.re(r'the (?P<key>harm status|exit route|geographic outcome|recovery type|integration outcome) '
                 r'is "(?P<value>[^"]+)"'))
def classification_is(context, key, value):
    assert context["assessment"].classification[KEYS[key]] == value


@then(parsers.re(r"the person is (?P<negation>not )?in the harm environment"))
def in_harm_environment(context, negation):
    assert context["assessment"].classification["remains_in_harm"] is (negation is None)


@then(parsers.parse('the flag "{flag}" is raised'))
def flag_raised(context, flag):
    assert flag in _flags(context), f"flags raised: {sorted(_flags(context))}"


@then(parsers.parse('the flag "{flag}" is raised with severity "{severity}"'))
def flag_raised_with_severity(context, flag, severity):
    assert _flags(context)[flag].severity == severity


@then(parsers.parse('the flag "{flag}" is not raised'))
def flag_not_raised(context, flag):
    assert flag not in _flags(context)


@then("no flag is raised")
def no_flag(context):
    assert not context["assessment"].flags


@then(parsers.parse('"{intervention}" is recommended'))
def recommended(context, intervention):
    assert intervention in _recommendations(context), f"recommended: {sorted(_recommendations(context))}"


@then(parsers.parse('"{intervention}" is recommended because of rule "{rule}"'))
def recommended_because_of(context, intervention, rule):
    fired = [step.rule for step in context["assessment"].trace if f"recommend:{intervention}" in step.asserted]
    assert rule in fired, f"'{intervention}' came from {fired}"


@then(parsers.parse('"{intervention}" is not recommended'))
def not_recommended(context, intervention):
    assert intervention not in _recommendations(context)


@then(parsers.parse('the principle "{principle}" applies'))
def principle_applies(context, principle):
    assert principle in [p.id for p in context["assessment"].principles]


@then(parsers.parse('the question "{field}" is asked next'))
def asked_next(context, field):
    assert context["assessment"].missing[:1] == [field], context["assessment"].missing


@then(parsers.parse('the question "{field}" is among the missing'))
def among_missing(context, field):
    assert field in context["assessment"].missing
