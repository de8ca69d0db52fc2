"""`ctm diff OLD NEW`: which cases change advice, how, and because of which rule change."""

import shutil
from pathlib import Path

import pytest
import yaml

from engine import diff
from engine.case import parse_case
from engine.cli import main
from engine.infer import Assessor
from engine.rules import RULES_DIR, load_valid_rules

SEEDED = Path(__file__).parent / "fixtures" / "audit" / "rules"


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """The seeded rule set, edited three ways: a rule widened, a dead rule removed, a rule added."""
    root = tmp_path_factory.mktemp("diff")
    new = root / "new"
    shutil.copytree(SEEDED, new)
    data = yaml.safe_load((new / "seeded.yaml").read_text())
    rules = {r["id"]: r for r in data["rules"]}
    rules["fixture.non_punishment"]["when"]["all"][1] = {
        "fact": "legal.charges_linked_to_trafficking",
        "in": ["yes", "unknown"],
    }
    del rules["fixture.dead"]
    rules["fixture.escape_advice"] = {
        "id": "fixture.escape_advice",
        "nodes": ["exit.escape"],
        "when": {"fact": "exit.route", "eq": "escape"},
        "then": {"recommend": ["ngo_outreach"]},
        "because": "The person escaped: NGOs should be able to find them.",
        "sources": ["seed.exit_general"],
    }
    data["rules"] = list(rules.values())
    (new / "seeded.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    cases = root / "cases"
    cases.mkdir()
    (cases / "held.yaml").write_text(
        "case_id: HELD-UNKNOWN-LINK\nlegal: {detained: true, charges_linked_to_trafficking: unknown}\n"
    )
    return new, cases, diff.run(SEEDED, new, cases_dir=cases)


def test_each_rule_change_is_named(changed):
    _, _, report = changed
    kinds = {c["rule"]: c["change"] for c in report["rule_changes"]}
    assert kinds == {"fixture.non_punishment": "changed", "fixture.dead": "removed", "fixture.escape_advice": "added"}
    widened = next(c for c in report["rule_changes"] if c["rule"] == "fixture.non_punishment")
    assert set(widened["was"]) == set(widened["now"]) == {"when"}


def test_the_space_shows_what_is_gained_each_with_a_smallest_case_the_engines_confirm(changed):
    new, _, report = changed
    found = {(c["change"], c["item"]): c for c in report["space_changes"]}
    assert set(found) == {
        ("gained", "flag:non_punishment (high)"),
        ("gained", "recommend:non_punishment_defence"),
        ("gained", "recommend:ngo_outreach"),
    }
    assert found[("gained", "recommend:ngo_outreach")]["rules"] == ["fixture.escape_advice"]
    assert found[("gained", "flag:non_punishment (high)")]["rules"] == ["fixture.non_punishment"]
    before, after = Assessor(load_valid_rules(SEEDED)), Assessor(load_valid_rules(new))
    for (_, item), change in found.items():
        case = parse_case(change["case"])
        shown = [diff._shown(a.assess(case)) for a in (before, after)]
        assert item not in shown[0] and item in shown[1]


def test_the_removed_dead_rule_changes_no_case(changed):
    _, _, report = changed
    assert not [c for c in report["space_changes"] if "fixture.dead" in c["rules"]]


def test_cases_from_a_directory_are_compared_and_each_listed_change_is_real(changed):
    new, _, report = changed
    held = next(c for c in report["case_changes"] if c["case"] == "held.yaml")
    assert held["gained"] == ["flag:non_punishment (high)", "recommend:non_punishment_defence"]
    assert held["lost"] == [] and held["rules"] == ["fixture.non_punishment"]
    before, after = Assessor(load_valid_rules(SEEDED)), Assessor(load_valid_rules(new))
    cases = {ident: data for _, ident, data in diff.library_cases(extra=changed[1])[0]}
    for change in report["case_changes"]:
        a, b = (diff._shown(x.assess(parse_case(cases[change["case"]]))) for x in (before, after))
        assert sorted(b - a) == change["gained"] and sorted(a - b) == change["lost"]


def test_the_markdown_groups_the_changes_by_rule(changed, capsys):
    new, cases, _ = changed
    assert main(["diff", str(SEEDED), str(new), "--cases", str(cases)]) == 1
    out = capsys.readouterr().out
    assert "- **fixture.non_punishment** changed" in out and "- **fixture.dead** removed" in out
    assert "gained flag:non_punishment (high)" in out and "file **held.yaml**" in out


def test_a_rule_set_compared_with_itself_changes_nothing(capsys):
    assert main(["diff", str(RULES_DIR), str(RULES_DIR), "--format", "json"]) == 0
    assert '"rule_changes": []' in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["diff", str(SEEDED), "/no/such/rules"], "no rule files"),
        (["diff", str(SEEDED), str(SEEDED), "--cases", "/no/such/cases"], "not a directory of case files"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err
