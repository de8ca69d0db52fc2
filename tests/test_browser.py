"""End to end in a real browser: `ctm ui` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Completes a whole interview for one invented case, checks the flags and recommendations
shown, opens a "why", resumes from an uploaded case file, downloads the answers, switches the
interview to Bengali, and saves screenshots under the test's tmp dir. .ci/run installs
/usr/bin/chromium and a Bengali font, so this runs in CI.
"""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright

from engine.case import field_info, parse_case
from engine.i18n import Texts
from engine.infer import default_assessor
from engine.rules import load_valid_rules

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The invented case: rescued in a raid, held in safe custody without consent, photographed by the press.
ANSWERS = {
    "location.current": "jail_remand_home", "exit.route": "rescue_raid", "harm.status": "trafficked",
    "recovery.setting": "safe_custody", "recovery.consent": False, "recovery.free_movement": False,
    "legal.detained": True, "legal.charges_linked_to_trafficking": "yes", "legal.media_exposure": True,
    "location.wishes": "return_home", "person.age": 22, "legal.officials_complicit": False,
    "legal.fears_reprisal": False, "legal.wants_prosecution": "undecided", "recovery.months_in_custody": 4,
}
BENGALI = re.compile("[\u0980-\u09ff]")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "engine.cli", "ui", "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("ctm ui did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=10)


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


def _answer(page, field: str, value, texts: Texts) -> None:
    """Answer as a caseworker does: by the words on the screen, in the language of `texts`."""
    main = page.get_by_test_id("stMain")  # the sidebar holds a radio group too: the language
    if isinstance(value, int) and not isinstance(value, bool):
        box = main.get_by_role("spinbutton", name=texts.message("ask.answer"))  # not a radio group left from before
        box.fill(str(value))
        box.press("Enter")
    else:
        main.get_by_role("radiogroup").first.get_by_text(texts.option(field, value), exact=True).click()
    _settle(page)  # after either kind of input: the rerun enables the button
    save = main.get_by_role("button", name=texts.message("ask.save"))
    expect(save).to_be_enabled(timeout=15_000)
    save.click()


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
            page.get_by_role("button", name="Not known").click()
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

    why = page.get_by_text("Why: ", exact=False).first
    why.click()
    expect(page.get_by_text("matched:").first).to_be_visible(timeout=15_000)
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
