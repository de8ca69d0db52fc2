"""Benchmark memory over many assessments in one process: it must stay flat.

Phase 1 (`ctm assess` in a long-lived process): one Assessor, 20,000 generated cases, each
built, assessed and turned into its JSON report, then dropped. Phase 2 (the interview
server): one Assessor per browser session, as ui/common.py makes them, sessions opened and
dropped. After a warm-up (caches filled), prints RSS and tracemalloc's live Python memory
at intervals, and the growth from the first reading to the last. With --top, the biggest
allocation sites that grew are listed (where a leak would be).

    uv run python bench/memory.py [--cases 20000] [--every 2000] [--sessions 200] [--top 8]
"""

import argparse
import gc
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.infer import Assessor, default_assessor  # noqa: E402
from engine.report import to_json  # noqa: E402
from engine.samples import random_case  # noqa: E402

WARM_UP = 500


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reading() -> tuple[float, float]:
    gc.collect()
    return rss_mb(), tracemalloc.get_traced_memory()[0] / 2**20


def report_growth(
    label: str, readings: list[tuple[int, float, float]], unit: str, start: tracemalloc.Snapshot, top: int
) -> None:
    """Growth from the first interval's reading to the last: a trend, not the first interval's
    one-off costs (the last case's working memory, allocator pools)."""
    (n0, rss0, live0), (n1, rss1, live1) = readings[min(1, len(readings) - 1)], readings[-1]
    rss, live = rss1 - rss0, live1 - live0
    print(
        f"{label}: growth from {n0:,} to {n1:,} {unit}s: RSS {rss:+.2f} MB, live Python memory "
        f"{live:+.3f} MB ({live * 2**20 / max(n1 - n0, 1):+.1f} bytes per {unit})"
    )
    if top:
        stats = tracemalloc.take_snapshot().compare_to(start, "lineno")
        print(f"  allocation sites that grew most (top {top}):")
        for stat in stats[:top]:
            print(f"    {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {stat.traceback}")


def assessments(count: int, every: int, top: int) -> None:
    assessor, rng = default_assessor(), random.Random(2026)
    for index in range(WARM_UP):
        to_json(assessor.assess(random_case(rng, index)))
    tracemalloc.start()
    start, readings = tracemalloc.take_snapshot(), [(0, *reading())]
    print(f"phase 1: {count:,} assessments on one Assessor (after {WARM_UP} to warm up)")
    print(f"  {'assessed':>9} {'RSS MB':>8} {'live MB':>8} {'ms/case':>8}")
    print(f"  {0:>9,} {readings[0][1]:8.1f} {readings[0][2]:8.3f}")
    clock = time.perf_counter()
    for index in range(1, count + 1):
        to_json(assessor.assess(random_case(rng, WARM_UP + index)))
        if index % every == 0:
            readings.append((index, *reading()))
            now = time.perf_counter()
            print(f"  {index:>9,} {readings[-1][1]:8.1f} {readings[-1][2]:8.3f} {(now - clock) * 1000 / every:8.2f}")
            clock = time.perf_counter()
    report_growth("phase 1", readings, "assessment", start, top)
    tracemalloc.stop()


def sessions(count: int, top: int) -> None:
    ruleset, rng = default_assessor().ruleset, random.Random(7)

    def session(index: int) -> None:
        assessor = Assessor(ruleset)  # what ui/common.assessor() keeps in a session
        for answer in range(10):
            assessor.assess(random_case(rng, index * 10 + answer))

    for index in range(5):
        session(index)
    tracemalloc.start()
    start, readings = tracemalloc.take_snapshot(), [(0, *reading())]
    print(f"phase 2: {count} sessions opened and dropped, each with its own Assessor and 10 assessments")
    print(f"  {'sessions':>9} {'RSS MB':>8} {'live MB':>8}")
    print(f"  {0:>9} {readings[0][1]:8.1f} {readings[0][2]:8.3f}")
    for index in range(1, count + 1):
        session(index)
        if index % max(count // 5, 1) == 0:
            readings.append((index, *reading()))
            print(f"  {index:>9} {readings[-1][1]:8.1f} {readings[-1][2]:8.3f}")
    report_growth("phase 2", readings, "session", start, top)
    tracemalloc.stop()


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # readings as they come, also into a file
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=2_000)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--top", type=int, default=0, help="list the allocation sites that grew most")
    args = parser.parse_args()
    if args.cases:
        assessments(args.cases, args.every, args.top)
    if args.sessions:
        sessions(args.sessions, args.top)


if __name__ == "__main__":
    main()
