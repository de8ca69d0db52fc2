"""Nothing about a case reaches a log, and the interview writes no file.

Invented, distinctive answers (an origin like "Zx-origin-4471") go through the command line,
the engine and a browser-session interview while every logger is listened to at DEBUG: a
handler on the root logger, pytest's caplog, and a hook on `Logger.handle` that sees records
of loggers that do not propagate (streamlit's, experta's). No record may contain them, and
experta — whose rule watcher would log every fact, answers included — logs nothing at all.
"""

import logging
from pathlib import Path

import pytest
import streamlit.logger
import yaml
from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest

from engine.case import parse_case
from engine.cli import main
from engine.i18n import Texts
from tests.ui_server import CHROMIUM, CHROMIUM_ARGS, running_ui

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "ui" / "app.py")
SECRETS = {"person.origin": "Zx-origin-4471", "person.destination": "Zx-dest-9902", "exit.religion": "Zx-faith-3318"}
CASE_ID = "ZX-CASE-5150"


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def texts(self) -> list[str]:
        return [f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''} {r.stack_info or ''}" for r in self.records]


@pytest.fixture
def logs(caplog, monkeypatch):
    """Every log record made anywhere in the process while the test runs."""
    caplog.set_level(logging.DEBUG)
    on_root, everywhere = Recorder(), Recorder()
    root = logging.getLogger()
    root.addHandler(on_root)
    real_handle = logging.Logger.handle

    def handle(logger, record):
        everywhere.emit(record)
        return real_handle(logger, record)

    monkeypatch.setattr(logging.Logger, "handle", handle)
    yield lambda: on_root.texts() + everywhere.texts() + [caplog.text]
    root.removeHandler(on_root)


def _assert_nothing_about_the_case(texts: list[str]) -> None:
    for secret in [*SECRETS.values(), CASE_ID]:
        leaked = [t for t in texts if secret in t]
        assert not leaked, f"{secret} reached a log: {leaked[:2]}"


def _case_data(**more) -> dict:
    data: dict = {
        "case_id": CASE_ID,
        "legal": {"detained": True, "charges": ["illegal_stay"]},
        "location": {"current": "jail_remand_home"},
        "exit": {"route": "rescue_raid"},
    }
    for path, value in SECRETS.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    for path, value in more.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return data


def test_assessing_a_case_logs_nothing_about_it(logs, assessor, tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(yaml.safe_dump(_case_data()), encoding="utf-8")
    bad.write_text(yaml.safe_dump(_case_data(**{"exit.route": "Zx-route-7781"})), encoding="utf-8")
    assert main(["assess", str(good), "--format", "markdown"]) == 0
    assert main(["assess", str(bad)]) == 2
    assert "Zx-route-7781" in capsys.readouterr().err  # told to the user, who gave it …
    assessment = assessor.assess(parse_case(_case_data()))
    assert assessment.case_id == CASE_ID and assessment.flags  # the engine did run on the case
    texts = logs()
    _assert_nothing_about_the_case(texts)
    assert not [t for t in texts if "Zx-route-7781" in t]  # … but never logged
    assert not [t for t in texts if t.startswith("experta")]


def test_experta_stays_silent_even_when_the_root_logger_is_at_debug(logs, assessor, monkeypatch):
    monkeypatch.setattr(logging.getLogger(), "level", logging.DEBUG)
    for _ in range(3):
        assessor.assess(parse_case(_case_data()))
    assert not [t for t in logs() if t.startswith("experta")]


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Empty HOME, working directory and temp dir; the rule-set cache switched on."""
    dirs = {name: tmp_path / name for name in ("home", "work", "tmp")}
    for directory in dirs.values():
        directory.mkdir()
    monkeypatch.setenv("HOME", str(dirs["home"]))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("CTM_NO_CACHE", "0")
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(dirs["tmp"]))
    monkeypatch.setattr("tempfile.tempdir", str(dirs["tmp"]))
    monkeypatch.chdir(dirs["work"])
    return dirs


@pytest.fixture
def streamlit_at_debug():
    before = streamlit.logger._global_log_level
    streamlit.logger.set_log_level(logging.DEBUG)
    yield
    streamlit.logger.set_log_level(before)


def test_an_interview_logs_nothing_about_the_case_and_writes_no_file(sandbox, logs, streamlit_at_debug, capfd):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.session_state["files"] = True  # "Save, resume, export", opened
    at = at.run().text_input(key="case_ref").set_value(CASE_ID).run()
    first = next(w for w in [*at.radio, *at.number_input] if str(w.key).startswith("q_"))  # the question's own
    at = first.set_value(first.options[0] if hasattr(first, "options") else 30).run()  # the first may ask the age
    at = at.button(key="save").click().run()
    assert len(at.session_state["answers"]) == 1
    # Answers as a resumed case file brings them, then one of them changed through its text box.
    at.session_state["answers"] = {**at.session_state["answers"], **SECRETS, "person.origin": "elsewhere"}
    at = at.run()
    at.session_state["review"] = True  # the list of answers, opened
    at = at.run().button(key="change_person.origin").click().run()
    at = at.text_input(key="q_person.origin").set_value(SECRETS["person.origin"]).run()
    at = at.button(key="save").click().run()
    assert at.session_state["answers"]["person.origin"] == SECRETS["person.origin"]
    assert at.session_state["case_id"] == CASE_ID
    assert len(at.get("download_button")) == 3  # the exports are built, in memory only
    at = at.button(key="clear").click().run()
    at = at.button(key="quick_exit").click().run()
    assert not at.exception

    texts = logs()
    out, err = capfd.readouterr()  # streamlit's own handlers write to the terminal
    _assert_nothing_about_the_case(texts + [out, err])
    assert not [t for t in texts if t.startswith("experta")]

    written = [p for d in sandbox.values() for p in d.rglob("*") if p.is_file()]
    cache = sandbox["home"] / ".cache" / "ctm"
    assert all(p.parent == cache and p.name.startswith("ruleset-") for p in written), written
    for path in written:  # the rule-set cache (when this process had not built it yet): rule data only
        _assert_nothing_about_the_case([path.read_text(encoding="utf-8")])


@pytest.fixture(scope="module")
def server():
    """`ctm ui` on 127.0.0.1, as in tests/test_browser.py (stopped with all it started)."""
    with running_ui() as (url, _):
        yield url


@pytest.mark.browser
def test_clear_forgets_a_case_loaded_from_a_file(server, tmp_path):
    """In a real browser: a case file is uploaded and loaded, then "Clear all answers"."""
    case = tmp_path / "zx-upload.yaml"
    case.write_text(
        f"case_id: {CASE_ID}\nexit: {{route: escape}}\nlegal: {{detained: true}}\n"
        f"person: {{origin: {SECRETS['person.origin']}}}\n",
        encoding="utf-8",
    )
    t = Texts(None)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(server)
        page.get_by_text(t.message("interview.map")).wait_for(timeout=60_000)
        page.get_by_text(t.message("interview.files")).click()
        page.locator("input[type=file]").set_input_files(str(case))
        page.get_by_role("button", name=t.message("interview.load")).click()
        expect(page.get_by_text("3 answered", exact=False)).to_be_visible(timeout=30_000)
        page.get_by_role("button", name=t.message("ask.clear")).click()
        expect(page.get_by_text("0 answered", exact=False)).to_be_visible(timeout=30_000)
        page.wait_for_timeout(500)
        files = page.get_by_test_id("stExpander").filter(has_text=t.message("interview.files"))
        if not files.get_by_role("button", name=t.message("interview.load")).is_visible():
            files.get_by_text(t.message("interview.files")).click()  # open it, if closed
        text = page.locator("body").inner_text()
        still_loadable = page.get_by_role("button", name=t.message("interview.load")).count()
        browser.close()
    assert "zx-upload.yaml" not in text and still_loadable == 0
    assert CASE_ID not in text
