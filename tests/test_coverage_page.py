"""The Coverage page, driven through streamlit's AppTest: it shows engine/audit.py's figures."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import audit
from engine.i18n import Texts

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture(scope="module")
def page(ruleset) -> tuple[AppTest, dict]:
    at = AppTest.from_file(APP, default_timeout=600).run()
    at.switch_page("coverage.py").run()
    assert not at.exception
    return at, audit.run(ruleset)  # the page's own run, kept for this rule set


def test_the_page_shows_the_audits_counts(page):
    at, report = page
    shown = {m.label: m.value for m in at.metric if m.label != "Matrix nodes that no rule names"}
    counts = audit.counts(report)
    assert shown == {
        "Gaps": str(counts["gaps"]),
        "Conflicts": str(counts["conflicts"]),
        "Dead rules": str(counts["dead_rules"]),
        "Redundant rules": str(counts["redundant_rules"]),
        "Invariant violations": str(counts["violations"]),
        "Cross-check disagreements": str(len(report["cross_check"]["disagreements"])),
    }


def test_both_heatmaps_count_rules_and_cases_per_cell_in_words_coloured_by_cases(page, ruleset):
    at, report = page
    tables = [h.proto.body for h in at.get("html") if "ctm-heat" in h.proto.body and "<table>" in h.proto.body]
    assert len(tables) == 2
    exit_geography, recovery = tables
    t = Texts(ruleset)
    escape = report["rule_heat"]["exit_geography"]["escape"]["destination_outside_harm"]
    cases = report["coverage"]["case_heat"]["exit_geography"].get("escape", {}).get("destination_outside_harm", 0)
    assert f"{len(escape)} rules · {cases} cases" in exit_geography
    # Rows and columns by their words, not their ids; every column is there.
    assert t.fact("exit_route", "escape") in exit_geography and ">escape<" not in exit_geography
    assert exit_geography.count('scope="col"') == 1 + len(next(iter(report["rule_heat"]["exit_geography"].values())))
    assert recovery.count('scope="col"') == 1 + len(audit.SETTINGS) and ">extended_family<" not in recovery
    # A cell no case tests stands out, and says so in words.
    untested = sum(
        1
        for table in ("exit_geography", "recovery_integration")
        for r, row in report["rule_heat"][table].items()
        for c in row
        if not report["coverage"]["case_heat"][table].get(r, {}).get(c, 0)
    )
    assert untested and (exit_geography + recovery).count("not tested by any case") == untested
    # The scroll region can be reached by keyboard and has a name.
    assert 'role="region" tabindex="0" aria-label="Exit route × geographic outcome"' in exit_geography


def test_the_headline_counts_the_matrix_nodes_no_rule_names(page):
    at, report = page
    [headline] = [m for m in at.metric if m.label == "Matrix nodes that no rule names"]
    nodes = report["coverage"]["nodes"]
    assert headline.value == f"{len(report['coverage']['without_rules']['nodes'])} of {len(nodes)}"


def test_the_heatmap_speaks_bengali(ruleset):
    from ui.coverage import heatmap_html

    report = audit.run(ruleset)
    bengali = heatmap_html(report, "recovery_integration", Texts(ruleset, "bn"))
    assert Texts(ruleset, "bn").message("value.none") in bengali and ">none<" not in bengali


def test_every_finding_is_listed_with_its_smallest_case(page):
    at, report = page
    labels = [e.label for e in at.expander]
    for name, items in report["findings"].items():
        assert any(label.endswith(f"({len(items)})") for label in labels)
    code = "\n".join(c.value for c in at.code)
    for items in report["findings"].values():
        for item in items:
            if item["case"]:
                assert f"case_id: {item['case']['case_id']}" in code


def test_a_progress_bar_tells_when_the_analysis_is_done(page):
    at, report = page
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.value == 100
    assert f"{report['space']['survivor_case']['combinations']:,}" in bars[0].proto.text


def test_the_page_speaks_bengali_and_says_the_findings_sentences_are_english(page, ruleset):
    _, report = page  # the audit has run in this process: the Bengali page shows the same report
    at = AppTest.from_file(APP, default_timeout=600).run()
    at = at.radio(key="lang_choice").set_value("bn").run()
    at = at.switch_page("coverage.py").run()
    assert not at.exception
    t = Texts(ruleset, "bn")
    assert at.title[0].value == t.message("coverage.title")
    counts = audit.counts(report)
    assert {m.label: m.value for m in at.metric} == {
        **{t.message(f"coverage.finding.{name}"): t.number(n) for name, n in counts.items()},
        t.message("coverage.cross_check"): t.number(len(report["cross_check"]["disagreements"])),
        t.message("coverage.nodes_without_rules"): t.message(
            "coverage.of",
            part=len(report["coverage"]["without_rules"]["nodes"]),
            whole=len(report["coverage"]["nodes"]),
        ),
    }
    assert t.message("coverage.in_english") in [c.value for c in at.caption]
    assert [s.value for s in at.header][:2] == [
        t.message("coverage.table.exit_geography"),
        t.message("coverage.table.recovery_integration"),
    ]
