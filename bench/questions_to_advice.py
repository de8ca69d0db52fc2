"""How many questions the interview asks before the first "Do first" step appears (issue 15 §2).

For each practice scenario (knowledge/scenarios) and each survivor case in examples/, replays
the interview the way ui/interview.py runs it: the next question is the first of `missing` not
yet answered or set aside; the answer is the case file's, or "Not known" (set aside) when the
file has none. Prints, per case, the questions asked until `do_first` is first non-empty, and
until it first holds the item the whole case puts first — and the totals. A case whose complete
answers give an empty do_first is listed as "-" and left out of the totals.

    uv run python bench/questions_to_advice.py            # the interview as it is
    uv run python bench/questions_to_advice.py --before   # without issue 15's order: no follow-ups or
                                                          # early questions (knowledge/interview.yaml),
                                                          # no weight for what makes advice urgent
"""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.case import case_from_answers, load_case  # noqa: E402
from engine.infer import default_assessor  # noqa: E402
from engine.scenarios import load_scenarios  # noqa: E402


def replay(assessor, case) -> tuple[int | None, int | None, int]:
    """(questions before do_first is non-empty, before it holds the final first item, questions in all)."""
    full = {f: v for f, v in case.answers().items() if v is not None}
    final = assessor.assess(case).do_first
    answers: dict = {}
    declined: set[str] = set()
    first_any = first_top = None
    asked = 0
    while True:
        assessment = assessor.assess(case_from_answers(case.case_id, answers))
        if first_any is None and assessment.do_first:
            first_any = asked
        if first_top is None and final and final[0] in assessment.do_first:
            first_top = asked
        field = next((f for f in assessment.missing if f not in answers and f not in declined), None)
        if field is None or asked > 200:
            return first_any, first_top, asked
        asked += 1
        if field in full:
            answers[field] = list(full[field]) if isinstance(full[field], tuple) else full[field]
        else:
            declined.add(field)


def cases(assessor) -> list[tuple[str, object]]:
    found = [(f"scenario {s.id}", s.case) for s in load_scenarios(assessor.ruleset.catalogue)]
    for path in sorted((ROOT / "examples").glob("*.*")):
        case = load_case(path)
        if case.kind == "survivor_case":
            found.append((f"example {path.name}", case))
    return found


def main() -> None:
    assessor = default_assessor()
    if "--before" in sys.argv:
        import dataclasses

        from engine.asking import Asking

        assessor.ruleset = dataclasses.replace(assessor.ruleset, asking=Asking())
        assessor._blame_urgency = lambda *args: None
    rows = [(name, *replay(assessor, case)) for name, case in cases(assessor)]
    width = max(len(name) for name, *_ in rows)
    print(f"{'case':<{width}}  first do_first  its final first item  questions in all")
    for name, first_any, first_top, total in rows:
        shown = lambda n: "-" if n is None else str(n)  # noqa: E731
        print(f"{name:<{width}}  {shown(first_any):>14}  {shown(first_top):>20}  {total:>16}")
    for label, index in (("first do_first", 1), ("its final first item", 2)):
        values = [row[index] for row in rows if row[index] is not None]
        print(
            f"{label}: {len(values)} cases, mean {statistics.mean(values):.1f}, median {statistics.median(values)}, "
            f"max {max(values)}, total {sum(values)}"
        )


if __name__ == "__main__":
    main()
