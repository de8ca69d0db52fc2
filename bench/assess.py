"""Benchmark `ctm assess`: cold start against the import floor, and warm cost per case.

Prints figures; asserts nothing (speed is measured here, not in the test suite).
Targets (issue 2): cold <= 2.5 x the import floor; warm <= 5 ms a case.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "escape-destination.yaml"
RUNS = 5


def best_of(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    floor = best_of([sys.executable, "-c", "import experta, pydantic, yaml"])
    cold = best_of([sys.executable, "-m", "engine.cli", "assess", str(EXAMPLE)])
    print(f"import floor (python -c 'import experta, pydantic, yaml'): {floor * 1000:7.1f} ms (best of {RUNS})")
    print(f"cold `ctm assess` of one case:                          {cold * 1000:7.1f} ms "
          f"= {cold / floor:.2f} x the floor (target <= 2.5 x)")

    sys.path.insert(0, str(ROOT))
    from engine.infer import default_assessor
    from engine.samples import random_cases

    assessor = default_assessor()
    cases = random_cases(1000)
    assessor.assess(cases[0])
    per_case = []
    for case in cases:
        start = time.perf_counter()
        assessor.assess(case)
        per_case.append(time.perf_counter() - start)
    print(f"warm assess over {len(cases)} generated cases: mean {statistics.mean(per_case) * 1000:.2f} ms, "
          f"median {statistics.median(per_case) * 1000:.2f} ms, "
          f"p95 {sorted(per_case)[int(0.95 * len(per_case))] * 1000:.2f} ms a case (target <= 5 ms)")


if __name__ == "__main__":
    main()
