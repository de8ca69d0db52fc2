"""Coverage: what the rules cover, and what they do in every possible case (engine/audit.py).

For policy staff. The analysis runs once per rule set and server process, with a progress
bar; it holds rule-set data only, never a case. Thin: every figure is engine/audit.py's. The
page speaks the chosen language; the findings' own sentences and the downloaded audit are
written by the audit in English.
"""

from html import escape

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
    report = audit.run(
        common.ruleset(), progress=lambda done, what: bar.progress(min(done, 1.0), text=f"{checking} {what}")
    )
    space = report["space"]["survivor_case"]["combinations"] if "survivor_case" in report["space"] else 0
    bar.progress(
        1.0, text=t.message("coverage.done", combinations=t.number(f"{space:,}"), seconds=t.number(report["seconds"]))
    )
    return report


# How well a cell is tested: no case at all stands out (and says so in words); then darker blues
# for more cases. Dark text on every shade keeps the contrast above 4.5:1.
UNTESTED = "background:#ffd9cf;color:#6b1200;font-weight:600"
TESTED = ("#e8f1fb", "#cfe2f6", "#b3d1f0")  # 1-2 cases, 3-9, 10 or more
STYLE = """<style>
.ctm-heat { overflow-x: auto; max-width: 100%; }
.ctm-heat table { border-collapse: collapse; font-size: 0.85rem; color: #1f1f1f; }
.ctm-heat th, .ctm-heat td { border: 1px solid #c8c8c8; padding: 0.3rem 0.45rem; text-align: left;
  vertical-align: top; min-width: 6.5rem; }
.ctm-heat thead th, .ctm-heat tbody th { background: #f3f3f3; }
</style>"""


def _shade(cases: int) -> str:
    if cases == 0:
        return UNTESTED
    return f"background:{TESTED[0 if cases < 3 else 1 if cases < 10 else 2]}"


def _heat_labels(table: str, t) -> tuple:
    """The words for a table's rows and columns (never their ids), in this language."""
    if table == "exit_geography":
        return (lambda v: t.fact("exit_route", v)), (lambda v: t.fact("geographic_outcome", v))
    special = {"none": t.message("value.none"), "unknown": t.message("value.unknown")}
    return (lambda v: t.fact("recovery_type", v)), (lambda v: special.get(v) or t.option("integration.settings", v))


def heatmap_html(report: dict, table: str, t) -> str:
    """One table: rows and columns in words, each cell its rules and cases, coloured by its cases.
    A scroll region a keyboard can reach (tabindex), named for a screen reader; nothing cut off."""
    rules, cases = report["rule_heat"][table], report["coverage"]["case_heat"][table]
    row_label, col_label = _heat_labels(table, t)
    cols = list(next(iter(rules.values())))
    title = t.message(f"coverage.table.{table}")
    head = "".join(f'<th scope="col">{escape(col_label(c))}</th>' for c in cols)
    body = ""
    for r in rules:
        cells = ""
        for c in cols:
            n = cases.get(r, {}).get(c, 0)
            text = t.message("coverage.cell", rules=len(rules[r][c]), cases=n)
            cells += (
                f'<td style="{_shade(n)}">{escape(text)}'
                + (f"<br>{escape(t.message('coverage.untested'))}" if n == 0 else "")
                + "</td>"
            )
        body += f'<tr><th scope="row">{escape(row_label(r))}</th>{cells}</tr>'
    corner = escape(t.message(f"coverage.row.{table}"))
    return (
        f'<div class="ctm-heat" role="region" tabindex="0" aria-label="{escape(title)}"><table>'
        f'<thead><tr><th scope="col">{corner}</th>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def _heatmap(report: dict, table: str, t) -> None:
    if not report["rule_heat"][table]:
        return
    st.header(t.message(f"coverage.table.{table}"))
    st.caption(t.message("coverage.rows", rows=t.message(f"coverage.row.{table}")))
    st.html(STYLE + heatmap_html(report, table, t))


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
            st.download_button(
                t.message("coverage.download_case"),
                text,
                f"{item[key]['case_id'].lower()}.yaml",
                key=f"download_{item[key]['case_id']}",
            )


def _uncovered(report: dict, t) -> None:
    st.header(t.message("coverage.uncovered"))
    cov = report["coverage"]
    for section in SECTIONS:
        field = "text" if section == "principles" else "label"  # each by its words, not its id
        listed = lambda ids: "; ".join(t.label(section, i, field) for i in ids) or t.message("coverage.none")  # noqa: E731
        missing = cov["without_rules"][section]
        unexercised = [i for i in cov["without_cases"][section] if i not in missing]
        with st.expander(
            t.message(
                "coverage.uncovered_summary",
                section=t.message(f"coverage.section.{section}"),
                missing=len(missing),
                unexercised=len(unexercised),
            )
        ):
            st.markdown(t.message("coverage.no_rule", ids=listed(missing)))
            st.markdown(t.message("coverage.no_case", ids=listed(unexercised)))
    with st.expander(t.message("coverage.every")):
        section = st.radio(
            t.message("coverage.show"),
            SECTIONS,
            horizontal=True,
            key="coverage_section",
            format_func=lambda s: t.message(f"coverage.section.{s}"),
        )
        columns = {name: t.message(f"coverage.column.{name}") for name in ("id", "rules", "cases", "sources")}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        columns["id"]: i,
                        columns["rules"]: ", ".join(e["rules"]),
                        columns["cases"]: len(e["cases"]),
                        columns["sources"]: ", ".join(e["sources"]),
                    }
                    for i, e in cov[section].items()
                ]
            ),
            hide_index=True,
        )


t = common.texts()
st.title(t.message("coverage.title"))
st.caption(t.message("coverage.caption"))
report = _report(t)
found = audit.counts(report)
nodes = report["coverage"]["nodes"]
st.metric(
    t.message("coverage.nodes_without_rules"),
    t.message("coverage.of", part=len(report["coverage"]["without_rules"]["nodes"]), whole=len(nodes)),
    help=t.message("coverage.nodes_without_rules_help"),
    border=True,
)
columns = st.columns(len(FINDINGS) + 1)
for column, name in zip(columns, FINDINGS):
    column.metric(t.message(f"coverage.finding.{name}"), t.number(found[name]))
columns[-1].metric(
    t.message("coverage.cross_check"),
    t.number(len(report["cross_check"]["disagreements"])),
    help=t.message("coverage.cross_check_help", cases=report["cross_check"]["cases"]),
)
for table in TABLES:
    _heatmap(report, table, t)
st.header(t.message("coverage.findings"))
if t.lang != "en":
    st.caption(t.message("coverage.in_english"))
for name in FINDINGS:
    with st.expander(
        f"{t.message(f'coverage.finding.{name}')} ({t.number(found[name])})",
        expanded=bool(found[name]) and name != "redundant_rules",
    ):
        if not report["findings"][name]:
            st.write(t.message("coverage.none_found"))
        for item in report["findings"][name]:
            st.markdown(f"**{item['id']}**")
            _finding(item, t)
_uncovered(report, t)
st.download_button(
    t.message("coverage.download_md"), audit_report.to_markdown(report), "ctm-audit.md", key="download_audit_markdown"
)
st.download_button(
    t.message("coverage.download_html"), audit_report.to_html(report), "ctm-audit.html", key="download_audit_html"
)
