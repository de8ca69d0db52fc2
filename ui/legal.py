"""The legal advisor's page: which rights the case engages — and why, or why not.

The case is the interview's (this session's answers) or a case file pasted or loaded here;
nothing is stored. Thin: it calls engine/legal.py and engine/explain.py and shows what they
return, so the page, `ctm legal` and `ctm explain` always agree.
"""

from datetime import date

import streamlit as st

from engine import legal, yamlio
from engine.case import Case, case_from_answers, parse_case
from engine.errors import CtmError
from engine.explain import find_item, produced, why_not, why_not_text, why_report, why_report_text
from engine.report import html_page
from ui import common

STATUS_BOX = {legal.ENGAGED: st.error, legal.CANNOT_TELL: st.warning, legal.NOT_ENGAGED: st.info}
# The choices' values (kept in the session's state) and the words shown for them.
FROM_INTERVIEW, FROM_FILE = "The case in the interview", "A case file"
SOURCE_WORDS = {FROM_INTERVIEW: "legal.from_interview", FROM_FILE: "legal.from_file"}


def interview_case() -> Case:
    """The case the interview holds in this session (engine/case.py validates it)."""
    s = st.session_state
    case = case_from_answers(s.get("case_id") or "INTERVIEW", s.get("answers", {}))
    assert isinstance(case, Case)  # the interview's kind: a survivor case
    return case


def file_case(t) -> Case | None:
    upload = st.file_uploader(t.message("legal.upload"), type=["yaml", "yml", "json"], key="legal_upload")
    text = st.text_area(t.message("legal.paste"), key="legal_paste", height=160, help=t.message("legal.paste_help"))
    content, name = (upload.getvalue().decode("utf-8", errors="replace"), upload.name) if upload else (text, "pasted")
    if not content.strip():
        st.info(t.message("legal.load_or_paste"))
        return None
    try:
        case = parse_case(yamlio.loads(content, name), name)
    except CtmError as error:
        st.error(t.message("files.read_error", error=error))
        return None
    if not isinstance(case, Case):
        st.error(t.message("legal.other_kind", kind=t.message(f"kind.{case.kind}")))
        return None
    return case


def checked(assessor, case: Case, t) -> dict:
    """The legal check of this case, kept for this session while the case and the language stay the same."""
    key = (case.model_dump_json(), t.lang)
    cached = st.session_state.get("legal_report")
    if not cached or cached[0] != key:
        st.session_state.legal_report = (key, legal.report(assessor, case, t))
    return st.session_state.legal_report[1]


def findings(data: dict, t) -> None:
    status = lambda finding: t.message(f"status.{finding['status']}")  # noqa: E731
    st.table(
        {
            t.message("legal.finding"): [f["title"] for f in data["findings"]],
            t.message("legal.status"): [status(f) for f in data["findings"]],
        }
    )
    for finding in data["findings"]:
        STATUS_BOX[finding["status"]](f"**{finding['title']}** — {status(finding)}")
        with st.expander(t.message("advice.why_item", label=finding["title"])):
            st.markdown("\n".join(legal.finding_markdown(finding, t.ruleset.catalogue.questions, t)))


def law_in_time(data: dict, t) -> None:
    law = data["law_in_time"]
    st.header(t.message("legal.law_in_time"))
    st.info(law["summary"], icon=":material/gavel:")
    st.info(law["proceedings"], icon=":material/balance:")
    if law["advice"]:
        with st.expander(t.message("legal.law_advice", count=len(law["advice"]))):
            st.markdown(
                "\n".join(
                    "- "
                    + t.message("legal.cites", item=e["item"], rule=e["rule"], citation=e["citation"], note=e["note"])
                    for e in law["advice"]
                )
            )


def ask_why(assessor, case: Case, assessment, t) -> None:
    """Why, or why not, for any flag or intervention of the catalogue."""
    st.header(t.message("legal.ask"))
    cat = assessor.ruleset.catalogue
    ids = [*cat.flags, *cat.interventions]

    def label(item_id: str) -> str:
        item = find_item(assessor.ruleset, item_id)
        mark = "✓" if produced(assessment, item) else "–"
        section = "flags" if item.kind == "flag" else "interventions"
        return f"{mark} {t.message(f'item.{item.kind}')}: {t.label(section, item.id)} ({item.id})"

    chosen = st.selectbox(t.message("advice.flag_or_intervention"), ids, format_func=label, key="legal_ask")
    item = find_item(assessor.ruleset, chosen)
    if produced(assessment, item):
        st.markdown(why_report_text(why_report(assessment, assessor.ruleset, chosen), t))
    else:
        st.markdown(why_not_text(why_not(assessor, case, chosen, assessment), t))


def main() -> None:
    t = common.texts()
    st.title(t.message("legal.title"))
    st.caption(t.message("legal.caption"))
    source = st.radio(
        t.message("legal.which_case"),
        [FROM_INTERVIEW, FROM_FILE],
        key="legal_source",
        format_func=lambda choice: t.message(SOURCE_WORDS[choice]),
        horizontal=True,
    )
    case = interview_case() if source == FROM_INTERVIEW else file_case(t)
    if case is None:
        return
    if source == FROM_INTERVIEW and not st.session_state.get("answers"):
        st.caption(t.message("legal.no_answers"))
    assessor = common.assessor()
    assessment = assessor.assess(case)
    data = checked(assessor, case, t)
    st.markdown(t.message("legal.case", case_id=case.case_id))
    law_in_time(data, t)
    st.header(t.message("legal.findings"))
    findings(data, t)
    ask_why(assessor, case, assessment, t)
    export(case, data, t, source == FROM_INTERVIEW)


def export(case: Case, data: dict, t, from_interview: bool) -> None:
    """The legal check for the legal advisor's file: Markdown and a printable page, written only
    when downloaded."""
    today = date.today().isoformat()
    declined = dict(st.session_state.get("declined", {})) if from_interview else {}
    text = lambda: legal.to_markdown(data, t.ruleset.catalogue.questions, t, today, case, declined)  # noqa: E731
    title = t.message("legal.report_title", case_id=case.case_id)
    st.download_button(
        t.message("files.export_markdown"),
        text,
        file_name=f"{case.case_id}-legal-check.md",
        mime="text/markdown",
        key="legal_download_md",
        on_click="ignore",
    )
    st.download_button(
        t.message("files.export_html"),
        lambda: html_page(title, text(), t.lang),
        file_name=f"{case.case_id}-legal-check.html",
        mime="text/html",
        key="legal_download_html",
        on_click="ignore",
    )


main()
