"""Practice: a trainee reads a scenario, commits to an answer, then sees the engine's beside it.

Session state (this browser session only):
  practice_attempts  [Feedback]   every graded attempt, for the session summary
  practice_feedback  {id: Feedback} the latest feedback per scenario, shown under its answers
Widgets are keyed per scenario (``practice_<id>_<question>``), so each scenario keeps its own answers.
"""

import streamlit as st

from engine.assessment import CLASSIFICATION
from engine.practice import GRADED, Answer, Feedback, Item, Session, flag_choices, grade
from engine.report import LABELS
from engine.scenarios import Scenario, in_teaching_order, load_scenarios
from ui import common

VERDICT_BOX = {"right": st.success, "missed": st.error, "over": st.warning}
VERDICT_TITLE = {"right": "Right", "missed": "Missed", "over": "Over-recommended"}


@st.cache_resource(show_spinner=False)
def scenarios() -> dict[str, Scenario]:
    return {s.id: s for s in load_scenarios(common.ruleset().catalogue)}


def _state():
    s = st.session_state
    s.setdefault("practice_attempts", [])
    s.setdefault("practice_feedback", {})
    return s


def _answer_form(scenario: Scenario, cat) -> Answer | None:
    key = f"practice_{scenario.id}"
    with st.form(key=f"{key}_form"):
        st.markdown("**Your assessment** — commit to it before you see the engine's.")
        cols = st.columns(2)
        values = {}
        for index, name in enumerate(GRADED):
            values[name] = cols[index % 2].selectbox(
                LABELS[name], CLASSIFICATION[name], index=None, placeholder="Don't know",
                format_func=common.value_text, key=f"{key}_{name}")
        flags = st.multiselect("Flags that apply", flag_choices(common.ruleset()),
                               format_func=lambda f: cat.flags[f].label, key=f"{key}_flags")
        interventions = st.multiselect(
            "Interventions you would recommend (from the catalogue)", list(cat.interventions),
            format_func=lambda i: cat.interventions[i].label, key=f"{key}_interventions")
        if st.form_submit_button("Submit my answers", type="primary", key=f"{key}_submit"):
            return Answer(**values, flags=frozenset(flags), interventions=frozenset(interventions))
    return None


def _cite(sources, cat) -> str:
    return "; ".join(cat.sources[s].citation() if s in cat.sources else s for s in sources) or "—"


def _explain(item: Item, cat) -> None:
    rule = f"rule `{item.rule}` — " if item.rule else ""
    st.caption(f"{rule}{item.because}")
    if item.not_holding:
        st.caption("Not given here, because this did not hold: " + "; ".join(f"`{c}`" for c in item.not_holding))
    st.caption(f"Sources: {_cite(item.sources, cat)}")


def _classification(feedback: Feedback, cat) -> None:
    st.markdown("#### Classification")
    head = st.columns([2, 2, 2, 1])
    head[1].markdown("**You**")
    head[2].markdown("**The engine**")
    for item in feedback.select("classification"):
        row = st.columns([2, 2, 2, 1])
        row[0].markdown(item.label)
        row[1].markdown(common.value_text(item.yours) if item.yours is not None else "*don't know*")
        row[2].markdown(common.value_text(item.engine))
        row[3].markdown(":green[✓ right]" if item.verdict == "right" else ":red[✗ missed]")
        _explain(item, cat)


def _items(feedback: Feedback, part: str, title: str, cat) -> None:
    st.markdown(f"#### {title}")
    if not feedback.select(part):
        st.success("None raised and none chosen: right.")
        return
    columns = st.columns(3)
    for col, verdict in zip(columns, ("right", "missed", "over")):
        items = feedback.select(part, verdict)
        with col:
            st.markdown(f"**{VERDICT_TITLE[verdict]}** ({len(items)})")
            for item in items:
                shown_only = verdict == "missed" and not item.scored  # the engine also advises it: not scored
                box = st.info if shown_only else VERDICT_BOX[verdict]
                box(f"{item.label} (`{item.id}`{' · key' if item.key else ''}{' · not scored' if shown_only else ''})")
                _explain(item, cat)


def show_feedback(feedback: Feedback, cat) -> None:
    won, possible = feedback.points
    st.metric("Score", f"{feedback.score}%", help=f"{won} of {possible} points", border=True)
    _classification(feedback, cat)
    _items(feedback, "flag", "Flags", cat)
    _items(feedback, "intervention", "Interventions", cat)
    st.markdown("#### Learning points")
    st.markdown("\n".join(f"- {point}" for point in feedback.scenario.learning_points))


def show_summary(attempts: list[Feedback]) -> None:
    st.subheader("This session")
    if not attempts:
        st.caption("No scenario answered yet.")
        return
    session = Session(list(attempts))
    st.markdown(f"{len(attempts)} attempt(s), average score **{session.average}%**")
    st.markdown("\n".join(f"- {a.scenario.title} (`{a.scenario.id}`): {a.score}%" for a in attempts))
    areas = session.areas_to_revise()
    if areas:
        st.markdown("**Matrix areas to revise:** " + ", ".join(f"{area} ({n})" for area, n in areas))
    else:
        st.markdown("**Matrix areas to revise:** none — well done.")


def page() -> None:
    s = _state()
    cat = common.ruleset().catalogue
    library = scenarios()
    st.title("Practice")
    st.caption("Invented scenarios for training. Read the story, decide, then compare with the engine and its reasons.")
    chosen = st.selectbox("Scenario", [s.id for s in in_teaching_order(library.values())], key="practice_scenario",
                          format_func=lambda i: f"{library[i].title} ({library[i].difficulty})")
    scenario = library[chosen]
    st.markdown(f"### {scenario.title}")
    st.caption(f"Difficulty: {scenario.difficulty}")
    st.markdown(" ".join(scenario.narrative.split()))
    answer = _answer_form(scenario, cat)
    if answer is not None:
        feedback = grade(scenario, answer, common.assessor())
        s.practice_feedback[scenario.id] = feedback
        s.practice_attempts.append(feedback)
    if scenario.id in s.practice_feedback:
        st.divider()
        show_feedback(s.practice_feedback[scenario.id], cat)
    st.divider()
    show_summary(s.practice_attempts)


page()
