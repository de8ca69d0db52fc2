"""End to end in a real browser: `ctm ui` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Completes a whole interview for one invented case, checks the flags and recommendations
shown, opens a "why", resumes from an uploaded case file, downloads the answers, switches the
interview to Bengali, and saves screenshots under the test's tmp dir. .ci/run installs
/usr/bin/chromium and a Bengali font, so this runs in CI.
"""

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright

from engine.case import field_info, parse_case
from engine.i18n import Texts
from engine.infer import default_assessor
from engine.rules import load_valid_rules
from tests.ui_server import CHROMIUM, CHROMIUM_ARGS, running_ui

# The invented case: rescued in a raid, held in safe custody without consent, photographed by the press.
ANSWERS = {
    "location.current": "jail_remand_home", "exit.route": "rescue_raid", "harm.status": "trafficked",
    "recovery.setting": "safe_custody", "recovery.consent": False, "recovery.free_movement": False,
    "legal.detained": True, "legal.charges_linked_to_trafficking": "yes", "legal.media_exposure": True,
    "location.wishes": "return_home", "person.age": 22, "legal.officials_complicit": False,
    "legal.fears_reprisal": False, "legal.wants_prosecution": "undecided", "recovery.months_in_custody": 4,
}
BENGALI = re.compile("[\u0980-\u09ff]")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with running_ui() as (url, _):
        yield url


@pytest.fixture
def page(server):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        page.goto(server)
        yield page
        browser.close()


def _question(page) -> str:
    heading = page.locator("h3").first
    heading.wait_for(timeout=30_000)
    return heading.inner_text().strip()


def _settle(page) -> None:
    """Wait until Streamlit has finished its rerun (its status widget is gone)."""
    page.wait_for_timeout(200)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)


def _choose(page, field: str, value, texts: Texts) -> None:
    """Choose an answer as a caseworker does: by the words on the screen, in the language of `texts`."""
    main = page.get_by_test_id("stMain")  # the sidebar holds a radio group too: the language
    if isinstance(value, int) and not isinstance(value, bool):
        main.get_by_role("spinbutton", name=texts.message("ask.answer")).fill(str(value))
    else:
        main.get_by_role("radiogroup").first.get_by_text(texts.option(field, value), exact=True).click()


def _answer(page, field: str, value, texts: Texts) -> None:
    _choose(page, field, value, texts)  # a form: choosing runs nothing, "Save answer" sends it
    page.get_by_test_id("stMain").get_by_role("button", name=texts.message("ask.save"), exact=True).click()


def test_a_whole_interview_in_the_browser(page, tmp_path):
    english = Texts(load_valid_rules())
    prompts = {q.prompt: q.field for q in load_valid_rules().catalogue.questions.values()}
    asked = []
    for _ in range(60):
        if page.get_by_text("No open question could change the advice.").count():
            break
        question = _question(page)
        field = prompts[question]
        asked.append(field)
        if field in ANSWERS:
            _answer(page, field, ANSWERS[field], english)
        else:
            _settle(page)
            page.get_by_role("button", name="Not known", exact=True).click()
        _settle(page)
        expect(page.locator("h3").first).not_to_have_text(question, timeout=30_000)
    else:
        pytest.fail(f"the interview did not end; asked {asked}")
    first = default_assessor().assess(parse_case({"case_id": "X"})).missing[0]
    assert asked[0] == first and len(asked) == len(set(asked))
    page.screenshot(path=str(tmp_path / "interview-done.png"), full_page=True)

    text = page.locator("body").inner_text()
    for flag in ("Non-punishment applies", "Stranded in custody", "Consent not respected", "Identity exposed"):
        assert flag.lower() in text.lower(), flag
    for label in ("stranded in judicial custody", "photograph"):
        assert label in text.lower(), label

    assert "matched:" not in text  # a why-chain is worked out when it is asked for
    page.get_by_text(english.message("interview.why")).click()
    choose = page.get_by_role("combobox", name=english.message("advice.flag_or_intervention"))
    expect(choose).to_be_visible(timeout=30_000)  # drawn by the run that opening it starts
    _settle(page)
    choose.click()
    page.get_by_role("option").first.click()  # the first flag
    expect(page.get_by_text("matched:").first).to_be_visible(timeout=15_000)
    page.get_by_text("The matrix map: this person's path").click()
    expect(page.get_by_test_id("stGraphVizChart").locator("svg")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(tmp_path / "why-opened.png"), full_page=True)

    page.get_by_text("Save, resume, export").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download answers (YAML)").click()
    saved = yaml.safe_load(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert saved["location"]["current"] == "jail_remand_home" and saved["recovery"]["consent"] is False
    assert "name" not in str(saved)


def test_resume_from_an_uploaded_case_file(page, tmp_path):
    case = tmp_path / "resume.yaml"
    case.write_text("case_id: BROWSER-1\nexit: {route: death}\nlocation: {current: third_country}\n")
    page.get_by_text("Save, resume, export").click()
    page.locator("input[type=file]").set_input_files(str(case))
    page.get_by_role("button", name="Load this case file").click()
    expect(page.get_by_text("funeral", exact=False).first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(tmp_path / "resumed.png"), full_page=True)


def test_the_interview_in_bengali(page, tmp_path, capsys):
    """Switch to বাংলা in the sidebar, answer the first question, and keep a screenshot of it."""
    bengali = Texts(load_valid_rules(), "bn")
    first = default_assessor().assess(parse_case({"case_id": "X"})).missing[0]
    page.get_by_test_id("stSidebar").get_by_text("বাংলা", exact=True).click()
    expect(page.locator("h3").first).to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    _settle(page)
    kind, _ = field_info(first)
    _answer(page, first, True if kind is bool else next(iter(kind)).value, bengali)
    _settle(page)
    expect(page.get_by_text(bengali.message("ask.review", answered=1, aside=0))).to_be_visible(timeout=30_000)
    expect(page.locator("h3").first).not_to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    text = page.locator("body").inner_text()
    assert bengali.message("interview.title") in text and bengali.message("advice.title") in text
    assert len(BENGALI.findall(text)) > 200
    shot = tmp_path / "interview-bengali.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\nBengali interview screenshot: {shot}")


def test_a_choice_not_yet_saved_survives_a_switch_of_language(page):
    english, bengali = Texts(load_valid_rules()), Texts(load_valid_rules(), "bn")
    first = default_assessor().assess(parse_case({"case_id": "X"})).missing[0]
    kind, _ = field_info(first)
    value = True if kind is bool else next(iter(kind)).value
    _settle(page)
    _choose(page, first, value, english)
    page.get_by_test_id("stSidebar").get_by_text("বাংলা", exact=True).click()
    expect(page.locator("h3").first).to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    _settle(page)
    page.get_by_test_id("stMain").get_by_role("button", name=bengali.message("ask.save"), exact=True).click()
    expect(page.get_by_text(bengali.message("ask.review", answered=1, aside=0))).to_be_visible(timeout=30_000)


def test_save_without_a_choice_asks_for_one_and_keeps_the_question(page):
    _settle(page)
    question = _question(page)
    page.get_by_test_id("stMain").get_by_role("button", name="Save answer", exact=True).click()
    expect(page.get_by_text("Choose an answer before saving it")).to_be_visible(timeout=30_000)
    assert _question(page) == question


def test_quick_exit_after_an_answer_leaves_nothing_of_the_tool_on_the_screen(page):
    # An answer reruns only the interview's own part of the page: the quick exit, in the sidebar,
    # must still replace the whole page, its list of pages and the browser tab's title included.
    english = Texts(load_valid_rules())
    _settle(page)
    field = {q.prompt: q.field for q in load_valid_rules().catalogue.questions.values()}[_question(page)]
    _answer(page, field, ANSWERS[field], english)
    expect(page.get_by_text(english.message("ask.review", answered=1, aside=0))).to_be_visible(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_role("button", name=english.message("sidebar.quick_exit")).click()
    expect(page.get_by_text(english.message("neutral.title"), exact=True)).to_be_visible(timeout=30_000)
    _settle(page)
    text = page.get_by_test_id("stApp").inner_text()
    for shown in (english.option(field, ANSWERS[field]), english.message("advice.title"),
                  english.message("nav.interview"), english.message("nav.legal"), "raffick"):
        assert shown not in text
    assert page.get_by_test_id("stSidebar").count() == 0
    assert page.title() == english.message("neutral.title") and "raffick" not in page.url
