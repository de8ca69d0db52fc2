"""Render an Assessment for people: JSON (the public contract, always English) and a Markdown
or HTML report in the caseworker's language (engine/i18n.py)."""

import dataclasses
import json
from typing import Any

from engine.assessment import Assessment
from engine.case import CaseFile
from engine.i18n import DEFAULT_LANG, Texts
from engine.rules import RuleSet

# The classification keys in English words (also message classification.<key>), for engine/practice.py.
LABELS = {
    "harm_status": "Harm status", "exit_route": "Exit route", "remains_in_harm": "Remains in harm",
    "geographic_outcome": "Where the person is now", "recovery_type": "Recovery",
    "integration_outcome": "Integration",
}


def to_json(assessment: Assessment) -> str:
    return json.dumps(dataclasses.asdict(assessment), ensure_ascii=False, sort_keys=False)


def case_file_text(case: CaseFile, ruleset: RuleSet, date: str) -> str:
    """The answers as a case file to download: what is known only, loadable again as it is."""
    import yaml

    header = (f"# ctm case file, exported {date}; rule set {ruleset.version} {ruleset.digest}\n"
              "# A pseudonymous reference only: never add a name, an address or a photograph.\n")
    return header + yaml.safe_dump(case.to_file_dict(), sort_keys=False, allow_unicode=True)


def to_markdown(assessment: Assessment, ruleset: RuleSet, date: str | None = None, lang: str = DEFAULT_LANG) -> str:
    t = Texts(ruleset, lang)
    lines = [f"# {t.message('report.title', case_id=assessment.case_id)}", ""]
    if date:
        lines += [t.message("report.date", date=date), ""]
    lines += [f"## {t.message('report.heading.flags')}", ""]
    if not assessment.flags:
        lines += [t.message("report.no_flags"), ""]
    for flag in assessment.flags:
        lines += [f"- **{t.label('flags', flag.id)}** ({t.message(f'severity.{flag.severity}')}) — "
                  f"{t.because(flag.rule) or flag.because}",
                  "  - " + t.message("report.rule_and_sources", rule=flag.rule, sources=t.cite(flag.sources))]
    if assessment.classification:  # a survivor case; planning profiles have none
        lines += ["", f"## {t.message('report.heading.classification')}", ""]
        lines += [f"- {t.message(f'classification.{k}')}: {t.fact(k, v)}" for k, v in assessment.classification.items()]
    lines += ["", f"## {t.message('report.heading.recommendations')}", ""]
    if not assessment.recommendations:
        lines += [t.message("report.no_recommendations"), ""]
    by_actor: dict[str, list[Any]] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    for actor, recs in by_actor.items():
        lines += [f"### {t.message(f'actor.{actor}')}", ""]
        for rec in recs:
            lines += [f"- **{t.label('interventions', rec.intervention)}** — {t.because(rec.rule) or rec.because}",
                      "  - " + t.message("report.rule_and_sources", rule=rec.rule, sources=t.cite(rec.sources))]
        lines += [""]
    lines += [f"## {t.message('report.heading.principles')}", ""]
    lines += [f"- {t.label('principles', p.id, 'text')} ({t.cite(p.sources)})"
              for p in assessment.principles] or [t.message("report.none")]
    lines += ["", f"## {t.message('report.heading.questions')}", ""]
    lines += [f"- {t.get('questions', f, 'prompt') or f} (`{f}`)" for f in assessment.missing] or [t.message("report.none")]
    lines += ["", "---", t.message("report.footer", version=assessment.ruleset.version,
                                   digest=assessment.ruleset.digest), ""]
    return "\n".join(lines)


FONT_STACK = ('system-ui, "Noto Sans", "Noto Sans Bengali", "Hind Siliguri", "SolaimanLipi", '
              'Vrinda, "Segoe UI", Arial, sans-serif')


def to_html(assessment: Assessment, ruleset: RuleSet, date: str, lang: str = DEFAULT_LANG) -> str:
    """A printable, self-contained report (no scripts, no external resources), in `lang`."""
    from html import escape

    t = Texts(ruleset, lang)
    body = _markdown_to_html(to_markdown(assessment, ruleset, date, lang))
    header = t.message("report.html_header", case_id=assessment.case_id, date=date,
                       version=assessment.ruleset.version, digest=assessment.ruleset.digest)
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(t.message('report.html_title', case_id=assessment.case_id))}</title>"
            f"<style>body{{font-family:{FONT_STACK};max-width:52rem;margin:2rem auto;line-height:1.45}}"
            "code{font-size:.9em}li{margin:.2rem 0}@media print{body{margin:0}}</style></head><body>\n"
            f"<p>{escape(header)}</p>\n{body}\n</body></html>\n")


def _markdown_to_html(markdown: str) -> str:
    """Just enough Markdown for our own reports: headings, lists, bold, code."""
    import re
    from html import escape

    out, depth = [], 0
    for line in markdown.splitlines():
        text = escape(line.strip())
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"`(.+?)`", r"<code>\1</code>", text)
        indent = (len(line) - len(line.lstrip())) // 2 + 1 if line.lstrip().startswith("- ") else 0
        while depth > indent:
            out.append("</ul>")
            depth -= 1
        while depth < indent:
            out.append("<ul>")
            depth += 1
        if indent:
            out.append(f"<li>{text[2:]}</li>")
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{text.lstrip('#').strip()}</h{level}>")
        elif text == "---":
            out.append("<hr>")
        elif text:
            out.append(f"<p>{text}</p>")
    out.extend("</ul>" for _ in range(depth))
    return "\n".join(out)
