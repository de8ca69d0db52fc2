"""The step vocabulary of the Gherkin features (features/*.feature).

A small, documented grammar — a new step is a design decision, not a convenience:

  Given a case with:                        (a YAML docstring: the case file; case_id optional;
                                             `kind: potential_migrant` or `kind: community`
                                             for the other kinds of file)
  When the case is assessed
  Then the <key> is "<value>"               (key: harm status, exit route, geographic outcome,
                                             recovery type, integration outcome)
  Then the person is [not] in the harm environment
  Then the flag "<id>" is raised
  Then the flag "<id>" is raised with severity "<high|medium|low>"
  Then the flag "<id>" is raised because of rule "<rule>"
                                            (one reason among all the rules that raised it:
                                             e.g. each reason for a potential migrant's
                                             "risk_of_harm", whose severity is the risk level)
  Then the flag "<id>" is not raised
  Then no flag is raised
  Then "<intervention>" is recommended
  Then "<intervention>" is recommended because of rule "<rule>"
  Then "<intervention>" is not recommended
  Then the principle "<id>" applies

A flag or an intervention may be named by its id or by its English label (knowledge/flags.yaml,
knowledge/interventions.yaml), as the caseworker reads it: `Then the flag "Family took part in
the trafficking" is raised`.
  Then the question "<field>" is asked next
  Then the question "<field>" is among the missing
  Then the question "<field>" is not among the missing
  Then "<intervention>" is the first thing to do
  Then "<intervention>" is [not] among the things to do first
  Then nothing is to be done first
  Then "<intervention>" is urgent "<now|soon|later>"

For the practice scenarios (features/scenarios.feature, one example row per file of
knowledge/scenarios/; each Then compares the engine with the scenario's `expected`):

  Given the practice scenario "<id>"
  Then the classification is the one the scenario expects
  Then exactly the flags the scenario expects are raised
  Then the scenario's key recommendations are all made
  Then nothing the scenario rules out is recommended

For the legal advisor's check (features/legal.feature; engine/legal.py and engine/explain.py):

  When the legal check is run
  Then the finding "<id>" is <engaged|not engaged|cannot tell yet>
  Then the finding "<id>" waits for the answer "<field>"
  Then the finding "<id>" cites "<source>"
  When I ask why "<flag or intervention>" was not <raised|recommended>
  Then the rule "<rule>" <does not apply|cannot tell yet>
  Then these answers would produce it:     (a YAML docstring; the step assesses the changed case again)
  Then the law for the events is "<source>"
  Then the law "<source>" no longer applies to the events
  Then the check asks for the date of the events
  Then the check says proceedings now follow the Ordinance as far as possible
  Then the finding "<id>" cites "<source>" as the law at the time of the events
  Then the finding "<id>" cites "<source>" for proceedings now
  Then the finding "<id>" says "<words of what it asks>"
"""

import pytest
from pytest_bdd import given, parsers, then, when

from engine import yamlio
from engine.case import parse_case

KEYS = {
    "harm status": "harm_status",
    "exit route": "exit_route",
    "geographic outcome": "geographic_outcome",
    "recovery type": "recovery_type",
    "integration outcome": "integration_outcome",
}


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


def _named(entries: dict, name: str) -> str:
    """The id of a flag or intervention named by its id or by its English label."""
    if name in entries:
        return name
    ids = [key for key, entry in entries.items() if entry.label == name]
    assert ids, f"no flag or intervention has the id or label {name!r}"
    return ids[0]


def _flag(ruleset, name: str) -> str:
    return _named(ruleset.catalogue.flags, name)


def _intervention(ruleset, name: str) -> str:
    return _named(ruleset.catalogue.interventions, name)


def _flags(context) -> dict:
    return {flag.id: flag for flag in context["assessment"].flags}


def _recommendations(context) -> dict:
    return {rec.intervention: rec for rec in context["assessment"].recommendations}


@then(
    parsers.re(
        r"the (?P<key>harm status|exit route|geographic outcome|recovery type|integration outcome) "
        r'is "(?P<value>[^"]+)"'
    )
)
def classification_is(context, key, value):
    assert context["assessment"].classification[KEYS[key]] == value


@then(parsers.re(r"the person is (?P<negation>not )?in the harm environment"))
def in_harm_environment(context, negation):
    assert context["assessment"].classification["remains_in_harm"] is (negation is None)


@then(parsers.parse('the flag "{flag}" is raised'))
def flag_raised(context, ruleset, flag):
    flag = _flag(ruleset, flag)
    assert flag in _flags(context), f"flags raised: {sorted(_flags(context))}"


@then(parsers.parse('the flag "{flag}" is raised with severity "{severity}"'))
def flag_raised_with_severity(context, ruleset, flag, severity):
    flag = _flag(ruleset, flag)
    assert flag in _flags(context), f"flags raised: {sorted(_flags(context))}"
    assert _flags(context)[flag].severity == severity


@then(parsers.parse('the flag "{flag}" is raised because of rule "{rule}"'))
def flag_raised_because_of(context, ruleset, flag, rule):
    flag = _flag(ruleset, flag)
    fired = [step.rule for step in context["assessment"].trace if f"flag:{flag}" in step.asserted]
    assert rule in fired, f"'{flag}' came from {fired}"


@then(parsers.parse('the flag "{flag}" is not raised'))
def flag_not_raised(context, ruleset, flag):
    flag = _flag(ruleset, flag)
    assert flag not in _flags(context)


@then("no flag is raised")
def no_flag(context):
    assert not context["assessment"].flags


@then(parsers.parse('"{intervention}" is recommended'))
def recommended(context, ruleset, intervention):
    intervention = _intervention(ruleset, intervention)
    assert intervention in _recommendations(context), f"recommended: {sorted(_recommendations(context))}"


@then(parsers.parse('"{intervention}" is recommended because of rule "{rule}"'))
def recommended_because_of(context, ruleset, intervention, rule):
    intervention = _intervention(ruleset, intervention)
    fired = [step.rule for step in context["assessment"].trace if f"recommend:{intervention}" in step.asserted]
    assert rule in fired, f"'{intervention}' came from {fired}"


@then(parsers.parse('"{intervention}" is not recommended'))
def not_recommended(context, ruleset, intervention):
    intervention = _intervention(ruleset, intervention)
    assert intervention not in _recommendations(context)


@then(parsers.parse('the principle "{principle}" applies'))
def principle_applies(context, principle):
    assert principle in [p.id for p in context["assessment"].principles]


@then(parsers.parse('the question "{field}" is asked next'))
def asked_next(context, field):
    assert context["assessment"].missing[:1] == [field], context["assessment"].missing


@then(parsers.parse('the question "{field}" is not among the missing'))
def not_among_missing(context, field):
    assert field not in context["assessment"].missing


@then(parsers.parse('the question "{field}" is among the missing'))
def among_missing(context, field):
    assert field in context["assessment"].missing


@then(parsers.parse('"{intervention}" is the first thing to do'))
def first_thing(context, intervention):
    assert context["assessment"].do_first[:1] == [intervention], context["assessment"].do_first


@then(parsers.re(r'"(?P<intervention>[^"]+)" is (?P<negation>not )?among the things to do first'))
def among_do_first(context, intervention, negation):
    assert (intervention in context["assessment"].do_first) != bool(negation), context["assessment"].do_first


@then("nothing is to be done first")
def nothing_first(context):
    assert context["assessment"].do_first == []


@then(parsers.re(r'"(?P<intervention>[^"]+)" is urgent "(?P<urgency>now|soon|later)"'))
def urgent(context, intervention, urgency):
    recs = {r.intervention: r for r in context["assessment"].recommendations}
    assert intervention in recs, f"recommended: {sorted(recs)}"
    assert recs[intervention].urgency == urgency, recs[intervention]


# ---------------------------------------------------------------- practice scenarios ----------


@pytest.fixture(scope="session")
def scenario_library(ruleset) -> dict:
    from engine.scenarios import load_scenarios

    return {scenario.id: scenario for scenario in load_scenarios(ruleset.catalogue)}


def _review(context) -> str:
    return f"the engine's answer changed: review {context['scenario'].path}"


@given(parsers.parse('the practice scenario "{scenario_id}"'))
def the_practice_scenario(context, scenario_library, scenario_id):
    context["scenario"] = scenario_library[scenario_id]
    context["case"] = context["scenario"].case


@then("the classification is the one the scenario expects")
def classification_as_expected(context):
    expected = context["scenario"].expected.classification.model_dump()
    found = {key: context["assessment"].classification[key] for key in expected}
    assert found == expected, _review(context)


@then("exactly the flags the scenario expects are raised")
def flags_as_expected(context):
    assert sorted(_flags(context)) == sorted(context["scenario"].expected.flags), _review(context)


@then("the scenario's key recommendations are all made")
def key_recommendations_made(context):
    missing = [i for i in context["scenario"].expected.recommendations if i not in _recommendations(context)]
    assert not missing, f"not recommended: {missing}; {_review(context)}"


@then("nothing the scenario rules out is recommended")
def nothing_ruled_out(context):
    given = [i for i in context["scenario"].expected.not_recommended if i in _recommendations(context)]
    assert not given, f"recommended after all: {given}; {_review(context)}"


# ---------------------------------------------- the legal check (features/legal.feature) ----


@when("the legal check is run")
def the_legal_check_is_run(context, assessor):
    from engine import legal

    context["legal"] = legal.report(assessor, context["case"])


def _finding(context, finding_id: str) -> dict:
    return next(f for f in context["legal"]["findings"] if f["id"] == finding_id)


@then(parsers.re(r'the finding "(?P<finding>[^"]+)" is (?P<status>engaged|not engaged|cannot tell yet)'))
def finding_status(context, finding, status):
    from engine.legal import STATUS_WORDS

    found = _finding(context, finding)
    assert STATUS_WORDS[found["status"]] == status, found


@then(parsers.parse('the finding "{finding}" waits for the answer "{field}"'))
def finding_waits_for(context, finding, field):
    assert field in _finding(context, finding)["missing"]


@then(parsers.parse('the finding "{finding}" cites "{source}"'))
def finding_cites(context, finding, source):
    assert source in [cited["source"] for cited in _finding(context, finding)["standards"]]


@when(parsers.re(r'I ask why "(?P<item>[^"]+)" was not (?:raised|recommended)'))
def ask_why_not(context, assessor, item):
    from engine.explain import why_not

    context["why_not"] = why_not(assessor, context["case"], item)
    assert not context["why_not"].produced


@then(parsers.re(r'the rule "(?P<rule>[^"]+)" (?P<state>does not apply|cannot tell yet)'))
def rule_state(context, rule, state):
    checks = {check.rule: check.status for check in context["why_not"].rules}
    assert checks.get(rule) == state.replace(" ", "_"), checks


@then("these answers would produce it:")
def answers_would_produce_it(context, assessor, docstring):
    from engine.explain import changed_case, produced

    answers = {path: tuple(v) if isinstance(v, list) else v for path, v in yamlio.loads(docstring).items()}
    assert answers in [change.answers for change in context["why_not"].changes]
    assert produced(assessor.assess(changed_case(context["case"], answers)), context["why_not"].item)


@then(parsers.parse('the law for the events is "{source}"'))
def law_for_the_events(context, source):
    applying = {i["source"]: i["status"] for i in context["legal"]["law_in_time"]["instruments"]}
    assert applying.get(source) in ("applies", "check"), applying


@then(parsers.parse('the law "{source}" no longer applies to the events'))
def law_no_longer_applies(context, source):
    applying = {i["source"]: i["status"] for i in context["legal"]["law_in_time"]["instruments"]}
    assert applying[source] == "not_in_force", applying


@then("the check asks for the date of the events")
def asks_for_the_date(context):
    law = context["legal"]["law_in_time"]
    assert "date of the events" in law["summary"] or "year the events happened" in law["summary"], law["summary"]
    assert {i["status"] for i in law["instruments"]} <= {"unknown_year", "check", "not_in_force"}, law


@then("the check says proceedings now follow the Ordinance as far as possible")
def proceedings_now(context):
    law = context["legal"]["law_in_time"]
    assert "as far as possible (s.64(2))" in law["proceedings"] and "Ordinance" in law["proceedings"], law


def _cited(context, finding: str, source: str) -> dict:
    return next(c for c in _finding(context, finding)["standards"] if c["source"] == source)


@then(parsers.parse('the finding "{finding}" cites "{source}" as the law at the time of the events'))
def cites_law_at_the_time(context, finding, source):
    assert _cited(context, finding, source)["law_in_time"]["status"] == "applies"


@then(parsers.parse('the finding "{finding}" cites "{source}" for proceedings now'))
def cites_law_for_proceedings_now(context, finding, source):
    note = _cited(context, finding, source)["law_in_time"]["note"]
    assert "governs proceedings now, as far as possible" in note, note


@then(parsers.parse('the finding "{finding}" says "{words}"'))
def finding_says(context, finding, words):
    assert words in _finding(context, finding)["requires"]


@then("the check says to check the current law")
def says_check_the_current_law(context):
    assert "check the current law" in context["legal"]["law_in_time"]["summary"].lower()


# ------------------------------------------- in a caseworker's words: labels, not ids ----
# (issue 14: the caseworker reads labels, so these steps name advice and warnings by the
# beginning of their English label, as the screens show them; one label must match exactly
# one item.)
#
#   Then the advice includes "<beginning of an intervention's label>"
#   Then the advice does not include "<beginning of an intervention's label>"
#   Then the warning "<beginning of a flag's label>" is raised
#   Then the warning "<beginning of a flag's label>" is not raised
#   Then the warning "<beginning of a flag's label>" is raised with severity "<high|medium|low>"
#   Then the warning "<beginning of a flag's label>" says "<words of its reason>"
#   Then the person is held | Then the person is not held
#   Then it is not known whether the person is held
#   Then it is not known whether the person is still in the harm environment
#   Then the screening reads "<label of the harm status>"
#   Then the legal check finds "<finding's title>" <engaged|not engaged|cannot tell yet>


def _by_label(entries: dict, words: str, what: str) -> str:
    found = [key for key, entry in entries.items() if entry.label.lower().startswith(words.lower())]
    assert len(found) == 1, f"'{words}' names {len(found)} {what}s: {found}"
    return found[0]


@then(parsers.parse('the advice includes "{words}"'))
def advice_includes(context, ruleset, words):
    intervention = _by_label(ruleset.catalogue.interventions, words, "intervention")
    assert intervention in _recommendations(context), f"recommended: {sorted(_recommendations(context))}"


@then(parsers.parse('the advice does not include "{words}"'))
def advice_does_not_include(context, ruleset, words):
    intervention = _by_label(ruleset.catalogue.interventions, words, "intervention")
    assert intervention not in _recommendations(context), _recommendations(context)[intervention].rule


@then(parsers.re(r'the warning "(?P<words>[^"]+)" is (?P<negation>not )?raised'))
def warning_raised(context, ruleset, words, negation):
    flag = _by_label(ruleset.catalogue.flags, words, "flag")
    assert (flag in _flags(context)) is (negation is None), f"flags raised: {sorted(_flags(context))}"


@then(parsers.parse('the warning "{words}" is raised with severity "{severity}"'))
def warning_raised_with_severity(context, ruleset, words, severity):
    flag = _by_label(ruleset.catalogue.flags, words, "flag")
    assert flag in _flags(context) and _flags(context)[flag].severity == severity, _flags(context).get(flag)


@then(parsers.parse('the warning "{words}" says "{text}"'))
def warning_says(context, ruleset, words, text):
    flag = _by_label(ruleset.catalogue.flags, words, "flag")
    reasons = [step.rule for step in context["assessment"].trace if f"flag:{flag}" in step.asserted]
    assert any(text.lower() in ruleset.by_id(rule).because.lower() for rule in reasons), reasons


@then(parsers.re(r"the person is (?P<negation>not )?held"))
def person_held(context, negation):
    assert context["assessment"].classification["held"] is (negation is None)


@then(parsers.re(r"it is not known whether the person is (?P<what>held|still in the harm environment)"))
def not_known_whether(context, what):
    key = "held" if what == "held" else "remains_in_harm"
    assert context["assessment"].classification[key] == "unknown", context["assessment"].classification


@then(parsers.parse('the screening reads "{words}"'))
def screening_reads(context, words):
    from engine.i18n import Texts

    shown = Texts(None).fact("harm_status", context["assessment"].classification["harm_status"])
    assert shown.lower().startswith(words.lower()), shown


@then(parsers.re(r'the legal check finds "(?P<title>[^"]+)" (?P<status>engaged|not engaged|cannot tell yet)'))
def legal_check_finds(context, title, status):
    from engine.legal import STATUS_WORDS

    found = next(f for f in context["legal"]["findings"] if f["title"].lower().startswith(title.lower()))
    assert STATUS_WORDS[found["status"]] == status, found
