"""The legal advisor's page: which rights the case engages — and why, or why not.

The case is the interview's (this session's answers) or a case file pasted or loaded here;
nothing is stored. Thin: it calls engine/legal.py and engine/explain.py and shows what they
return, so the page, `ctm legal` and `ctm explain` always agree.
"""

from typing import Any

import streamlit as st

from engine import legal, yamlio
from engine.case import Case, parse_case
from engine.errors import CtmError
from engine.explain import find_item, produced, why_not, why_not_text, why_report, why_report_text
from ui import common

STATUS_BOX = {legal.ENGAGED: st.error, legal.CANNOT_TELL: st.warning, legal.NOT_ENGAGED: st.info}
FROM_INTERVIEW, FROM_FILE = "The case in the interview", "A case file"


def interview_case() -> Case:
    """The case the interview holds in this session (engine/case.py validates it)."""
    s = st.session_state
    data: dict[str, Any] = {"case_id": s.get("case_id") or "INTERVIEW"}
    for path, value in s.get("answers", {}).items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return parse_case(data)


def file_case() -> Case | None:
    upload = st.file_uploader("Load a case file (YAML or JSON)", type=["yaml", "yml", "json"], key="legal_upload")
    text = st.text_area("…or paste one", key="legal_paste", height=160,
                        help="Only the pseudonymous case_id — never a name, an address or a photograph.")
    content, name = (upload.getvalue().decode("utf-8", errors="replace"), upload.name) if upload else (text, "pasted")
    if not content.strip():
        st.info("Load or paste a case file to check it.")
        return None
    try:
        case = parse_case(yamlio.loads(content, name), name)
    except CtmError as error:
        st.error(f"This case file could not be read: {error}")
        return None
    if case.kind != "survivor_case":
        st.error(f"The legal check is for a survivor case; this file is a {case.kind.replace('_', ' ')} file.")
        return None
    return case


def checked(assessor, case: Case) -> dict:
    """The legal check of this case, kept for this session while the case stays the same."""
    key = case.model_dump_json()
    cached = st.session_state.get("legal_report")
    if not cached or cached[0] != key:
        st.session_state.legal_report = (key, legal.report(assessor, case))
    return st.session_state.legal_report[1]


def findings(data: dict, questions) -> None:
    st.table({"finding": [f["title"] for f in data["findings"]],
              "status": [legal.STATUS_WORDS[f["status"]] for f in data["findings"]]})
    for finding in data["findings"]:
        STATUS_BOX[finding["status"]](f"**{finding['title']}** — {legal.STATUS_WORDS[finding['status']]}")
        with st.expander(f"Why: {finding['title']}"):
            st.markdown("\n".join(legal.finding_markdown(finding, questions)))


def law_in_time(data: dict) -> None:
    law = data["law_in_time"]
    st.subheader("Law in time")
    st.info(law["summary"], icon=":material/gavel:")
    if law["advice"]:
        with st.expander(f"Advice that rests on Bangladeshi law ({len(law['advice'])})"):
            st.markdown("\n".join(f"- `{e['item']}` cites {e['citation']}: {e['note']}" for e in law["advice"]))


def ask_why(assessor, case: Case, assessment) -> None:
    """Why, or why not, for any flag or intervention of the catalogue."""
    st.subheader("Why — or why not — for any flag or intervention")
    cat = assessor.ruleset.catalogue
    ids = [*cat.flags, *cat.interventions]

    def label(item_id: str) -> str:
        item = find_item(assessor.ruleset, item_id)
        mark = "✓" if produced(assessment, item) else "–"
        return f"{mark} {item.kind}: {item.label} ({item.id})"

    chosen = st.selectbox("Flag or intervention", ids, format_func=label, key="legal_ask")
    item = find_item(assessor.ruleset, chosen)
    if produced(assessment, item):
        st.markdown(why_report_text(why_report(assessment, assessor.ruleset, chosen)))
    else:
        st.markdown(why_not_text(why_not(assessor, case, chosen, assessment)))


def main() -> None:
    st.title("Legal check")
    st.caption("Non-punishment and the other rights at stake, on what is known so far. Unknown stays unknown; "
               "decision support only — check every standard against its current text.")
    source = st.radio("Which case?", [FROM_INTERVIEW, FROM_FILE], key="legal_source", horizontal=True)
    case = interview_case() if source == FROM_INTERVIEW else file_case()
    if case is None:
        return
    if source == FROM_INTERVIEW and not st.session_state.get("answers"):
        st.caption("The interview has no answers yet: every finding waits for them.")
    assessor = common.assessor()
    assessment = assessor.assess(case)
    data = checked(assessor, case)
    st.markdown(f"Case **{case.case_id}**")
    law_in_time(data)
    st.subheader("Findings")
    findings(data, assessor.ruleset.catalogue.questions)
    ask_why(assessor, case, assessment)


main()
