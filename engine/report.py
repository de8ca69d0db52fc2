"""Render an Assessment for people: JSON (the public contract) and a Markdown report."""

import json

from engine.assessment import Assessment
from engine.rules import RuleSet

LABELS = {
    "harm_status": "Harm status", "exit_route": "Exit route", "remains_in_harm": "Remains in harm",
    "geographic_outcome": "Where the person is now", "recovery_type": "Recovery",
    "integration_outcome": "Integration",
}


def to_json(assessment: Assessment) -> str:
    return json.dumps(assessment.model_dump(mode="json"), ensure_ascii=False, sort_keys=False)


def _cite(ruleset: RuleSet, source_ids: list[str]) -> str:
    sources = ruleset.catalogue.sources
    return "; ".join(sources[s].citation() if s in sources else s for s in source_ids)


def _words(value) -> str:
    return str(value).replace("_", " ")


def case_file_text(case, ruleset: RuleSet, date: str) -> str:
    """The answers as a case file to download: what is known only, loadable again as it is."""
    import yaml

    header = (f"# ctm case file, exported {date}; rule set {ruleset.version} {ruleset.digest}\n"
              "# A pseudonymous reference only: never add a name, an address or a photograph.\n")
    return header + yaml.safe_dump(case.to_file_dict(), sort_keys=False, allow_unicode=True)


def to_markdown(assessment: Assessment, ruleset: RuleSet, date: str | None = None) -> str:
    cat = ruleset.catalogue
    lines = [f"# Assessment for case {assessment.case_id}", ""]
    if date:
        lines += [f"Date: {date}", ""]
    lines += ["## Flags", ""]
    if not assessment.flags:
        lines += ["No flags raised.", ""]
    for flag in assessment.flags:
        label = cat.flags[flag.id].label if flag.id in cat.flags else flag.id
        lines += [f"- **{label}** ({flag.severity}) — {flag.because}",
                  f"  - rule `{flag.rule}`; sources: {_cite(ruleset, flag.sources)}"]
    if assessment.classification:  # a survivor case; planning profiles have none
        lines += ["", "## Classification", ""]
        lines += [f"- {LABELS[k]}: {_words(v)}" for k, v in assessment.classification.items()]
    lines += ["", "## Recommended interventions", ""]
    if not assessment.recommendations:
        lines += ["None for what is known so far.", ""]
    by_actor: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    for actor, recs in by_actor.items():
        lines += [f"### {_words(actor).capitalize()}", ""]
        for rec in recs:
            lines += [f"- **{rec.label}** — {rec.because}",
                      f"  - rule `{rec.rule}`; sources: {_cite(ruleset, rec.sources)}"]
        lines += [""]
    lines += ["## Rights principles", ""]
    lines += [f"- {p.text} ({_cite(ruleset, p.sources)})" for p in assessment.principles] or ["None."]
    lines += ["", "## Questions that could change this advice", ""]
    questions = cat.questions
    lines += [f"- {questions[f].prompt if f in questions else f} (`{f}`)" for f in assessment.missing] or ["None."]
    lines += ["", "---", f"Rule set {assessment.ruleset.version}, {assessment.ruleset.digest}. "
              "Decision support only: the person's own wishes and informed consent come first.", ""]
    return "\n".join(lines)


FONT_STACK = ('system-ui, "Noto Sans", "Noto Sans Bengali", "Hind Siliguri", "SolaimanLipi", '
              'Vrinda, "Segoe UI", Arial, sans-serif')


def to_html(assessment: Assessment, ruleset: RuleSet, date: str) -> str:
    """A printable, self-contained report (no scripts, no external resources)."""
    from html import escape

    body = _markdown_to_html(to_markdown(assessment, ruleset, date))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>ctm assessment {escape(assessment.case_id)}</title>"
            f"<style>body{{font-family:{FONT_STACK};max-width:52rem;margin:2rem auto;line-height:1.45}}"
            "code{font-size:.9em}li{margin:.2rem 0}@media print{body{margin:0}}</style></head><body>\n"
            f"<p>Case {escape(assessment.case_id)} · {escape(date)} · rule set "
            f"{escape(assessment.ruleset.version)} · {escape(assessment.ruleset.digest)}</p>\n"
            f"{body}\n</body></html>\n")


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
