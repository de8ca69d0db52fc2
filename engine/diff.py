"""`ctm diff OLD_RULES_DIR NEW_RULES_DIR`: which cases change advice, how, and through which rule.

Compared: the scenario library, the features' cases, any `--cases` files, and the whole
decision space — both rule sets over one Space (engine/space.py), asking for every flag,
severity, recommendation, principle and classification whether some case gains or loses
it. Each change in the space comes with the smallest case that shows it; every change is
traced to the rule changes (added, removed or edited rules) that produce that item.
"""

from pathlib import Path
from typing import Any

from engine import chain, conditions
from engine.assessment import CLASSIFICATION, CLASSIFIED, SEVERITIES, Assessment
from engine.coverage import library_cases
from engine.case import KINDS, parse_case
from engine.errors import CtmError, RuleConflict
from engine.infer import Assessor
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import Rule, RuleSet, load_valid_rules
from engine.space import Chain, Space, effect_items, smallest_case, which_can_hold


def _shape(rule: Rule) -> dict[str, Any]:
    return {
        "stage": rule.stage,
        "kinds": list(rule.kinds),
        "when": conditions.describe(rule.when),
        "then": rule.asserted(),
    }


def rule_changes(old: RuleSet, new: RuleSet) -> list[dict[str, Any]]:
    """Rules added, removed, or changed in what they read or give (wording changes are ignored)."""
    before, after = {r.id: r for r in old.rules}, {r.id: r for r in new.rules}
    changes = []
    for rid in list(before) + [r for r in after if r not in before]:
        if rid not in after:
            changes.append({"rule": rid, "change": "removed", "was": _shape(before[rid])})
        elif rid not in before:
            changes.append({"rule": rid, "change": "added", "now": _shape(after[rid])})
        elif _shape(before[rid]) != _shape(after[rid]):
            was, now = _shape(before[rid]), _shape(after[rid])
            changes.append(
                {
                    "rule": rid,
                    "change": "changed",
                    "was": {k: v for k, v in was.items() if now[k] != v},
                    "now": {k: v for k, v in now.items() if was[k] != v},
                }
            )
    return changes


def _outputs(ch: Chain, kind: str) -> dict[str, Any]:
    """What an assessment shows, item by item, as formulas over the space."""
    import z3

    out = {i: f for i, f in ch.item.items() if "@" not in i and not i.startswith("flag:")}
    for flag in {i.split(":")[1].split("@")[0] for i in ch.item if i.startswith("flag:")}:
        for n, severity in enumerate(SEVERITIES):
            higher = [ch.has(f"flag:{flag}@{s}") for s in SEVERITIES[:n]] + [z3.BoolVal(False)]
            out[f"flag:{flag} ({severity})"] = z3.And(ch.has(f"flag:{flag}@{severity}"), z3.Not(z3.Or(higher)))
    for key in CLASSIFIED[kind]:
        for value in CLASSIFICATION[key]:
            out[f"{key} = {value}"] = ch.classified(key, value)
    return out


def _explained_by(item: str, rulesets: tuple[RuleSet, RuleSet], changed: set[str], case: dict[str, Any]) -> list[str]:
    """The changed rules that fire on this case, in either set, and give this item (or derive
    this classification); else every changed rule that fires on it (the change came upstream)."""
    base = item.split(" (")[0]
    key = base.split(" = ")[0] if " = " in base else None
    answers = parse_case(case).answers()
    fired = [
        (rs, rule)
        for rs in rulesets
        for rule in chain.run(chain.ordered(rs, case.get("kind", "survivor_case")), answers)[1]
        if rule.id in changed
    ]
    giving = {
        rule.id
        for rs, rule in fired
        if (key in rule.effects.derive if key else base in effect_items(rule, rs.catalogue))
    }
    return sorted(giving or {rule.id for _, rule in fired})


def space_changes(old: RuleSet, new: RuleSet, changed: set[str]) -> list[dict[str, Any]]:
    """Every item some case gains or loses, per kind of case file, with its smallest case."""
    import z3

    found: list[dict[str, Any]] = []
    for kind in KINDS:
        if not (old.for_kind(kind) or new.for_kind(kind)):
            continue
        leaves = [leaf for rs in (old, new) for rule in rs.for_kind(kind) for leaf in conditions.leaves(rule.when)]
        space = Space(leaves, kind)
        before, after = Chain(space, old, tag="old:"), Chain(space, new, tag="new:")
        definitions = before.definitions + after.definitions
        was, now = _outputs(before, kind), _outputs(after, kind)
        targets = {}
        for item in sorted(set(was) | set(now)):
            old_f, new_f = was.get(item, z3.BoolVal(False)), now.get(item, z3.BoolVal(False))
            targets[("gained", item)] = z3.And(z3.Not(old_f), new_f)
            targets[("lost", item)] = z3.And(old_f, z3.Not(new_f))
        solver = z3.Solver()
        solver.add(*space.domain, *definitions)
        for direction, item in sorted(which_can_hold(solver, targets)):
            case = smallest_case(space, definitions, [targets[(direction, item)]], f"DIFF-{len(found) + 1:03d}")
            assert case is not None  # the target can hold, so a smallest case shows it
            found.append(
                {
                    "kind": kind,
                    "item": item,
                    "change": direction,
                    "case": case,
                    "rules": _explained_by(item, (old, new), changed, case),
                }
            )
    return found


def _shown(assessment: Assessment) -> set[str]:
    items = {f"flag:{f.id} ({f.severity})" for f in assessment.flags}
    items |= {f"recommend:{r.intervention}" for r in assessment.recommendations}
    items |= {f"principle:{p.id}" for p in assessment.principles}
    return items | {f"{k} = {v}" for k, v in assessment.classification.items()}


def case_changes(
    old: RuleSet, new: RuleSet, cases: list[tuple[str, str, dict[str, Any]]], changed: set[str]
) -> list[dict[str, Any]]:
    """The cases whose assessment differs, with what they gain and lose and the rules behind it."""
    before, after = Assessor(old), Assessor(new)
    found: list[dict[str, Any]] = []
    for source, ident, data in cases:
        try:
            case = parse_case(data)
            a, b = before.assess(case), after.assess(case)
        except (CtmError, RuleConflict) as error:
            found.append({"source": source, "case": ident, "error": str(error)})
            continue
        gained, lost = sorted(_shown(b) - _shown(a)), sorted(_shown(a) - _shown(b))
        if gained or lost:
            fired = {s.rule for s in a.trace} | {s.rule for s in b.trace}
            found.append(
                {"source": source, "case": ident, "gained": gained, "lost": lost, "rules": sorted(fired & changed)}
            )
    return found


def run(
    old_dir: Path, new_dir: Path, knowledge_dir: Path = KNOWLEDGE_DIR, cases_dir: Path | None = None
) -> dict[str, Any]:
    if cases_dir is not None and not Path(cases_dir).is_dir():
        raise CtmError("not a directory of case files", path=str(cases_dir))
    old, new = load_valid_rules(old_dir, knowledge_dir), load_valid_rules(new_dir, knowledge_dir)
    rules = rule_changes(old, new)
    changed = {c["rule"] for c in rules}
    cases, problems = library_cases(knowledge_dir, extra=cases_dir)
    return {
        "old": {"dir": str(old_dir), "digest": old.digest},
        "new": {"dir": str(new_dir), "digest": new.digest},
        "rule_changes": rules,
        "space_changes": space_changes(old, new, changed) if rules else [],
        "case_changes": case_changes(old, new, cases, changed),
        "cases_compared": len(cases),
        "case_problems": problems,
    }


def changed(report: dict[str, Any]) -> bool:
    return bool(report["rule_changes"] or report["space_changes"] or report["case_changes"])


def to_json(report: dict[str, Any]) -> str:
    import json

    return json.dumps(report, ensure_ascii=False, indent=1)


def to_markdown(report: dict[str, Any]) -> str:
    import yaml

    lines = [
        "# ctm diff",
        "",
        f"Old: {report['old']['dir']} ({report['old']['digest']})",
        f"New: {report['new']['dir']} ({report['new']['digest']})",
        "",
        "## Rule changes",
        "",
    ]
    if not report["rule_changes"]:
        lines += ["None: the two rule sets give every case the same advice.", ""]
    for change in report["rule_changes"]:
        lines.append(f"- **{change['rule']}** {change['change']}")
        for side in ("was", "now"):
            for key, value in change.get(side, {}).items():
                lines.append(f"  - {side} {key}: {', '.join(value) if isinstance(value, list) else value}")
        effects = [f"{s['change']} {s['item']}" for s in report["space_changes"] if change["rule"] in s["rules"]]
        cases = [c["case"] for c in report["case_changes"] if change["rule"] in c.get("rules", [])]
        if effects:
            lines.append(f"  - changes in the decision space: {'; '.join(effects)}")
        if cases:
            lines.append(f"  - cases that change: {'; '.join(cases)}")
    lines += [
        "",
        "## The decision space",
        "",
        "Every combination of answers, decided by the solver; one smallest case for each change.",
        "",
    ]
    if report["rule_changes"] and not report["space_changes"]:
        lines += ["No case gains or loses anything.", ""]
    for change in report["space_changes"]:
        lines += [
            f"### {change['change']}: {change['item']} ({change['kind']})",
            "",
            f"Rules: {', '.join(change['rules']) or '(a change upstream)'}",
            "",
            "```yaml",
            yaml.safe_dump(change["case"], sort_keys=False, default_flow_style=None).rstrip(),
            "```",
            "",
        ]
    lines += [f"## Cases ({report['cases_compared']} compared: scenarios, features' cases, files)", ""]
    if not report["case_changes"]:
        lines += ["No case changes.", ""]
    for change in report["case_changes"]:
        if "error" in change:
            lines.append(f"- {change['source']} **{change['case']}**: {change['error']}")
            continue
        lines.append(f"- {change['source']} **{change['case']}** (rules: {', '.join(change['rules']) or '-'})")
        lines += [f"  - gained {i}" for i in change["gained"]] + [f"  - lost {i}" for i in change["lost"]]
    lines += [f"- could not read {p}" for p in report["case_problems"]]
    return "\n".join(lines) + "\n"
