"""What every page shares: the rule set (once per process), the session's own assessor, the
caseworker's language (its texts), the quick exit, and the way a question is asked and the
answers are reviewed (the interview and the prevention planner ask alike)."""

import gc
from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.case import allowed_values, field_bounds, field_info
from engine.i18n import LANG_NAMES, LANGS, Texts, default_lang
from engine.infer import Assessor
from engine.rules import RuleSet, load_valid_rules


@st.cache_resource(show_spinner=False)
def ruleset() -> RuleSet:
    """Loaded and compiled once per server process; read-only, shared by all sessions.

    It lives as long as the process, like the code loaded by then: both are frozen out of the
    garbage collector's way, so that a full collection does not walk them again (`ctm ui` also
    turns off Streamlit's full collection after every run of a page)."""
    loaded = load_valid_rules()
    gc.collect()
    gc.freeze()
    return loaded


def assessor() -> Assessor:
    """One engine instance per browser session (experta instances are not thread-safe)."""
    if "assessor" not in st.session_state:
        st.session_state.assessor = Assessor(ruleset())
    return st.session_state.assessor


def lang() -> str:
    """The language of this session's screens: chosen in the sidebar, else CTM_LANG, else English."""
    return st.session_state.setdefault("lang", default_lang())


def texts() -> Texts:
    return Texts(ruleset(), lang())


def left() -> bool:
    return bool(st.session_state.get("left"))


def quick_exit() -> None:
    """Forget everything about this session and show a neutral page (in the same language:
    the language says nothing about a case, and a sudden switch would draw the eye)."""
    kept = lang()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.left = True
    st.session_state.lang = kept


def neutral_page() -> None:
    t = texts()
    st.title(t.message("neutral.title"))
    st.write(t.message("neutral.empty"))
    if st.button(t.message("neutral.new"), key="neutral_new"):
        del st.session_state["left"]
        st.rerun()


def _choose_lang() -> None:
    # A choice made but not saved yet is read now, while its input still has the old words, and
    # set again so that the page shows it in the new ones.
    key = st.session_state.get("ask_key")
    if key is not None and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state.lang = st.session_state.lang_choice


def quick_exit_button() -> None:
    """In the page itself, not the sidebar (folded away on a phone); ui/app.py pins it on screen."""
    t = texts()
    st.button(
        t.message("sidebar.quick_exit"),
        key="quick_exit",
        type="primary",
        on_click=quick_exit,
        help=t.message("sidebar.quick_exit_help"),
    )


def sidebar() -> None:
    t = texts()
    with st.sidebar:
        st.radio(
            t.message("sidebar.language"),
            LANGS,
            index=LANGS.index(lang()),
            format_func=LANG_NAMES.get,
            key="lang_choice",
            on_change=_choose_lang,
            horizontal=True,
        )
        st.caption(t.message("sidebar.privacy"))


def show_sources(t, source_ids: list[str]) -> None:
    """Each source as a citation; in English with its paraphrase, in Bengali with its gloss."""
    for sid in source_ids:
        source = t.ruleset.catalogue.sources.get(sid)
        if source:
            st.markdown(f"- *{t.citation(sid)}*" + (f" — {source.text}" if t.lang == "en" else ""))


def opened(label: str, key: str):
    """An expander whose content is drawn only while it is open: the container, or None while
    it is closed (opening or closing it runs the page)."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def answer_widget(t, path: str, current: Any, key: str, text_hint: str, declines: tuple[str, ...] = ()) -> None:
    """The input for one question, chosen by the field's type. Choosing does not run the page
    (on_change="ignore"): the choice reaches it with the click on "Save answer".

    A list is chosen one answer at a time: no "Select all" or "Select N matches" (select_all),
    and a typed filter matches words as typed, so Enter adds the one first match at most. An
    option "unknown" is not offered beside the "Not known" button, which says the same."""
    kind, is_list = field_info(path)
    options = allowed_values(path)
    if options and "not_known" in declines:
        options = [o for o in options if o != "unknown"]
    shown = lambda value: t.option(path, value)  # noqa: E731
    quiet: dict[str, Any] = {"key": key, "on_change": "ignore"}
    if key in st.session_state:  # a choice not saved yet (kept over a switch of language) stands
        current = None
    if options and is_list:
        st.multiselect(
            t.message("ask.choose_all"),
            options,
            default=current or [],
            format_func=shown,
            select_all=False,
            filter_mode="contains",
            **quiet,
        )
    elif options or kind is bool:
        choices: list[Any] = options or [True, False]
        st.radio(
            t.message("ask.answer"),
            choices,
            index=choices.index(current) if current in choices else None,
            format_func=shown,
            horizontal=not options,
            **quiet,
        )
    elif kind is int:
        low, high = field_bounds(path)
        st.number_input(t.message("ask.answer"), min_value=low, max_value=high, value=current, step=1, **quiet)
    else:
        st.caption(text_hint)
        st.text_input(t.message("ask.answer"), value=current or "", max_chars=200, **quiet)


def ask(
    t, path: str, current: Any, prefix: str, declines: tuple[str, ...], record: Callable[..., None], text_hint: str
) -> None:
    """One question: its input, "Save answer" and each way of not answering, so that an answer
    costs one run of the page. `record(path, value)` or `record(path, declined=reason)` is
    called before that run."""
    st.header(t.question(path), anchor=False)  # h2: under the page's title, above the advice's h3
    if t.get("questions", path, "say"):  # words the caseworker may read aloud to the person
        st.caption(t.message("ask.say", say=t.get("questions", path, "say")))
    if t.get("questions", path, "help"):
        st.caption(t.get("questions", path, "help"))
    if st.session_state.pop("ask_unanswered", None) == path:
        st.warning(t.message("ask.choose_first"))
    key = st.session_state.ask_key = f"{prefix}q_{path}"
    answer_widget(t, path, current, key, text_hint, declines)
    with st.container(horizontal=True):
        st.button(t.message("ask.save"), key=f"{prefix}save", type="primary", on_click=_save, args=(path, key, record))
        for reason in declines:
            st.button(
                t.message(f"decline.{reason}"),
                key=f"{prefix}decline_{reason}",
                on_click=record,
                args=(path,),
                kwargs={"declined": reason},
            )


def _save(path: str, key: str, record: Callable[..., None]) -> None:
    value = st.session_state.get(key)
    if value is None or value == "":  # nothing chosen: asked again (an empty list is the answer "none")
        st.session_state.ask_unanswered = path
    else:
        record(path, value)


def review(t, fields: tuple[str, ...], answers: dict, declined: dict, prefix: str, edit: Callable[[str], None]) -> None:
    """Every answer and every question set aside so far, each with a button to change it (drawn
    only while the list is open: it grows with every answer)."""
    box = opened(t.message("ask.review", answered=len(answers), aside=len(declined)), f"{prefix}review")
    if box is None:
        return
    with box:
        given = [path for path in fields if path in answers or path in declined]
        for number, path in enumerate(given, 1):
            shown = t.message(f"decline.{declined[path]}") if path in declined else t.answer(path, answers[path])
            st.markdown(f"{t.number(number)}. **{t.question(path)}**")
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(shown, width="content")
                # A name of its own for each button, as a screen reader announces it: "Change answer 3";
                # as wide as its words (a narrow column cut them to "Chan…").
                st.button(
                    t.message("ask.change", number=number),
                    key=f"{prefix}change_{path}",
                    on_click=edit,
                    args=(path,),
                    width="content",
                )
