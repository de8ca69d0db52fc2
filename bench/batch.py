"""Benchmark `ctm assess DIR --jobs N` over a caseload of generated cases: cases per second with 1
and 2 processes, the cost per case against the warm cost of bench/assess.py, and the memory.

Prints figures; asserts nothing. Targets (issue 18): 2 jobs >= 1.5 x the speed of 1 job; the cost
per case (a run's time less its start, over the cases) <= the warm cost per case + 1 ms.
Usage: python bench/batch.py [CASES]   (default 10,000)
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CTM = Path(sys.executable).parent / "ctm"  # the console script `uv run ctm` runs


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, int, float]:
    """Wall time of a command, the peak resident memory of its process tree (sampled every 20 ms)
    and the processor time of the tree (all processes, waited for: comparable on a busy machine)."""
    cpu = cpu_of_children()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return elapsed, peak, cpu_of_children() - cpu


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sys.path.insert(0, str(ROOT))
    from engine.infer import default_assessor
    from engine.samples import random_cases

    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores: the machine is shared)")
    cases = random_cases(count)
    assessor = default_assessor()
    assessor.assess(cases[0])
    warm = []
    for case in cases[:2000]:
        start = time.perf_counter()
        assessor.assess(case)
        warm.append(time.perf_counter() - start)
    warm_ms = statistics.mean(warm) * 1000
    print(f"warm assess in one process (as bench/assess.py), {len(warm):,} cases: mean {warm_ms:.2f} ms a case")

    with tempfile.TemporaryDirectory() as folder:
        caseload, single = Path(folder, "caseload"), Path(folder, "single")
        caseload.mkdir()
        single.mkdir()
        for case in cases:
            (caseload / f"{case.case_id}.json").write_text(json.dumps(case.to_file_dict()))
        for case in cases[:2]:
            (single / f"{case.case_id}.json").write_text(json.dumps(case.to_file_dict()))
        results = {}
        for jobs in (1, 2):
            started, _, start_cpu = timed([str(CTM), "assess", str(single), "--jobs", str(jobs)])
            elapsed, peak, cpu = timed([str(CTM), "assess", str(caseload), "--jobs", str(jobs)])
            results[jobs] = elapsed
            per_case = (elapsed - started) / count * 1000
            print(
                f"--jobs {jobs}: {count:,} cases in {elapsed:6.1f} s = {count / elapsed:6.0f} cases/s; "
                f"start {started:.2f} s; per case {per_case:.2f} ms (target <= {warm_ms + 1:.2f} ms); "
                f"processor time {cpu:.1f} s, {(cpu - start_cpu) / count * 1000:.2f} ms a case beyond the start; "
                f"peak memory of the process tree {peak / 1e6:.0f} MB"
            )
        summary_time, _, _ = timed([str(CTM), "assess", str(caseload), "--jobs", "2", "--summary"])
        print(f"--jobs 2 --summary: {summary_time:.1f} s")
    print(
        f"speed-up of 2 jobs over 1: {results[1] / results[2]:.2f} x (target >= 1.5 x; "
        f"only a quiet machine can show it)"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
