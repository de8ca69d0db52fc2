"""The `ctm` command line. Bad input exits 2 with one clear message; never a traceback."""

import argparse
import json
import sys
from pathlib import Path

from engine.errors import CtmError

EXIT_BAD_INPUT = 2


def _assess(args) -> int:
    from engine.case import load_case
    from engine.infer import Assessor
    from engine.report import to_json, to_markdown
    from engine.rules import load_valid_rules

    ruleset = load_valid_rules(args.rules, args.knowledge)
    cases = [load_case(path) for path in args.cases]  # all parsed before anything is printed
    assessor = Assessor(ruleset)
    outputs = []
    for case in cases:
        assessment = assessor.assess(case)
        outputs.append(to_json(assessment) if args.format == "json" else to_markdown(assessment, ruleset))
    sys.stdout.write(("\n" if args.format == "json" else "\n\n").join(outputs) + "\n")
    return 0


def _validate(args) -> int:
    from engine.rules import load_rules

    ruleset, problems = load_rules(args.rules, args.knowledge)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    cat = ruleset.catalogue
    print(f"OK: {len(ruleset.rules)} rules, {len(cat.nodes)} nodes, {len(cat.interventions)} interventions, "
          f"{len(cat.flags)} flags, {len(cat.principles)} principles, {len(cat.sources)} sources; {ruleset.digest}")
    return 0


def _catalogue(args) -> int:
    from engine.catalogue import catalogue_data, catalogue_markdown
    from engine.rules import load_valid_rules

    ruleset = load_valid_rules(args.rules, args.knowledge)
    data = catalogue_data(ruleset)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(catalogue_markdown(data))
    return 0


def _schema(args) -> int:
    from engine.case import Case

    print(json.dumps(Case.model_json_schema(), indent=1))
    return 0


def _ui(args) -> int:
    import subprocess

    app = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.address,
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--global.developmentMode", "false"]
    return subprocess.call(command)


def build_parser() -> argparse.ArgumentParser:
    from engine.knowledge import KNOWLEDGE_DIR
    from engine.rules import RULES_DIR

    parser = argparse.ArgumentParser(prog="ctm", description="Counter-Trafficking Matrix decision support.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_dirs(p):
        p.add_argument("--rules", type=Path, default=RULES_DIR, help="rules directory")
        p.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
        return p

    p = with_dirs(sub.add_parser("assess", help="assess one or more case files"))
    p.add_argument("cases", nargs="+", type=Path)
    p.add_argument("--format", choices=["json", "markdown"], default="json")
    p.set_defaults(run=_assess)
    p = with_dirs(sub.add_parser("validate", help="check rule and knowledge files"))
    p.set_defaults(run=_validate)
    p = with_dirs(sub.add_parser("catalogue", help="list interventions, flags, principles, nodes, rules, sources"))
    p.add_argument("--format", choices=["json", "markdown"], default="json")
    p.set_defaults(run=_catalogue)
    p = sub.add_parser("schema", help="print the JSON Schema of a case file")
    p.set_defaults(run=_schema)
    p = sub.add_parser("ui", help="start the caseworker's interview in the browser")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1")
    p.set_defaults(run=_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CtmError as error:
        print(f"ctm: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
