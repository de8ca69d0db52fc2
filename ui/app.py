"""ctm in the browser: `uv run ctm ui`. Thin: it asks, calls the engine, shows what it returned.

Each page lives in its own file beside this one; this file only wires them together and
holds what every page shares: the quick exit and the privacy note.

Every page carries the same neutral tab title and icon as the page shown after the quick exit
("Notes"), so that neither the tab nor the browser's history names the tool, and no page loads
anything from another host (a page icon such as ":material/gavel:" is fetched by the browser
from Google's font server to become the tab icon: the pages have none).
"""

import streamlit as st

from ui import common

# A calm page: nothing slides, and nothing fades while the page runs (Streamlit dims what it is
# about to redraw). A browser draws such motion frame by frame: with ten sessions at once on
# two cores, that was a good part of the machine's work (bench/load.py).
# Also: captions and help text dark enough to read (7:1; WCAG AA asks 4.5:1, Streamlit's own
# faded grey gave 2.9:1), and the quick exit pinned on screen — top right, on a phone bottom right.
CALM = """<style>
*, *::before, *::after { transition: none !important; animation: none !important; }
[data-stale="true"], [data-testid="stExpander"] summary, [data-testid="stExpander"] summary > div {
  opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #545454 !important; opacity: 1 !important; }
.st-key-changes { scroll-margin-top: 4rem; }
.st-key-quick_exit { position: fixed; top: 0.6rem; right: 3.5rem; z-index: 1000001; width: auto !important; }
@media (max-width: 640px) {  /* a phone: under the thumb, clear of the header's and the sidebar's buttons */
  .st-key-quick_exit { top: auto; bottom: 1rem; right: 1rem; }
  [data-testid="stMain"] { padding-bottom: 4rem; }
  [data-testid="stMain"] h2 { font-size: 1.4rem; } }
</style>"""
ICON = "📝"  # a neutral tab icon, drawn by the browser itself (an emoji becomes an inline image)

t = common.texts()
if common.left():  # after the quick exit: a page named like any other, with no list of this tool's pages
    st.set_page_config(page_title=t.message("neutral.title"), page_icon=ICON, layout="wide")
    st.navigation([st.Page(common.neutral_page, title=t.message("neutral.title"))], position="hidden").run()
    st.stop()

st.set_page_config(page_title=t.message("neutral.title"), page_icon=ICON, layout="wide")
st.html(CALM)
common.quick_exit_button()  # pinned on screen (CALM): on a phone too, where the sidebar is folded away
common.sidebar()
PAGES = [
    st.Page("interview.py", title=t.message("nav.interview"), default=True),
    st.Page("legal.py", title=t.message("nav.legal")),
    st.Page("practice.py", title=t.message("nav.practice")),
    st.Page("prevention.py", title=t.message("nav.prevention")),
    st.Page("coverage.py", title=t.message("nav.coverage")),
]
st.navigation(PAGES).run()
