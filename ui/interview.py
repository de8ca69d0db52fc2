"""The caseworker's interview: asks only what can change the advice, and explains every piece.

Session state (this browser session only, never written to disk):
  answers   {field: value}        what the person told us (an empty list is the answer "none")
  declined  {field: reason}       not known / prefers not to say / not safe to ask now
  case_id   pseudonymous reference
  editing   a field reopened from the review list
  assessed  (case id, answers, assessment): the advice, worked out once for each set of answers
  changes   (field, the answers before it, the advice before it or None): what the last answer
            changed; the advice before is worked out again if the page never got to show it

Choosing an answer does not run the page: "Save answer" (or a way of not answering) runs it
once. Every element costs the browser time on every run, so what is long or costly to show —
the review list, why and why-not, the files, the matrix map — is drawn only while its
expander is open, and an export is written only when it is downloaded.
"""

import secrets
from datetime import date
from functools import partial
from typing import Any

import streamlit as st

from engine import yamlio
from engine.assessment import Assessment
from engine.case import FIELDS, CaseFile, case_from_answers, parse_case
from engine.errors import CtmError
from engine.explain import why, why_not, why_not_text
from engine.report import URGENCIES, case_file_text, to_html, to_markdown
from ui import common, followup
from ui.matrix_map import matrix_dot

DECLINE = ("not_known", "prefers_not_to_say", "not_safe_now")  # ways of not answering; words: decline.<reason>
SEVERITY_BOX = {"high": st.error, "medium": st.warning, "low": st.info}


def _state() -> Any:
    s = st.session_state
    s.setdefault("answers", {})
    s.setdefault("declined", {})
    s.setdefault("case_id", f"CASE-{secrets.token_hex(3).upper()}")
    s.setdefault("editing", None)
    s.setdefault("changes", None)
    if "loaded_case_id" in s:  # set before the case-reference widget exists in this run
        s.case_id = s.case_ref = s.pop("loaded_case_id")
    return s


def current_case(s) -> CaseFile:
    return case_from_answers(s.case_id, s.answers)


def assess(s) -> Assessment:
    """The advice for the answers so far, worked out once for each set of answers."""
    assessed = s.get("assessed")
    if assessed is None or assessed[:2] != (s.case_id, s.answers):
        s.assessed = (s.case_id, dict(s.answers), common.assessor().assess(current_case(s)))
    return s.assessed[2]


def _record(s, path: str, value: Any = None, declined: str | None = None) -> None:
    """Keep an answer (or a way of not answering), and the advice as it was just before it."""
    assessed = s.get("assessed")
    before = assessed[2] if assessed and assessed[1] == s.answers else None
    s.changes = (path, dict(s.answers), before)
    s.answers.pop(path, None)
    s.declined.pop(path, None)
    if declined:
        s.declined[path] = declined
    else:
        s.answers[path] = value
    s.editing = None
    followup.seen(s, path)
    s.saved = s.get("saved", 0) + 1  # the page then brings "What changed" into view


# After an answer, bring "What changed" into view: on a phone it is below the question (the columns
# stack), where the caseworker would not see it. The count makes each script new, so it runs again.
SHOW_CHANGES = """<script>/* {count} */ requestAnimationFrame(() => {{
  const box = document.querySelector(".st-key-changes");
  if (box) box.scrollIntoView({{block: window.innerWidth < 640 ? "start" : "nearest"}}); }});</script>"""


def _edit(s, path: str) -> None:
    s.editing = path


def next_question(s, missing: list[str]) -> str | None:
    if s.editing:
        return s.editing
    if asked_first := followup.next_field(s, FIELDS):
        return asked_first
    return next((f for f in missing if f not in s.answers and f not in s.declined), None)


def _why(assessment, t, item_id: str) -> None:
    for chain in why(assessment, t.ruleset, item_id):
        _chain(chain, t, 0)


def _chain(step, t, depth: int) -> None:
    facts = "; ".join(f"“{t.question(k)}”: {t.fact(k, v)}" for k, v in step.matched.items())
    st.markdown(
        f"{'&nbsp;' * 4 * depth}↳ {t.message('advice.rule', rule=step.rule)} — {t.because(step.rule)}  \n"
        f"{'&nbsp;' * 4 * depth}*{t.message('advice.matched')}* {facts}"
    )
    if depth == 0:
        common.show_sources(t, step.sources)
    for inner in step.derived_from:
        _chain(inner, t, depth + 1)


def changes_box(s, assessment, t) -> None:
    if not s.changes:
        return
    path, answers_before, before = s.changes
    if before is None:  # the page did not get as far as the advice before this answer
        before = common.assessor().assess(case_from_answers(s.case_id, answers_before))
        s.changes = (path, answers_before, before)
    flags_before = {f.id for f in before.flags}
    recs_before = {r.intervention for r in before.recommendations}
    flags_now = {f.id for f in assessment.flags}
    recs_now = {r.intervention for r in assessment.recommendations}
    flag = lambda f: t.message("advice.flag", label=t.label("flags", f))  # noqa: E731
    lines = [f"\\+ {flag(f)}" for f in sorted(flags_now - flags_before)]  # escaped: not a list's bullet
    lines += [f"− {flag(f)}" for f in sorted(flags_before - flags_now)]
    lines += [f"\\+ {t.label('interventions', r)}" for r in sorted(recs_now - recs_before)]
    lines += [f"− {t.label('interventions', r)}" for r in sorted(recs_before - recs_now)]
    changed = [k for k in assessment.classification if assessment.classification[k] != before.classification[k]]
    lines += [
        f"{t.message(f'classification.{k}')}: {t.fact(k, before.classification[k])} → "
        f"{t.fact(k, assessment.classification[k])}"
        for k in changed
    ]
    st.container(key="changes").info(
        t.message("interview.changed", question=t.question(path))
        + "  \n"
        + ("  \n".join(lines) or t.message("interview.nothing_changed")),
        icon=":material/difference:",
    )


def advice(s, assessment, t) -> None:
    """The advice, in as few elements as it takes: the browser redraws every element on every
    run of the page, so lists are one element each, and why-chains wait until asked for.
    Do first at the top, then what changed, the flags, the rest of the advice for this person by
    urgency; programme-level advice collapsed."""
    st.subheader(t.message("advice.title"))
    do_first_box(assessment, t)
    changes_box(s, assessment, t)
    for flag in assessment.flags:
        SEVERITY_BOX[flag.severity](
            f"**{t.label('flags', flag.id)}** ({t.message(f'severity.{flag.severity}')}) — {t.because(flag.rule)}"
        )
    case_level = [
        r for r in assessment.recommendations if r.level == "case" and r.intervention not in assessment.do_first
    ]
    parts = []
    for urgency in URGENCIES:
        items = [
            f"- {t.label('interventions', r.intervention)} ({t.message(f'actor.{r.actor}')})"
            for r in case_level
            if r.urgency == urgency
        ]
        if items:
            parts.append(f"#### {t.message(f'urgency.{urgency}')}\n" + "\n".join(items))
    if parts:
        st.markdown("\n\n".join(parts))
    programme = [r for r in assessment.recommendations if r.level == "programme"]
    if programme and (box := common.opened(t.message("advice.programme", count=len(programme)), "programme")):
        box.markdown(
            t.message("report.programme_note")
            + "\n\n"
            + "\n".join(
                f"- {t.label('interventions', r.intervention)} ({t.message(f'actor.{r.actor}')})" for r in programme
            )
        )
    st.markdown(
        f"| {t.message('advice.classification')} | {t.message('advice.so_far')} |\n|---|---|\n"
        + "\n".join(
            f"| {t.message(f'classification.{k}')} | {t.fact(k, v)} |" for k, v in assessment.classification.items()
        )
    )
    why_box(assessment, t)
    why_not_box(s, assessment, t)
    if assessment.principles:
        st.markdown(
            f"#### {t.message('advice.rights')}\n"
            + "\n".join(f"- {t.label('principles', principle.id, 'text')}" for principle in assessment.principles)
        )


def do_first_box(assessment, t) -> None:
    """What to do first for this person: at most five steps, each with why it cannot wait."""
    recs = {r.intervention: r for r in assessment.recommendations}
    with st.container(border=True, key="do_first"):
        st.markdown(f"#### {t.message('report.heading.do_first')}")
        if not assessment.do_first:
            st.markdown(t.message("report.no_do_first"))
            return
        st.markdown(
            "\n".join(
                f"{n}. **{t.label('interventions', iid)}** ({t.message(f'actor.{recs[iid].actor}')})  \n"
                f"   {t.get('urgency', recs[iid].urgency_rule, 'because') or t.because(recs[iid].rule)}"
                for n, iid in enumerate(assessment.do_first, start=1)
            )
        )


def why_box(assessment, t) -> None:
    """Why is a flag or an intervention advised? The rules that gave it, the answers they
    matched, and their sources."""
    box = common.opened(t.message("interview.why"), "why")
    if box is None:
        return
    labels = {f.id: t.message("advice.flag", label=t.label("flags", f.id)) for f in assessment.flags}
    labels |= {r.intervention: t.label("interventions", r.intervention) for r in assessment.recommendations}
    with box:
        chosen = st.selectbox(
            t.message("advice.flag_or_intervention"),
            list(labels),
            index=None,
            format_func=labels.__getitem__,
            key="why_item",
        )
        if chosen is not None and chosen in labels:
            _why(assessment, t, chosen)


def why_not_box(s, assessment, t) -> None:
    """Why is something NOT advised? Any flag or intervention of the catalogue, with what
    would change the answer (confirmed by assessing the changed case)."""
    box = common.opened(t.message("interview.why_not"), "why_not")
    if box is None:
        return
    cat = t.ruleset.catalogue
    given = {f.id for f in assessment.flags} | {r.intervention for r in assessment.recommendations}
    choices = [f for f in cat.flags if f not in given] + [i for i in cat.interventions if i not in given]
    labels = {
        **{f: t.message("advice.flag", label=t.label("flags", f)) for f in cat.flags},
        **{i: t.label("interventions", i) for i in cat.interventions},
    }
    with box:
        chosen = st.selectbox(
            t.message("advice.flag_or_intervention"),
            choices,
            index=None,
            format_func=labels.__getitem__,
            key="why_not_item",
        )
        if chosen:
            result = why_not(common.assessor(), current_case(s), chosen, assessment)
            st.markdown(why_not_text(result, t))


def files(s, assessment, t) -> None:
    """Save, resume, export: drawn while open; a file is written only when it is downloaded."""
    box = common.opened(t.message("interview.files"), "files")
    if box is None:
        return
    case = current_case(s)
    with box:
        if "case_ref_error" in s:
            st.error(t.message("interview.bad_reference", wanted=s.case_ref_error, case_id=s.case_id))
        st.text_input(
            t.message("interview.case_ref"),
            value=s.case_id,
            max_chars=64,
            key="case_ref",
            on_change=_set_case_id,
            args=(s,),
        )
        today = date.today().isoformat()
        ruleset, lang, declined = t.ruleset, t.lang, dict(s.declined)
        st.download_button(
            t.message("files.download_yaml"),
            (lambda: followup.history_text(s, ruleset, today))
            if followup.is_history(s)
            else (lambda: case_file_text(case, ruleset, today)),
            file_name=f"{case.case_id}.yaml",
            mime="application/yaml",
            key="download_case",
            on_click="ignore",
        )
        st.download_button(
            t.message("files.export_markdown"),
            lambda: to_markdown(assessment, ruleset, today, lang, case, declined),
            file_name=f"{case.case_id}-assessment.md",
            mime="text/markdown",
            key="download_md",
            on_click="ignore",
        )
        st.download_button(
            t.message("files.export_html"),
            lambda: to_html(assessment, ruleset, today, lang, case, declined),
            file_name=f"{case.case_id}-assessment.html",
            mime="text/html",
            key="download_html",
            on_click="ignore",
        )
        upload = st.file_uploader(
            t.message("interview.upload"), type=["yaml", "yml", "json"], key=f"upload_{s.get('upload_round', 0)}"
        )  # a new key empties it
        if upload is not None and st.button(t.message("interview.load"), key="load_upload"):
            load_answers(s, upload.getvalue(), upload.name, t)
        followup.controls(s, t)


def _set_case_id(s) -> None:
    wanted = s.case_ref.strip()
    try:
        parse_case({"case_id": wanted})
    except CtmError:
        s.case_ref_error = wanted  # shown in the session's language by files()
        return
    s.case_id = wanted
    s.pop("case_ref_error", None)


def load_answers(s, content: bytes, name: str, t) -> None:
    try:
        loaded = parse_case(yamlio.loads(content.decode("utf-8", errors="replace"), name), name)
    except CtmError as error:
        st.error(t.message("files.load_error", error=error))
        return
    if loaded.kind != "survivor_case":
        st.error(t.message("interview.other_kind", kind=t.message(f"kind.{loaded.kind}")))
        return
    answers = {path: list(v) if isinstance(v, tuple) else v for path, v in loaded.answers().items() if v is not None}
    s.answers, s.declined, s.editing, s.changes = answers, {}, None, None
    followup.loaded(s, tuple(visit for visit, _ in loaded.visits))
    s.loaded_case_id = loaded.case_id
    st.rerun()


def clear(s) -> None:
    """Forget the case: answers, the uploaded file, its reference (a new one is drawn)."""
    for key in (
        "answers",
        "declined",
        "editing",
        "changes",
        "assessed",
        "case_id",
        "case_ref",
        "case_ref_error",
        "visits",
        "baseline",
        "followup",
    ):
        s.pop(key, None)
    s.upload_round = s.get("upload_round", 0) + 1
    for key in [k for k in s.keys() if str(k).startswith("q_")]:
        del s[key]


# A fragment: an answer reruns this body only. The sidebar, the navigation and the page's settings
# are neither run nor sent to the browser again, which redraws less (bench/load.py).
@st.fragment
def main() -> None:
    s = _state()
    t = common.texts()
    assessment = assess(s)
    st.title(t.message("interview.title"))
    st.caption(t.message("interview.caption"))
    left, right = st.columns([3, 4], gap="large")
    with left:
        path = next_question(s, assessment.missing)
        if path:
            common.ask(
                t, path, s.answers.get(path), "", DECLINE, partial(_record, s), t.message("interview.no_identifying")
            )
            followup.beside(s, t, path)
        else:
            st.success(t.message("ask.done"))
        common.review(t, FIELDS, s.answers, s.declined, "", partial(_edit, s))
        files(s, assessment, t)
        st.button(t.message("ask.clear"), key="clear", on_click=clear, args=(s,))
    with right:
        advice(s, assessment, t)
    if s.get("saved", 0) != s.get("shown_saved", 0):
        s.shown_saved = s.saved
        st.html(SHOW_CHANGES.format(count=s.saved), unsafe_allow_javascript=True, width=1)
    if box := common.opened(t.message("interview.map"), "map"):
        box.graphviz_chart(matrix_dot(assessment, t), width="stretch")


main()
