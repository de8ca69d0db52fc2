"""The legal advisor's check (`ctm legal`, the "Legal check" page): which rights a case engages.

Each finding is a view of the Assessment. It is *engaged* when the engine raised one of its
flags or recommended one of its interventions; *not engaged* when every rule that could do
so is decided against; *cannot tell yet* while such a rule waits for an answer — named,
with what would change the answer (engine/explain.py). Standards are cited by source id
(knowledge/sources.yaml), and Bangladeshi law with the period it applies to.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.assessment import Assessment, Flag
from engine.case import Case, CaseFile
from engine.errors import CtmError
from engine.explain import Change, RuleCheck, find_item, produced, why, why_not
from engine.i18n import Texts
from engine.knowledge import Source

if TYPE_CHECKING:
    from engine.infer import Assessor

ENGAGED, NOT_ENGAGED, CANNOT_TELL = "engaged", "not_engaged", "cannot_tell_yet"
STATUS_WORDS = {ENGAGED: "engaged", NOT_ENGAGED: "not engaged", CANNOT_TELL: "cannot tell yet"}

# The Bangladeshi trafficking law and its successor, whose changeover the law-in-time note explains.
TRAFFICKING_LAW = ("bd.pshta_2012", "bd.ordinance_2026")


@dataclass(frozen=True)
class Standard:
    """One finding of the check: the standard, and the advice that shows it is engaged."""

    id: str
    title: str
    requires: str  # what the standard asks, in our own words
    engaged_by: tuple[str, ...]  # flag or intervention ids
    sources: tuple[str, ...]


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "non_punishment",
        "Non-punishment",
        "A person is not detained, charged, prosecuted or punished for irregular entry or stay, or "
        "for other unlawful acts they were drawn into as a direct consequence of being trafficked. "
        "In Bangladesh, for events up to 5 January 2026, the 2012 Act s.37(1) asks everyone acting under it "
        "to strive that a trafficked person is not charged or punished under that Act or any other law; "
        "the Ordinance No. 5 of 2026 s.54(1), which governs proceedings now as far as possible (s.64(2)), "
        "is narrower: no criminal liability under the Ordinance itself for illegal entry, illegal stay or "
        "false travel documents that were a direct consequence of the trafficking. Beyond that, rely on "
        "the international standards.",
        ("non_punishment",),
        (
            "seed.non_punishment",
            "ohchr.p7",
            "palermo.art2",
            "unodc.wg_2009_non_punishment",
            "coe.art26",
            "actip.art14_7",
            "unodc_model_law.art10",
            "osce.non_punishment_2013",
            "ilo.p29",
            "bd.pshta_2012.s37_1",
            "bd.ordinance_2026.s54_1",
        ),
    ),
    Standard(
        "immigration_detention",
        "No immigration detention",
        "A trafficked person is not held in immigration or police detention for entering or staying "
        "irregularly, nor kept in detention without good reason before, during or after proceedings.",
        ("release_from_immigration_detention",),
        ("seed.non_punishment", "ohchr.g2_5", "ohchr.g4_5", "ohchr.p7", "actip.art14_8", "ohchr.g6_1"),
    ),
    Standard(
        "custody",
        "No custody against the person's will",
        "Shelter is never detention: no placement in safe custody, jail, a remand or vagrant home, "
        "or a facility the person may not leave, without their informed consent.",
        ("stranded_in_custody", "consent_not_respected"),
        (
            "seed.recovery_regressive",
            "ohchr.g6_1",
            "actip.art14_8",
            "coe.art12_7",
            "bd.bsehr_v_bangladesh",
            "bd.nari_shishu_2000.s31",
            "bd.pshta_2012.s2",
        ),
    ),
    Standard(
        "assistance_not_conditional",
        "Assistance not conditional on cooperation",
        "Shelter, care and other help never depend on the person giving evidence or cooperating with "
        "the police or a prosecution.",
        ("unconditional_assistance",),
        ("seed.access_to_justice", "ohchr.p8", "coe.art12_6", "ohchr.g6_1"),
    ),
    Standard(
        "legal_assistance",
        "Legal and other assistance throughout proceedings",
        "Legal and other help for the whole of any case — as a defendant or against the traffickers — "
        "from the report of the crime to the end of the prosecution.",
        ("legal_assistance_throughout",),
        (
            "seed.legal_assistance",
            "ohchr.p9",
            "palermo.art6_2",
            "saarc.art9",
            "bd.pshta_2012.s34",
            "bd.ordinance_2026.s51",
            "bd.oema_2013.s27",
        ),
    ),
    Standard(
        "reflection_period",
        "Recovery and reflection period",
        "Time to recover and to decide calmly, free from the traffickers' influence, whether to take "
        "part in proceedings; no removal during that time.",
        ("reflection_period",),
        ("seed.access_to_justice", "coe.art13", "ohchr.p8"),
    ),
    Standard(
        "voluntary_return",
        "Voluntary and safe return",
        "Return only when safe and, as far as possible, chosen by the person, without undue delay when "
        "they ask for it, and with regard to any pending proceedings.",
        ("reverse_trafficking", "quick_repatriation_on_request", "review_repatriation_decision"),
        (
            "seed.geography",
            "palermo.art8",
            "ohchr.p11",
            "coe.art16",
            "actip.art15",
            "bd.pshta_2012.s33",
            "bd.ordinance_2026.s50",
            "bd.oema_2013.s29",
            "bd.india_mou_2015",
        ),
    ),
    Standard(
        "non_refoulement",
        "Non-refoulement for a person who fears return",
        "No one is sent back to a place where they face persecution, torture or other serious harm; a "
        "person who fears return needs legal advice on protection from return and ways to stay.",
        ("non_refoulement_review",),
        (
            "seed.geography",
            "palermo.art14",
            "ohchr.p11",
            "ohchr.g6_7",
            "palermo.art7",
            "cat.art3",
            "refugee_convention.art33",
        ),
    ),
    Standard(
        "privacy",
        "Privacy and identity",
        "The person's identity, image and story are not made public, in the media or in proceedings.",
        ("confidentiality_risk",),
        (
            "seed.exit_rescue",
            "palermo.art6_1",
            "ohchr.g6_6",
            "actip.art14_6",
            "unodc_model_law.art16",
            "bd.pshta_2012.s37_2",
            "bd.pshta_2012.s25",
            "bd.ordinance_2026.s21",
            "bd.ordinance_2026.s42",
        ),
    ),
    Standard(
        "compensation",
        "Compensation and remedies",
        "A real chance to obtain compensation — including wages owed — and other remedies for the "
        "harm done, whether or not the person takes part in a prosecution.",
        ("compensation_claim",),
        (
            "seed.legal_assistance",
            "palermo.art6_6",
            "ohchr.p17",
            "ilo.p29",
            "bd.pshta_2012.s28",
            "bd.ordinance_2026.s46",
            "bd.ordinance_2026.s56",
            "bd.ordinance_2026.s57",
        ),
    ),
    Standard(
        "retaliation",
        "Protection from retaliation",
        "Protection for the person, and their family, from retaliation and intimidation, with safety "
        "planned before any legal step.",
        ("reprisal_risk",),
        (
            "seed.access_to_justice",
            "coe.art28",
            "palermo.art6_5",
            "ohchr.p9",
            "bd.pshta_2012.s37_3",
            "bd.pshta_2012.s17",
            "bd.ordinance_2026.s54_3",
            "bd.ordinance_2026.s28",
        ),
    ),
    Standard(
        "officials",
        "Officials' involvement",
        "Officials who took part in or covered up the trafficking are investigated and held to account, "
        "and the person is kept out of their reach.",
        ("official_misconduct",),
        ("seed.legal_police_compliance", "ohchr.p2", "ohchr.p6", "untoc.art8_9"),
    ),
)


@dataclass
class Finding:
    standard: Standard
    status: str
    because: list[dict[str, Any]] = field(default_factory=list)  # engaged: the rules that engaged it
    rules: list[RuleCheck] = field(default_factory=list)  # otherwise: what blocks each rule
    missing: list[str] = field(default_factory=list)  # cannot tell yet: the answers it waits for
    changes: list[Change] = field(default_factory=list)  # what would change the answer


def _first_day(value: date | int) -> date:
    return value if isinstance(value, date) else date(value, 1, 1)


def _last_day(value: date | int) -> date:
    return value if isinstance(value, date) else date(value, 12, 31)


def _shown(value: date | int) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def law_in_time(
    source: Source,
    when: date | int | None,
    sources: dict[str, Source],
    texts: Texts | None = None,
    today: date | None = None,
) -> dict[str, Any] | None:
    """Whether a Bangladeshi source governed events on `when` (a date, or a year); None when it
    has no period.

    `in_force_from` and `in_force_until` are the first and last day in force (a year stands for
    its whole length). A year that straddles either end is a changeover ("check"): the note asks
    for the date of the events. A provision not in force at the time of the events but in force
    `today` governs proceedings now, as far as possible (the Ordinance's s.64(2)); one whose
    wording is not verified says to check the current law. The note is in the language of
    `texts` (default English).
    """
    t = texts or Texts(None)
    start, end = source.in_force_from, source.in_force_until
    if source.kind != "national" or (start is None and end is None):
        return None
    if when is None:
        return {"status": "unknown_year", "note": t.message("law.unknown_year")}
    first, last, shown = _first_day(when), _last_day(when), t.number(_shown(when))
    now = today or date.today()
    if start is not None and last < _first_day(start):
        in_force_now = _first_day(start) <= now and (end is None or now <= _last_day(end))
        key = "law.not_yet_now" if in_force_now else "law.not_yet"
        return {"status": "not_in_force", "note": t.message(key, when=shown, start=t.number(_shown(start)))}
    if end is not None and first > _last_day(end):
        successor = sources.get(source.successor or "")
        note = (
            t.message(
                "law.replaced_by", end=t.number(_shown(end)), successor=t.citation(successor.id) or successor.citation()
            )
            if successor
            else t.message("law.replaced", end=t.number(_shown(end)))
        )
        return {"status": "not_in_force", "note": note}
    if (start is not None and first < _first_day(start)) or (end is not None and last > _last_day(end)):
        edge = start if start is not None and first < _first_day(start) else end
        assert edge is not None  # one of the two ends was crossed
        changed = t.number(_shown(edge))
        return {"status": "check", "note": t.message("law.changeover", when=shown, changed=changed)}
    if not source.verified:
        return {"status": "check", "note": t.message("law.unverified", when=shown)}
    return {"status": "applies", "note": t.message("law.applies", when=shown)}


def _citation(source_id: str, when: date | int | None, sources: dict[str, Source], t: Texts) -> dict[str, Any]:
    source = sources[source_id]
    return {
        "source": source_id,
        "citation": t.citation(source_id) or source.citation(),
        "verified": source.verified,
        "law_in_time": law_in_time(source, when, sources, t),
    }


def check(
    assessor: "Assessor", case: Case, assessment: Assessment | None = None, only: Standard | None = None
) -> list[Finding]:
    """Every finding of the legal check for one case (or only one), in the order of STANDARDS."""
    _refuse_other_kinds(case)
    assessment = assessment or assessor.assess(case)
    return [_finding(assessor, case, assessment, standard) for standard in STANDARDS if only in (None, standard)]


def _refuse_other_kinds(case: CaseFile) -> Case:
    if not isinstance(case, Case):
        raise CtmError(f"the legal check is for a survivor case; case '{case.case_id}' is a {case.kind} file")
    return case


def finding(assessor: "Assessor", case: Case, standard_id: str) -> Finding:
    """One finding of the check, by its id (e.g. "non_punishment")."""
    standard = next((s for s in STANDARDS if s.id == standard_id), None)
    if standard is None:
        raise CtmError(f"no finding '{standard_id}' in the legal check (known: {', '.join(s.id for s in STANDARDS)})")
    return check(assessor, case, only=standard)[0]


def _finding(assessor: "Assessor", case: Case, assessment: Assessment, standard: Standard) -> Finding:
    ruleset = assessor.ruleset
    items = [find_item(ruleset, item_id) for item_id in standard.engaged_by]
    present = [item for item in items if produced(assessment, item)]
    if present:
        because = [
            {"item": item.id, "rule": step.rule, "because": step.because}
            for item in present
            for step in why(assessment, ruleset, item.id)
        ]
        return Finding(standard, ENGAGED, because=because)
    rules: dict[str, RuleCheck] = {}
    changes: list[Change] = []
    for item in items:
        result = why_not(assessor, case, item.id, assessment)
        rules.update({r.rule: r for r in result.rules})
        changes += [c for c in result.changes if c.answers not in [k.answers for k in changes]]
    missing = list(
        dict.fromkeys(
            answer
            for r in rules.values()
            if r.status == "cannot_tell_yet"
            for blocker in r.unknown
            for answer in blocker.answers
        )
    )
    if changes:
        fewest = min(len(c.answers) for c in changes)
        changes = [c for c in changes if len(c.answers) == fewest]
    return Finding(
        standard, CANNOT_TELL if missing else NOT_ENGAGED, rules=list(rules.values()), missing=missing, changes=changes
    )


def applicable_law(
    when: date | int | None, sources: dict[str, Source], texts: Texts | None = None, today: date | None = None
) -> dict[str, Any]:
    """Which Bangladeshi trafficking law defined the offence at the time of the events (`when`, a
    date or a year), and which governs proceedings now — in sentences and per instrument."""
    t = texts or Texts(None)
    instruments = [
        {
            "source": sid,
            "citation": t.citation(sid) or sources[sid].citation(),
            **(law_in_time(sources[sid], when, sources, t, today) or {}),
        }
        for sid in TRAFFICKING_LAW
    ]
    if when is None:
        summary = t.message("law.summary_unknown_year")
    else:
        applying = [i for i in instruments if i["status"] in ("applies", "check")]
        checks = any(i["status"] == "check" for i in applying)
        names = t.message("law.or").join(sources[i["source"]].instrument for i in applying) or t.message(
            "law.no_instrument"
        )
        summary = t.message("law.summary", when=t.number(_shown(when)), names=names) + (
            t.message("law.caveat") if checks else ""
        )
    now = today or date.today()
    current = [
        sid
        for sid in TRAFFICKING_LAW
        if (law_in_time(sources[sid], now, sources, t, now) or {}).get("status") == "applies"
    ]
    proceedings = t.message(
        "law.proceedings",
        names=t.message("law.or").join(sources[s].instrument for s in current) or t.message("law.no_instrument"),
    )
    return {
        "events_year": when.year if isinstance(when, date) else when,
        "events_date": when.isoformat() if isinstance(when, date) else None,
        "summary": summary,
        "proceedings": proceedings,
        "instruments": instruments,
    }


def _advice_on_national_law(
    assessment: Assessment, when: date | int | None, sources: dict[str, Source], t: Texts
) -> list[dict[str, Any]]:
    """Every flag and recommendation of the advice that cites Bangladeshi law with a period."""
    found = []
    for kind, entries in (("flag", assessment.flags), ("intervention", assessment.recommendations)):
        for entry in entries:
            item_id = entry.id if isinstance(entry, Flag) else entry.intervention
            for sid in entry.sources:
                law = law_in_time(sources[sid], when, sources, t) if sid in sources else None
                if law:
                    found.append(
                        {
                            "item": item_id,
                            "kind": kind,
                            "rule": entry.rule,
                            "source": sid,
                            "citation": t.citation(sid) or sources[sid].citation(),
                            **law,
                        }
                    )
    return found


def report(assessor: "Assessor", case: CaseFile, texts: Texts | None = None) -> dict[str, Any]:
    """`ctm legal CASE --format json`: the findings, the law in time, and the rule set they came from.

    Ids, statuses and values are the same in every language; what people read (titles, reasons,
    notes, citations) is in the language of `texts` — English, the JSON contract, by default.
    """
    case = _refuse_other_kinds(case)
    t = texts or Texts(assessor.ruleset)
    assessment = assessor.assess(case)
    sources = assessor.ruleset.catalogue.sources
    when = case.legal.events_when
    return {
        "case_id": case.case_id,
        "ruleset": dataclasses.asdict(assessment.ruleset),
        "law_in_time": {
            **applicable_law(when, sources, t),
            "advice": _advice_on_national_law(assessment, when, sources, t),
        },
        "findings": [_finding_data(f, when, sources, t) for f in check(assessor, case, assessment)],
    }


def _finding_data(finding: Finding, when: date | int | None, sources: dict[str, Source], t: Texts) -> dict[str, Any]:
    standard = finding.standard
    english = t.lang == "en"  # the English titles are the JSON contract's, here
    because = [{**b, "because": t.because(b["rule"]) or b["because"]} for b in finding.because]
    return {
        "id": standard.id,
        "title": standard.title if english else t.message(f"legal.{standard.id}.title"),
        "status": finding.status,
        "requires": standard.requires if english else t.message(f"legal.{standard.id}.requires"),
        "engaged_by": list(standard.engaged_by),
        "because": because,
        "rules": [r.to_dict() for r in finding.rules],
        "missing": finding.missing,
        "what_would_change": [c.to_dict() for c in finding.changes],
        "standards": [_citation(sid, when, sources, t) for sid in standard.sources],
    }


def to_markdown(
    data: dict[str, Any],
    questions: dict[str, Any],
    texts: Texts | None = None,
    date: str | None = None,
    case: CaseFile | None = None,
    declined: dict[str, str] | None = None,
) -> str:
    """The legal check for people (`report(..., texts)` in the same language): the case reference,
    date and rule set, a summary table, the answers given and set aside (with `case`, `declined`),
    then each finding with its reasons and sources."""
    from engine.report import answers_markdown

    t = texts or Texts(None)
    ruleset = data["ruleset"]
    lines = [
        f"# {t.message('legal.report_title', case_id=data['case_id'])}",
        "",
        t.message("report.case_ref", case_id=data["case_id"]) + "  ",
        *([t.message("report.date", date=date) + "  "] if date else []),
        t.message("report.ruleset", version=ruleset["version"], digest=ruleset["digest"]),
        "",
        t.message("legal.report_intro"),
        "",
        f"| {t.message('legal.finding')} | {t.message('legal.status')} |",
        "| --- | --- |",
    ]
    lines += [f"| {f['title']} | {_status(t, f)} |" for f in data["findings"]]
    if case is not None or declined:
        lines += answers_markdown(t, case, declined or {})
    law = data["law_in_time"]
    lines += ["", f"## {t.message('legal.law_in_time')}", "", law["summary"], "", law["proceedings"], ""]
    for entry in law["advice"]:
        lines.append(
            "- "
            + t.message(
                "legal.cites", item=entry["item"], rule=entry["rule"], citation=entry["citation"], note=entry["note"]
            )
        )
    for finding in data["findings"]:
        lines += ["", f"## {finding['title']} — {_status(t, finding)}", ""]
        lines += finding_markdown(finding, questions, t)
    lines += [
        "",
        "---",
        t.message("legal.report_footer", version=data["ruleset"]["version"], digest=data["ruleset"]["digest"]),
        "",
    ]
    return "\n".join(lines)


def _status(t: Texts, finding: dict[str, Any]) -> str:
    return t.message(f"status.{finding['status']}")


def finding_markdown(finding: dict[str, Any], questions: dict[str, Any], texts: Texts | None = None) -> list[str]:
    """One finding of `report` as Markdown lines: the standard, why, what is missing, sources."""
    t = texts or Texts(None)
    lines = [f"*{t.message('legal.asks')}* {finding['requires']}", ""]
    lines += [
        "- " + t.message("legal.engaged_by", item=b["item"], rule=b["rule"], because=b["because"])
        for b in finding["because"]
    ]
    for rule in finding["rules"]:
        blocked = [
            f"`{b['condition']}` " + t.message("legal.answer", value=t.fact(b["fact"], b["value"]))
            for b in rule["failed"]
        ]
        blocked += [f"`{b['condition']}` " + t.message("legal.not_known_yet") for b in rule["unknown"]]
        lines.append(
            "- "
            + t.message("legal.rule_state", rule=rule["rule"], state=t.message(f"status.{rule['status']}"))
            + " "
            + "; ".join(blocked)
        )
    if finding["missing"]:
        lines += ["", f"*{t.message('legal.waits_for')}*"]
        lines += [
            f"- {t.get('questions', f, 'prompt') or (questions[f].prompt if f in questions else f)} (`{f}`)"
            for f in finding["missing"]
        ]
    if finding["what_would_change"]:
        lines += ["", t.message("legal.would_change")]
        lines += [
            "- "
            + ", ".join(f"{k} = {t.fact(k, v)}" for k, v in c["answers"].items())
            + " "
            + t.message("legal.by_rule", rule=c["rule"])
            for c in finding["what_would_change"]
        ]
    lines += ["", f"*{t.message('legal.standards')}*"]
    for cited in finding["standards"]:
        note = f" — {cited['law_in_time']['note']}" if cited["law_in_time"] else ""
        lines.append(f"- {cited['citation']}{note}")
    return lines
