"""`ctm catalogue`: everything the rule set knows, as data and as Markdown."""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from engine import conditions
from engine.rules import RuleSet


def catalogue_data(ruleset: RuleSet) -> dict[str, Any]:
    cat = ruleset.catalogue

    def dump(entries: Mapping[str, BaseModel]) -> list[dict[str, Any]]:
        return [e.model_dump(mode="json") for e in entries.values()]

    rules = [
        {
            "id": r.id,
            "area": r.area,
            "stage": r.stage,
            "nodes": list(r.nodes),
            "when": conditions.describe(r.when),
            "asserts": r.asserted(),
            "because": r.because,
            "sources": list(r.sources),
            "file": r.path,
            "line": r.line,
        }
        for r in ruleset.rules
    ]
    return {
        "interventions": dump(cat.interventions),
        "flags": dump(cat.flags),
        "principles": dump(cat.principles),
        "nodes": dump(cat.nodes),
        "rules": rules,
        "sources": dump(cat.sources),
    }


def catalogue_markdown(data: dict[str, Any]) -> str:
    lines = ["# ctm catalogue", ""]
    lines += [f"## Interventions ({len(data['interventions'])})", ""]
    lines += [
        f"- `{i['id']}` — {i['label']} ({i['actor']}, {i['level']}; {', '.join(i['nodes'])})"
        for i in data["interventions"]
    ]
    lines += ["", f"## Flags ({len(data['flags'])})", ""]
    lines += [f"- `{f['id']}` ({f['severity']}) — {f['description']}" for f in data["flags"]]
    lines += ["", f"## Principles ({len(data['principles'])})", ""]
    lines += [f"- `{p['id']}` — {p['text']}" for p in data["principles"]]
    lines += ["", f"## Nodes ({len(data['nodes'])})", ""]
    lines += [f"- `{n['id']}` — {n['label']}" for n in data["nodes"]]
    lines += ["", f"## Rules ({len(data['rules'])})", ""]
    lines += [f"- `{r['id']}`: when {r['when']} → {', '.join(r['asserts'])}. {r['because']}" for r in data["rules"]]
    lines += ["", f"## Sources ({len(data['sources'])})", ""]
    lines += [
        f"- `{s['id']}` — {s['instrument']}, {s['provision']}" + ("" if s["verified"] else " [not verified]")
        for s in data["sources"]
    ]
    return "\n".join(lines)
