"""End to end in a real browser: `ctm ui` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Completes a whole interview for one invented case, checks the flags and recommendations
shown, opens a "why", resumes from an uploaded case file, downloads the answers, switches the
interview to Bengali, and saves screenshots under the test's tmp dir (and in $CTM_SCREENS, when
set). .ci/run installs /usr/bin/chromium and a Bengali font, so this runs in CI.

Every page the tests open may ask for nothing from any host but the one serving it: each
request is watched, one to another host is refused and fails the test. axe-core
(tests/vendor/axe.min.js) checks the Interview, Legal check and Coverage pages.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright

from engine.case import FIELDS, field_info, load_case, parse_case
from engine.i18n import Texts
from engine.infer import default_assessor
from engine.rules import load_valid_rules
from tests.ui_server import CHROMIUM, CHROMIUM_ARGS, running_ui

# The invented case: rescued in a raid, held in safe custody without consent, photographed by the press.
ANSWERS = {
    "location.current": "jail_remand_home",
    "exit.route": "rescue_raid",
    "harm.status": "trafficked",
    "recovery.setting": "safe_custody",
    "recovery.consent": False,
    "recovery.free_movement": False,
    "legal.detained": True,
    "legal.charges_linked_to_trafficking": "yes",
    "legal.media_exposure": True,
    "location.wishes": "return_home",
    "person.age": 22,
    "legal.officials_complicit": False,
    "legal.fears_reprisal": False,
    "legal.wants_prosecution": "undecided",
    "recovery.months_in_custody": 4,
}
BENGALI = re.compile("[\u0980-\u09ff]")
DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RAW_ID = re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in FIELDS) + r")(?![\w])")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with running_ui() as (url, _):
        yield url


def _browse(server, viewport):
    """A page on `server`; every request to another host is refused and noted in page.outside."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    own = urlparse(server).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        outside: list[str] = []

        def watch(route):
            url = route.request.url
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != own:
                outside.append(url)
                return route.abort()
            return route.continue_()

        context.route("**/*", watch)
        page = context.new_page()
        page.outside = outside
        page.goto(server)
        yield page
        browser.close()
        assert outside == [], f"requests to another host: {outside}"


@pytest.fixture
def page(server):
    yield from _browse(server, DESKTOP)


@pytest.fixture
def phone(server):
    yield from _browse(server, PHONE)


def _keep(shot: Path) -> None:
    """A screenshot also kept in $CTM_SCREENS (for a person to look at), when that is set."""
    if os.environ.get("CTM_SCREENS"):
        Path(os.environ["CTM_SCREENS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(os.environ["CTM_SCREENS"]) / shot.name)


def _no_raw_ids(page) -> None:
    """No field id (`location.wishes`, `legal.events_year`) anywhere on the screen."""
    found = RAW_ID.findall(page.locator("body").inner_text())
    assert not found, f"ids on the screen: {sorted(set(found))}"


def _axe(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(" | ")}`)""")
    return found


def _on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        bool(box)
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def _sample(field: str):
    """An answer to the first question, whatever its kind (the first is the person's age)."""
    kind, _ = field_info(field)
    return ANSWERS.get(field, True if kind is bool else 30 if kind is int else next(iter(kind)).value)


def _question(page) -> str:
    heading = page.locator("h2").first
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
        # the next question, or none (the interview's end): either way this one is gone
        expect(page.locator("h2", has_text=question)).to_have_count(0, timeout=30_000)
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
    page.get_by_text(re.compile("^Answers so far")).click()
    expect(page.get_by_role("button", name=english.message("ask.change", number=1), exact=True)).to_be_visible(
        timeout=30_000
    )
    _settle(page)
    _no_raw_ids(page)  # the review list, the advice and a why-chain, in words
    change = page.get_by_role("button", name=english.message("ask.change", number=1), exact=True)
    assert change.evaluate("b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth + 1)"), (
        "the Change button's words are cut off"
    )
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
    expect(page.locator("h2").first).to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    _settle(page)
    _answer(page, first, _sample(first), bengali)
    _settle(page)
    expect(page.get_by_text(bengali.message("ask.review", answered=1, aside=0))).to_be_visible(timeout=30_000)
    expect(page.locator("h2").first).not_to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    text = page.locator("body").inner_text()
    _no_raw_ids(page)
    assert bengali.message("interview.title") in text and bengali.message("advice.title") in text
    assert len(BENGALI.findall(text)) > 200
    shot = tmp_path / "interview-bengali.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\nBengali interview screenshot: {shot}")


def test_a_choice_not_yet_saved_survives_a_switch_of_language(page):
    english, bengali = Texts(load_valid_rules()), Texts(load_valid_rules(), "bn")
    first = default_assessor().assess(parse_case({"case_id": "X"})).missing[0]
    value = _sample(first)
    _settle(page)
    _choose(page, first, value, english)
    page.get_by_test_id("stSidebar").get_by_text("বাংলা", exact=True).click()
    expect(page.locator("h2").first).to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
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
    page.get_by_role("button", name=english.message("sidebar.quick_exit")).click()
    expect(page.get_by_text(english.message("neutral.title"), exact=True)).to_be_visible(timeout=30_000)
    _settle(page)
    text = page.get_by_test_id("stApp").inner_text()
    for shown in (
        english.option(field, ANSWERS[field]),
        english.message("advice.title"),
        english.message("nav.interview"),
        english.message("nav.legal"),
        "raffick",
    ):
        assert shown not in text
    assert page.get_by_test_id("stSidebar").count() == 0
    assert page.title() == english.message("neutral.title") and "raffick" not in page.url


def test_every_page_has_a_neutral_tab_and_asks_nothing_of_another_host(page, server):
    """The tab's title and icon name nothing (the history keeps them), and no page loads anything
    from elsewhere (the `page` fixture fails the test on any request to another host)."""
    english = Texts(load_valid_rules())
    for link in ("", "legal", "practice", "prevention", "coverage"):
        page.goto(f"{server}/{link}")
        expect(page.locator("h1").first).to_be_visible(timeout=60_000)
        if link == "coverage":
            page.locator(".ctm-heat").first.wait_for(timeout=600_000)
        _settle(page)
        assert page.title() == english.message("neutral.title"), link
        _no_raw_ids(page)
        icon = page.evaluate("document.querySelector('link[rel~=icon]')?.href || ''")
        assert icon.startswith(("data:", server)), icon
    assert page.outside == []


def test_on_a_phone_quick_exit_stays_on_screen_and_an_answer_shows_what_changed(phone, tmp_path):
    english = Texts(load_valid_rules())
    quick_exit = phone.get_by_role("button", name=english.message("sidebar.quick_exit"))
    _settle(phone)
    assert _on_screen(phone, quick_exit)
    field = {q.prompt: q.field for q in load_valid_rules().catalogue.questions.values()}[_question(phone)]
    _choose(phone, field, ANSWERS[field], english)
    phone.get_by_test_id("stMain").get_by_role("button", name=english.message("ask.save"), exact=True).click()
    changes = phone.locator(".st-key-changes")
    expect(changes).to_be_visible(timeout=30_000)
    _settle(phone)
    phone.wait_for_timeout(300)
    assert _on_screen(phone, changes.get_by_text("What the answer to")), "What changed is not in view after Save"
    assert _on_screen(phone, quick_exit)
    shot = tmp_path / "phone-what-changed-en.png"
    phone.screenshot(path=str(shot))
    _keep(shot)
    phone.mouse.wheel(0, 5000)  # far down the page: the quick exit is still there
    phone.wait_for_timeout(300)
    assert _on_screen(phone, quick_exit)
    quick_exit.click()
    expect(phone.get_by_text(english.message("neutral.title"), exact=True)).to_be_visible(timeout=30_000)


def test_on_a_phone_in_bengali_quick_exit_is_on_screen(phone, tmp_path):
    bengali = Texts(load_valid_rules(), "bn")
    phone.get_by_test_id("stSidebarCollapsedControl").or_(phone.get_by_test_id("stExpandSidebarButton")).first.click()
    phone.get_by_test_id("stSidebar").get_by_text("বাংলা", exact=True).click()
    first = default_assessor().assess(parse_case({"case_id": "X"})).missing[0]
    expect(phone.locator("h2").first).to_have_text(bengali.get("questions", first, "prompt"), timeout=30_000)
    _settle(phone)
    phone.keyboard.press("Escape")
    quick_exit = phone.get_by_role("button", name=bengali.message("sidebar.quick_exit"))
    if phone.get_by_test_id("stSidebar").is_visible():
        phone.get_by_test_id("stSidebar").get_by_role("button").first.click()  # fold the sidebar again
        phone.wait_for_timeout(300)
    assert _on_screen(phone, quick_exit)
    _no_raw_ids(phone)
    shot = tmp_path / "phone-bengali.png"
    phone.screenshot(path=str(shot))
    _keep(shot)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(server, size, tmp_path):
    for page in _browse(server, DESKTOP if size == "desktop" else PHONE):
        found = {}
        # each page's last element: axe reads the page once it is drawn to the end
        for link, ready in (("", "h2"), ("legal", ".st-key-legal_download_html"), ("coverage", ".ctm-heat")):
            page.goto(f"{server}/{link}")
            page.locator(ready).first.wait_for(timeout=600_000)
            _settle(page)
            found[link or "interview"] = _axe(page)
            if found[link or "interview"]:  # read again once: a page caught mid-redraw on a loaded machine
                _settle(page)
                page.wait_for_timeout(1000)
                found[link or "interview"] = _axe(page)
        assert found == {"interview": [], "legal": [], "coverage": []}


def test_the_interview_works_with_the_keyboard_alone(page):
    """Tab to the first answer, choose it with the arrow keys, Tab on to "Save answer", press Enter."""
    english = Texts(load_valid_rules())
    _settle(page)
    question = _question(page)
    main = page.get_by_test_id("stMain")
    main.get_by_role("radiogroup").first.get_by_role("radio").first.focus()  # where Tab from the top arrives
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText") == english.message("ask.save"):
            break
    else:
        pytest.fail("Tab never reached Save answer")
    page.keyboard.press("Shift+Tab")  # back to the answers: arrows choose one
    for _ in range(5):
        if page.evaluate("document.activeElement.type") == "radio":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.innerText") != english.message("ask.save"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text(english.message("ask.review", answered=1, aside=0))).to_be_visible(timeout=30_000)
    expect(page.locator("h2").first).not_to_have_text(question, timeout=30_000)


def test_a_typed_filter_and_enter_add_one_answer_at_most_and_no_list_offers_select_all(page, server):
    """The practice page's lists: typing part of several flags' words and pressing Enter adds
    one flag (no "Select all" or "Select N matches" row to catch the Enter)."""
    page.goto(f"{server}/practice")
    english = Texts(load_valid_rules())
    chooser = page.get_by_role("combobox", name=english.message("practice.flags_that_apply"))
    chooser.wait_for(timeout=60_000)
    _settle(page)
    chooser.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible(timeout=30_000)
    assert not [o for o in options.all_inner_texts() if re.match(r"(?i)select (all|\d+)", o)]
    chooser.fill("a")  # matches many
    expect(options.first).to_be_visible(timeout=30_000)
    assert options.count() > 2
    assert not [o for o in options.all_inner_texts() if re.match(r"(?i)select (all|\d+)", o)]
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    chosen = (
        page.get_by_test_id("stMultiSelect")
        .first.get_by_role("group", name="Selected values")
        .first.locator("[data-tag]")
    )  # one tag per choice
    expect(chosen).to_have_count(1, timeout=10_000)


def test_the_satkhira_case_on_a_phone_do_first_holds_the_protective_steps(phone, tmp_path):
    """Issue 15: a woman from Satkhira in an Indian shelter she cannot leave, a return planned that
    she fears, charged with illegal entry, sold by her husband (examples/satkhira-shelter.yaml,
    invented). Loaded on a phone: Do first shows her protective steps and no poster or loan, Quick
    exit stays on screen, nothing is asked of another host (the fixture), axe finds nothing serious."""
    english = Texts(load_valid_rules())
    case = Path(__file__).resolve().parent.parent / "examples" / "satkhira-shelter.yaml"
    do_first = default_assessor().assess(load_case(case)).do_first
    assert {"review_repatriation_decision", "non_punishment_defence", "family_safety_assessment"} <= set(do_first)
    _settle(phone)
    phone.get_by_text(english.message("interview.files")).click()
    phone.locator("input[type=file]").set_input_files(str(case))
    phone.get_by_role("button", name=english.message("interview.load")).click()
    box = phone.locator(".st-key-do_first")
    expect(box).to_contain_text(english.label("interventions", do_first[0]), timeout=30_000)
    _settle(phone)
    shown = box.inner_text()
    assert all(english.label("interventions", item) in shown for item in do_first)
    for never_first in ("info_where_to_go", "micro_credit", "awareness_posters"):
        assert english.label("interventions", never_first) not in shown
    quick_exit = phone.get_by_role("button", name=english.message("sidebar.quick_exit"))
    box.scroll_into_view_if_needed()
    assert _on_screen(phone, quick_exit)
    shot = tmp_path / "satkhira-do-first-phone-en.png"
    phone.screenshot(path=str(shot))
    _keep(shot)
    assert _axe(phone) == []
