"""The audit's report (engine/audit.py) as Markdown, HTML or JSON, and its counterexamples
as case files that `ctm assess` reads."""

import json
import textwrap
from html import escape
from pathlib import Path
from typing import Any

import yaml

from engine.errors import CtmError


def write_cases(report: dict[str, Any], directory: Path) -> list[Path]:
    """Write each finding's smallest case as a case file `ctm assess` reads (each file is
    written whole, under a temporary name first, or not at all)."""
    files = {}
    for name, items in report["findings"].items():
        for item in items:
            for key in ("case", "other_case"):
                if item.get(key):
                    about = textwrap.wrap(f"ctm audit, {name.replace('_', ' ')}: {item['text']}", 86)
                    files[item[key]["case_id"].lower() + ".yaml"] = "".join(
                        f"# {line}\n" for line in about
                    ) + yaml.safe_dump(item[key], sort_keys=False, allow_unicode=True, default_flow_style=None)
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for filename, text in files.items():
            tmp = directory / f".{filename}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(directory / filename)
    except OSError as error:
        raise CtmError(f"cannot write the counterexample cases: {error.strerror}", path=str(directory)) from None
    return [directory / f for f in files]


# A report is a list of blocks, rendered as Markdown or HTML: ("h", level, text), ("p", text),
# ("list", items), ("code", text), ("table", header, rows, is_heatmap).


def _blocks(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    rs, cov, found = report["ruleset"], report["coverage"], report["findings"]
    space = report["space"]
    blocks: list[tuple[Any, ...]] = [
        ("h", 1, "ctm audit"),
        (
            "p",
            f"Rule set {rs['version']}, {rs['digest']}: {rs['rules']} rules. Analysis over the whole "
            f"decision space in {report['seconds']} s on {report['workers']} process(es).",
        ),
    ]
    rows = [
        [
            f"combinations covered ({kind})",
            f"{s['combinations']:,} ({s['facts']} answers the rules read, "
            f"each in the classes they can tell apart, unknown included)",
        ]
        for kind, s in space.items()
    ]
    rows += [[name.replace("_", " "), str(len(items))] for name, items in found.items()]
    rows += [
        [
            "cross-check against the experta engine",
            f"{report['cross_check']['cases']} random cases, "
            f"{len(report['cross_check']['disagreements'])} disagreements",
        ]
    ]
    blocks += [("table", ["", ""], rows, False)]
    for name, items in found.items():
        blocks += [("h", 2, name.replace("_", " ").capitalize())]
        if not items:
            blocks += [("p", "None, in any combination of answers.")]
        for n, item in enumerate(items, start=1):
            blocks += [("h", 3, f"{n}. {item['id']}"), ("p", item["text"])]
            facts = [f"rules: {', '.join(item['rules']) or '(none)'}"]
            if item["case"]:
                facts.append("confirmed by the experta engine: " + ("yes" if item["confirmed"] else "NO"))
            blocks += [("list", facts)]
            for key, label in (("case", "Smallest case"), ("other_case", "The same case with the other answer")):
                if item[key]:
                    answered = sum(len(v) for v in item[key].values() if isinstance(v, dict))
                    blocks += [
                        ("p", f"{label} ({answered} answered):"),
                        ("code", yaml.safe_dump(item[key], sort_keys=False, default_flow_style=None)),
                    ]
    titles = {
        "exit_geography": ("Exit route × geographic outcome", "exit route", "geographic outcome"),
        "recovery_integration": ("Recovery type × integration setting", "recovery type", "integration setting"),
    }
    for table, (title, row_name, col_name) in titles.items():
        heat = report["rule_heat"][table]
        if not heat:
            continue
        cols = list(next(iter(heat.values())))
        cases = cov["case_heat"][table]
        blocks += [
            ("h", 2, f"Heatmap: {title}"),
            (
                "p",
                f"Each cell: advice-giving rules that can fire there / scenario and feature cases in it "
                f"(rows: {row_name}; columns: {col_name}).",
            ),
        ]
        blocks += [
            (
                "table",
                [row_name] + cols,
                [[r] + [f"{len(heat[r][c])} / {cases.get(r, {}).get(c, 0)}" for c in cols] for r in heat],
                True,
            )
        ]
    blocks += [("h", 2, "Coverage of the matrix")]
    counted = cov["cases"]
    blocks += [
        (
            "p",
            f"Cases read: {counted['scenario']} scenarios, {counted['feature']} features' cases"
            + (f", {counted['file']} files" if counted["file"] else "")
            + ".",
        )
    ]
    for section in ("nodes", "interventions", "principles"):
        entries = cov[section]
        ruled = [i for i, e in entries.items() if e["rules"]]
        cased = [i for i, e in entries.items() if e["cases"]]
        blocks += [
            ("h", 3, section.capitalize()),
            ("p", f"{len(ruled)} of {len(entries)} named by a rule; {len(cased)} exercised by a case."),
        ]
        if section == "interventions":
            for level in ("case", "programme"):
                missing = [i for i in cov["without_rules"][section] if entries[i]["level"] == level]
                blocks += [
                    ("p", f"{level.capitalize()}-level interventions no rule recommends ({len(missing)}):"),
                    ("list", missing or ["none"]),
                ]
        else:
            blocks += [
                ("p", f"No rule names ({len(cov['without_rules'][section])}):"),
                ("list", cov["without_rules"][section] or ["none"]),
            ]
        blocks += [
            (
                "p",
                f"Named by a rule, but exercised by no case "
                f"({len([i for i in cov['without_cases'][section] if i in ruled])}):",
            ),
            ("list", [i for i in cov["without_cases"][section] if i in ruled] or ["none"]),
        ]
        blocks += [
            (
                "table",
                [section[:-1], "rules", "cases that exercise it", "sources"],
                [
                    [i, ", ".join(e["rules"]) or "-", _some(e["cases"]), ", ".join(e["sources"])]
                    for i, e in entries.items()
                ],
                False,
            )
        ]
    if cov["case_problems"]:
        blocks += [("p", "Cases that could not be read:"), ("list", cov["case_problems"])]
    blocks += [("h", 2, "The decision space")]
    for kind, s in space.items():
        blocks += [
            ("h", 3, kind),
            (
                "table",
                ["answer", "classes"],
                [[f, ", ".join("unknown" if v is None else str(v) for v in vs)] for f, vs in s["classes"].items()],
                False,
            ),
        ]
    return blocks


def _some(names: list[str], shown: int = 3) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (f"{len(names)}: " + "; ".join(names[:shown]) + more) if names else "0"


def to_markdown(report: dict[str, Any]) -> str:
    out = []
    for block in _blocks(report):
        if block[0] == "h":
            out += ["#" * block[1] + " " + block[2], ""]
        elif block[0] == "p":
            out += [block[1], ""]
        elif block[0] == "list":
            out += [f"- {item}" for item in block[1]] + [""]
        elif block[0] == "code":
            out += ["```yaml", block[1].rstrip(), "```", ""]
        else:
            header, rows = block[1], block[2]
            out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
            out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows] + [""]
    return "\n".join(out)


def to_html(report: dict[str, Any]) -> str:
    out = [
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>ctm audit</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em}"
        "pre{background:#f4f4f4;padding:.6em}</style><body>",
    ]
    for block in _blocks(report):
        if block[0] == "h":
            out.append(f"<h{block[1]}>{escape(block[2])}</h{block[1]}>")
        elif block[0] == "p":
            out.append(f"<p>{escape(block[1])}</p>")
        elif block[0] == "list":
            out.append("<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in block[1]) + "</ul>")
        elif block[0] == "code":
            out.append(f"<pre>{escape(block[1])}</pre>")
        else:
            header, rows, heat = block[1:]
            rules = [int(c.split(" / ")[0]) for row in rows for c in row[1:]] if heat else [0]
            low, span = min(rules), max(max(rules) - min(rules), 1)
            out.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>")
            for row in rows:
                cells = [f"<th>{escape(str(row[0]))}</th>" if heat else f"<td>{escape(str(row[0]))}</td>"]
                for cell in row[1:]:
                    alpha = 0.1 + 0.8 * (int(cell.split(" / ")[0]) - low) / span if heat else 0
                    shade = f" style='background:rgba(30,120,200,{alpha:.2f})'" if heat else ""
                    cells.append(f"<td{shade}>{escape(str(cell))}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
    return "\n".join(out + ["</body></html>"])


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, default=str)
