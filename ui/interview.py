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


def ask(s, path: str, t) -> None:
    st.subheader(t.get("questions", path, "prompt") or path)
    if t.get("questions", path, "help"):
        st.caption(t.get("questions", path, "help"))
    kind, is_list = field_info(path)
    options = _options(path)
    current = s.answers.get(path)
    key = f"q_{path}"
    shown = lambda value: t.option(path, value)  # noqa: E731
    if options and is_list:
        value = st.multiselect(t.message("ask.choose_all"), options, default=current or [], format_func=shown, key=key)
    elif options:
        value = st.radio(t.message("ask.answer"), options, index=options.index(current) if current in options else None,
                         format_func=shown, key=key)
    elif kind is bool:
        value = st.radio(t.message("ask.answer"), [True, False], index=None if current is None else
                         [True, False].index(current), format_func=shown, key=key, horizontal=True)
    elif kind is int:
        low, high = _bounds(path)
        value = st.number_input(t.message("ask.answer"), min_value=low, max_value=high, value=current, step=1, key=key)
    else:
        st.caption(t.message("interview.no_identifying"))
        value = st.text_input(t.message("ask.answer"), value=current or "", max_chars=200, key=key) or None
    cols = st.columns(4)
    if cols[0].button(t.message("ask.save"), key="save", type="primary", disabled=value is None and not is_list):
        _record(s, path, value)
        st.rerun()
    for col, reason in zip(cols[1:], DECLINE):
        if col.button(t.message(f"decline.{reason}"), key=f"decline_{reason}"):
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


def review(s, t) -> None:
    with st.expander(t.message("ask.review", answered=len(s.answers), aside=len(s.declined))):
        for path in FIELDS:
            if path not in s.answers and path not in s.declined:
                continue
            shown = (t.message(f"decline.{s.declined[path]}") if path in s.declined
                     else t.answer(path, s.answers[path]))
            left, right = st.columns([5, 1])
            left.markdown(f"**{path}** — {shown}")
            if right.button(t.message("ask.change"), key=f"change_{path}"):
                s.editing = path
                st.rerun()


def _why(assessment, t, item_id: str) -> None:
    for chain in why(assessment, t.ruleset, item_id):
        _chain(chain, t, 0)


def _chain(step, t, depth: int) -> None:
    facts = ", ".join(f"{k} = {t.fact(k, v)}" for k, v in step.matched.items())
    st.markdown(f"{'&nbsp;' * 4 * depth}↳ {t.message('advice.rule', rule=step.rule)} — {t.because(step.rule)}  \n"
                f"{'&nbsp;' * 4 * depth}*{t.message('advice.matched')}* {facts}")
    if depth == 0:
        common.show_sources(t, step.sources)
    for inner in step.derived_from:
        _chain(inner, t, depth + 1)


def changes_box(s, assessment, t) -> None:
    if not s.changes or s.changes[1] is None:
        return
    path, before = s.changes
    flags_before = {f.id for f in before.flags}
    recs_before = {r.intervention for r in before.recommendations}
    flags_now = {f.id for f in assessment.flags}
    recs_now = {r.intervention for r in assessment.recommendations}
    flag = lambda f: t.message("advice.flag", label=t.label("flags", f))  # noqa: E731
    lines = [f"+ {flag(f)}" for f in sorted(flags_now - flags_before)]
    lines += [f"− {flag(f)}" for f in sorted(flags_before - flags_now)]
    lines += [f"+ {t.label('interventions', r)}" for r in sorted(recs_now - recs_before)]
    lines += [f"− {t.label('interventions', r)}" for r in sorted(recs_before - recs_now)]
    changed = [k for k in assessment.classification if assessment.classification[k] != before.classification[k]]
    lines += [f"{t.message(f'classification.{k}')}: {t.fact(k, before.classification[k])} → "
              f"{t.fact(k, assessment.classification[k])}" for k in changed]
    question = t.get("questions", path, "prompt") or path
    st.info(t.message("interview.changed", question=question, field=path) + "  \n"
            + ("  \n".join(lines) or t.message("interview.nothing_changed")), icon=":material/difference:")


def advice(s, assessment, t) -> None:
    st.subheader(t.message("advice.title"))
    changes_box(s, assessment, t)
    st.table({"": [t.message(f"classification.{k}") for k in assessment.classification],
              t.message("advice.classification"): [t.fact(k, v) for k, v in assessment.classification.items()]})
    for flag in assessment.flags:
        label = t.label("flags", flag.id)
        SEVERITY_BOX[flag.severity](f"**{label}** ({t.message(f'severity.{flag.severity}')}) — "
                                    f"{t.because(flag.rule)}")
        with st.expander(t.message("advice.why_item", label=label)):
            _why(assessment, t, flag.id)
    by_actor: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    for actor, recs in by_actor.items():
        st.markdown(f"#### {t.message(f'actor.{actor}')}")
        for rec in recs:
            with st.expander(t.label("interventions", rec.intervention)):
                st.markdown(f"**{t.message('advice.why')}** {t.because(rec.rule)}")
                _why(assessment, t, rec.intervention)
    why_not_box(assessment, t)
    if assessment.principles:
        st.markdown(f"#### {t.message('advice.rights')}")
        for principle in assessment.principles:
            st.markdown(f"- {t.label('principles', principle.id, 'text')}")


def why_not_box(assessment, t) -> None:
    """Why is something NOT advised? Any flag or intervention of the catalogue, with what
    would change the answer (confirmed by assessing the changed case)."""
    cat = t.ruleset.catalogue
    given = {f.id for f in assessment.flags} | {r.intervention for r in assessment.recommendations}
    choices = [f for f in cat.flags if f not in given] + [i for i in cat.interventions if i not in given]
    labels = {**{f: t.message("advice.flag", label=t.label("flags", f)) for f in cat.flags},
              **{i: t.label("interventions", i) for i in cat.interventions}}
    with st.expander(t.message("interview.why_not")):
        chosen = st.selectbox(t.message("advice.flag_or_intervention"), choices, index=None, format_func=labels.get,
                              key="why_not_item")
        if chosen:
            result = why_not(common.assessor(), current_case(st.session_state), chosen, assessment)
            st.markdown(why_not_text(result, t))


def files(s, case: Case, assessment, t) -> None:
    with st.expander(t.message("interview.files"), expanded="case_ref_error" in s):
        if "case_ref_error" in s:
            st.error(t.message("interview.bad_reference", wanted=s.case_ref_error, case_id=s.case_id))
        st.text_input(t.message("interview.case_ref"), value=s.case_id, max_chars=64,
                      key="case_ref", on_change=_set_case_id, args=(s,))
        today = date.today().isoformat()
        ruleset = t.ruleset
        st.download_button(t.message("files.download_yaml"), case_file_text(case, ruleset, today),
                           file_name=f"{case.case_id}.yaml", mime="application/yaml", key="download_case")
        st.download_button(t.message("files.export_markdown"), to_markdown(assessment, ruleset, today, t.lang),
                           file_name=f"{case.case_id}-assessment.md", mime="text/markdown", key="download_md")
        st.download_button(t.message("files.export_html"), to_html(assessment, ruleset, today, t.lang),
                           file_name=f"{case.case_id}-assessment.html", mime="text/html", key="download_html")
        upload = st.file_uploader(t.message("interview.upload"), type=["yaml", "yml", "json"],
                                  key=f"upload_{s.get('upload_round', 0)}")  # a new key empties it
        if upload is not None and st.button(t.message("interview.load"), key="load_upload"):
            load_answers(s, upload.getvalue(), upload.name, t)


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
    answers = {path: list(v) if isinstance(v, tuple) else v
               for path, v in loaded.answers().items() if v is not None}
    s.answers, s.declined, s.editing, s.changes = answers, {}, None, None
    s.loaded_case_id = loaded.case_id
    st.rerun()


def clear(s) -> None:
    """Forget the case: answers, the uploaded file, its reference (a new one is drawn)."""
    for key in ("answers", "declined", "editing", "changes", "last_assessment", "case_id", "case_ref",
                "case_ref_error"):
        s.pop(key, None)
    s.upload_round = s.get("upload_round", 0) + 1
    for key in [k for k in s.keys() if str(k).startswith("q_")]:
        del s[key]


def main() -> None:
    s = _state()
    t = common.texts()
    case = current_case(s)
    assessment = common.assessor().assess(case)
    st.title(t.message("interview.title"))
    st.caption(t.message("interview.caption"))
    left, right = st.columns([3, 4], gap="large")
    with left:
        path = next_question(s, assessment.missing)
        if path:
            ask(s, path, t)
        else:
            st.success(t.message("ask.done"))
        review(s, t)
        files(s, case, assessment, t)
        st.button(t.message("ask.clear"), key="clear", on_click=clear, args=(s,))
    with right:
        advice(s, assessment, t)
    with st.expander(t.message("interview.map")):
        st.graphviz_chart(matrix_dot(assessment, t), width="stretch")
    s.last_assessment = assessment


main()
