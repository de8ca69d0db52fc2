"""Coverage, read from the files: for every matrix node, intervention and principle, the rules
that name it, the scenario library's and the features' cases that exercise it, and its
sources; and how those cases fall on the matrix (the audit's case heatmaps)."""

import re
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from engine import yamlio
from engine.case import Case, parse_case
from engine.errors import CtmError, RuleConflict
from engine.knowledge import KNOWLEDGE_DIR, shipped
from engine.rules import Rule, RuleSet

if TYPE_CHECKING:
    from engine.infer import Assessor


def library_cases(
    knowledge_dir: Path = KNOWLEDGE_DIR, features_dir: Path = shipped("features"), extra: Path | None = None
) -> tuple[list[tuple[str, str, dict[str, Any]]], list[str]]:
    """(source, id, case data) of the scenario library, the features' cases and the files in
    `extra`; and a note for each one that could not be read. Missing directories are fine."""
    found, problems = [], []
    for path in sorted(Path(knowledge_dir, "scenarios").glob("*.yaml")):
        try:
            data = yamlio.load(path)
            case = dict(data["case"])
            case.setdefault("case_id", str(data.get("id", path.stem)))
            found.append(("scenario", str(data.get("id", path.stem)), case))
        except (CtmError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{path}: {error}")
    docstring = re.compile(r'^\s*(?:Given|And|But)\b[^\n]*with:\s*\n\s*"""\n(.*?)\n\s*"""', re.S | re.M)
    for path in sorted(Path(features_dir).glob("*.feature")):
        text = path.read_text(encoding="utf-8")
        titles = [(m.start(), m.group(1).strip()) for m in re.finditer(r"^\s*Scenario(?: Outline)?:(.*)$", text, re.M)]
        for match in docstring.finditer(text):
            title = next((t for start, t in reversed(titles) if start < match.start()), path.stem)
            lines = match.group(1).splitlines()
            indent = min((len(s) - len(s.lstrip()) for s in lines if s.strip()), default=0)
            try:
                case = yamlio.loads("\n".join(s[indent:] for s in lines)) or {}
                case.setdefault("case_id", "FEATURE-CASE")
                found.append(("feature", f"{path.stem}: {title}", dict(case)))
            except (CtmError, AttributeError) as error:
                problems.append(f"{path}: {title}: {error}")
    for path in sorted(p for p in Path(extra).iterdir() if p.suffix in (".yaml", ".yml", ".json")) if extra else []:
        try:
            found.append(("file", path.name, dict(yamlio.load(path))))
        except (CtmError, TypeError, ValueError) as error:
            problems.append(f"{path}: {error}")
    return found, problems


def coverage(ruleset: RuleSet, assessor: "Assessor", knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, Any]:
    """For every node, intervention and principle: the rules that name it, the library's and
    the features' cases that exercise it, and its sources; and the cases per heatmap cell."""
    cat = ruleset.catalogue
    cases, problems = library_cases(knowledge_dir)
    runs = []
    for source, ident, data in cases:
        try:
            case = parse_case(data)
            runs.append((source, ident, case, assessor.assess(case)))
        except (CtmError, RuleConflict) as error:
            problems.append(f"{source} '{ident}': {error}")
    fired = [(ident, [ruleset.by_id(s.rule) for s in a.trace], a) for _, ident, _, a in runs]

    def entry(rules: list[Rule], exercised: list[str], sources: Iterable[str]) -> dict[str, Any]:
        return {"rules": [r.id for r in rules], "cases": exercised, "sources": sorted(set(sources))}

    nodes = {
        n: entry(
            [r for r in ruleset.rules if n in r.nodes],
            [i for i, rs, _ in fired if any(n in r.nodes for r in rs)],
            [node.source] + [s for r in ruleset.rules if n in r.nodes for s in r.sources],
        )
        for n, node in cat.nodes.items()
    }
    interventions = {
        i: entry(
            [r for r in ruleset.rules if i in r.effects.recommend],
            [ident for ident, _, a in fired if i in {x.intervention for x in a.recommendations}],
            item.sources,
        )
        | {"level": item.level}
        for i, item in cat.interventions.items()
    }
    principles = {
        p: entry(
            [r for r in ruleset.rules if p in r.effects.principles],
            [ident for ident, _, a in fired if p in {x.id for x in a.principles}],
            item.sources,
        )
        for p, item in cat.principles.items()
    }
    case_heat: dict[str, dict[Any, dict[Any, int]]] = {"exit_geography": {}, "recovery_integration": {}}
    for _, _, case, a in runs:
        if not isinstance(case, Case):
            continue
        c = a.classification
        row = case_heat["exit_geography"].setdefault(c["exit_route"], {})
        row[c["geographic_outcome"]] = row.get(c["geographic_outcome"], 0) + 1
        settings: list[Any] | None = case.integration.settings
        row = case_heat["recovery_integration"].setdefault(c["recovery_type"], {})
        for col in (settings or ["none"]) if settings is not None else ["unknown"]:
            row[col] = row.get(col, 0) + 1
    sections = {"nodes": nodes, "interventions": interventions, "principles": principles}
    return {
        **sections,
        "without_rules": {k: [i for i, e in v.items() if not e["rules"]] for k, v in sections.items()},
        "without_cases": {k: [i for i, e in v.items() if not e["cases"]] for k, v in sections.items()},
        "cases": {s: sum(1 for r in runs if r[0] == s) for s in ("scenario", "feature", "file")},
        "case_heat": case_heat,
        "case_problems": problems,
    }
