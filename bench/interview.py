"""Benchmark the interview: server-side time from an answer to updated advice.

Drives ui/app.py with streamlit's AppTest (the same script run the server does for a
browser), answering a scripted interview question by question, and prints the median and
95th percentile of the time from "Save answer" to the re-rendered advice.
Target (issue 3): median <= 150 ms with the full rule set.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

ANSWERS = {
    "location.current": "jail_remand_home",
    "exit.route": "rescue_raid",
    "harm.status": "trafficked",
    "recovery.setting": "safe_custody",
    "recovery.consent": False,
    "recovery.free_movement": False,
    "location.wishes": "return_home",
    "legal.detained": True,
    "legal.media_exposure": True,
    "legal.charges_linked_to_trafficking": "yes",
    "legal.fears_reprisal": False,
}
INTERVIEWS = 5


def one_interview(times: list[float]) -> None:
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=60).run()
    for _ in range(40):
        pending = [f for f in ANSWERS if f not in at.session_state["answers"]]
        radios = [r for r in at.radio if r.key and r.key.removeprefix("q_") in pending]
        if not radios:
            if "decline_not_known" not in [b.key for b in at.button]:
                break  # no open question left
            start = time.perf_counter()
            at.button(key="decline_not_known").click().run()
            times.append(time.perf_counter() - start)
            if not at.get("button") or not [b for b in at.button if b.key == "save"]:
                break
            continue
        radio = radios[0]
        at = radio.set_value(ANSWERS[radio.key.removeprefix("q_")]).run()
        start = time.perf_counter()
        at = at.button(key="save").click().run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"the app failed: {at.exception}")


def main() -> None:
    one_interview([])  # warm-up: compile the rule set once, as a running server has
    times: list[float] = []
    for _ in range(INTERVIEWS):
        one_interview(times)
    times.sort()
    print(f"{len(times)} answers over {INTERVIEWS} interviews (AppTest, server-side script run):")
    print(
        f"  answer → updated advice: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(0.95 * len(times))] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
        "(target: median <= 150 ms)"
    )


if __name__ == "__main__":
    main()
