"""Render an Assessment for people: JSON (the public contract, always English) and a Markdown
or HTML report in the caseworker's language (engine/i18n.py)."""

import base64
import json

from engine.assessment import Assessment
from engine.i18n import DEFAULT_LANG, Texts
from engine.rules import RuleSet

# The classification keys in English words (also message classification.<key>), for engine/practice.py.
LABELS = {
    "harm_status": "Harm status", "exit_route": "Exit route", "remains_in_harm": "Remains in harm",
    "held": "Held (detention, jail, custody or a shelter they may not leave)",
    "geographic_outcome": "Where the person is now", "recovery_type": "Recovery",
    "integration_outcome": "Integration",
}


def to_json(assessment: Assessment) -> str:
    # each dataclass as its fields (vars), without dataclasses.asdict's deep copy (a fifth of an
    # assessment's time); a one-visit file's JSON has no history keys, as before case histories
    data = {k: v for k, v in vars(assessment).items() if not (k in Assessment.HISTORY_ONLY and v is None)}
    return json.dumps(data, default=vars, ensure_ascii=False, sort_keys=False)


def case_file_text(case, ruleset: RuleSet, date: str) -> str:
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
    lines += timeline_lines(assessment, ruleset, t, date)
    lines += ["", f"## {t.message('report.heading.recommendations')}", ""]
    if not assessment.recommendations:
        lines += [t.message("report.no_recommendations"), ""]
    by_actor: dict[str, list] = {}
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


# How each classification value reads on the timeline chart: a tone, drawn as a colour.
TIMELINE_KEYS = ("integration_outcome", "recovery_type", "geographic_outcome")
TONES = {
    "successful": "good", "self_recovery_outside_harm": "good", "repatriated_voluntary": "good",
    "destination_outside_harm": "good", "facilitated": "mixed", "grey_area": "mixed", "third_country": "mixed",
    "not_started": "mixed", "unsuccessful": "poor", "regressive_facilitated": "poor",
    "self_recovery_in_harm": "poor", "harm_location": "poor", "jail_remand_home": "poor",
    "repatriated_involuntary": "poor",
}
COLOURS = {"good": "#1b7837", "mixed": "#b35806", "poor": "#b2182b", None: "#6b6b6b"}


def timeline_lines(assessment: Assessment, ruleset: RuleSet, t: Texts, date: str | None) -> list[str]:
    """The Markdown of a case over time: the visits as a table and a chart, and the next visit due."""
    from engine.followup import next_visit

    lines: list[str] = []
    if assessment.timeline:
        keys = [k for k in TIMELINE_KEYS if k in assessment.classification]
        lines += ["", f"## {t.message('report.heading.timeline')}", "",
                  "| " + " | ".join([t.message("report.timeline.date"), *(t.message(f"classification.{k}") for k in keys),
                                     t.message("report.timeline.changed")]) + " |",
                  "|" + "---|" * (len(keys) + 2)]
        for entry in assessment.timeline:
            changed = [f"+{t.label('flags', f)}" for f in entry.gained.flags] + \
                      [f"−{t.label('flags', f)}" for f in entry.lost.flags]
            counts = t.message("report.timeline.advice", gained=t.number(len(entry.gained.recommendations)),
                               lost=t.number(len(entry.lost.recommendations)))
            cells = [t.number(entry.date), *(t.fact(k, entry.classification.get(k)) for k in keys),
                     "; ".join([*changed, counts])]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        svg = timeline_svg(assessment, t)
        lines += ["", f"![{t.message('report.timeline.chart')}](data:image/svg+xml;base64,"
                      f"{base64.b64encode(svg.encode()).decode()})"]
    visit = assessment.next_visit or next_visit(ruleset.catalogue, assessment.classification, date)
    when = (t.message("report.next_visit.by", due=t.number(visit.due), months=t.number(visit.months)) if visit.due
            else t.message("report.next_visit.within", months=t.number(visit.months)))
    lines += ["", f"## {t.message('report.heading.next_visit')}", "",
              f"**{when}** — {t.label('followup', visit.because, 'text')} ({t.cite(visit.sources)})"]
    return lines


def timeline_svg(assessment: Assessment, t: Texts) -> str:
    """Classification per visit as a small chart: one row per key, one column per visit, each cell
    coloured by how the value reads (good / mixed / poor); self-contained SVG, nothing fetched."""
    from html import escape

    keys = [k for k in TIMELINE_KEYS if k in assessment.classification]
    entries = assessment.timeline or []
    left, cell, height, top = 170, 96, 26, 24
    width = left + cell * len(entries) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height * len(keys) + 8}" '
             f'role="img" font-family=\'{FONT_STACK.replace(chr(34), "")}\' font-size="12">',
             f"<title>{escape(t.message('report.timeline.chart'))}</title>"]
    for col, entry in enumerate(entries):
        parts.append(f'<text x="{left + col * cell + cell / 2}" y="16" text-anchor="middle">'
                     f"{escape(t.number(entry.date))}</text>")
    for row, key in enumerate(keys):
        y = top + row * height
        parts.append(f'<text x="4" y="{y + 17}">{escape(t.message(f"classification.{key}"))}</text>')
        for col, entry in enumerate(entries):
            value = entry.classification.get(key)
            colour = COLOURS[TONES.get(str(value))]
            parts.append(f'<rect x="{left + col * cell + 2}" y="{y + 2}" width="{cell - 4}" height="{height - 4}" '
                         f'rx="3" fill="{colour}"><title>{escape(t.fact(key, value))}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


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
            "code{font-size:.9em}li{margin:.2rem 0}table{border-collapse:collapse}th,td{border:1px solid #999;"
            "padding:.2rem .4rem;text-align:left;vertical-align:top}@media print{body{margin:0}}</style></head><body>\n"
            f"<p>{escape(header)}</p>\n{body}\n</body></html>\n")


def _markdown_to_html(markdown: str) -> str:
    """Just enough Markdown for our own reports: headings, lists, tables, bold, code, our chart."""
    import re
    from html import escape

    out, depth, in_table = [], 0, False
    for line in markdown.splitlines():
        if line.startswith("|"):  # a table row; the |---| line after the header is skipped
            cells = [escape(c.strip()) for c in line.strip().strip("|").split("|")]
            if not in_table:
                out.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr></thead><tbody>")
                in_table = True
            elif not all(set(c) <= {"-", ":"} for c in cells):
                out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</tbody></table>")
            in_table = False
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
        image = re.fullmatch(r"!\[(.*)\]\((data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)\)", line.strip())
        if image:  # our own chart, embedded: nothing is fetched
            out.append(f'<p><img alt="{escape(image[1])}" src="{image[2]}"></p>')
        elif indent:
            out.append(f"<li>{text[2:]}</li>")
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{text.lstrip('#').strip()}</h{level}>")
        elif text == "---":
            out.append("<hr>")
        elif text:
            out.append(f"<p>{text}</p>")
    out.extend("</ul>" for _ in range(depth))
    if in_table:
        out.append("</tbody></table>")
    return "\n".join(out)
