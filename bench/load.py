"""Benchmark concurrent interviews: 10 browser sessions against ONE `ctm ui` process.

Starts `ctm ui` on 127.0.0.1, opens one headless Chromium (Debian's /usr/bin/chromium) with
ten browser contexts — ten separate Streamlit sessions, started 2 s apart — and lets each
complete an interview at the same time, back to back unless --think is given (bounded: at
most 40 questions each, 10 minutes in all). Each answer is given as a caseworker gives it:
the option is chosen (or the number typed), then "Save answer" — or "Not known" — clicked;
the time is from that click until the browser shows the advice box that names the answer's
field and the page's run has ended. Prints the median and 95th percentile of those times, the
answers timed, the sessions that completed their interview, the error count (timeouts,
exceptions shown on a page, interviews not finished, tracebacks in the server's log), and
where the machine's time went (CPU seconds of the server and of the browser).
Target (issue 8): zero errors, p95 <= 2 s on a 2-core machine.

    uv run python bench/load.py [--sessions 10] [--think SECONDS]
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright, expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.i18n import Texts  # noqa: E402
from engine.rules import load_valid_rules  # noqa: E402
from tests.ui_server import CHROMIUM, CHROMIUM_ARGS, running_ui  # noqa: E402

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


def cpu_seconds(pids: set[int]) -> float:
    """User and system CPU time used so far by these processes (and their waited-for children)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def most_at_once(spans: list[tuple[float, float]]) -> int:
    """How many of these (start, end) spans overlap at most."""
    running = most = 0
    for _, step in sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans]):
        running += step
        most = max(most, running)
    return most


def descendants(root: int) -> set[int]:
    """The processes started, directly or not, by process `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


# What the caseworker sees, read in one call: the interview over, the question asked, an error shown.
PAGE_JS = """done => ({
    done: document.body.textContent.includes(done),
    question: document.querySelector('[data-testid="stMain"] h3')?.textContent.trim() ?? null,
    exception: document.querySelector('[data-testid="stException"]') !== null,
})"""
# The page's last element is drawn: a click before the first run ends would cut it short.
OPENED_JS = """last => [...document.querySelectorAll('[data-testid="stExpander"] summary')]
    .some(summary => summary.textContent.includes(last))"""
# The advice box that says what this answer changed (it names the field) is shown, and the run has ended.
ADVICE_JS = """field => [...document.querySelectorAll('[data-testid="stAlert"]')].some(box => box.textContent.includes(field))
    && document.querySelector('[data-testid="stStatusWidget"]') === null"""


async def interview(browser, url: str, answers: dict, texts: Texts, prompts: dict, times: list[float],
                    opened: list[float], completed: list[tuple[float, float]], errors: list[str], name: str,
                    delay: float, think: float) -> None:
    """One caseworker's interview; a completed one adds (its first click, its last advice shown)."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    step = "opening the page"
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=OPEN_TIMEOUT_MS)
        await page.wait_for_function(OPENED_JS, arg=texts.message("interview.map"), polling=100,
                                     timeout=OPEN_TIMEOUT_MS)  # every 100 ms: the page is still loading
        opened.append(time.perf_counter() - start)
        await page.wait_for_timeout(150)
        await expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=STEP_TIMEOUT_MS)
        main_area = page.get_by_test_id("stMain")
        first = None
        for answered in range(MAX_QUESTIONS + 1):
            shown = await page.evaluate(PAGE_JS, texts.message("ask.done"))
            if shown["exception"]:
                errors.append(f"{name}: an exception is shown on the page after {step}")
                return
            if shown["done"]:
                completed.append((first or time.perf_counter(), time.perf_counter()))
                return
            if answered == MAX_QUESTIONS:
                break
            await asyncio.sleep(think)
            field = prompts.get(shown["question"])
            step = f"question {str(shown['question'])[:60]!r} ({field})"
            if field is None:
                raise ValueError("not a question of the interview")
            value = answers.get(field)
            if value is None:
                button = main_area.get_by_role("button", name=texts.message("decline.not_known"), exact=True)
            else:  # choosing runs nothing on the server: the choice goes with "Save answer"
                if isinstance(value, int) and not isinstance(value, bool):
                    await main_area.get_by_role("spinbutton").fill(str(value))
                else:
                    label = texts.option(field, value)
                    await main_area.get_by_role("radiogroup").first.get_by_text(label, exact=True).click()
                button = main_area.get_by_role("button", name=texts.message("ask.save"), exact=True)
            start = time.perf_counter()
            first = first or start
            await button.click()
            await page.wait_for_function(ADVICE_JS, arg=field, timeout=STEP_TIMEOUT_MS)  # checked every frame
            times.append(time.perf_counter() - start)
        errors.append(f"{name}: the interview did not end within {MAX_QUESTIONS} questions")
    except Exception as error:  # a timeout or a page that broke: counted, and this session ends
        errors.append(f"{name}, at {step}: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


async def run(url: str, server_pid: int, sessions: int, think: float, times: list[float], opened: list[float],
               completed: list[tuple[float, float]], errors: list[str]) -> float:
    """Runs the sessions; returns the CPU seconds the browser (and Playwright's driver) used."""
    ruleset = load_valid_rules()
    texts = Texts(ruleset)  # the page's words (English, the default language)
    prompts = {texts.get("questions", field, "prompt"): field for field in ruleset.catalogue.questions}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            await asyncio.wait_for(asyncio.gather(*[
                interview(browser, url, CASES[i % len(CASES)], texts, prompts, times, opened, completed, errors,
                          f"session {i + 1}", i * RAMP_S, think)
                for i in range(sessions)]), timeout=DEADLINE_S)
        except TimeoutError:
            errors.append(f"the sessions did not all finish within {DEADLINE_S} s")
        finally:
            browser_cpu = cpu_seconds(descendants(os.getpid()) - {server_pid})
            await browser.close()
    return browser_cpu


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
    completed: list[tuple[float, float]] = []
    errors: list[str] = []
    load_before = Path("/proc/loadavg").read_text().split()[0]  # other work on the machine skews the figures
    with tempfile.TemporaryFile(mode="w+") as log:
        with running_ui(log) as (url, server):
            started = time.perf_counter()
            browser_cpu = asyncio.run(run(url, server.pid, args.sessions, args.think, times, opened, completed,
                                          errors))
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds({server.pid})
        log.seek(0)
        server_log = log.read()
    load_after = Path("/proc/loadavg").read_text().split()[0]
    tracebacks = server_log.count("Traceback")
    if tracebacks:
        lines = server_log[server_log.index("Traceback"):].splitlines()[1:]
        last = next((line for line in lines if line and not line[0].isspace()), "?")
        errors.append(f"{tracebacks} traceback(s) in the server's log; the first: {last}")
    times.sort()
    print(f"{args.sessions} concurrent interview sessions against one `ctm ui` process, one Chromium, "
          f"{len(times)} answers timed in {wall:.0f} s (think time {args.think:g} s; "
          f"load average before {load_before}, after {load_after})")
    if times:
        p95 = times[min(int(0.95 * len(times)), len(times) - 1)]
        print(f"  answer -> advice in the browser: median {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms (target: p95 <= 2000 ms)")
    if opened:
        print(f"  opening the page (first load, until the whole interview is drawn): median "
              f"{statistics.median(opened):.1f} s, max {max(opened):.1f} s")
    print(f"  sessions that completed their interview: {len(completed)} of {args.sessions}, "
          f"at most {most_at_once(completed)} of them interviewing at the same time")
    print(f"  CPU time: server {server_cpu:.0f} s, browser {browser_cpu:.0f} s "
          f"({os.cpu_count()} cores x {wall:.0f} s = {os.cpu_count() * wall:.0f} s)")
    print(f"  errors: {len(errors)} (target: 0)")
    for error in errors:
        print(f"    {error}")


if __name__ == "__main__":
    main()
