"""Practice: a trainee reads a scenario, commits to an answer, then sees the engine's beside it.

Session state (this browser session only):
  practice_attempts  [Feedback]   every graded attempt, for the session summary
  practice_feedback  {id: Feedback} the latest feedback per scenario, shown under its answers
Widgets are keyed per scenario (``practice_<id>_<question>``), so each scenario keeps its own answers.
"""

from functools import partial

import streamlit as st

from engine.assessment import CLASSIFICATION
from engine.practice import (
    GRADED,
    Answer,
    Feedback,
    Item,
    Session,
    areas_text,
    flag_choices,
    grade,
    item_because,
    item_label,
    not_holding_text,
    points_lines,
    story,
)
from engine.scenarios import Scenario, in_teaching_order, load_scenarios
from ui import common

VERDICT_BOX = {
    "right": st.success,
    "missed": st.error,
    "over": st.warning,
    "matrix": st.info,
}  # titles: message verdict.<verdict>


@st.cache_resource(show_spinner=False)
def scenarios() -> dict[str, Scenario]:
    return {s.id: s for s in load_scenarios(common.ruleset().catalogue)}


def _state():
    s = st.session_state
    s.setdefault("practice_attempts", [])
    s.setdefault("practice_feedback", {})
    return s


def _answer_form(scenario: Scenario, t) -> Answer | None:
    key = f"practice_{scenario.id}"
    cat = t.ruleset.catalogue
    with st.form(key=f"{key}_form"):
        st.markdown(t.message("practice.commit"))
        cols = st.columns(2)
        values = {}
        for index, name in enumerate(GRADED):
            values[name] = cols[index % 2].selectbox(
                t.message(f"classification.{name}"),
                CLASSIFICATION[name],
                index=None,
                placeholder=t.message("practice.dont_know"),
                format_func=partial(t.fact, name),
                key=f"{key}_{name}",
            )
        # One choice at a time: no "Select all" / "Select N matches", and Enter adds one match at most.
        flags = st.multiselect(
            t.message("practice.flags_that_apply"),
            flag_choices(t.ruleset),
            format_func=lambda f: t.label("flags", f),
            key=f"{key}_flags",
            select_all=False,
            filter_mode="contains",
        )
        interventions = st.multiselect(
            t.message("practice.interventions_to_recommend"),
            list(cat.interventions),
            format_func=lambda i: t.label("interventions", i),
            key=f"{key}_interventions",
            select_all=False,
            filter_mode="contains",
        )
        if st.form_submit_button(t.message("practice.submit"), type="primary", key=f"{key}_submit"):
            return Answer(**values, flags=frozenset(flags), interventions=frozenset(interventions))
    return None


def _explain(item: Item, t) -> None:
    rule = t.message("advice.rule", rule=item.rule) + " — " if item.rule else ""
    st.caption(f"{rule}{item_because(item, t)}")
    if item.not_holding:
        st.caption(t.message("practice.not_holding") + " " + not_holding_text(item, t))
    st.caption(t.message("practice.sources", sources=t.cite(item.sources) or "—"))


def _classification(feedback: Feedback, t) -> None:
    st.markdown(f"#### {t.message('practice.classification')}")
    head = st.columns([2, 2, 2, 1])
    head[1].markdown(f"**{t.message('practice.you')}**")
    head[2].markdown(f"**{t.message('practice.the_engine')}**")
    for item in feedback.select("classification"):
        row = st.columns([2, 2, 2, 1])
        row[0].markdown(item_label(item, t))
        row[1].markdown(
            t.fact(item.id, item.yours) if item.yours is not None else f"*{t.message('practice.dont_know')}*"
        )
        row[2].markdown(t.fact(item.id, item.engine))
        row[3].markdown(t.message(f"practice.mark.{item.verdict}"))
        _explain(item, t)


def _items(feedback: Feedback, part: str, t) -> None:
    st.markdown(f"#### {t.message(f'practice.{part}s')}")
    if not feedback.select(part):
        st.success(t.message("practice.none_right"))
        return
    verdicts = ["right", "missed", "over"] + (["matrix"] if feedback.select(part, "matrix") else [])
    columns = st.columns(len(verdicts))
    for col, verdict in zip(columns, verdicts):
        items = feedback.select(part, verdict)
        with col:
            st.markdown(f"**{t.message(f'verdict.{verdict}')}** ({t.number(len(items))})")
            for item in items:
                shown_only = verdict == "missed" and not item.scored  # the engine also advises it: not scored
                box = st.info if shown_only else VERDICT_BOX[verdict]
                marks = (f" · {t.message('practice.key')}" if item.key else "") + (
                    f" · {t.message('practice.not_scored')}" if shown_only else ""
                )
                box(item_label(item, t) + (f" ({marks[3:]})" if marks else ""))
                _explain(item, t)


def show_feedback(feedback: Feedback, t) -> None:
    won, possible = feedback.points
    st.metric(
        t.message("practice.score"),
        t.message("practice.percent", score=feedback.score),
        help=t.message("practice.points", won=won, possible=possible),
        border=True,
    )
    st.markdown(
        f"**{t.message('practice.points.title')}** — {t.message('practice.points', won=won, possible=possible)}"
        "\n" + "\n".join(f"- {line}" for line in points_lines(feedback, t))
    )
    _classification(feedback, t)
    _items(feedback, "flag", t)
    _items(feedback, "intervention", t)
    st.markdown(f"#### {t.message('practice.learning_points')}")
    st.markdown("\n".join(f"- {point}" for point in story(feedback.scenario, t)[2]))


def show_summary(attempts: list[Feedback], t) -> None:
    st.subheader(t.message("practice.this_session"))
    if not attempts:
        st.caption(t.message("practice.no_attempt"))
        return
    session = Session(list(attempts))
    st.markdown(t.message("practice.attempts", count=len(attempts), average=session.average))
    st.markdown(
        "\n".join(
            f"- {story(a.scenario, t)[0]} (`{a.scenario.id}`): {t.message('practice.percent', score=a.score)}"
            for a in attempts
        )
    )
    st.markdown(areas_text(session, t))


def page() -> None:
    s = _state()
    t = common.texts()
    library = scenarios()
    st.title(t.message("practice.title"))
    st.caption(t.message("practice.caption"))
    chosen = st.selectbox(
        t.message("practice.scenario"),
        [s.id for s in in_teaching_order(library.values())],
        key="practice_scenario",
        format_func=lambda i: f"{story(library[i], t)[0]} ({t.message(f'difficulty.{library[i].difficulty}')})",
    )
    scenario = library[chosen]
    title, narrative, _ = story(scenario, t)
    st.markdown(f"### {title}")
    st.caption(t.message("practice.difficulty", difficulty=t.message(f"difficulty.{scenario.difficulty}")))
    st.markdown(" ".join(narrative.split()))
    answer = _answer_form(scenario, t)
    if answer is not None:
        feedback = grade(scenario, answer, common.assessor())
        s.practice_feedback[scenario.id] = feedback
        s.practice_attempts.append(feedback)
    if scenario.id in s.practice_feedback:
        st.divider()
        show_feedback(s.practice_feedback[scenario.id], t)
    st.divider()
    show_summary(s.practice_attempts, t)


page()
