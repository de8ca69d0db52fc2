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
from functools import partial
from typing import Any

import streamlit as st
import yaml

from engine.case import CaseFile, case_from_answers, parse_case
from engine.errors import CtmError
from engine.explain import why
from engine.profiles import FIELDS_BY_KIND
from engine.report import to_markdown
from ui import common

KINDS = ("potential_migrant", "community")  # words: message planner.kind.<kind>
# The ways of not answering each kind of file offers; words: message decline.<reason>
DECLINE = {"potential_migrant": ("not_known", "prefers_not_to_say", "not_safe_now"), "community": ("not_known",)}
SEVERITY_BOX = {"high": st.error, "medium": st.warning, "low": st.info}


def _state() -> Any:
    s = st.session_state
    s.setdefault("planner_answers", {kind: {} for kind in KINDS})
    s.setdefault("planner_declined", {kind: {} for kind in KINDS})
    s.setdefault(
        "planner_ref",
        {
            "potential_migrant": f"PM-{secrets.token_hex(3).upper()}",
            "community": f"AREA-{secrets.token_hex(3).upper()}",
        },
    )
    s.setdefault("planner_editing", None)
    return s


def current_file(s, kind: str) -> CaseFile:
    return case_from_answers(s.planner_ref[kind], s.planner_answers[kind], kind)


def _record(s, kind: str, path: str, value: Any = None, declined: str | None = None) -> None:
    s.planner_answers[kind].pop(path, None)
    s.planner_declined[kind].pop(path, None)
    if declined:
        s.planner_declined[kind][path] = declined
    else:
        s.planner_answers[kind][path] = value
    s.planner_editing = None


def _edit(s, path: str) -> None:
    s.planner_editing = path


def next_question(s, kind: str, missing: list[str]) -> str | None:
    if s.planner_editing in FIELDS_BY_KIND[kind]:
        return s.planner_editing
    done = s.planner_answers[kind].keys() | s.planner_declined[kind].keys()
    return next((f for f in missing if f not in done), None)


def risk(assessment, t) -> None:
    """The risk of harm for a potential migrant: its level, then every reason with its sources."""
    flag = next((f for f in assessment.flags if f.id == "risk_of_harm"), None)
    if flag is None:
        st.info(t.message("planner.no_risk"), icon=":material/check_circle:")
        return
    SEVERITY_BOX[flag.severity](f"**{t.message('planner.risk', level=t.message(f'severity.{flag.severity}'))}**")
    st.markdown(f"**{t.message('planner.reasons')}**")
    for chain in why(assessment, t.ruleset, "risk_of_harm"):
        st.markdown(f"- {t.because(chain.rule)}")
        with st.expander(t.message("planner.sources_of_rule", rule=chain.rule)):
            common.show_sources(t, chain.sources)


def advice(assessment, t, kind: str) -> None:
    st.subheader(t.message("advice.title"))
    if kind == "potential_migrant":
        risk(assessment, t)
    for flag in assessment.flags:
        if flag.id != "risk_of_harm":
            SEVERITY_BOX[flag.severity](
                f"**{t.label('flags', flag.id)}** ({t.message(f'severity.{flag.severity}')}) — {t.because(flag.rule)}"
            )
    by_actor: dict[str, list] = {}
    for rec in assessment.recommendations:
        by_actor.setdefault(rec.actor, []).append(rec)
    if not by_actor:
        st.caption(t.message("planner.no_recommendation"))
    for actor, recs in by_actor.items():
        st.markdown(f"#### {t.message(f'actor.{actor}')}")
        for rec in recs:
            with st.expander(t.label("interventions", rec.intervention)):
                st.markdown(f"**{t.message('advice.why')}** {t.because(rec.rule)}")
                common.show_sources(t, rec.sources)
    if assessment.principles:
        st.markdown(f"#### {t.message('planner.principles')}")
        for principle in assessment.principles:
            st.markdown(f"- {t.label('principles', principle.id, 'text')}")


def files(s, kind: str, profile: CaseFile, assessment, t) -> None:
    with st.expander(t.message("planner.files")):
        ref = st.text_input(
            t.message("planner.reference"), value=s.planner_ref[kind], max_chars=64, key=f"planner_ref_{kind}"
        )
        if ref and ref != s.planner_ref[kind]:
            try:
                parse_case({"case_id": ref, "kind": kind})
            except CtmError as error:
                st.error(t.message("planner.bad_reference", error=error))
            else:
                s.planner_ref[kind] = ref
                st.rerun()
        ruleset, lang = t.ruleset, t.lang  # the files are written only when one is downloaded
        st.download_button(
            t.message("files.download_yaml"),
            lambda: yaml.safe_dump(profile.to_file_dict(), sort_keys=False, allow_unicode=True),
            file_name=f"{profile.case_id}.yaml",
            mime="application/yaml",
            key="planner_download",
            on_click="ignore",
        )
        st.download_button(
            t.message("files.export_markdown"),
            lambda: to_markdown(assessment, ruleset, lang=lang),
            file_name=f"{profile.case_id}-plan.md",
            mime="text/markdown",
            key="planner_download_md",
            on_click="ignore",
        )


def clear(s, kind: str) -> None:
    s.planner_answers[kind], s.planner_declined[kind], s.planner_editing = {}, {}, None
    for key in [k for k in s.keys() if str(k).startswith("planner_q_")]:
        del s[key]


# A fragment: an answer reruns this body only. The sidebar, the navigation and the page's settings
# are neither run nor sent to the browser again, which redraws less (bench/load.py).
@st.fragment
def main() -> None:
    s = _state()
    t = common.texts()
    st.title(t.message("planner.title"))
    st.caption(t.message("planner.caption"))
    kind = st.radio(
        t.message("planner.who"),
        KINDS,
        format_func=lambda k: t.message(f"planner.kind.{k}"),
        key="planner_kind",
        horizontal=True,
    )
    profile = current_file(s, kind)
    assessment = common.assessor().assess(profile)
    left, right = st.columns([3, 4], gap="large")
    with left:
        path = next_question(s, kind, assessment.missing)
        if path:
            common.ask(
                t,
                path,
                s.planner_answers[kind].get(path),
                "planner_",
                DECLINE[kind],
                partial(_record, s, kind),
                t.message("planner.place_only"),
            )
        else:
            st.success(t.message("ask.done"))
        common.review(
            t, FIELDS_BY_KIND[kind], s.planner_answers[kind], s.planner_declined[kind], "planner_", partial(_edit, s)
        )
        files(s, kind, profile, assessment, t)
        st.button(t.message("ask.clear"), key="planner_clear", on_click=clear, args=(s, kind))
    with right:
        advice(assessment, t, kind)


main()
