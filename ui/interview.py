"""The caseworker's interview: asks only what can change the advice, and explains every piece.

Session state (this browser session only, never written to disk):
  answers   {field: value}        what the person told us (an empty list is the answer "none")
  declined  {field: reason}       not known / prefers not to say / not safe to ask now
  case_id   pseudonymous reference
  editing   a field reopened from the review list
  changes   what the last answer changed in the advice
"""

import secrets
from datetime import date
from enum import Enum
from typing import Any

import streamlit as st

from engine import yamlio
from engine.case import FIELDS, Case, field_info, parse_case
from engine.errors import CtmError
from engine.explain import why, why_not, why_not_text
from engine.report import case_file_text, to_html, to_markdown
from ui import common
from ui.matrix_map import matrix_dot

DECLINE = {"not_known": "Not known", "prefers_not_to_say": "Prefers not to say", "not_safe_now": "Not safe to ask now"}
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


def current_case(s) -> Case:
    data: dict[str, Any] = {"case_id": s.case_id}
    for path, value in s.answers.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return parse_case(data)


def _options(path: str) -> list[Any] | None:
    kind, _ = field_info(path)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [m.value for m in kind]
    return None


def _record(s, path: str, value: Any = None, declined: str | None = None) -> None:
    before = s.get("last_assessment")
    s.answers.pop(path, None)
    s.declined.pop(path, None)
    if declined:
        s.declined[path] = declined
    else:
        s.answers[path] = value
    s.editing = None
    s.changes = (path, before)


def ask(s, path: str, cat) -> None:
    question = cat.questions.get(path)
    st.subheader(question.prompt if question else path)
    if question and question.help:
        st.caption(question.help)
    kind, is_list = field_info(path)
    options = _options(path)
    current = s.answers.get(path)
    key = f"q_{path}"
    if options and is_list:
        value = st.multiselect("Choose all that apply (leave empty for 'none')", options, default=current or [],
                               format_func=common.value_text, key=key)
    elif options:
        value = st.radio("Answer", options, index=options.index(current) if current in options else None,
                         format_func=common.value_text, key=key)
    elif kind is bool:
        value = st.radio("Answer", [True, False], index=None if current is None else [True, False].index(current),
                         format_func=common.value_text, key=key, horizontal=True)
    elif kind is int:
        low, high = _bounds(path)
        value = st.number_input("Answer", min_value=low, max_value=high, value=current, step=1, key=key)
    else:
        st.caption("Never write a name, an address or anything that identifies the person.")
        value = st.text_input("Answer", value=current or "", max_chars=200, key=key) or None
    cols = st.columns(4)
    if cols[0].button("Save answer", key="save", type="primary", disabled=value is None and not is_list):
        _record(s, path, value)
        st.rerun()
    for col, (reason, label) in zip(cols[1:], DECLINE.items()):
        if col.button(label, key=f"decline_{reason}"):
            _record(s, path, declined=reason)
            st.rerun()


def _bounds(path: str) -> tuple[int, int | None]:
    """The number range the case model allows for a field (e.g. age 0-130, year 1950-2100)."""
    section, name = path.split(".")
    metadata = Case.model_fields[section].annotation.model_fields[name].metadata
    low = next((m.ge for m in metadata if hasattr(m, "ge")), 0)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    return low, high


def next_question(s, missing: list[str]) -> str | None:
    if s.editing:
        return s.editing
    return next((f for f in missing if f not in s.answers and f not in s.declined), None)


def review(s) -> None:
    with st.expander(f"Answers so far ({len(s.answers)} answered, {len(s.declined)} set aside)"):
        for path in FIELDS:
            if path not in s.answers and path not in s.declined:
                continue
            shown = DECLINE[s.declined[path]] if path in s.declined else common.value_text(s.answers[path])
            left, right = st.columns([5, 1])
            left.markdown(f"**{path}** — {shown}")
            if right.button("Change", key=f"change_{path}"):
                s.editing = path
                st.rerun()


def _sources(cat, source_ids: list[str]) -> None:
    for sid in source_ids:
        source = cat.sources.get(sid)
        if source:
            st.markdown(f"- *{source.citation()}* — {source.text}")


def _why(assessment, ruleset, item_id: str) -> None:
    for chain in why(assessment, ruleset, item_id):
        _chain(chain, ruleset.catalogue, 0)


def _chain(step, cat, depth: int) -> None:
    facts = ", ".join(f"{k} = {common.value_text(v)}" for k, v in step.matched.items())
    st.markdown(f"{'&nbsp;' * 4 * depth}↳ rule `{step.rule}` — {step.because}  \n"
                f"{'&nbsp;' * 4 * depth}*matched:* {facts}")
    if depth == 0:
        _sources(cat, step.sources)
    for inner in step.derived_from:
        _chain(inner, cat, depth + 1)


def changes_box(s, assessment) -> None:
    if not s.changes or s.changes[1] is None:
        return
    path, before = s.changes
    flags_before = {f.id for f in before.flags}
    recs_before = {r.intervention for r in before.recommendations}
    flags_now = {f.id for f in assessment.flags}
    recs_now = {r.intervention for r in assessment.recommendations}
    lines = [f"+ flag {f}" for f in sorted(flags_now - flags_before)]
    lines += [f"− flag {f}" for f in sorted(flags_before - flags_now)]
    lines += [f"+ {r}" for r in sorted(recs_now - recs_before)]
    lines += [f"− {r}" for r in sorted(recs_before - recs_now)]
    changed = [k for k in assessment.classification if assessment.classification[k] != before.classification[k]]
    lines += [f"{k}: {before.classification[k]} → {assessment.classification[k]}" for k in changed]
    st.info(f"What the answer to **{path}** changed:  \n" + ("  \n".join(lines) or "nothing in the advice"),
            icon=":material/difference:")


def advice(s, assessment, ruleset) -> None:
    cat = ruleset.catalogue
    st.subheader("Advice")
    changes_box(s, assessment)
    st.table({"": [k.replace("_", " ") for k in assessment.classification],
              "classification": [common.value_text(v) for v in assessment.classification.values()]})
    for flag in assessment.flags:
        label = cat.flags[flag.id].label
        SEVERITY_BOX[flag.severity](f"**{label}** ({flag.severity}) — {flag.because}")
        with st.expander(f"Why: {label}"):
            _why(assessment, ruleset, flag.id)
    by_actor: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    for actor, recs in by_actor.items():
        st.markdown(f"#### {actor.replace('_', ' ').capitalize()}")
        for rec in recs:
            with st.expander(rec.label):
                st.markdown(f"**Why:** {rec.because}")
                _why(assessment, ruleset, rec.intervention)
    why_not_box(assessment, ruleset)
    if assessment.principles:
        st.markdown("#### Rights that hold throughout")
        for principle in assessment.principles:
            st.markdown(f"- {principle.text}")


def why_not_box(assessment, ruleset) -> None:
    """Why is something NOT advised? Any flag or intervention of the catalogue, with what
    would change the answer (confirmed by assessing the changed case)."""
    cat = ruleset.catalogue
    given = {f.id for f in assessment.flags} | {r.intervention for r in assessment.recommendations}
    choices = [f for f in cat.flags if f not in given] + [i for i in cat.interventions if i not in given]
    labels = {**{f: "Flag: " + cat.flags[f].label for f in cat.flags},
              **{i: cat.interventions[i].label for i in cat.interventions}}
    with st.expander("Why not …? Ask about any flag or intervention not in the advice"):
        chosen = st.selectbox("Flag or intervention", choices, index=None, format_func=labels.get,
                              key="why_not_item")
        if chosen:
            st.markdown(why_not_text(why_not(common.assessor(), current_case(st.session_state), chosen, assessment)))


def files(s, case: Case, assessment, ruleset) -> None:
    with st.expander("Save, resume, export", expanded="case_ref_error" in s):
        if "case_ref_error" in s:
            st.error(s.case_ref_error)
        st.text_input("Case reference (pseudonymous — never a name)", value=s.case_id, max_chars=64,
                      key="case_ref", on_change=_set_case_id, args=(s,))
        today = date.today().isoformat()
        st.download_button("Download answers (YAML)", case_file_text(case, ruleset, today),
                           file_name=f"{case.case_id}.yaml", mime="application/yaml", key="download_case")
        st.download_button("Export report (Markdown)", to_markdown(assessment, ruleset, today),
                           file_name=f"{case.case_id}-assessment.md", mime="text/markdown", key="download_md")
        st.download_button("Export printable report (HTML)", to_html(assessment, ruleset, today),
                           file_name=f"{case.case_id}-assessment.html", mime="text/html", key="download_html")
        upload = st.file_uploader("Resume from a case file (YAML or JSON)", type=["yaml", "yml", "json"],
                                  key="upload")
        if upload is not None and st.button("Load this case file", key="load_upload"):
            load_answers(s, upload.getvalue(), upload.name)


def _set_case_id(s) -> None:
    wanted = s.case_ref.strip()
    try:
        parse_case({"case_id": wanted})
    except CtmError:
        s.case_ref_error = (f"'{wanted}' cannot be a case reference: use letters, digits, '.', '_' or '-' "
                            "(up to 64), and never a name. The reference stays " + s.case_id + ".")
        return
    s.case_id = wanted
    s.pop("case_ref_error", None)


def load_answers(s, content: bytes, name: str) -> None:
    try:
        loaded = parse_case(yamlio.loads(content.decode("utf-8", errors="replace"), name), name)
    except CtmError as error:
        st.error(f"This file could not be loaded: {error}")
        return
    if loaded.kind != "survivor_case":
        st.error(f"This is a {loaded.kind.replace('_', ' ')} file: open it in the Prevention planner.")
        return
    answers = {path: list(v) if isinstance(v, tuple) else v
               for path, v in loaded.answers().items() if v is not None}
    s.answers, s.declined, s.editing, s.changes = answers, {}, None, None
    s.loaded_case_id = loaded.case_id
    st.rerun()


def clear(s) -> None:
    for key in ("answers", "declined", "editing", "changes", "last_assessment"):
        s.pop(key, None)
    for key in [k for k in s.keys() if str(k).startswith("q_")]:
        del s[key]


def main() -> None:
    s = _state()
    ruleset = common.ruleset()
    case = current_case(s)
    assessment = common.assessor().assess(case)
    st.title("Interview")
    st.caption("Ask only what you need, at the person's pace. Every question may be left unanswered.")
    left, right = st.columns([3, 4], gap="large")
    with left:
        path = next_question(s, assessment.missing)
        if path:
            ask(s, path, ruleset.catalogue)
        else:
            st.success("No open question could change the advice.")
        review(s)
        files(s, case, assessment, ruleset)
        st.button("Clear all answers", key="clear", on_click=clear, args=(s,))
    with right:
        advice(s, assessment, ruleset)
    with st.expander("The matrix map: this person's path"):
        st.graphviz_chart(matrix_dot(assessment, ruleset), width="stretch")
    s.last_assessment = assessment


main()
