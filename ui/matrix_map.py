"""The flow chart of the matrix as Graphviz DOT, with this person's path highlighted.

Drawn by the browser (st.graphviz_chart): no system Graphviz needed. Each node is labelled
with how many pieces of advice belong to it, and its tooltip lists them.
"""

from engine.assessment import Assessment
from engine.i18n import Texts

# (stage, [(node id, classification key or case path, value)]); the stage's title is message map.<stage>
COLUMNS = [
    (
        "harm",
        [
            ("harm.trafficking_harm", "harm_status", "trafficked"),
            ("safe_migration.outcome", "harm_status", "safe_migration"),
            ("harm", "harm_status", "unclear"),
        ],
    ),
    (
        "exit",
        [
            (f"exit.{r}", "exit_route", r)
            for r in ("opportunity_to_leave", "thrown_out", "contract_over", "escape", "rescue_raid", "death")
        ]
        + [("remaining", "exit_route", "not_exited")],
    ),
    (
        "where_now",
        [
            (f"geography.{g}", "geographic_outcome", g)
            for g in (
                "harm_location",
                "destination_outside_harm",
                "third_country",
                "repatriated_voluntary",
                "repatriated_involuntary",
                "jail_remand_home",
            )
        ],
    ),
    (
        "recovery",
        [
            ("recovery.self_in_harm", "recovery_type", "self_recovery_in_harm"),
            ("recovery.self_outside_harm", "recovery_type", "self_recovery_outside_harm"),
            ("recovery.facilitated", "recovery_type", "facilitated"),
            ("recovery.regressive", "recovery_type", "regressive_facilitated"),
        ],
    ),
    (
        "integration",
        [(f"integration.{o}", "integration_outcome", o) for o in ("successful", "grey_area", "unsuccessful")],
    ),
]
HIGHLIGHT = 'style="filled", fillcolor="#f4c542"'


def _advice_by_node(assessment: Assessment, t: Texts) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    assert t.ruleset is not None  # the screens' Texts carry the rule set
    for rec in assessment.recommendations:
        for node in t.ruleset.by_id(rec.rule).nodes:
            found.setdefault(node, []).append(t.label("interventions", rec.intervention))
    for flag in assessment.flags:
        for node in t.ruleset.by_id(flag.rule).nodes:
            found.setdefault(node, []).append(t.message("advice.flag", label=t.label("flags", flag.id)))
    return found


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def matrix_dot(assessment: Assessment, t: Texts) -> str:
    assert t.ruleset is not None  # the screens' Texts carry the rule set
    nodes = t.ruleset.catalogue.nodes
    advice = _advice_by_node(assessment, t)
    lines = ["digraph matrix {", "rankdir=LR; node [shape=box, fontsize=10, style=rounded];"]
    on_path: list[str] = []
    for index, (stage, members) in enumerate(COLUMNS):
        lines.append(f"subgraph cluster_{index} {{ label={_quote(t.message(f'map.{stage}'))};")
        for node_id, key, value in members:
            here = assessment.classification.get(key) == value
            items = sorted(set(advice.get(node_id, [])))
            label = t.label("nodes", node_id) if node_id in nodes else t.fact(key, value)
            label += "\\n" + t.message("map.advice_count", count=len(items)) if items else ""
            tooltip = "\\n".join(items) or t.message("map.no_advice")
            lines.append(
                f"{_quote(node_id)} [label={_quote(label)}, tooltip={_quote(tooltip)}"
                + (f", {HIGHLIGHT}]" if here else "]")
                + ";"
            )
            if here:
                on_path.append(node_id)
        lines.append("}")
    for (_, left), (_, right) in zip(COLUMNS, COLUMNS[1:]):
        lines.append(f"{_quote(left[0][0])} -> {_quote(right[0][0])} [style=invis];")
    for a, b in zip(on_path, on_path[1:]):
        lines.append(f'{_quote(a)} -> {_quote(b)} [penwidth=2.5, color="#b8860b"];')
    lines.append("}")
    return "\n".join(lines)
