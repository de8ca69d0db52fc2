"""Broken input is refused with one clear message: one fixture per kind of error.

tests/fixtures/invalid/
  rules/*.yaml      a broken rule file added beside the real rules   -> `ctm validate` exit 1
  knowledge/S.*.yaml broken entries added to knowledge/S.yaml         -> `ctm validate` exit 1
  cases/*.yaml      a broken case file                               -> `ctm assess` exit 2
The first line of each fixture says `# expect: <text the message must contain>`.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from engine.cli import main
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import RULES_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path} must start with '# expect: '"
    return first.removeprefix("# expect: ")


def _ids(kind: str):
    return sorted((FIXTURES / kind).glob("*.yaml"), key=lambda p: p.name)


def _validate(rules, knowledge, capsys) -> tuple[int, str]:
    code = main(["validate", "--rules", str(rules), "--knowledge", str(knowledge)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_shipped_rules_and_knowledge_validate(capsys):
    code, output = _validate(RULES_DIR, KNOWLEDGE_DIR, capsys)
    assert code == 0, output
    assert output.startswith("OK: ")


@pytest.mark.parametrize("fixture", _ids("rules"), ids=lambda p: p.stem)
def test_a_broken_rule_file_is_refused_with_file_line_and_rule(fixture, copies, capsys):
    rules, knowledge = copies
    shutil.copy(fixture, rules / "zz_broken.yaml")
    code, output = _validate(rules, knowledge, capsys)
    assert code == 1
    assert _expected(fixture) in output
    assert "zz_broken.yaml:" in output and "Traceback" not in output


@pytest.mark.parametrize("fixture", _ids("knowledge"), ids=lambda p: p.stem)
def test_a_broken_knowledge_entry_is_refused(fixture, copies, capsys):
    rules, knowledge = copies
    section = fixture.name.split(".")[0]
    target = knowledge / f"{section}.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data[section] += yaml.safe_load(fixture.read_text(encoding="utf-8"))[section]
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, output = _validate(rules, knowledge, capsys)
    assert code == 1
    assert _expected(fixture) in output
    assert f"{section}.yaml" in output and "Traceback" not in output


@pytest.mark.parametrize("fixture", _ids("cases"), ids=lambda p: p.stem)
def test_a_broken_case_file_exits_2_with_one_clear_message(fixture, capsys):
    code = main(["assess", str(fixture)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""  # nothing printed for any case when one is bad
    assert _expected(fixture) in captured.err
    assert captured.err.startswith("ctm: error: ") and str(fixture) in captured.err
    assert "Traceback" not in captured.err and len(captured.err.splitlines()) == 1


def test_a_bad_case_among_good_ones_prints_no_assessment_at_all(capsys):
    good = Path(__file__).parent.parent / "examples" / "escape-destination.yaml"
    code = main(["assess", str(good), str(FIXTURES / "cases" / "wrong_enum.yaml")])
    assert code == 2 and capsys.readouterr().out == ""


def test_a_case_whose_date_is_not_in_its_year_is_refused_naming_both_fields(tmp_path, capsys):
    path = tmp_path / "dates.yaml"
    path.write_text("case_id: X\nlegal: {events_year: 2025, events_date: 2026-01-04}\n")
    assert main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert "legal.events_date" in err and "legal.events_year" in err and "Traceback" not in err


# ------------------------------------------------------- sources tell the truth (issue 14 §11) ----


def test_the_remaining_in_harm_option_lists_and_the_node_tags_agree(ruleset):
    """Each of the seed's two option lists goes to the reasons for staying the rule reads it for
    (rules/remaining.yaml), and its interventions are tagged with those reasons, no others."""
    cat = ruleset.catalogue
    reasons = {"remaining.adaptation", "remaining.free_agent", "remaining.agency_granted", "remaining.subjugation"}
    for rule_id in ("remaining.chosen", "remaining.pressured"):
        rule = next(r for r in ruleset.rules if r.id == rule_id)
        for item in rule.effects.recommend:
            tagged = set(cat.interventions[item].nodes) & reasons
            assert tagged == set(rule.nodes), (rule_id, item, tagged)


def test_an_intervention_the_seed_does_not_contain_does_not_cite_the_seed_first(ruleset):
    for section in ("interventions", "flags", "principles"):
        for entry in getattr(ruleset.catalogue, section).values():
            first_is_seed = entry.sources[0].startswith("seed.")
            assert first_is_seed == (entry.basis == "seed"), (section, entry.id, entry.basis, entry.sources)


def test_an_entry_that_rests_on_practice_reads_as_the_authors_reading(ruleset):
    from engine.i18n import Texts

    practice = next(f for f in ruleset.catalogue.flags.values() if f.basis == "practice")
    for lang, words in (("en", "the authors' reading"), ("bn", "লেখকদের ব্যাখ্যা")):
        assert words in Texts(ruleset, lang).label("flags", practice.id)
    seed = next(f for f in ruleset.catalogue.flags.values() if f.basis == "seed")
    assert "reading" not in Texts(ruleset, "en").label("flags", seed.id)
