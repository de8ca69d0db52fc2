"""What every page shares: the rule set (once per process), the session's own assessor, the
caseworker's language (its texts), and the quick exit."""

import streamlit as st

from engine.i18n import LANG_NAMES, LANGS, Texts, default_lang
from engine.infer import Assessor
from engine.rules import RuleSet, load_valid_rules


@st.cache_resource(show_spinner=False)
def ruleset() -> RuleSet:
    """Loaded and compiled once per server process; read-only, shared by all sessions."""
    return load_valid_rules()


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
    st.session_state.lang = st.session_state.lang_choice


def sidebar() -> None:
    t = texts()
    with st.sidebar:
        st.radio(t.message("sidebar.language"), LANGS, index=LANGS.index(lang()), format_func=LANG_NAMES.get,
                 key="lang_choice", on_change=_choose_lang, horizontal=True)
        st.button(t.message("sidebar.quick_exit"), key="quick_exit", type="primary", on_click=quick_exit,
                  help=t.message("sidebar.quick_exit_help"))
        st.caption(t.message("sidebar.privacy"))


def show_sources(t, source_ids: list[str]) -> None:
    """Each source as a citation; in English with its paraphrase, in Bengali with its gloss."""
    for sid in source_ids:
        source = t.ruleset.catalogue.sources.get(sid)
        if source:
            st.markdown(f"- *{t.citation(sid)}*" + (f" — {source.text}" if t.lang == "en" else ""))
