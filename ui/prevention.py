"""The prevention planner: the first half of the matrix, before any harm.

Two kinds of file: a person thinking of migrating or about to leave (safe-migration
counselling, with the risk of harm and its reasons), and a district or programme area
(prevention and legal action per audience). It behaves like the caseworker's interview: the
next question is the most decisive one the engine lists in `missing`, every question may be
set aside, and every answer can be reviewed and changed.

Session state (this browser session only, never written to disk; `planner_` keeps it apart
from the interview's):
  planner_kind      potential_migrant | community
  planner_answers   {kind: {field: value}}    an empty list is the answer "none"
  planner_declined  {kind: {field: reason}}   not known / prefers not to say / not safe to ask now
  planner_ref       {kind: reference}         pseudonymous, never a name
  planner_editing   a field reopened from the review list
"""

import secrets
from enum import Enum
from typing import Any

import streamlit as st
import yaml

from engine.case import CaseFile, field_info, parse_case
from engine.errors import CtmError
from engine.explain import why
from engine.profiles import FIELDS_BY_KIND
from engine.report import to_markdown
from ui import common

KINDS = {"potential_migrant": "A person thinking of migrating, or about to leave",
         "community": "A district or programme area"}
DECLINE = {"potential_migrant": {"not_known": "Not known", "prefers_not_to_say": "Prefers not to say",
                                 "not_safe_now": "Not safe to ask now"},
           "community": {"not_known": "Not known"}}
SEVERITY_BOX = {"high": st.error, "medium": st.warning, "low": st.info}


def _state() -> Any:
    s = st.session_state
    s.setdefault("planner_answers", {kind: {} for kind in KINDS})
    s.setdefault("planner_declined", {kind: {} for kind in KINDS})
    s.setdefault("planner_ref", {"potential_migrant": f"PM-{secrets.token_hex(3).upper()}",
                                 "community": f"AREA-{secrets.token_hex(3).upper()}"})
    s.setdefault("planner_editing", None)
    return s


def current_file(s, kind: str) -> CaseFile:
    data: dict[str, Any] = {"case_id": s.planner_ref[kind], "kind": kind}
    for path, value in s.planner_answers[kind].items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return parse_case(data)


def _record(s, kind: str, path: str, value: Any = None, declined: str | None = None) -> None:
    s.planner_answers[kind].pop(path, None)
    s.planner_declined[kind].pop(path, None)
    if declined:
        s.planner_declined[kind][path] = declined
    else:
        s.planner_answers[kind][path] = value
    s.planner_editing = None


def ask(s, kind: str, path: str, cat) -> None:
    question = cat.questions.get(path)
    st.subheader(question.prompt if question else path)
    if question and question.help:
        st.caption(question.help)
    value_type, is_list = field_info(path)
    options = [m.value for m in value_type] if isinstance(value_type, type) and issubclass(value_type, Enum) else None
    current = s.planner_answers[kind].get(path)
    key = f"planner_q_{path}"
    if options and is_list:
        value = st.multiselect("Choose all that apply (leave empty for 'none')", options, default=current or [],
                               format_func=common.value_text, key=key)
    elif options:
        value = st.radio("Answer", options, index=options.index(current) if current in options else None,
                         format_func=common.value_text, key=key)
    elif value_type is bool:
        value = st.radio("Answer", [True, False], index=None if current is None else [True, False].index(current),
                         format_func=common.value_text, key=key, horizontal=True)
    elif value_type is int:
        value = st.number_input("Answer", min_value=0, max_value=130, value=current, step=1, key=key)
    else:
        st.caption("A country or district is enough: never a name or an address.")
        value = st.text_input("Answer", value=current or "", max_chars=200, key=key) or None
    cols = st.columns(1 + len(DECLINE[kind]))
    if cols[0].button("Save answer", key="planner_save", type="primary", disabled=value is None and not is_list):
        _record(s, kind, path, value)
        st.rerun()
    for col, (reason, label) in zip(cols[1:], DECLINE[kind].items()):
        if col.button(label, key=f"planner_decline_{reason}"):
            _record(s, kind, path, declined=reason)
            st.rerun()


def next_question(s, kind: str, missing: list[str]) -> str | None:
    if s.planner_editing in FIELDS_BY_KIND[kind]:
        return s.planner_editing
    done = s.planner_answers[kind].keys() | s.planner_declined[kind].keys()
    return next((f for f in missing if f not in done), None)


def review(s, kind: str) -> None:
    answers, declined = s.planner_answers[kind], s.planner_declined[kind]
    with st.expander(f"Answers so far ({len(answers)} answered, {len(declined)} set aside)"):
        for path in FIELDS_BY_KIND[kind]:
            if path not in answers and path not in declined:
                continue
            shown = DECLINE[kind][declined[path]] if path in declined else common.value_text(answers[path])
            left, right = st.columns([5, 1])
            left.markdown(f"**{path}** — {shown}")
            if right.button("Change", key=f"planner_change_{path}"):
                s.planner_editing = path
                st.rerun()


def _sources(cat, source_ids: list[str]) -> None:
    for sid in source_ids:
        source = cat.sources.get(sid)
        if source:
            st.markdown(f"- *{source.citation()}* — {source.text}")


def risk(assessment, ruleset) -> None:
    """The risk of harm for a potential migrant: its level, then every reason with its sources."""
    flag = next((f for f in assessment.flags if f.id == "risk_of_harm"), None)
    if flag is None:
        st.info("No sign of a risk of harm in what is known so far.", icon=":material/check_circle:")
        return
    SEVERITY_BOX[flag.severity](f"**Risk of trafficking harm: {flag.severity}**")
    st.markdown("**Reasons**")
    for chain in why(assessment, ruleset, "risk_of_harm"):
        st.markdown(f"- {chain.because}")
        with st.expander(f"Sources — rule `{chain.rule}`"):
            _sources(ruleset.catalogue, chain.sources)


def advice(assessment, ruleset, kind: str) -> None:
    cat = ruleset.catalogue
    st.subheader("Advice")
    if kind == "potential_migrant":
        risk(assessment, ruleset)
    for flag in assessment.flags:
        if flag.id != "risk_of_harm":
            SEVERITY_BOX[flag.severity](f"**{cat.flags[flag.id].label}** ({flag.severity}) — {flag.because}")
    by_actor: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    if not by_actor:
        st.caption("No recommendation yet for what is known so far.")
    for actor, recs in by_actor.items():
        st.markdown(f"#### {actor.replace('_', ' ').capitalize()}")
        for rec in recs:
            with st.expander(rec.label):
                st.markdown(f"**Why:** {rec.because}")
                _sources(cat, rec.sources)
    if assessment.principles:
        st.markdown("#### Principles that hold throughout")
        for principle in assessment.principles:
            st.markdown(f"- {principle.text}")


def files(s, kind: str, profile: CaseFile, assessment, ruleset) -> None:
    with st.expander("Save and export"):
        ref = st.text_input("Reference (pseudonymous — never a name)", value=s.planner_ref[kind], max_chars=64,
                            key=f"planner_ref_{kind}")
        if ref and ref != s.planner_ref[kind]:
            try:
                parse_case({"case_id": ref, "kind": kind})
            except CtmError as error:
                st.error(f"This reference cannot be used: {error}")
            else:
                s.planner_ref[kind] = ref
                st.rerun()
        st.download_button("Download answers (YAML)", yaml.safe_dump(profile.to_file_dict(), sort_keys=False,
                                                                      allow_unicode=True),
                           file_name=f"{profile.case_id}.yaml", mime="application/yaml", key="planner_download")
        st.download_button("Export report (Markdown)", to_markdown(assessment, ruleset),
                           file_name=f"{profile.case_id}-plan.md", mime="text/markdown", key="planner_download_md")


def clear(s, kind: str) -> None:
    s.planner_answers[kind], s.planner_declined[kind], s.planner_editing = {}, {}, None
    for key in [k for k in s.keys() if str(k).startswith("planner_q_")]:
        del s[key]


def main() -> None:
    s = _state()
    ruleset = common.ruleset()
    st.title("Prevention planner")
    st.caption("Before any harm: counsel a person about safe migration, or plan prevention and legal action for "
               "a district. Every question may be left unanswered.")
    kind = st.radio("Who is this about?", list(KINDS), format_func=KINDS.get, key="planner_kind", horizontal=True)
    profile = current_file(s, kind)
    assessment = common.assessor().assess(profile)
    left, right = st.columns([3, 4], gap="large")
    with left:
        path = next_question(s, kind, assessment.missing)
        if path:
            ask(s, kind, path, ruleset.catalogue)
        else:
            st.success("No open question could change the advice.")
        review(s, kind)
        files(s, kind, profile, assessment, ruleset)
        st.button("Clear all answers", key="planner_clear", on_click=clear, args=(s, kind))
    with right:
        advice(assessment, ruleset, kind)


main()
