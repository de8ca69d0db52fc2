"""The `ctm` command line. Bad input exits 2 with one clear message; never a traceback."""

import argparse
import json
import os
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import CtmError

if TYPE_CHECKING:
    from engine.rules import RuleSet

EXIT_BAD_INPUT = 2
EXIT_CLOSED_PIPE = 141


def _lang(args: argparse.Namespace) -> str:
    """--lang, else CTM_LANG, else English; an unknown language is bad input (exit 2)."""
    from engine.i18n import DEFAULT_LANG, check_lang

    return check_lang(args.lang or os.environ.get("CTM_LANG") or DEFAULT_LANG)


def _assess(args: argparse.Namespace) -> int:
    from engine.case import load_case
    from engine.infer import Assessor
    from engine.report import to_json, to_markdown
    from engine.rules import load_valid_rules

    lang = _lang(args)
    fmt = args.format or ("markdown" if args.summary else "json")
    if args.jobs is not None or args.summary or any(path.is_dir() for path in args.cases):
        from engine import batch  # a caseload: one bad file never stops the others

        if args.jobs is not None and args.jobs < 1:
            raise CtmError(f"--jobs: {args.jobs} (allowed: 1 or more processes)")
        return batch.assess(args.cases, args.jobs or 1, args.rules, args.knowledge, fmt, args.summary, lang)
    ruleset = load_valid_rules(args.rules, args.knowledge)
    cases = [load_case(path) for path in args.cases]  # all parsed before anything is printed
    assessor = Assessor(ruleset)
    outputs = []
    for case in cases:
        assessment = assessor.assess(case)  # JSON is the public contract: English whatever the language
        outputs.append(to_json(assessment) if fmt == "json" else to_markdown(assessment, ruleset, lang=lang, case=case))
    sys.stdout.write(("\n" if fmt == "json" else "\n\n").join(outputs) + "\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from engine.i18n import counts
    from engine.rules import load_rules

    ruleset, problems = load_rules(args.rules, args.knowledge)
    warnings: list[Any] = []
    if not problems:
        problems = _missing_texts(ruleset, args.knowledge)
    if not problems:
        problems, warnings = _glossary(ruleset, args.knowledge)
    for warning in warnings:
        print(f"warning: {warning}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    cat = ruleset.catalogue
    print(
        f"OK: {len(ruleset.rules)} rules, {len(cat.nodes)} nodes, {len(cat.interventions)} interventions, "
        f"{len(cat.flags)} flags, {len(cat.principles)} principles, {len(cat.sources)} sources; {ruleset.digest}"
    )
    texts = counts(ruleset, Path(args.knowledge) / "i18n")
    print(
        "Texts: "
        + ", ".join(f"{n} {lang}" for lang, n in texts.items())
        + " (none missing); "
        + (f"{len(warnings)} glossary warning(s)" if warnings else "Bengali as the glossary says")
    )
    return 0


def _glossary(ruleset: "RuleSet", knowledge: Path) -> tuple[list[Any], list[Any]]:
    """Forbidden Bengali words (problems) and glossary terms rendered another way (warnings),
    each naming file, line and text id (knowledge/i18n/bn/glossary.yaml)."""
    from engine.i18n import glossary_findings
    from engine.knowledge import Problem

    directory = Path(knowledge) / "i18n"
    try:
        errors, warnings = glossary_findings(ruleset, directory)
    except CtmError as error:
        return [Problem(error.path or str(directory / "bn" / "glossary.yaml"), error.line, error.message)], []
    return (
        [Problem(path, line, f"{text_id}: {message}") for path, line, text_id, message in errors],
        [Problem(path, line, f"{text_id}: {message}") for path, line, text_id, message in warnings],
    )


def _missing_texts(ruleset: "RuleSet", knowledge: Path) -> list[Any]:
    """Every text people read that English or Bengali lacks, where to add it (engine/i18n.py)."""
    from engine.i18n import missing_texts
    from engine.knowledge import Problem

    directory = Path(knowledge) / "i18n"
    try:
        missing = missing_texts(ruleset, directory)
    except CtmError as error:
        return [Problem(error.path or str(directory), error.line, error.message)]
    rules = {rule.id: rule for rule in ruleset.rules}
    found = []
    for lang, section, key, field in missing:
        wanted = f"no {lang} text for {section}.{key}" + (f".{field}" if field else "")
        where = directory / lang / f"{section}.yaml"
        if section == "rules":
            found.append(Problem(rules[key].path, rules[key].line, f"{wanted} (add it to {where})", key))
        elif lang == "en" and section == "questions":
            path, line = ruleset.catalogue.lines[(section, key)]
            found.append(Problem(path, line, wanted))
        else:
            found.append(Problem(str(where), None, wanted))
    return found


def _catalogue(args: argparse.Namespace) -> int:
    from engine.catalogue import catalogue_data, catalogue_markdown
    from engine.rules import load_valid_rules

    ruleset = load_valid_rules(args.rules, args.knowledge)
    data = catalogue_data(ruleset)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(catalogue_markdown(data))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from engine.profiles import MODELS

    print(json.dumps(MODELS[args.kind].model_json_schema(), indent=1))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from engine.case import load_case
    from engine.explain import why_not, why_not_text, why_report, why_report_text
    from engine.i18n import Texts
    from engine.infer import Assessor
    from engine.rules import load_valid_rules

    lang = _lang(args)
    ruleset = load_valid_rules(args.rules, args.knowledge)
    texts = Texts(ruleset, lang)
    case = load_case(args.case)
    assessor = Assessor(ruleset)
    if args.why:
        data = why_report(assessor.assess(case), ruleset, args.why)
        print(json.dumps(data, ensure_ascii=False) if args.format == "json" else why_report_text(data, texts))
    else:
        result = why_not(assessor, case, args.why_not)
        print(
            json.dumps(result.to_dict(), ensure_ascii=False) if args.format == "json" else why_not_text(result, texts)
        )
    return 0


def _legal(args: argparse.Namespace) -> int:
    from engine import legal
    from engine.case import load_case
    from engine.i18n import Texts
    from engine.infer import Assessor
    from engine.rules import load_valid_rules

    lang = _lang(args)
    ruleset = load_valid_rules(args.rules, args.knowledge)
    if args.format == "json":  # the public contract: English whatever the language
        print(json.dumps(legal.report(Assessor(ruleset), load_case(args.case)), ensure_ascii=False))
    else:
        texts, case = Texts(ruleset, lang), load_case(args.case)
        data = legal.report(Assessor(ruleset), case, texts)
        print(legal.to_markdown(data, ruleset.catalogue.questions, texts, case=case))
    return 0


def _practice(args: argparse.Namespace) -> int:
    from engine.practice import terminal

    return terminal(args.rules, args.knowledge, args.scenario, _lang(args))


def _audit(args: argparse.Namespace) -> int:
    from engine import audit, audit_report
    from engine.rules import load_valid_rules

    ruleset = load_valid_rules(args.rules, args.knowledge)
    report = audit.run(ruleset, args.knowledge, samples=args.samples, workers=args.workers)
    if args.cases_out:
        audit_report.write_cases(report, args.cases_out)
    print(
        {"json": audit_report.to_json, "markdown": audit_report.to_markdown, "html": audit_report.to_html}[args.format](
            report
        )
    )
    return 1 if any(audit.counts(report).values()) else 0


def _diff(args: argparse.Namespace) -> int:
    from engine import diff

    report = diff.run(args.old, args.new, args.knowledge, args.cases)
    print(diff.to_json(report) if args.format == "json" else diff.to_markdown(report))
    return 1 if diff.changed(report) else 0


def _ui(args: argparse.Namespace) -> int:
    from importlib import resources

    env = {**os.environ, "CTM_LANG": _lang(args)}  # the screens' first language; each session may switch
    app = Path(str(resources.files("ui") / "app.py"))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "minimal",
        "--server.maxUploadSize",
        "1",  # MB: the same limit as engine/yamlio.py
        # No full garbage collection after every run of a page: with ten sessions, each with
        # its own engine, it took more of the server's time than the pages (py-spy, bench/load.py).
        # Python still collects on its own as objects pile up.
        "--runner.postScriptGC",
        "false",
    ]
    # Become the Streamlit server (no child left running when `ctm ui` is stopped).
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return


def _import_htcds(args: argparse.Namespace) -> int:
    from datetime import date

    from engine import htcds
    from engine.importing import write_case_files

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise CtmError(f"--as-of: {args.as_of!r} is not a date (expected YYYY-MM-DD)") from None
    cases, report = htcds.import_file(args.file, args.id_column, as_of)
    written = write_case_files(cases, args.out)
    print(report.text(written, args.out))
    return 0


def _import_odk(args: argparse.Namespace) -> int:
    from engine import odk
    from engine.importing import write_case_files

    cases, report = odk.import_file(args.file)
    written = write_case_files(cases, args.out)
    print(report.text(written, args.out))
    return 0


def _export_htcds(args: argparse.Namespace) -> int:
    from engine import htcds
    from engine.case import load_case
    from engine.importing import write_text_atomic

    cases = [load_case(path) for path in args.cases]  # all read before anything is written
    text, lost = htcds.export_csv(cases, htcds.load_mapping())
    write_text_atomic(args.out, text)
    print(f"{len(cases)} case(s) -> {args.out}")
    if lost:
        print("Not expressible in HTCDS (left out): " + ", ".join(f"{what} ({n})" for what, n in lost.items()))
    return 0


def _xlsform(args: argparse.Namespace) -> int:
    from engine import xlsform
    from engine.rules import load_valid_rules

    ruleset = load_valid_rules(args.rules, args.knowledge)
    xlsform.write(ruleset, args.out, args.kind)
    print(f"{args.out}: the {args.kind} interview as an XLSForm ({', '.join(xlsform.LANGUAGES.values())})")
    return 0


class _Version(argparse.Action):
    """`ctm --version`: the version and the digest of the rule set it ships (as in every assessment)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        from engine import __version__
        from engine.knowledge import KNOWLEDGE_DIR
        from engine.rules import RULES_DIR, _digest

        print(f"ctm {__version__}, rule set {_digest(RULES_DIR, KNOWLEDGE_DIR)}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from engine.i18n import LANGS
    from engine.knowledge import KNOWLEDGE_DIR
    from engine.case import KINDS
    from engine.rules import RULES_DIR

    parser = argparse.ArgumentParser(prog="ctm", description="Counter-Trafficking Matrix decision support.")
    parser.add_argument("--version", action=_Version, nargs=0, help="print ctm's version and its rule set's digest")
    # prog given: else argparse builds a help formatter (and imports shutil) just to name it
    sub = parser.add_subparsers(dest="command", required=True, prog="ctm")

    def with_dirs(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--rules", type=Path, default=RULES_DIR, help="rules directory")
        p.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
        return p

    def with_lang(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--lang",
            metavar="|".join(LANGS),
            help="language of what people read (default: $CTM_LANG, else en); JSON stays English",
        )
        return p

    p = with_dirs(
        sub.add_parser(
            "assess",
            help="assess one or more case files (survivor case, potential "
            "migrant or community, told apart by their `kind` field)",
        )
    )
    p.add_argument(
        "cases",
        nargs="+",
        type=Path,
        metavar="DIR_OR_FILES",
        help="case files, or directories of them (.yaml, .yml, .json)",
    )
    p.add_argument(
        "--format",
        choices=["json", "markdown"],
        help="json (default: one line per case) or markdown (the default with --summary)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="a caseload: assess on N processes; a file that cannot "
        "be read is reported and the others go on (exit 2 at the end)",
    )
    p.add_argument(
        "--summary",
        action="store_true",
        help="a caseload table instead: cases per classification, flag and do-first item",
    )
    with_lang(p)
    p.set_defaults(run=_assess)
    p = with_dirs(sub.add_parser("validate", help="check rule and knowledge files"))
    p.set_defaults(run=_validate)
    p = with_dirs(sub.add_parser("catalogue", help="list interventions, flags, principles, nodes, rules, sources"))
    p.add_argument("--format", choices=["json", "markdown"], default="json")
    p.set_defaults(run=_catalogue)
    p = sub.add_parser("schema", help="print the JSON Schema of a case file")
    p.add_argument(
        "--kind",
        choices=KINDS,
        default="survivor_case",
        help="which kind of file (its top-level `kind` field; default: survivor_case)",
    )
    p.set_defaults(run=_schema)
    p = with_dirs(sub.add_parser("explain", help="why a flag or intervention was, or was not, produced for a case"))
    p.add_argument("case", type=Path)
    asked = p.add_mutually_exclusive_group(required=True)
    asked.add_argument("--why", metavar="ID", help="the rules and facts that produced this flag or intervention")
    asked.add_argument("--why-not", metavar="ID", help="what kept it from being produced, and what would change that")
    p.add_argument("--format", choices=["json", "text"], default="text")
    with_lang(p)
    p.set_defaults(run=_explain)
    p = with_dirs(sub.add_parser("legal", help="the legal advisor's check: non-punishment and the other rights"))
    p.add_argument("case", type=Path)
    p.add_argument("--format", choices=["json", "markdown"], default="markdown")
    with_lang(p)
    p.set_defaults(run=_legal)
    p = with_dirs(sub.add_parser("practice", help="practise on a case scenario, graded by the engine with its reasons"))
    p.add_argument("--scenario", metavar="ID", help="the scenario to answer (default: choose from the list)")
    with_lang(p)
    p.set_defaults(run=_practice)
    p = with_dirs(
        sub.add_parser(
            "audit",
            help="coverage, gaps, conflicts, dead rules and rights invariants over "
            "every combination of answers (exit 1 when something is found)",
        )
    )
    p.add_argument("--format", choices=["json", "markdown", "html"], default="markdown")
    p.add_argument("--cases-out", type=Path, metavar="DIR", help="write each counterexample there as a case file")
    p.add_argument("--samples", type=int, default=2000, help="random cases to cross-check against experta")
    p.add_argument("--workers", type=int, default=2, help="processes to use (default: 2)")
    p.set_defaults(run=_audit)
    p = sub.add_parser("diff", help="which cases change advice between two rule sets, and how (exit 1 if any)")
    p.add_argument("old", type=Path, metavar="OLD_RULES_DIR")
    p.add_argument("new", type=Path, metavar="NEW_RULES_DIR")
    p.add_argument("--cases", type=Path, metavar="DIR", help="more case files to compare")
    p.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
    p.add_argument("--format", choices=["json", "markdown"], default="markdown")
    p.set_defaults(run=_diff)
    p = sub.add_parser("import", help="read case data kept elsewhere (HTCDS, ODK/KoBoToolbox) into case files")
    source = p.add_subparsers(dest="source", required=True, prog="ctm import")
    p = source.add_parser("htcds", help="a CSV with HTCDS field names in its header row, one case a row")
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write the case files")
    p.add_argument(
        "--id-column",
        metavar="COLUMN",
        help="the column holding the case reference (default: CaseNumber if there is one, else pseudonyms HTCDS-0001…)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date ages are counted on (default: today)")
    p.set_defaults(run=_import_htcds)
    p = source.add_parser(
        "odk", help="submissions of the `ctm xlsform` form exported from ODK Central or KoBoToolbox (CSV)"
    )
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write the case files")
    p.set_defaults(run=_import_odk)
    p = sub.add_parser("export", help="write case files in a format kept elsewhere")
    target = p.add_subparsers(dest="target", required=True, prog="ctm export")
    p = target.add_parser("htcds", help="the HTCDS columns the case files can fill (CSV)")
    p.add_argument("cases", nargs="+", type=Path, metavar="CASE")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.set_defaults(run=_export_htcds)
    p = with_dirs(sub.add_parser("xlsform", help="the interview as an XLSForm for ODK Collect / KoBoToolbox"))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    p.add_argument("--kind", choices=KINDS, default="survivor_case", help="which kind of file the form fills")
    p.set_defaults(run=_xlsform)
    p = sub.add_parser("ui", help="start the caseworker's interview in the browser")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1")
    with_lang(p)
    p.set_defaults(run=_ui)
    return parser


def _without_pydantic_plugins() -> None:
    """ctm uses no pydantic plugins: switch their discovery off (a scan of every installed
    package). With discovery off pydantic's loader returns no plugins, yet importing the
    loader still imports importlib.metadata — a third of a cold start's import time — so
    while no model has been built, its place is taken by a loader that returns none."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__" and "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules["pydantic.plugin._loader"] = loader


def main(argv: list[str] | None = None) -> int:
    """Run one command. Whatever goes wrong ends in one `ctm: error:` line and exit status 2; a
    reader that stops reading (`ctm catalogue | head -1`) ends it quietly, with 141 as a shell
    reports a process ended by SIGPIPE."""
    _without_pydantic_plugins()
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is met inside this `try`
        return status
    except CtmError as error:
        message = str(error)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a file or directory that cannot be read or written
        message = f"{error.filename}: {error.strerror}" if error.filename else str(error)
    except Exception as error:  # a defect in ctm itself: still one line, never a traceback
        message = f"internal error ({type(error).__name__}: {error}); please report it"
    print(f"ctm: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
