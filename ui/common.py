"""What every page shares: the rule set (once per process), the session's own assessor, the
quick exit, and the widgets that render advice."""

from typing import Any

import streamlit as st

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


def left() -> bool:
    return bool(st.session_state.get("left"))


def quick_exit() -> None:
    """Forget everything about this session and show a neutral page."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.left = True


def neutral_page() -> None:
    st.title("Notes")
    st.write("No notes yet.")
    if st.button("New note", key="neutral_new"):
        del st.session_state["left"]
        st.rerun()


def sidebar() -> None:
    with st.sidebar:
        st.button("Quick exit", key="quick_exit", type="primary", on_click=quick_exit,
                  help="Clears everything on this screen at once and shows a neutral page.")
        st.caption("Nothing about a case is stored by this app: answers live only in this browser "
                   "session until you download them.")


def value_text(value: Any) -> str:
    if value is None:
        return "not known"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v).replace("_", " ") for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")
