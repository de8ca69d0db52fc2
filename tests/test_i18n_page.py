"""The screens in English and Bengali, driven through streamlit's AppTest: the language is
switched in the sidebar at any moment, and never loses an answer or changes the advice."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import legal
from engine.case import field_info
from engine.i18n import Texts

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
BENGALI = re.compile("[\u0980-\u09ff]")
# An invented case: rescued in a raid, now in a remand home, detained and charged.
# (once she is known to be in a jail, whether she is "detained" changes nothing and is not asked: issue 14 §3)
ANSWERS = {"exit.route": "rescue_raid", "location.current": "jail_remand_home", "legal.media_exposure": True}


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _switch(at: AppTest, lang: str) -> AppTest:
    return at.radio(key="lang_choice").set_value(lang).run()


def _asked(at: AppTest) -> str | None:
    """The field of the question on screen (its widget's key is q_<field>)."""
    keys = [w.key for w in [*at.radio, *at.multiselect, *at.number_input, *at.text_input] if w.key]
    return next((k.removeprefix("q_") for k in keys if k.startswith("q_")), None)


def _a_value(field: str):
    kind, _ = field_info(field)
    return True if kind is bool else next(iter(kind)).value


def _tell(at: AppTest, known: dict) -> AppTest:
    """Answer what is known in the order the interview asks, setting the rest aside as "not known"."""
    for _ in range(40):
        if set(known) <= set(at.session_state["answers"]):
            return at
        field = _asked(at)
        if field in known:
            at = at.radio(key=f"q_{field}").set_value(known[field]).run()
            at = at.button(key="save").click().run()
        else:
            at = at.button(key="decline_not_known").click().run()
    raise AssertionError(f"the interview never asked for {set(known) - set(at.session_state['answers'])}")


def test_switching_to_bengali_mid_interview_keeps_every_answer_and_asks_in_bengali(ruleset):
    at = _tell(_app(), {"exit.route": "rescue_raid"})
    at = at.button(key="decline_prefers_not_to_say").click().run()
    while not [r for r in at.radio if r.key == f"q_{_asked(at)}"]:  # a question answered by one choice
        at = at.button(key="decline_not_known").click().run()
    field = _asked(at)
    chosen = _a_value(field)
    at = at.radio(key=f"q_{field}").set_value(chosen).run()  # chosen, not saved yet
    before = {k: at.session_state[k] for k in ("answers", "declined", "case_id")}
    assert before["answers"] == {"exit.route": "rescue_raid"} and before["declined"]

    at = _switch(at, "bn")
    bengali = Texts(ruleset, "bn")
    assert not at.exception and at.session_state["lang"] == "bn"
    assert {k: at.session_state[k] for k in before} == before
    assert at.title[0].value == bengali.message("interview.title")
    assert _asked(at) == field and at.header[0].value == bengali.get("questions", field, "prompt")
    shown = at.radio(key=f"q_{field}").options
    assert shown and all(BENGALI.search(option) for option in shown)
    assert at.radio(key=f"q_{field}").value == chosen  # the choice not yet saved survives the switch too
    assert at.expander[0].label == bengali.message("ask.review", answered=1, aside=len(before["declined"]))

    at = _switch(at, "en")
    assert {k: at.session_state[k] for k in before} == before
    assert at.header[0].value == ruleset.catalogue.questions[field].prompt
    at = at.button(key="save").click().run()
    assert at.session_state["answers"] == {**before["answers"], field: chosen}


def test_an_answer_given_in_bengali_is_kept_when_switching_back(ruleset):
    at = _switch(_app(), "bn")
    field = _asked(at)
    assert field == "location.wishes"  # the person's own wish is asked first (issue 14 §7)
    options = at.radio(key=f"q_{field}").options
    value = _a_value(field)
    at = at.radio(key=f"q_{field}").set_value(value).run()  # values stay the case file's, whatever the words
    assert at.radio(key=f"q_{field}").value == value
    assert options[at.radio(key=f"q_{field}").index] == Texts(ruleset, "bn").option(field, value)
    at = at.button(key="save").click().run()
    at = _switch(at, "en")
    assert at.session_state["answers"] == {field: value} and not at.exception


def test_the_same_interview_in_both_languages_gives_the_same_advice(ruleset):
    english = _tell(_app(), ANSWERS)
    bengali = _tell(_switch(_app(), "bn"), ANSWERS)
    advice = {lang: at.session_state["assessed"][2] for lang, at in (("en", english), ("bn", bengali))}
    ids = lambda a: ([f.id for f in a.flags], [r.intervention for r in a.recommendations], a.classification)  # noqa: E731
    assert ids(advice["bn"]) == ids(advice["en"]) and advice["en"].flags
    words = Texts(ruleset, "bn")
    boxes = " ".join(box.value for box in [*bengali.error, *bengali.warning, *bengali.info])
    for flag in advice["bn"].flags:
        assert f"**{words.label('flags', flag.id)}**" in boxes
        assert words.because(flag.rule) in boxes


@pytest.mark.parametrize(
    "page, title", [("legal.py", "legal.title"), ("practice.py", "practice.title"), ("prevention.py", "planner.title")]
)
def test_every_page_follows_the_language_chosen(page, title, ruleset):
    at = _switch(_app(), "bn")
    at = at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value == Texts(ruleset, "bn").message(title)
    assert at.session_state["lang"] == "bn"


def test_the_legal_check_in_bengali_shows_every_finding_with_its_status_in_bengali(ruleset):
    at = _switch(_app(), "bn")
    at.session_state["answers"] = {
        "harm.status": "trafficked",
        "legal.detained": True,
        "legal.charges": ["illegal_stay"],
    }
    at = at.switch_page("legal.py").run()
    words = Texts(ruleset, "bn")
    statuses = {words.message(f"status.{s}") for s in legal.STATUS_WORDS}
    boxes = [b.value for b in [*at.error, *at.warning, *at.info] if " — " in b.value and b.value.startswith("**")]
    shown = [b.split(" — ", 1)[1] for b in boxes]
    assert len(shown) == len(legal.STANDARDS) and set(shown) <= statuses
    assert f"**{words.message('legal.non_punishment.title')}** — {words.message('status.engaged')}" in boxes


def test_ctm_lang_chooses_the_first_language_of_a_session(monkeypatch, ruleset):
    monkeypatch.setenv("CTM_LANG", "bn")
    at = _app()
    assert at.title[0].value == Texts(ruleset, "bn").message("interview.title")
    assert at.radio(key="lang_choice").value == "bn"


def test_quick_exit_forgets_the_case_but_not_the_language(ruleset):
    at = _tell(_switch(_app(), "bn"), {"exit.route": "rescue_raid"})
    at = at.button(key="quick_exit").click().run()
    assert "answers" not in at.session_state and at.session_state["lang"] == "bn"
    assert at.title[0].value == Texts(ruleset, "bn").message("neutral.title")


# ------------------------------------------------------------ nothing left in English ----

CODE = re.compile(
    r"`[^`]*`|&nbsp;|\b[A-Z]+-[0-9A-F]+\b|\b\w+(?:[._]\w+)+\b|\b[A-Z]{2,}\b|:\w+\["
)  # code, ids, acronyms, colours
NAMES = ("English", "Language", "YAML", "JSON", "HTML", "Markdown", "ctm", "CASE")  # names, not words to translate


def _everything_shown(at: AppTest) -> list[str]:
    shown = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    ]
    shown += [e.label for e in [*at.expander, *at.button, *at.metric]]
    for kind in ("radio", "selectbox", "multiselect", "text_input", "text_area", "number_input"):
        for widget in getattr(at, kind):
            shown += [widget.label, *getattr(widget, "options", [])]
    shown += [e.proto.label for e in at.get("download_button")]
    shown += [str(v) for table in at.table for v in [*table.value.columns, *table.value.to_numpy().ravel()]]
    shown += [label for chart in at.get("graphviz_chart") for label in re.findall(r'label="([^"]*)"', chart.proto.spec)]
    return shown


def _open_every_expander(at: AppTest) -> AppTest:
    """Open every expander that is drawn only while open (its key ends its element id)."""
    for expander in at.expander:
        key = re.fullmatch(r"\$\$ID-[0-9a-f]+-(.+)", expander.proto.id)
        if key:
            at.session_state[key.group(1)] = True
    return at.run()


def _english_left(at: AppTest, ruleset) -> list[tuple[str, list[str]]]:
    official = sorted({s.instrument for s in ruleset.catalogue.sources.values()}, key=len, reverse=True)
    found = []
    for text in _everything_shown(at):
        rest = text
        for name in official:  # citations keep the official name of the instrument
            rest = rest.replace(name, "")
        rest = CODE.sub("", rest)
        words = [w for w in re.findall(r"[A-Za-z]{3,}", rest) if w not in NAMES]
        if words:
            found.append((text[:120], words[:5]))
    return found


def test_no_english_is_left_on_any_bengali_page(ruleset):
    at = _switch(_app(), "bn")
    at.session_state["answers"] = {
        "exit.route": "rescue_raid",
        "location.current": "jail_remand_home",
        "legal.detained": True,
        "legal.charges": ["illegal_stay"],
        "recovery.consent": False,
        "recovery.setting": "safe_custody",
        "recovery.months_in_custody": 3,
    }
    at = _open_every_expander(at.run())  # why, why-not, the map, … are drawn only when opened
    at.selectbox(key="why_item").set_value(at.session_state["assessed"][2].flags[0].id)
    at = at.selectbox(key="why_not_item").set_value("funeral_rites").run()
    matched = Texts(ruleset, "bn").message("advice.matched")
    assert at.get("graphviz_chart") and any(matched in m.value for m in at.markdown)  # all of it is checked
    left = {"interview": _english_left(at, ruleset)}
    at = at.switch_page("legal.py").run()
    at = at.selectbox(key="legal_ask").set_value("reverse_trafficking").run()
    left["legal"] = _english_left(at, ruleset)
    at = at.switch_page("practice.py").run()
    submit = next(b.key for b in at.button if b.key and b.key.endswith("_submit"))
    at = at.button(key=submit).click().run()
    left["practice"] = _english_left(at, ruleset)
    at = at.switch_page("prevention.py").run()
    left["planner, migrant"] = _english_left(at, ruleset)
    at = at.radio(key="planner_kind").set_value("community").run()
    left["planner, district"] = _english_left(at, ruleset)
    assert not at.exception
    assert {page: found for page, found in left.items() if found} == {}
