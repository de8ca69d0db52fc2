"""Benchmark `ctm assess`: cold start against the import floor, and warm cost per case.

Prints figures; asserts nothing (speed is measured here, not in the test suite).
Targets (issue 2): cold <= 2.5 x the import floor; warm <= 5 ms a case.
"""

import compileall
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "escape-destination.yaml"
CTM = Path(sys.executable).parent / "ctm"  # the console script `uv run ctm` runs
RUNS = 10


def best_of(commands: dict[str, list[str]]) -> dict[str, float]:
    """The fastest of RUNS runs of each command, taken in turn so that a busy moment of the
    machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    return {name: min(runs) for name, runs in times.items()}


def main() -> None:
    # Measure with bytecode compiled, as on an installed machine (uv does not compile on
    # install, and PYTHONDONTWRITEBYTECODE would otherwise recompile every module each run).
    for tree in (ROOT / "engine", Path(sysconfig.get_paths()["purelib"])):
        compileall.compile_dir(tree, quiet=2)
    best = best_of(
        {
            "floor": [sys.executable, "-c", "import experta, pydantic, yaml"],
            "cold": [str(CTM), "assess", str(EXAMPLE)],
            "basemodel": [sys.executable, "-c", "import experta, yaml; from pydantic import BaseModel"],
        }
    )
    floor, cold = best["floor"], best["cold"]
    print(f"import floor (python -c 'import experta, pydantic, yaml'): {floor * 1000:7.1f} ms (best of {RUNS})")
    print(
        f"cold `ctm assess` of one case:                          {cold * 1000:7.1f} ms "
        f"= {cold / floor:.2f} x the floor (target <= 2.5 x)"
    )
    print(
        f"  (for scale: `import pydantic` is lazy; with `from pydantic import BaseModel` the floor is "
        f"{best['basemodel'] * 1000:.1f} ms)"
    )

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
    print(
        f"warm assess over {len(cases)} generated cases: mean {statistics.mean(per_case) * 1000:.2f} ms, "
        f"median {statistics.median(per_case) * 1000:.2f} ms, "
        f"p95 {sorted(per_case)[int(0.95 * len(per_case))] * 1000:.2f} ms a case (target <= 5 ms)"
    )


if __name__ == "__main__":
    main()
