"""Benchmark concurrent interviews: 10 browser sessions against ONE `ctm ui` process.

Starts `ctm ui` on 127.0.0.1, opens one headless Chromium (Debian's /usr/bin/chromium) with
ten browser contexts — ten separate Streamlit sessions, started 2 s apart — and lets each
complete an interview at the same time, back to back unless --think is given (bounded: at
most 40 questions each, 10 minutes in all). For every "Save answer" / "Not known" it times,
in the browser, the click until the advice says what that answer changed (the box naming the
answer's field) and the rerun has ended. Prints the median and 95th percentile of those
times and the error count (timeouts, exceptions shown on a page, interviews not finished,
tracebacks in the server's log), then stops the server.
Target (issue 8): zero errors, p95 <= 2 s on a 2-core machine.

    uv run python bench/load.py [--sessions 10] [--think SECONDS]
"""

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright, expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.i18n import Texts  # noqa: E402
from engine.rules import load_valid_rules  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MAX_QUESTIONS = 40
DEADLINE_S = 600
STEP_TIMEOUT_MS = 30_000
OPEN_TIMEOUT_MS = 120_000  # the first load fetches Streamlit's scripts: ten at once on two cores
RAMP_S = 2.0  # sessions start this far apart, as people do, not all in one instant
# Two invented cases (values as in a case file); other questions are answered "Not known".
CASES = [
    {"location.current": "jail_remand_home", "exit.route": "rescue_raid", "harm.status": "trafficked",
     "recovery.setting": "safe_custody", "recovery.consent": False, "legal.detained": True,
     "legal.charges_linked_to_trafficking": "yes", "legal.media_exposure": True, "person.age": 22},
    {"location.current": "destination_outside_harm", "exit.route": "escape", "harm.status": "unclear",
     "location.wishes": "return_home", "legal.detained": False, "legal.fears_reprisal": True, "person.age": 31},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # A process group of its own: stopping `ctm ui` alone leaves its Streamlit child running.
    process = subprocess.Popen([sys.executable, "-m", "engine.cli", "ui", "--port", str(port)],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit("ctm ui did not start within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


async def settle(page) -> None:
    """Until Streamlit has finished its rerun (its status widget is gone)."""
    await page.wait_for_timeout(150)
    await expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=STEP_TIMEOUT_MS)


async def interview(browser, url: str, answers: dict, texts: Texts, prompts: dict, times: list[float],
                    opened: list[float], errors: list[str], name: str, delay: float, think: float) -> None:
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    step = "opening the page"
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=OPEN_TIMEOUT_MS)
        # the page's last element: a click before the first run ends would cut it short
        await page.get_by_text(texts.message("interview.map")).wait_for(timeout=OPEN_TIMEOUT_MS)
        opened.append(time.perf_counter() - start)
        await page.wait_for_timeout(500)
        for _ in range(MAX_QUESTIONS):
            await settle(page)
            await asyncio.sleep(think)
            if await page.get_by_text("No open question could change the advice.").count():
                break
            heading = page.locator("h3").first
            await heading.wait_for(timeout=STEP_TIMEOUT_MS)
            question = (await heading.inner_text()).strip()
            field = prompts.get(question)
            step = f"question {question[:60]!r} ({field})"
            value = answers.get(field)
            main_area = page.get_by_test_id("stMain")
            if value is None:
                button = page.get_by_role("button", name="Not known")
            else:
                if isinstance(value, int) and not isinstance(value, bool):
                    box = main_area.get_by_role("spinbutton")
                    await box.fill(str(value))
                    await box.press("Enter")
                else:
                    label = texts.option(field, value)
                    await main_area.get_by_role("radiogroup").first.get_by_text(label, exact=True).click()
                await settle(page)
                button = page.get_by_role("button", name="Save answer")
                await expect(button).to_be_enabled(timeout=STEP_TIMEOUT_MS)
            start = time.perf_counter()
            await button.click()
            # the advice box that says what this answer changed (it names the field)
            await page.get_by_test_id("stAlert").filter(has_text=field).first.wait_for(timeout=STEP_TIMEOUT_MS)
            await expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=STEP_TIMEOUT_MS)
            times.append(time.perf_counter() - start)
            if await page.get_by_test_id("stException").count():
                errors.append(f"{name}: an exception is shown on the page after {field}")
                return
        else:
            errors.append(f"{name}: the interview did not end within {MAX_QUESTIONS} questions")
    except Exception as error:  # a timeout or a page that broke: counted, and this session ends
        errors.append(f"{name}, at {step}: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


async def run(url: str, sessions: int, think: float, times: list[float], opened: list[float],
              errors: list[str]) -> None:
    ruleset = load_valid_rules()
    texts = Texts(ruleset)  # the page's words (English, the default language)
    prompts = {texts.get("questions", field, "prompt"): field for field in ruleset.catalogue.questions}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            await asyncio.wait_for(asyncio.gather(*[
                interview(browser, url, CASES[i % len(CASES)], texts, prompts, times, opened, errors,
                          f"session {i + 1}", i * RAMP_S, think)
                for i in range(sessions)]), timeout=DEADLINE_S)
        except TimeoutError:
            errors.append(f"the sessions did not all finish within {DEADLINE_S} s")
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each session waits before answering (default 0: back to back, a stress test)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    times: list[float] = []
    opened: list[float] = []
    errors: list[str] = []
    load_before = Path("/proc/loadavg").read_text().split()[0]  # other work on the machine skews the figures
    with tempfile.TemporaryFile(mode="w+") as log:
        process, url = start_server(log)
        started = time.perf_counter()
        try:
            asyncio.run(run(url, args.sessions, args.think, times, opened, errors))
        finally:
            stop_server(process)
        wall = time.perf_counter() - started
        log.seek(0)
        server_log = log.read()
    tracebacks = server_log.count("Traceback")
    if tracebacks:
        lines = server_log[server_log.index("Traceback"):].splitlines()[1:]
        last = next((line for line in lines if line and not line[0].isspace()), "?")
        errors.append(f"{tracebacks} traceback(s) in the server's log; the first: {last}")
    times.sort()
    print(f"{args.sessions} concurrent interview sessions against one `ctm ui` process, one Chromium, "
          f"{len(times)} answers in {wall:.0f} s (think time {args.think:g} s; load average before: {load_before})")
    if times:
        p95 = times[min(int(0.95 * len(times)), len(times) - 1)]
        print(f"  answer -> advice in the browser: median {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms (target: p95 <= 2000 ms)")
    if opened:
        print(f"  opening the page (first load, until the whole interview is drawn): median "
              f"{statistics.median(opened):.1f} s, max {max(opened):.1f} s")
    print(f"  errors: {len(errors)} (target: 0)")
    for error in errors:
        print(f"    {error}")


if __name__ == "__main__":
    main()
