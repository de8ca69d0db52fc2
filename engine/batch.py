"""Whole caseloads: `ctm assess DIR_OR_FILES… --jobs N [--summary]`.

The files are shared out over N processes, each of which builds the compiled engine once and then
assesses its share; the results come back in input order (one JSON line per case, or a report). A
file that cannot be read or assessed is reported with its name on stderr and never stops the
others; the run then exits 2. `--summary` prints instead how many cases fall in each
classification, carry each flag and each do-first item, in Markdown or JSON.
"""

import json
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from engine.errors import CtmError, RuleConflict

SUFFIXES = (".yaml", ".yml", ".json")
_STATE: dict[str, Any] = {}


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a directory becomes its case files (.yaml, .yml, .json), sorted, at any depth."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def start_worker(rules_dir: Path, knowledge_dir: Path, output: str, lang: str) -> None:
    """In each worker, once: the rule set and its compiled engine."""
    from engine.cli import _without_pydantic_plugins
    from engine.infer import Assessor
    from engine.rules import load_valid_rules

    _without_pydantic_plugins()  # as `ctm` itself does (a spawned worker starts afresh)
    ruleset = load_valid_rules(rules_dir, knowledge_dir)
    _STATE.update(ruleset=ruleset, assessor=Assessor(ruleset), output=output, lang=lang)


def assess_file(path: Path) -> tuple[Any, str | None]:
    """(what to print or count for this file, or None; the error, or None)."""
    from engine.case import load_case
    from engine.report import to_json, to_markdown

    try:
        assessment = _STATE["assessor"].assess(load_case(path))
    except CtmError as error:
        return None, str(error)
    except RuleConflict as error:  # a defect of the rule set, shown on this case
        return None, f"{path}: {error}"
    output = _STATE["output"]
    if output == "summary":
        return {
            "classification": assessment.classification,
            "flags": [f.id for f in assessment.flags],
            "do_first": list(getattr(assessment, "do_first", None) or []),
        }, None
    if output == "json":
        return to_json(assessment), None
    return to_markdown(assessment, _STATE["ruleset"], lang=_STATE["lang"]), None


def run(
    paths: list[Path], jobs: int, rules_dir: Path, knowledge_dir: Path, output: str = "json", lang: str = "en"
) -> Iterator[tuple[Path, Any, str | None]]:
    """(file, result, error) for every file, in input order, over `jobs` processes."""
    start = (rules_dir, knowledge_dir, output, lang)
    if jobs <= 1 or len(paths) <= 1:
        start_worker(*start)
        for path in paths:
            yield (path, *assess_file(path))
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    # spawn, not fork: a fork of a threaded process can hang (as engine/audit.py)
    with get_context("spawn").Pool(jobs, initializer=start_worker, initargs=start) as pool:
        for path, result in zip(paths, pool.imap(assess_file, paths, chunksize=chunk)):
            yield (path, *result)


class Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.total, self.stream = total, stream or sys.stderr
        self.shown = self.stream.isatty() and total > 1
        self.last = 0.0

    def __call__(self, done: int) -> None:
        if self.shown and (time.monotonic() - self.last > 0.2 or done == self.total):
            self.last = time.monotonic()
            filled = 30 * done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} cases")
            self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


class Summary:
    """Counts over a caseload: cases per classification value, flag and do-first item."""

    def __init__(self) -> None:
        self.files = self.assessed = self.errors = 0
        self.classification: dict[str, Counter[Any]] = defaultdict(Counter)
        self.flags: Counter[str] = Counter()
        self.do_first: Counter[str] = Counter()

    def add(self, result: dict[str, Any] | None) -> None:
        self.files += 1
        if result is None:
            self.errors += 1
            return
        self.assessed += 1
        for key, value in result["classification"].items():
            self.classification[key][json.dumps(value).strip('"')] += 1
        self.flags.update(result["flags"])
        self.do_first.update(result["do_first"])

    def to_dict(self) -> dict[str, Any]:
        def ranked(counts: Counter[Any]) -> dict[Any, int]:
            return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        return {
            "files": self.files,
            "assessed": self.assessed,
            "errors": self.errors,
            "classification": {k: ranked(v) for k, v in self.classification.items()},
            "flags": ranked(self.flags),
            "do_first": ranked(self.do_first),
        }

    def to_markdown(self) -> str:
        data = self.to_dict()

        def share(n: int) -> str:  # of the cases assessed
            return f"{100 * n / data['assessed']:.1f} %"

        lines = [
            f"# Caseload: {data['files']:,} file(s), {data['assessed']:,} assessed, {data['errors']:,} could not be",
            "",
            "## Classification",
            "",
            "| classification | value | cases | share of the survivor cases |",
            "| --- | --- | ---: | ---: |",
        ]
        lines += [
            f"| {key} | {value} | {n:,} | {100 * n / sum(counts.values()):.1f} % |"
            for key, counts in data["classification"].items()
            for value, n in counts.items()
        ]
        for title, name, counts in (("Flags", "flag", data["flags"]), ("Do first", "intervention", data["do_first"])):
            lines += ["", f"## {title}", ""]
            if not counts:
                lines.append("No case has one.")
                continue
            lines += [f"| {name} | cases | share |", "| --- | ---: | ---: |"]
            lines += [f"| {key} | {n:,} | {share(n)} |" for key, n in counts.items()]
        return "\n".join(lines)


def assess(
    paths: list[Path],
    jobs: int,
    rules_dir: Path,
    knowledge_dir: Path,
    fmt: str,
    summary: bool,
    lang: str,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """The caseload run of `ctm assess`: prints as it goes, in input order; 2 if any file failed."""
    out, err = out or sys.stdout, err or sys.stderr
    files = expand(paths)
    progress = Progress(len(files), err)
    counts, failed = Summary(), 0
    for done, (path, result, error) in enumerate(
        run(files, jobs, rules_dir, knowledge_dir, "summary" if summary else fmt, lang), start=1
    ):
        if error:
            failed += 1
            progress.clear()
            err.write(f"ctm: error: {error}\n")
        if summary:
            counts.add(result)
        elif result is not None:
            out.write(result + ("\n" if fmt == "json" else "\n\n"))
        progress(done)
    progress.clear()
    if summary:
        out.write((json.dumps(counts.to_dict(), ensure_ascii=False) if fmt == "json" else counts.to_markdown()) + "\n")
    return 2 if failed else 0
