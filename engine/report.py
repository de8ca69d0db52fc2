"""Render an Assessment for people: JSON (the public contract, always English) and a Markdown
or HTML report in the caseworker's language (engine/i18n.py)."""

import base64
import json
from collections.abc import Iterable

from engine.assessment import Assessment, Recommendation
from engine.case import CaseFile
from engine.i18n import DEFAULT_LANG, Texts
from engine.rules import RuleSet

# The classification keys in English words (also message classification.<key>), for engine/practice.py.
LABELS = {
    "harm_status": "Harm status",
    "exit_route": "Exit route",
    "remains_in_harm": "Remains in harm",
    "geographic_outcome": "Where the person is now",
    "recovery_type": "Recovery",
    "integration_outcome": "Integration",
}


def to_json(assessment: Assessment) -> str:
    # each dataclass as its fields (vars), without dataclasses.asdict's deep copy (a fifth of an
    # assessment's time); a one-visit file's JSON has no history keys, as before case histories
    data = {k: v for k, v in vars(assessment).items() if not (k in Assessment.HISTORY_ONLY and v is None)}
    return json.dumps(data, default=vars, ensure_ascii=False, sort_keys=False)


def case_file_text(case: CaseFile, ruleset: RuleSet, date: str) -> str:
    """The answers as a case file to download: what is known only, loadable again as it is."""
    import yaml

    header = (
        f"# ctm case file, exported {date}; rule set {ruleset.version} {ruleset.digest}\n"
        "# A pseudonymous reference only: never add a name, an address or a photograph.\n"
    )
    return header + yaml.safe_dump(case.to_file_dict(), sort_keys=False, allow_unicode=True)


URGENCIES = ("now", "soon", "later")
DECLINED = ("not_known", "prefers_not_to_say", "not_safe_now")  # ways of not answering (message decline.<reason>)


class _Refs:
    """Citations as short references ([1], [2]) in the text, the full list once at the end."""

    def __init__(self, t: Texts):
        self.t, self.ids = t, list[str]()

    def __call__(self, source_ids: Iterable[str]) -> str:
        for sid in source_ids:
            if sid not in self.ids:
                self.ids.append(sid)
        return "[" + ", ".join(self.t.number(self.ids.index(sid) + 1) for sid in source_ids) + "]"

    def listing(self) -> list[str]:
        return [f"{self.t.number(i)}. {self.t.citation(sid) or sid}" for i, sid in enumerate(self.ids, start=1)]


def to_markdown(
    assessment: Assessment,
    ruleset: RuleSet,
    date: str | None = None,
    lang: str = DEFAULT_LANG,
    case: CaseFile | None = None,
    declined: dict[str, str] | None = None,
) -> str:
    """The report a supervisor reads in a minute: what to do first, the flags, the answers given
    and those set aside, then the advice for this person by urgency; the programme-level advice
    in its own last section; citations as short references, listed in full once at the end.
    `case` (its answers) and `declined` ({field: reason}) add the answers sections."""
    t, refs = Texts(ruleset, lang), _Refs(Texts(ruleset, lang))
    recs = {rec.intervention: rec for rec in assessment.recommendations}
    lines = [
        f"# {t.message('report.title', case_id=assessment.case_id)}",
        "",
        t.message("report.case_ref", case_id=assessment.case_id) + "  ",
        *([t.message("report.date", date=date) + "  "] if date else []),
        t.message("report.ruleset", version=assessment.ruleset.version, digest=assessment.ruleset.digest),
        "",
        f"## {t.message('report.heading.do_first')}",
        "",
    ]
    for number, iid in enumerate(assessment.do_first, start=1):
        rec = recs[iid]
        lines += [
            f"{t.number(number)}. **{t.label('interventions', iid)}** "
            f"({t.message(f'actor.{rec.actor}')}) — {_urgency_reason(t, rec)} {refs(rec.sources)}"
        ]
    if not assessment.do_first:
        lines += [t.message("report.no_do_first")]
    lines += ["", f"## {t.message('report.heading.flags')}", ""]
    if not assessment.flags:
        lines += [t.message("report.no_flags")]
    for flag in assessment.flags:
        lines += [
            f"- **{t.label('flags', flag.id)}** ({t.message(f'severity.{flag.severity}')}) — "
            f"{t.because(flag.rule) or flag.because} {refs(flag.sources)}"
        ]
    if case is not None or declined:
        lines += answers_markdown(t, case, declined or {})
    case_level = [
        r for r in assessment.recommendations if r.level == "case" and r.intervention not in assessment.do_first
    ]
    lines += ["", f"## {t.message('report.heading.recommendations')}", ""]
    if not assessment.recommendations:
        lines += [t.message("report.no_recommendations")]
    for urgency in URGENCIES:
        items = [r for r in case_level if r.urgency == urgency]
        if items:
            lines += [f"### {t.message(f'urgency.{urgency}')}", ""]
            lines += [_item(t, refs, r) for r in items] + [""]
    if assessment.classification:  # a survivor case; planning profiles have none
        lines += [f"## {t.message('report.heading.classification')}", ""]
        lines += [f"- {t.message(f'classification.{k}')}: {t.fact(k, v)}" for k, v in assessment.classification.items()]
    lines += timeline_lines(assessment, ruleset, t, date, refs)
    lines += ["", f"## {t.message('report.heading.principles')}", ""]
    lines += [f"- {t.label('principles', p.id, 'text')} {refs(p.sources)}" for p in assessment.principles] or [
        t.message("report.none")
    ]
    lines += ["", f"## {t.message('report.heading.questions')}", ""]
    lines += [f"- {t.get('questions', f, 'prompt') or f}" for f in assessment.missing] or [t.message("report.none")]
    programme = [r for r in assessment.recommendations if r.level == "programme"]
    if programme:
        lines += ["", f"## {t.message('report.heading.programme')}", "", t.message("report.programme_note"), ""]
        lines += [_item(t, refs, r) for r in programme]
    lines += ["", f"## {t.message('report.heading.sources')}", "", *refs.listing()]
    lines += [
        "",
        "---",
        t.message("report.footer", version=assessment.ruleset.version, digest=assessment.ruleset.digest),
        "",
    ]
    return "\n".join(lines)


def _item(t: Texts, refs: _Refs, rec: Recommendation) -> str:
    return (
        f"- **{t.label('interventions', rec.intervention)}** ({t.message(f'actor.{rec.actor}')}) — "
        f"{t.because(rec.rule) or rec.because} {refs(rec.sources)}"
    )


def _urgency_reason(t: Texts, rec: Recommendation) -> str:
    """Why an item comes first: the urgency rule's reason (the rule that advised it, when none)."""
    if rec.urgency_rule:
        return t.get("urgency", rec.urgency_rule, "because") or ""
    return t.because(rec.rule) or rec.because


def answers_markdown(t: Texts, case: CaseFile | None, declined: dict[str, str]) -> list[str]:
    """The answers given, each with its question's words and the answer's label, and the
    questions set aside with the reason."""
    given = {f: v for f, v in (case.answers().items() if case is not None else ()) if v is not None}
    lines = ["", f"## {t.message('report.heading.answers')}", ""]
    lines += [f"- {t.get('questions', f, 'prompt') or f} — **{t.answer(f, v)}**" for f, v in given.items()]
    if not given:
        lines += [t.message("report.none")]
    if declined:
        lines += ["", f"## {t.message('report.heading.declined')}", ""]
        lines += [
            f"- {t.get('questions', f, 'prompt') or f} — **{t.message(f'decline.{reason}')}**"
            for f, reason in declined.items()
        ]
    return lines


# How each classification value reads on the timeline chart: a tone, drawn as a colour.
TIMELINE_KEYS = ("integration_outcome", "recovery_type", "geographic_outcome")
TONES = {
    "successful": "good",
    "self_recovery_outside_harm": "good",
    "repatriated_voluntary": "good",
    "destination_outside_harm": "good",
    "facilitated": "mixed",
    "grey_area": "mixed",
    "third_country": "mixed",
    "not_started": "mixed",
    "unsuccessful": "poor",
    "regressive_facilitated": "poor",
    "self_recovery_in_harm": "poor",
    "harm_location": "poor",
    "jail_remand_home": "poor",
    "repatriated_involuntary": "poor",
}
COLOURS = {"good": "#1b7837", "mixed": "#b35806", "poor": "#b2182b", None: "#6b6b6b"}


def timeline_lines(assessment: Assessment, ruleset: RuleSet, t: Texts, date: str | None, refs: "_Refs") -> list[str]:
    """The Markdown of a case over time: the visits as a table and a chart, and the next visit due."""
    from engine.followup import next_visit

    lines: list[str] = []
    if assessment.timeline:
        keys = [k for k in TIMELINE_KEYS if k in assessment.classification]
        lines += [
            "",
            f"## {t.message('report.heading.timeline')}",
            "",
            "| "
            + " | ".join(
                [
                    t.message("report.timeline.date"),
                    *(t.message(f"classification.{k}") for k in keys),
                    t.message("report.timeline.changed"),
                ]
            )
            + " |",
            "|" + "---|" * (len(keys) + 2),
        ]
        for entry in assessment.timeline:
            changed = [f"+{t.label('flags', f)}" for f in entry.gained.flags] + [
                f"−{t.label('flags', f)}" for f in entry.lost.flags
            ]
            counts = t.message(
                "report.timeline.advice",
                gained=t.number(len(entry.gained.recommendations)),
                lost=t.number(len(entry.lost.recommendations)),
            )
            cells = [
                t.number(entry.date),
                *(t.fact(k, entry.classification.get(k)) for k in keys),
                "; ".join([*changed, counts]),
            ]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        svg = timeline_svg(assessment, t)
        lines += [
            "",
            f"![{t.message('report.timeline.chart')}](data:image/svg+xml;base64,"
            f"{base64.b64encode(svg.encode()).decode()})",
        ]
    visit = assessment.next_visit or next_visit(ruleset.catalogue, assessment.classification, date)
    when = (
        t.message("report.next_visit.by", due=t.number(visit.due), months=t.number(visit.months))
        if visit.due
        else t.message("report.next_visit.within", months=t.number(visit.months))
    )
    lines += [
        "",
        f"## {t.message('report.heading.next_visit')}",
        "",
        f"**{when}** — {t.label('followup', visit.because, 'text')} {refs(visit.sources)}",
    ]
    return lines


def timeline_svg(assessment: Assessment, t: Texts) -> str:
    """Classification per visit as a small chart: one row per key, one column per visit, each cell
    coloured by how the value reads (good / mixed / poor); self-contained SVG, nothing fetched."""
    from html import escape

    keys = [k for k in TIMELINE_KEYS if k in assessment.classification]
    entries = assessment.timeline or []
    left, cell, height, top = 170, 96, 26, 24
    width = left + cell * len(entries) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height * len(keys) + 8}" '
        f'role="img" font-family=\'{FONT_STACK.replace(chr(34), "")}\' font-size="12">',
        f"<title>{escape(t.message('report.timeline.chart'))}</title>",
    ]
    for col, entry in enumerate(entries):
        parts.append(
            f'<text x="{left + col * cell + cell / 2}" y="16" text-anchor="middle">'
            f"{escape(t.number(entry.date))}</text>"
        )
    for row, key in enumerate(keys):
        y = top + row * height
        parts.append(f'<text x="4" y="{y + 17}">{escape(t.message(f"classification.{key}"))}</text>')
        for col, entry in enumerate(entries):
            value = entry.classification.get(key)
            colour = COLOURS[TONES.get(str(value))]
            parts.append(
                f'<rect x="{left + col * cell + 2}" y="{y + 2}" width="{cell - 4}" height="{height - 4}" '
                f'rx="3" fill="{colour}"><title>{escape(t.fact(key, value))}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)


FONT_STACK = (
    'system-ui, "Noto Sans", "Noto Sans Bengali", "Hind Siliguri", "SolaimanLipi", '
    'Vrinda, "Segoe UI", Arial, sans-serif'
)
PRINT_CSS = (
    "@page{size:A4;margin:18mm 16mm 20mm 16mm}"
    f"body{{font-family:{FONT_STACK};max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}"
    "code{font-size:.9em}li{margin:.2rem 0}table{border-collapse:collapse}"
    "th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}"
    "h2,h3{break-after:avoid}li,tr{break-inside:avoid}"
    ":lang(bn) ol{list-style-type:bengali}"
    "@media print{body{margin:0;padding:0;max-width:none;font-size:11pt}}"
)


def html_page(title: str, markdown: str, lang: str = DEFAULT_LANG) -> str:
    """A printable, self-contained page (no scripts, no external resources) of one of our
    Markdown reports, with real paper margins (`@page`)."""
    from html import escape

    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head><body>\n"
        f"{_markdown_to_html(markdown)}\n</body></html>\n"
    )


def to_html(
    assessment: Assessment,
    ruleset: RuleSet,
    date: str,
    lang: str = DEFAULT_LANG,
    case: CaseFile | None = None,
    declined: dict[str, str] | None = None,
) -> str:
    """The report of `to_markdown` as a printable page, in `lang`."""
    t = Texts(ruleset, lang)
    return html_page(
        t.message("report.html_title", case_id=assessment.case_id),
        to_markdown(assessment, ruleset, date, lang, case, declined),
        lang,
    )


def _markdown_to_html(markdown: str) -> str:
    """Just enough Markdown for our own reports: headings, lists (numbered too), tables, bold,
    italics, code, and our own timeline chart."""
    import re
    from html import escape

    out: list[str] = []
    open_lists: list[str] = []
    table = False
    numbered = re.compile(r"^[0-9\u09e6-\u09ef]+\. ")  # Latin or Bengali digits
    for line in markdown.splitlines():
        stripped = line.strip()
        text = escape(stripped)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"(?<![*\w])\*([^*]+?)\*(?![*\w])", r"<em>\1</em>", text)
        text = re.sub(r"`(.+?)`", r"<code>\1</code>", text)
        bullet = stripped.startswith("- ")
        kind = "ul" if bullet else "ol" if numbered.match(stripped) else None
        depth = (len(line) - len(line.lstrip())) // 2 + 1 if kind else 0
        while len(open_lists) > depth or (depth and len(open_lists) == depth and open_lists[-1] != kind):
            out.append(f"</{open_lists.pop()}>")
        while kind and len(open_lists) < depth:
            out.append(f"<{kind}>")
            open_lists.append(kind)
        if table and not stripped.startswith("|"):
            out.append("</table>")
            table = False
        if kind:
            out.append(f"<li>{text[2:] if bullet else numbered.sub('', text)}</li>")
        elif stripped.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            tag = "td" if table else "th"
            out.append(("" if table else "<table>") + "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
            table = True
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{text.lstrip('#').strip()}</h{level}>")
        elif text == "---":
            out.append("<hr>")
        elif image := re.fullmatch(r"!\[(.*)\]\((data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)\)", stripped):
            out.append(f'<p><img alt="{escape(image[1])}" src="{image[2]}"></p>')  # our own chart: nothing fetched
        elif text and out and out[-1].endswith("<br></p>"):  # a line ending in two spaces: a line break
            out[-1] = out[-1][:-4] + text + ("<br></p>" if line.endswith("  ") else "</p>")
        elif text:
            out.append(f"<p>{text}{'<br>' if line.endswith('  ') else ''}</p>")
    out.extend(f"</{kind}>" for kind in reversed(open_lists))
    if table:
        out.append("</table>")
    return "\n".join(out)
