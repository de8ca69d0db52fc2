"""Benchmark `ctm audit` on the shipped rules: combinations covered, and the time it takes.

Prints figures; asserts nothing (speed is measured here, not in the test suite).
Target (issue 6): the whole analysis <= 60 s on a 2-core machine, using both cores.
"""

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from engine import audit
    from engine.rules import load_valid_rules

    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    ruleset = load_valid_rules()
    started = time.perf_counter()
    report = audit.run(ruleset, workers=workers)
    total = time.perf_counter() - started
    print(f"rule set: {len(ruleset.rules)} rules, {ruleset.digest}")
    for kind, space in report["space"].items():
        print(
            f"{kind}: {space['combinations']:,} combinations ({space['facts']} answers read by the rules, "
            f"each cut into the classes they can tell apart, unknown included) - all of them decided"
        )
    print(
        f"cross-check against experta: {report['cross_check']['cases']} random cases, "
        f"{len(report['cross_check']['disagreements'])} disagreements"
    )
    print("findings: " + ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in audit.counts(report).items()))
    print(
        f"analysis {report['seconds']:.1f} s on {workers} process(es); whole audit with coverage "
        f"{total:.1f} s (target <= 60 s)"
    )
    cpu = {
        who: sum(getattr(resource.getrusage(flag), f) for f in ("ru_utime", "ru_stime"))
        for who, flag in (("this process", resource.RUSAGE_SELF), ("workers", resource.RUSAGE_CHILDREN))
    }
    print(
        "processor time: "
        + ", ".join(f"{who} {s:.1f} s" for who, s in cpu.items())
        + " (on a machine shared with other work, the wall time above grows; this does not)"
    )


if __name__ == "__main__":
    main()
