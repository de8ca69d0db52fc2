"""ctm in the browser: `uv run ctm ui`. Thin: it asks, calls the engine, shows what it returned.

Each page lives in its own file beside this one; this file only wires them together and
holds what every page shares: the quick exit and the privacy note.
"""

import streamlit as st

from ui import common

# A calm page: nothing slides, and nothing fades while the page runs (Streamlit dims what it is
# about to redraw). A browser draws such motion frame by frame: with ten sessions at once on
# two cores, that was a good part of the machine's work (bench/load.py).
CALM = """<style>
*, *::before, *::after { transition: none !important; animation: none !important; }
[data-stale="true"], [data-testid="stExpander"] summary, [data-testid="stExpander"] summary > div {
  opacity: 1 !important; }
</style>"""

t = common.texts()
if common.left():  # after the quick exit: a page named like any other, with no list of this tool's pages
    st.set_page_config(page_title=t.message("neutral.title"), layout="wide")
    st.navigation([st.Page(common.neutral_page, title=t.message("neutral.title"))], position="hidden").run()
    st.stop()

st.set_page_config(page_title=t.message("app.title"), layout="wide")
st.html(CALM)
common.sidebar()
PAGES = [
    st.Page("interview.py", title=t.message("nav.interview"), icon=":material/forum:", default=True),
    st.Page("legal.py", title=t.message("nav.legal"), icon=":material/gavel:"),
    st.Page("practice.py", title=t.message("nav.practice"), icon=":material/school:"),
    st.Page("prevention.py", title=t.message("nav.prevention"), icon=":material/shield:"),
    st.Page("coverage.py", title=t.message("nav.coverage"), icon=":material/grid_on:"),
]
st.navigation(PAGES).run()
