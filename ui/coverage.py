"""Coverage: what the rules cover, and what they do in every possible case (engine/audit.py).

For policy staff. The analysis runs once per rule set and server process, with a progress
bar; it holds rule-set data only, never a case. Thin: every figure is engine/audit.py's.
"""

import pandas as pd
import streamlit as st
import yaml

from engine import audit, audit_report
from ui import common

FINDINGS = {"gaps": "Gaps", "conflicts": "Conflicts", "dead_rules": "Dead rules",
            "redundant_rules": "Redundant rules", "violations": "Invariant violations"}
TABLES = {"exit_geography": ("Exit route × geographic outcome", "exit route"),
          "recovery_integration": ("Recovery type × integration setting", "recovery type")}


def _report() -> dict:
    bar = st.progress(0.0, text="Checking every combination of answers…")
    report = audit.run(common.ruleset(), progress=lambda done, what: bar.progress(
        min(done, 1.0), text=f"Checking every combination of answers… {what}"))
    space = report["space"]["survivor_case"]["combinations"] if "survivor_case" in report["space"] else 0
    bar.progress(1.0, text=f"Done: {space:,} combinations of a survivor's answers, in {report['seconds']} s.")
    return report


def _heatmap(report: dict, table: str) -> None:
    title, row_name = TABLES[table]
    rules, cases = report["rule_heat"][table], report["coverage"]["case_heat"][table]
    if not rules:
        return
    cols = list(next(iter(rules.values())))
    counts = pd.DataFrame([[len(rules[r][c]) for c in cols] for r in rules], index=list(rules), columns=cols)
    labels = pd.DataFrame([[f"{len(rules[r][c])} rules · {cases.get(r, {}).get(c, 0)} cases" for c in cols]
                           for r in rules], index=list(rules), columns=cols)
    low, span = int(counts.to_numpy().min()), max(int(counts.to_numpy().max() - counts.to_numpy().min()), 1)
    shade = counts.map(lambda n: f"background-color: rgba(30, 120, 200, {0.1 + 0.8 * (n - low) / span:.2f})")
    st.subheader(title)
    st.caption(f"Rows: {row_name}. Each cell: the rules that give advice there in some case, and the "
               "scenario and feature cases that fall in it.")
    st.table(labels.rename_axis(row_name).style.apply(lambda _: shade, axis=None))


def _finding(item: dict) -> None:
    st.markdown(item["text"])
    if item["rules"]:
        st.caption("Rules: " + ", ".join(f"`{r}`" for r in item["rules"]))
    for key, label in (("case", "Smallest case"), ("other_case", "The same case with the other answer")):
        if item.get(key):
            ok = "confirmed by the engine" if item["confirmed"] else "NOT confirmed by the engine"
            st.caption(f"{label} ({ok}):")
            text = yaml.safe_dump(item[key], sort_keys=False, default_flow_style=None)
            st.code(text, language="yaml")
            st.download_button("Download as a case file", text, f"{item[key]['case_id'].lower()}.yaml",
                               key=f"download_{item[key]['case_id']}")


st.title("Coverage")
st.caption("Which parts of the matrix the rules cover, and what the rules do in every possible case: "
           "each question is decided over all combinations of answers (unknown included), not a sample.")
report = _report()
found = audit.counts(report)
columns = st.columns(len(FINDINGS) + 1)
for column, (name, label) in zip(columns, FINDINGS.items()):
    column.metric(label, found[name])
columns[-1].metric("Cross-check disagreements", len(report["cross_check"]["disagreements"]),
                   help=f"The solver's model of the rules against the experta engine on "
                        f"{report['cross_check']['cases']} random cases.")
for table in TABLES:
    _heatmap(report, table)
st.subheader("Findings")
for name, label in FINDINGS.items():
    with st.expander(f"{label} ({found[name]})", expanded=bool(found[name]) and name != "redundant_rules"):
        if not report["findings"][name]:
            st.write("None, in any combination of answers.")
        for item in report["findings"][name]:
            st.markdown(f"**{item['id']}**")
            _finding(item)
st.subheader("What nothing covers")
cov = report["coverage"]
for section in ("nodes", "interventions", "principles"):
    missing = cov["without_rules"][section]
    unexercised = [i for i in cov["without_cases"][section] if i not in missing]
    with st.expander(f"{section.capitalize()}: {len(missing)} named by no rule; {len(unexercised)} more "
                     f"exercised by no scenario or feature case"):
        st.markdown("**Named by no rule:** " + (", ".join(f"`{i}`" for i in missing) or "none"))
        st.markdown("**Named by a rule, exercised by no case:** " + (", ".join(f"`{i}`" for i in unexercised)
                                                                     or "none"))
with st.expander("Every node, intervention and principle: its rules, cases and sources"):
    section = st.radio("Show", ["nodes", "interventions", "principles"], horizontal=True, key="coverage_section")
    st.dataframe(pd.DataFrame([{"id": i, "rules": ", ".join(e["rules"]), "cases": len(e["cases"]),
                                "sources": ", ".join(e["sources"])} for i, e in cov[section].items()]),
                 hide_index=True)
st.download_button("Download the whole audit (Markdown)", audit_report.to_markdown(report), "ctm-audit.md",
                   key="download_audit_markdown")
st.download_button("Download the whole audit (HTML)", audit_report.to_html(report), "ctm-audit.html",
                   key="download_audit_html")
