"""Coverage: what the rules cover, and what they do in every possible case (engine/audit.py).

For policy staff. The analysis runs once per rule set and server process, with a progress
bar; it holds rule-set data only, never a case. Thin: every figure is engine/audit.py's. The
page speaks the chosen language; the findings' own sentences and the downloaded audit are
written by the audit in English.
"""

import pandas as pd
import streamlit as st
import yaml

from engine import audit, audit_report
from ui import common

FINDINGS = ("gaps", "conflicts", "dead_rules", "redundant_rules", "violations")
TABLES = ("exit_geography", "recovery_integration")
SECTIONS = ("nodes", "interventions", "principles")


def _report(t) -> dict:
    checking = t.message("coverage.checking")
    bar = st.progress(0.0, text=checking)
    report = audit.run(common.ruleset(), progress=lambda done, what: bar.progress(min(done, 1.0),
                                                                                  text=f"{checking} {what}"))
    space = report["space"]["survivor_case"]["combinations"] if "survivor_case" in report["space"] else 0
    bar.progress(1.0, text=t.message("coverage.done", combinations=t.number(f"{space:,}"),
                                     seconds=t.number(report["seconds"])))
    return report


def _heatmap(report: dict, table: str, t) -> None:
    row_name = t.message(f"coverage.row.{table}")
    rules, cases = report["rule_heat"][table], report["coverage"]["case_heat"][table]
    if not rules:
        return
    cols = list(next(iter(rules.values())))
    counts = pd.DataFrame([[len(rules[r][c]) for c in cols] for r in rules], index=list(rules), columns=cols)
    labels = pd.DataFrame([[t.message("coverage.cell", rules=len(rules[r][c]), cases=cases.get(r, {}).get(c, 0))
                            for c in cols] for r in rules], index=list(rules), columns=cols)
    low, span = int(counts.to_numpy().min()), max(int(counts.to_numpy().max() - counts.to_numpy().min()), 1)
    shade = counts.map(lambda n: f"background-color: rgba(30, 120, 200, {0.1 + 0.8 * (n - low) / span:.2f})")
    st.subheader(t.message(f"coverage.table.{table}"))
    st.caption(t.message("coverage.rows", rows=row_name))
    st.table(labels.rename_axis(row_name).style.apply(lambda _: shade, axis=None))


def _finding(item: dict, t) -> None:
    st.markdown(item["text"])
    if item["rules"]:
        st.caption(t.message("coverage.rules", rules=", ".join(f"`{r}`" for r in item["rules"])))
    for key in ("case", "other_case"):
        if item.get(key):
            ok = t.message("coverage.confirmed" if item["confirmed"] else "coverage.not_confirmed")
            st.caption(f"{t.message(f'coverage.case.{key}')} ({ok}):")
            text = yaml.safe_dump(item[key], sort_keys=False, default_flow_style=None)
            st.code(text, language="yaml")
            st.download_button(t.message("coverage.download_case"), text, f"{item[key]['case_id'].lower()}.yaml",
                               key=f"download_{item[key]['case_id']}")


def _uncovered(report: dict, t) -> None:
    st.subheader(t.message("coverage.uncovered"))
    cov = report["coverage"]
    listed = lambda ids: ", ".join(f"`{i}`" for i in ids) or t.message("coverage.none")  # noqa: E731
    for section in SECTIONS:
        missing = cov["without_rules"][section]
        unexercised = [i for i in cov["without_cases"][section] if i not in missing]
        with st.expander(t.message("coverage.uncovered_summary", section=t.message(f"coverage.section.{section}"),
                                   missing=len(missing), unexercised=len(unexercised))):
            st.markdown(t.message("coverage.no_rule", ids=listed(missing)))
            st.markdown(t.message("coverage.no_case", ids=listed(unexercised)))
    with st.expander(t.message("coverage.every")):
        section = st.radio(t.message("coverage.show"), SECTIONS, horizontal=True, key="coverage_section",
                           format_func=lambda s: t.message(f"coverage.section.{s}"))
        columns = {name: t.message(f"coverage.column.{name}") for name in ("id", "rules", "cases", "sources")}
        st.dataframe(pd.DataFrame([{columns["id"]: i, columns["rules"]: ", ".join(e["rules"]),
                                    columns["cases"]: len(e["cases"]), columns["sources"]: ", ".join(e["sources"])}
                                   for i, e in cov[section].items()]), hide_index=True)


t = common.texts()
st.title(t.message("coverage.title"))
st.caption(t.message("coverage.caption"))
report = _report(t)
found = audit.counts(report)
columns = st.columns(len(FINDINGS) + 1)
for column, name in zip(columns, FINDINGS):
    column.metric(t.message(f"coverage.finding.{name}"), t.number(found[name]))
columns[-1].metric(t.message("coverage.cross_check"), t.number(len(report["cross_check"]["disagreements"])),
                   help=t.message("coverage.cross_check_help", cases=report["cross_check"]["cases"]))
for table in TABLES:
    _heatmap(report, table, t)
st.subheader(t.message("coverage.findings"))
if t.lang != "en":
    st.caption(t.message("coverage.in_english"))
for name in FINDINGS:
    with st.expander(f"{t.message(f'coverage.finding.{name}')} ({t.number(found[name])})",
                     expanded=bool(found[name]) and name != "redundant_rules"):
        if not report["findings"][name]:
            st.write(t.message("coverage.none_found"))
        for item in report["findings"][name]:
            st.markdown(f"**{item['id']}**")
            _finding(item, t)
_uncovered(report, t)
st.download_button(t.message("coverage.download_md"), audit_report.to_markdown(report), "ctm-audit.md",
                   key="download_audit_markdown")
st.download_button(t.message("coverage.download_html"), audit_report.to_html(report), "ctm-audit.html",
                   key="download_audit_html")
