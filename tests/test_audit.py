"""The audit (engine/audit.py): over every combination of answers, not a sample.

tests/fixtures/audit/rules is seeded with one defect of each kind; each is found, and its
counterexample is the smallest case, written as a file that `ctm assess` confirms. On the
shipped rules every finding is confirmed by the experta engine, and the solver's model of
the rules agrees with experta on thousands of random cases.
"""

import dataclasses
import functools
import json
import shutil
import tempfile
from itertools import combinations, product
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import audit, audit_report, chain
from engine.assessment import UNDERIVED
from engine.cli import main
from engine.conditions import Leaf
from engine.errors import CtmError
from engine.infer import Assessor
from engine.invariants import load_book
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import load_valid_rules
from engine.samples import random_case, random_cases
from engine.space import classes, signature

FIXTURES = Path(__file__).parent / "fixtures" / "audit"
SEEDED = FIXTURES / "rules"
# The seeded rules are audited against the invariants their defects were seeded for: the
# shipped knowledge with only these invariants (a later invariant about rules the small
# fixture does not have would be "violated" there too, and tell nothing about the audit).
SEEDED_INVARIANTS = (
    "non_punishment_when_held_or_charged",
    "return_only_on_request",
    "return_against_will_flagged",
    "custody_always_flagged",
    "placement_without_consent_flagged",
    "identity_exposure_flagged",
    "help_not_conditional_on_cooperation",
)


@functools.lru_cache(maxsize=1)
def _seeded_knowledge() -> Path:
    knowledge = Path(tempfile.mkdtemp(prefix="ctm-seeded-")) / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    path = knowledge / "invariants.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["invariants"] = [i for i in data["invariants"] if i["id"] in SEEDED_INVARIANTS]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return knowledge


@pytest.fixture(scope="module")
def seeded():
    ruleset = load_valid_rules(SEEDED, _seeded_knowledge())
    return ruleset, audit.run(ruleset, _seeded_knowledge(), samples=400, workers=1)


@pytest.fixture(scope="module")
def shipped(ruleset):
    return audit.run(ruleset)  # as the Coverage page and `ctm audit` run it: 2 processes


def _ids(report, kind):
    return [f["id"] for f in report["findings"][kind]]


# ------------------------------------------------------------------ the seeded defects ----


def test_each_seeded_defect_is_found_and_nothing_else(seeded):
    _, report = seeded
    assert _ids(report, "gaps") == ["not_exited / unknown / unknown / unknown"]
    assert _ids(report, "conflicts") == ["return_vs_right_to_remain"]
    assert _ids(report, "dead_rules") == ["fixture.dead"]
    assert _ids(report, "redundant_rules") == ["fixture.return_from_destination"]
    assert {i.split(":")[0] for i in _ids(report, "violations")} == {"non_punishment_when_held_or_charged"}
    assert report["findings"]["redundant_rules"][0]["rules"] == [
        "fixture.return_from_destination",
        "fixture.return_home",
    ]


def _assess_file(path: Path, capsys) -> dict:
    assert main(["assess", "--rules", str(SEEDED), str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_counterexample_is_a_case_file_that_ctm_assess_confirms(seeded, tmp_path, capsys):
    _, report = seeded
    files = {p.stem: p for p in audit_report.write_cases(report, tmp_path)}
    assert set(files) == {"audit-gaps-01", "audit-conflicts-01", "audit-violations-01", "audit-violations-02"}
    gap = _assess_file(files["audit-gaps-01"], capsys)
    assert gap["classification"]["harm_status"] == "trafficked" and gap["classification"]["exit_route"] == "not_exited"
    assert gap["recommendations"] == []
    conflict = _assess_file(files["audit-conflicts-01"], capsys)
    assert {"quick_repatriation_on_request", "explore_right_to_remain"} <= {
        r["intervention"] for r in conflict["recommendations"]
    }
    for name in ("audit-violations-01", "audit-violations-02"):
        case = yaml.safe_load(files[name].read_text())
        assert case["legal"].get("detained") is True or case["legal"].get("charges")
        assert case["legal"].get("charges_linked_to_trafficking") in (None, "yes", "unknown")
        violated = _assess_file(files[name], capsys)
        assert "non_punishment" not in {f["id"] for f in violated["flags"]}


def _shows(kind: str, ruleset, assessor: Assessor, answers: dict) -> bool:
    """Whether a case shows a finding of this kind, read off the experta engine's answer."""
    derived, firings = assessor.run(answers)
    fired = [rule for rule, _ in firings]
    recs = {i for rule in fired for i in rule.effects.recommend}
    flags = {f.id for rule in fired for f in rule.effects.flags}
    if kind == "gaps":
        return (
            derived.get("harm_status") == "trafficked"
            and not recs
            and any(derived.get(k, UNDERIVED[k]) != UNDERIVED[k] for k in audit.CELL_KEYS)
        )
    if kind == "conflicts":
        return {"quick_repatriation_on_request", "explore_right_to_remain"} <= recs
    held = answers.get("legal.detained") is True or bool(answers.get("legal.charges"))
    return (
        held
        and answers.get("legal.charges_linked_to_trafficking") in (None, "yes", "unknown")
        and "non_punishment" not in flags
    )


def test_each_counterexample_has_the_fewest_answers_of_any_case_that_shows_it(seeded):
    ruleset, report = seeded
    book = load_book(ruleset.catalogue, _seeded_knowledge())
    space = audit.Analysis(ruleset, book, audit.SURVIVOR).space
    assessor = Assessor(ruleset)
    for kind in ("gaps", "conflicts", "violations"):
        for finding in report["findings"][kind]:
            case = finding["case"]
            answered = sum(len(v) for k, v in case.items() if isinstance(v, dict))
            assert _shows(kind, ruleset, assessor, _answers(case))
            for fewer in range(answered):  # every case with fewer answers, over every class
                for facts in combinations(space.values, fewer):
                    for values in product(*[space.values[f][1:] for f in facts]):
                        assert not _shows(kind, ruleset, assessor, dict(zip(facts, values))), (kind, facts, values)


def _answers(case: dict) -> dict:
    return {
        f"{s}.{k}": tuple(v) if isinstance(v, list) else v
        for s, section in case.items()
        if isinstance(section, dict)
        for k, v in section.items()
    }


def test_the_dead_rule_never_fires_and_the_redundant_rule_changes_no_assessment(seeded):
    ruleset, _ = seeded
    without = Assessor(
        dataclasses.replace(
            ruleset,
            rules=tuple(r for r in ruleset.rules if r.id != "fixture.return_from_destination"),
            digest="without-redundant",
        )
    )
    assessor = Assessor(ruleset)
    for case in random_cases(500, seed=6):
        assessment = assessor.assess(case)
        assert "fixture.dead" not in [s.rule for s in assessment.trace]
        other = without.assess(case)
        assert (assessment.flags, assessment.classification) == (other.flags, other.classification)
        assert [r.intervention for r in assessment.recommendations] == [r.intervention for r in other.recommendations]


def test_one_process_and_two_find_the_same(seeded):
    ruleset, report = seeded
    book = load_book(ruleset.catalogue, _seeded_knowledge())
    assert audit.analyse(ruleset, book, samples=16, workers=2)["findings"] == report["findings"]


def test_the_progress_is_reported_up_to_the_end(seeded):
    ruleset, _ = seeded
    seen = []
    audit.analyse(
        ruleset,
        load_book(ruleset.catalogue, _seeded_knowledge()),
        samples=16,
        workers=1,
        progress=lambda done, what: seen.append(done),
    )
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10


def test_the_cross_check_fails_when_the_solver_and_experta_differ(seeded):
    ruleset, _ = seeded
    an = audit.Analysis(ruleset, load_book(ruleset.catalogue, _seeded_knowledge()), audit.SURVIVOR)
    an.assessor = Assessor(
        dataclasses.replace(  # experta without the rule that screens the person in
            ruleset, rules=tuple(r for r in ruleset.rules if r.id != "fixture.trafficked"), digest="other"
        )
    )
    checked, disagreements = audit.cross_check(an, seed=1, count=100, known=0.8)
    assert checked == 100 and disagreements


# -------------------------------------------------------------------- the shipped rules ----


def test_the_solver_agrees_with_experta_on_thousands_of_random_cases(shipped):
    assert shipped["cross_check"]["cases"] >= 2000
    assert shipped["cross_check"]["disagreements"] == []


def test_every_finding_on_the_shipped_rules_comes_with_a_confirmed_smallest_case(shipped):
    for kind in ("gaps", "conflicts", "violations"):
        for finding in shipped["findings"][kind]:
            assert finding["case"] and finding["confirmed"], finding


def test_no_shipped_rule_is_dead_as_the_rule_examples_show(shipped):
    assert shipped["findings"]["dead_rules"] == []  # tests/rule_examples.yaml fires every rule


def test_the_report_lists_exactly_the_findings_in_every_format(shipped):
    markdown, html = audit_report.to_markdown(shipped), audit_report.to_html(shipped)
    for kind, items in shipped["findings"].items():
        assert f"## {kind.replace('_', ' ').capitalize()}" in markdown
        for finding in items:
            assert finding["id"] in markdown and finding["id"].replace("'", "&#x27;") in html
    assert json.loads(audit_report.to_json(shipped))["findings"] == shipped["findings"]
    assert html.startswith("<!doctype html>") and "Heatmap: Exit route" in html
    assert f"{shipped['space']['survivor_case']['combinations']:,}" in markdown


def test_coverage_names_what_no_rule_covers(shipped, ruleset):
    cov = shipped["coverage"]
    recommended = {i for r in ruleset.rules for i in r.effects.recommend}
    assert set(cov["without_rules"]["interventions"]) == set(ruleset.catalogue.interventions) - recommended
    named = {n for r in ruleset.rules for n in r.nodes}
    assert set(cov["without_rules"]["nodes"]) == set(ruleset.catalogue.nodes) - named
    assert cov["cases"]["scenario"] + cov["cases"]["feature"] > 0


# ------------------------------------------------------------ the space is cut exactly ----


@pytest.fixture(scope="module")
def space(ruleset):
    return audit.Analysis(ruleset, load_book(ruleset.catalogue), audit.SURVIVOR).space


@given(st.randoms(use_true_random=False), st.floats(0.2, 1.0))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_case_fires_the_same_rules_as_its_class_representatives(ruleset, space, rng, known):
    answers = random_case(rng, known=known).answers()
    represented = {**answers, **{f: space.values[f][space.index(f, answers[f])] for f in space.values}}
    rules = chain.ordered(ruleset)
    assert [r.id for r in chain.run(rules, answers)[1]] == [r.id for r in chain.run(rules, represented)[1]]


def test_list_classes_tell_apart_every_subset_the_leaves_can():
    leaves = [
        Leaf("exit.health", "contains_all", ("injury", "pregnancy")),
        Leaf("exit.health", "contains_any", ("injury", "pregnancy", "hiv_sti")),
        Leaf("exit.health", "contains", "mental_health"),
        Leaf("exit.health", "empty", False),
    ]
    found = {signature(v, leaves) for v in classes("exit.health", leaves)}
    items = ["injury", "hiv_sti", "pregnancy", "mental_health", "drug_dependence", "other"]
    every = {signature(tuple(c), leaves) for n in range(len(items) + 1) for c in combinations(items, n)}
    assert every | {signature(None, leaves)} == found  # all of them, and one class each
    assert len(classes("exit.health", leaves)) == len(found)


def test_count_classes_tell_apart_every_number_of_items_the_leaves_can():
    items = ("deception", "wages_withheld", "isolation")
    leaves = [Leaf("harm.indicators", "at_least", (2, items)), Leaf("harm.indicators", "contains", "debt_bondage")]
    found = {signature(v, leaves) for v in classes("harm.indicators", leaves)}
    every = {signature(tuple(c), leaves) for n in range(5) for c in combinations(items + ("debt_bondage",), n)}
    assert every | {signature(None, leaves)} == found


def test_number_classes_split_at_each_threshold():
    leaves = [Leaf("recovery.months_in_custody", "gte", 1), Leaf("recovery.months_in_custody", "gt", 12)]
    assert classes("recovery.months_in_custody", leaves) == [None, 0, 1, 13]


# ------------------------------------------------------- the invariant and conflict files ----


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("fixture", sorted((FIXTURES / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_broken_invariant_or_conflict_file_is_refused_with_file_line_and_allowed_values(fixture, tmp_path, capsys):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    shutil.copy(fixture, knowledge / (fixture.name.split(".")[0] + ".yaml"))
    code = main(["audit", "--rules", str(SEEDED), "--knowledge", str(knowledge), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2 and _expected(fixture) in err and "Traceback" not in err


def test_the_shipped_invariants_and_conflicts_load(ruleset):
    book = load_book(ruleset.catalogue)
    assert {i.spec.id for i in book.invariants} >= {
        "non_punishment_when_held_or_charged",
        "return_only_on_request",
        "custody_always_flagged",
        "help_not_conditional_on_cooperation",
    }
    assert [c.pair for c in book.conflicts][0] == ["quick_repatriation_on_request", "explore_right_to_remain"]


# ----------------------------------------------------------------------------- the command ----


def test_ctm_audit_writes_the_cases_and_exits_1_when_something_is_found(seeded, tmp_path, capsys):
    out = tmp_path / "cases"
    code = main(
        [
            "audit",
            "--rules",
            str(SEEDED),
            "--knowledge",
            str(_seeded_knowledge()),
            "--format",
            "json",
            "--cases-out",
            str(out),
            "--samples",
            "400",
            "--workers",
            "1",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["findings"] == seeded[1]["findings"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{f['case']['case_id'].lower()}.yaml" for items in report["findings"].values() for f in items if f["case"]
    )
    assert (
        main(
            [
                "audit",
                "--rules",
                str(SEEDED),
                "--knowledge",
                str(_seeded_knowledge()),
                "--format",
                "html",
                "--samples",
                "400",
                "--workers",
                "1",
            ]
        )
        == 1
    )
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_cases_cannot_be_written_into_a_file(seeded, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(CtmError, match="cannot write the counterexample cases"):
        audit_report.write_cases(seeded[1], blocker)
